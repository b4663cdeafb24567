"""Kernels for elementwise functions of one tensor (flowbook/ops/unary_ops.py).

Every kernel that can overflow or leave its domain (exp of 1000, log of 0, sqrt of -1) runs
quietly: TF yields inf/nan without a warning, and so do we.
"""

import math

import numpy as np

from . import BACKEND
from ._util import quiet


def _rsqrt(x):
    return np.reciprocal(np.sqrt(x))


def _sigmoid(x):
    # 1 / (1 + e^-x): e^-x overflows to inf for very negative x, giving exactly 0 (quietly).
    return np.reciprocal(1 + np.exp(-x))


_ERF = None


def _erf(x):
    global _ERF
    if _ERF is None:
        try:   # SciPy's erf is vectorised; it is optional, so fall back to math.erf
            from scipy.special import erf as _ERF
        except ImportError:
            _ERF = np.frompyfunc(math.erf, 1, 1)
    return np.asarray(_ERF(x)).astype(x.dtype, copy=False)


for _t, _f in (("Square", np.square), ("Sqrt", np.sqrt), ("Rsqrt", _rsqrt),
               ("Reciprocal", np.reciprocal), ("Exp", np.exp), ("Expm1", np.expm1),
               ("Log", np.log), ("Log1p", np.log1p), ("Sin", np.sin), ("Cos", np.cos),
               ("Tan", np.tan), ("Asin", np.arcsin), ("Acos", np.arccos), ("Atan", np.arctan),
               ("Sinh", np.sinh), ("Cosh", np.cosh), ("Asinh", np.arcsinh),
               ("Acosh", np.arccosh), ("Atanh", np.arctanh), ("Sigmoid", _sigmoid),
               ("Erf", _erf)):
    BACKEND.kernel(_t)(quiet(_f))

# These never warn (tanh saturates to +-1). np.round rounds halves to even, like TF's Round.
for _t, _f in (("Tanh", np.tanh), ("Round", np.round), ("Floor", np.floor), ("Ceil", np.ceil),
               ("IsNan", np.isnan), ("IsInf", np.isinf), ("IsFinite", np.isfinite)):
    BACKEND.kernel(_t)(_f)
