"""GPU kernels for arithmetic, cast, matmul and reduction ops (flowbook/ops/math_ops.py) that
are more than a ufunc (plain ufuncs are ported by ``elementwise``).

Written against ``xp``. Reduction axes are host-memory inputs. Value checks TF1 makes on the
CPU (integer division by zero, negative integer powers) cost one device sync here; they only
run for integer tensors.
"""

import numpy as np

from ...errors import InvalidArgumentError


def _axes(a):
    return int(a) if a.ndim == 0 else tuple(a.tolist())


def register(B, xp):
    def int_divisor_check(y):
        if y.dtype.kind in "iu" and not bool(xp.all(y)):
            raise InvalidArgumentError(None, None, "Integer division by zero")

    def floor_div(x, y):
        int_divisor_check(y)
        return xp.floor_divide(x, y)
    B.kernel_for("FloorDiv", floor_div)

    def floor_mod(x, y):
        int_divisor_check(y)
        return xp.mod(x, y)
    B.kernel_for("FloorMod", floor_mod)

    def pow_(x, y):
        if x.dtype.kind in "iu" and bool(xp.any(y < 0)):
            raise InvalidArgumentError(None, None,
                                       "Integers to negative integer powers are not allowed")
        return xp.power(x, y)
    B.kernel_for("Pow", pow_)

    def select(c, x, y):
        if c.ndim == 1 and x.ndim > 1:
            c = xp.reshape(c, (-1,) + (1,) * (x.ndim - 1))
        return xp.where(c, x, y)
    B.kernel_for("Select", select)

    def cast(x, DstT):  # noqa: N803 (TF's attr name)
        t = DstT.as_numpy_dtype
        if x.dtype.kind == "c" and np.dtype(t).kind != "c":
            x = xp.real(x)
        return x.astype(t)
    cast.specialize = lambda DstT: (lambda x: cast(x, DstT))  # noqa: N803
    B.kernel_for("Cast", cast)

    def matmul(a, b, transpose_a=False, transpose_b=False):
        return xp.matmul(a.T if transpose_a else a, b.T if transpose_b else b)

    def matmul_for(transpose_a, transpose_b):
        if not transpose_a and not transpose_b:
            return xp.matmul
        return lambda a, b: matmul(a, b, transpose_a, transpose_b)
    matmul.specialize = matmul_for
    B.kernel_for("MatMul", matmul)

    def sum_(x, axes, keep_dims=False):
        return xp.sum(x, axis=_axes(axes), keepdims=keep_dims, dtype=x.dtype)
    sum_.specialize = lambda keep_dims: (lambda x, axes: sum_(x, axes, keep_dims))
    B.kernel_for("Sum", sum_, host_inputs=(1,))

    def mean(x, axes, keep_dims=False):
        ax = _axes(axes)
        if x.dtype.kind in "iu":
            s = xp.sum(x, axis=ax, keepdims=keep_dims, dtype=np.int64)
            n = max(x.size // max(s.size, 1), 1) if x.size else 1
            q = xp.abs(s) // n * xp.sign(s)    # integer mean truncates towards zero, as TF's
            return q.astype(x.dtype)
        if x.dtype == np.float16:
            return xp.mean(x, axis=ax, keepdims=keep_dims, dtype=np.float32).astype(np.float16)
        return xp.mean(x, axis=ax, keepdims=keep_dims, dtype=x.dtype)
    mean.specialize = lambda keep_dims: (lambda x, axes: mean(x, axes, keep_dims))
    B.kernel_for("Mean", mean, host_inputs=(1,))

    def add_n(*xs):
        out = xp.add(xs[0], xs[1]) if len(xs) > 1 else xs[0].copy()
        for x in xs[2:]:
            out = xp.add(out, x)
        return out
    add_n.specialize = lambda N: add_n  # noqa: N803
    B.kernel_for("AddN", add_n)
