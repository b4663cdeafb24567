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
