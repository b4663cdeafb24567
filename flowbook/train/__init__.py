"""``tf.train``: optimizers, learning-rate schedules, global step, checkpoints (Saver)."""
from .saver import Saver  # noqa: E402,F401
from .meta_graph import (SaverDef, MetaGraphDef, export_meta_graph, import_meta_graph,  # noqa: E402,F401
                         write_graph)
from .checkpoint_management import (CheckpointState, generate_checkpoint_state_proto,  # noqa: E402,F401
                                    update_checkpoint_state, get_checkpoint_state,
                                    latest_checkpoint, checkpoint_exists, get_checkpoint_mtimes,
                                    remove_checkpoint, meta_graph_filename)
from .checkpoint_utils import (list_variables, load_variable, load_checkpoint,  # noqa: E402,F401
                               NewCheckpointReader, CheckpointReader)
