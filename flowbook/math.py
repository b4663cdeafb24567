"""``tf.math``: the math ops under their tf.math names."""

from .ops.math_ops import *  # noqa: F401,F403
from .ops.elementwise_ops import div_no_nan as divide_no_nan  # noqa: F401
