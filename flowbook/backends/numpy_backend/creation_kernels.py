"""Kernels for linspace and one_hot (flowbook/ops/creation_ops.py)."""

import numpy as np

from . import BACKEND
from ._util import invalid


@BACKEND.kernel("LinSpace")
def lin_space(start, stop, num):
    n = int(num)
    if n <= 0:
        raise invalid(f"linspace: num must be > 0, got {n}.")
    return np.linspace(start, stop, n, dtype=start.dtype)


def _one_hot(indices, depth, on_value, off_value, axis):
    d = int(depth)
    if d < 0:
        raise invalid(f"one_hot: depth must be non-negative, got {d}.")
    hot = indices[..., None] == np.arange(d, dtype=indices.dtype)   # out-of-range: all off
    out = np.where(hot, on_value, off_value)
    return out if axis == -1 else np.moveaxis(out, -1, axis)


_one_hot.specialize = lambda axis: (lambda i, d, on, off: _one_hot(i, d, on, off, axis))
BACKEND.kernel("OneHot")(_one_hot)
