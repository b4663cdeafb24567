"""``tf.random``: random tensors and seeds under their TF 1.13+ names."""

from .ops.random_ops import (random_normal as normal, random_uniform as uniform,  # noqa: F401
                             truncated_normal, set_random_seed, get_seed)
from .ops.random_ops import (random_gamma as gamma, random_poisson as poisson,  # noqa: F401
                             random_shuffle as shuffle, multinomial, categorical)
