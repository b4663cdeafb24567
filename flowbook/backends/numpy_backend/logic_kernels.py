"""Kernels for comparisons, logical ops, Select/SelectV2 and Where (flowbook/ops/logic_ops.py)."""

import numpy as np

from . import BACKEND
from ._util import broadcasting

for _t, _f in (("Less", np.less), ("LessEqual", np.less_equal), ("Greater", np.greater),
               ("GreaterEqual", np.greater_equal), ("Equal", np.equal),
               ("NotEqual", np.not_equal), ("LogicalAnd", np.logical_and),
               ("LogicalOr", np.logical_or)):
    BACKEND.kernel(_t)(broadcasting(_f))

BACKEND.kernel("LogicalNot")(np.logical_not)


@BACKEND.kernel("Select")
def select(c, x, y):
    x = np.asarray(x)
    if np.ndim(c) == 1 and x.ndim > 1:
        c = np.reshape(c, (-1,) + (1,) * (x.ndim - 1))
    return np.where(c, x, y)


@BACKEND.kernel("SelectV2")
def select_v2(c, t, e):
    return np.where(c, t, e)


@BACKEND.kernel("Where")
def where(x):
    return np.argwhere(x).astype(np.int64, copy=False)
