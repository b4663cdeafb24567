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
    flat = indices.reshape(-1)
    out = np.full((flat.size, d), off_value, dtype=np.result_type(on_value))
    ok = (flat >= 0) & (flat < d)               # out-of-range indices: a row of off_value
    out[np.flatnonzero(ok), flat[ok]] = on_value
    out = out.reshape(indices.shape + (d,))
    return out if axis == -1 else np.moveaxis(out, -1, axis)


_one_hot.specialize = lambda axis: (lambda i, d, on, off: _one_hot(i, d, on, off, axis))
BACKEND.kernel("OneHot")(_one_hot)
