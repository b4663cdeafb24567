"""Kernels for arithmetic, casts, matmul and AddN (flowbook/ops/math_ops.py, cast_ops.py)."""

import numpy as np

from ...errors import InvalidArgumentError
from . import BACKEND
from ._util import broadcasting, quiet

# Add/Sub/Mul stay unguarded (they warn only on inf - inf or overflow): even quiet() adds
# ~70% to these, the most frequent ops, on small arrays.
for _t, _f in (("Add", np.add), ("Sub", np.subtract), ("Mul", np.multiply)):
    BACKEND.kernel(_t)(broadcasting(_f))

for _t, _f in (("Neg", np.negative), ("Sign", np.sign), ("Abs", np.abs)):
    BACKEND.kernel(_t)(_f)

BACKEND.kernel("RealDiv")(quiet(broadcasting(np.true_divide)))


def floor_div(x, y):
    if y.dtype.kind in "iu" and not np.all(y):
        raise InvalidArgumentError(None, None, "Integer division by zero")
    return np.floor_divide(x, y)


def floor_mod(x, y):
    if y.dtype.kind in "iu" and not np.all(y):
        raise InvalidArgumentError(None, None, "Integer division by zero")
    return np.mod(x, y)


def pow_(x, y):
    if x.dtype.kind in "iu" and np.any(y < 0):
        raise InvalidArgumentError(None, None,
                                   "Integers to negative integer powers are not allowed")
    return np.power(x, y)


for _t, _f in (("FloorDiv", floor_div), ("FloorMod", floor_mod), ("Pow", pow_)):
    BACKEND.kernel(_t)(quiet(broadcasting(_f)))


def _cast(x, DstT):  # noqa: N803 (TF's attr name)
    return _caster(DstT)(x)


def _caster(DstT):  # noqa: N803
    t = DstT.as_numpy_dtype

    def cast(x):
        if np.iscomplexobj(x) and not np.issubdtype(t, np.complexfloating):
            x = np.real(x)
        return np.asarray(x).astype(t)
    return quiet(cast)   # NaN or out-of-range floats to ints: no warning, as TF


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


@BACKEND.kernel("AddN")
def add_n(*xs):
    out = np.add(xs[0], xs[1]) if len(xs) > 1 else np.array(xs[0])
    for x in xs[2:]:
        out = np.add(out, x)
    return out


def _add_n_spec(N):  # noqa: N803
    return add_n


add_n.specialize = _add_n_spec
