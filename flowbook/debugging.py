"""``tf.debugging``: the debugging API under its TF1 names."""

from .ops.debug_ops import Assert, check_numerics, add_check_numerics_ops  # noqa: F401
from .ops.assert_ops import *  # noqa: F401,F403
from .ops.unary_ops import is_nan, is_inf, is_finite  # noqa: F401


def is_numeric_tensor(tensor):
    """True for a Tensor of a numeric dtype (integer, floating or complex)."""
    from .graph.operation import Tensor
    d = getattr(tensor, "dtype", None)
    return isinstance(tensor, Tensor) and (d.is_integer or d.is_floating or d.is_complex)
