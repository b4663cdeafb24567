"""Kernels for arithmetic, comparison, cast, matmul and reduction ops (flowbook/ops/math_ops.py)."""

import numpy as np

from ...errors import InvalidArgumentError
from . import BACKEND
from ._util import axes_of, quiet

for _t, _f in (("Add", np.add), ("Sub", np.subtract), ("Mul", np.multiply),
               ("Neg", np.negative), ("Sign", np.sign), ("Abs", np.abs),
               ("Less", np.less), ("LessEqual", np.less_equal), ("Greater", np.greater),
               ("GreaterEqual", np.greater_equal), ("Equal", np.equal),
               ("NotEqual", np.not_equal), ("LogicalAnd", np.logical_and),
               ("LogicalOr", np.logical_or), ("LogicalNot", np.logical_not)):
    BACKEND.kernel(_t)(_f)

for _t, _f in (("RealDiv", np.true_divide), ("Log", np.log)):
    BACKEND.kernel(_t)(quiet(_f))


@BACKEND.kernel("FloorDiv")
def floor_div(x, y):
    if y.dtype.kind in "iu" and not np.all(y):
        raise InvalidArgumentError(None, None, "Integer division by zero")
    with np.errstate(all="ignore"):
        return np.floor_divide(x, y)


@BACKEND.kernel("FloorMod")
def floor_mod(x, y):
    if y.dtype.kind in "iu" and not np.all(y):
        raise InvalidArgumentError(None, None, "Integer division by zero")
    with np.errstate(all="ignore"):
        return np.mod(x, y)


@BACKEND.kernel("Pow")
def pow_(x, y):
    if x.dtype.kind in "iu" and np.any(y < 0):
        raise InvalidArgumentError(None, None,
                                   "Integers to negative integer powers are not allowed")
    with np.errstate(all="ignore"):
        return np.power(x, y)


@BACKEND.kernel("Select")
def select(c, x, y):
    x = np.asarray(x)
    if np.ndim(c) == 1 and x.ndim > 1:
        c = np.reshape(c, (-1,) + (1,) * (x.ndim - 1))
    return np.where(c, x, y)


def _cast(x, DstT):  # noqa: N803 (TF's attr name)
    return _caster(DstT)(x)


def _caster(DstT):  # noqa: N803
    t = DstT.as_numpy_dtype

    def cast(x):
        if np.iscomplexobj(x) and not np.issubdtype(t, np.complexfloating):
            x = np.real(x)
        with np.errstate(all="ignore"):
            return np.asarray(x).astype(t)
    return cast


_cast.specialize = _caster
BACKEND.kernel("Cast")(_cast)


def _matmul(a, b, transpose_a=False, transpose_b=False):
    return _matmul_for(transpose_a, transpose_b)(a, b)


def _matmul_for(transpose_a, transpose_b):
    if not transpose_a and not transpose_b:
        return np.matmul
    if transpose_a and not transpose_b:
        return lambda a, b: np.matmul(a.T, b)
    if not transpose_a:
        return lambda a, b: np.matmul(a, b.T)
    return lambda a, b: np.matmul(a.T, b.T)


_matmul.specialize = _matmul_for
BACKEND.kernel("MatMul")(_matmul)


def _sum(x, axes, keep_dims=False):
    return np.sum(x, axis=axes_of(axes), keepdims=keep_dims, dtype=x.dtype)


_sum.specialize = lambda keep_dims: (
    lambda x, axes: np.sum(x, axis=axes_of(axes), keepdims=keep_dims, dtype=x.dtype))
BACKEND.kernel("Sum")(_sum)


def _mean(x, axes, keep_dims=False):
    ax = axes_of(axes)
    x = np.asarray(x)
    if x.dtype.kind in "iu":
        s = np.sum(x, axis=ax, keepdims=keep_dims, dtype=np.int64)
        n = max(x.size // max(np.size(s), 1), 1) if x.size else 1
        q = np.abs(s) // n * np.sign(s)   # integer mean truncates towards zero, as TF's
        return np.asarray(q).astype(x.dtype)
    if x.dtype == np.float16:
        with np.errstate(all="ignore"):
            return np.mean(x, axis=ax, keepdims=keep_dims, dtype=np.float32).astype(np.float16)
    with np.errstate(all="ignore"):
        return np.mean(x, axis=ax, keepdims=keep_dims, dtype=x.dtype)


_mean.specialize = lambda keep_dims: (lambda x, axes: _mean(x, axes, keep_dims))
BACKEND.kernel("Mean")(_mean)


@BACKEND.kernel("AddN")
def add_n(*xs):
    out = np.add(xs[0], xs[1]) if len(xs) > 1 else np.array(xs[0])
    for x in xs[2:]:
        out = np.add(out, x)
    return out


def _add_n_spec(N):  # noqa: N803
    return add_n


add_n.specialize = _add_n_spec
