"""``tf.image``: the image API under its TF1 names."""
from .ops.random_ops import random_crop  # noqa: E402,F401
