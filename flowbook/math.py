"""``tf.math``: the math ops under their tf.math names."""

from .ops.math_ops import *  # noqa: F401,F403
