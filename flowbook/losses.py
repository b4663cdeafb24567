"""``tf.losses``: the losses API under its TF1 names."""

from .ops.losses_ops import *  # noqa: F401,F403
from .ops.losses_ops import Reduction  # noqa: F401
