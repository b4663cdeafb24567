"""Kernels for maximum, minimum, squared_difference and div_no_nan
(flowbook/ops/elementwise_ops.py)."""

import numpy as np

from . import BACKEND
from ._util import broadcasting, quiet


def _squared_difference(x, y):
    d = np.subtract(x, y)
    return np.multiply(d, np.conj(d)) if d.dtype.kind == "c" else np.square(d)


def _div_no_nan(x, y):
    out = np.true_divide(x, np.where(y == 0, 1, y).astype(y.dtype, copy=False))
    return np.where(y == 0, np.zeros((), out.dtype), out)


# np.maximum/np.minimum propagate NaN, as TF's Maximum/Minimum do.
BACKEND.kernel("Maximum")(broadcasting(np.maximum))
BACKEND.kernel("Minimum")(broadcasting(np.minimum))
BACKEND.kernel("SquaredDifference")(quiet(broadcasting(_squared_difference)))
BACKEND.kernel("DivNoNan")(quiet(broadcasting(_div_no_nan)))
