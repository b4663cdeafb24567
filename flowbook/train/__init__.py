"""``tf.train``: optimizers, learning-rate schedules, global step, checkpoints (Saver)."""
from .optimizer import Optimizer  # noqa: E402,F401
from .gradient_descent import GradientDescentOptimizer  # noqa: E402,F401
from .momentum import MomentumOptimizer  # noqa: E402,F401
from .adam import AdamOptimizer  # noqa: E402,F401
from .adagrad import AdagradOptimizer  # noqa: E402,F401
from .rmsprop import RMSPropOptimizer  # noqa: E402,F401
from .adadelta import AdadeltaOptimizer  # noqa: E402,F401
from .training_util import (global_step, get_global_step, create_global_step,  # noqa: E402,F401
                            get_or_create_global_step, assert_global_step)
from . import slot_creator  # noqa: E402,F401
from .learning_rate_decay import (exponential_decay, piecewise_constant,  # noqa: E402,F401
                                  polynomial_decay, natural_exp_decay, inverse_time_decay,
                                  cosine_decay)
from .saver import Saver  # noqa: E402,F401
from .meta_graph import (SaverDef, MetaGraphDef, export_meta_graph, import_meta_graph,  # noqa: E402,F401
                         write_graph)
from .checkpoint_management import (CheckpointState, generate_checkpoint_state_proto,  # noqa: E402,F401
                                    update_checkpoint_state, get_checkpoint_state,
                                    latest_checkpoint, checkpoint_exists, get_checkpoint_mtimes,
                                    remove_checkpoint, meta_graph_filename)
from .checkpoint_utils import (list_variables, load_variable, load_checkpoint,  # noqa: E402,F401
                               NewCheckpointReader, CheckpointReader)
