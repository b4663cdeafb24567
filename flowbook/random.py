"""``tf.random``: random tensors and seeds under their TF 1.13+ names."""

from .ops.random_ops import (random_normal as normal, random_uniform as uniform,  # noqa: F401
                             truncated_normal, set_random_seed, get_seed)
