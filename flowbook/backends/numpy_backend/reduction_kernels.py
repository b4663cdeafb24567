"""Kernels for reductions, argmax/argmin and cumulative sums/products
(flowbook/ops/reduction_ops.py, scan_ops.py)."""

import numpy as np

from . import BACKEND
from ._util import axes_of, invalid, quiet


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
        return np.mean(x, axis=ax, keepdims=keep_dims, dtype=np.float32).astype(np.float16)
    return np.mean(x, axis=ax, keepdims=keep_dims, dtype=x.dtype)


_mean = quiet(_mean)   # the mean of nothing is NaN, and overflow gives inf, quietly
_mean.specialize = lambda keep_dims: (lambda x, axes: _mean(x, axes, keep_dims))
BACKEND.kernel("Mean")(_mean)


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _highest(dtype):
    return np.inf if dtype.kind == "f" else np.iinfo(dtype).max


def _extreme(fn, empty_value):
    """Max/Min: an empty reduction gives the identity (-inf / +inf, or the integer limits),
    as TF does, instead of NumPy's ValueError."""
    def spec(keep_dims=False):
        def k(x, axes):
            ax = axes_of(axes)
            if x.size == 0:
                return fn(x, axis=ax, keepdims=keep_dims, initial=empty_value(x.dtype))
            return fn(x, axis=ax, keepdims=keep_dims)
        return k

    def kernel(x, axes, keep_dims=False):
        return spec(keep_dims)(x, axes)
    kernel.specialize = spec
    return kernel


BACKEND.kernel("Max")(_extreme(np.max, _lowest))
BACKEND.kernel("Min")(_extreme(np.min, _highest))


def _prod_spec(keep_dims=False):
    return quiet(lambda x, axes: np.prod(x, axis=axes_of(axes), keepdims=keep_dims,
                                         dtype=x.dtype))


def _prod(x, axes, keep_dims=False):
    return _prod_spec(keep_dims)(x, axes)


_prod.specialize = _prod_spec
BACKEND.kernel("Prod")(_prod)


def _logical(fn):
    def spec(keep_dims=False):
        return lambda x, axes: np.asarray(fn(x, axis=axes_of(axes), keepdims=keep_dims))

    def kernel(x, axes, keep_dims=False):
        return spec(keep_dims)(x, axes)
    kernel.specialize = spec
    return kernel


BACKEND.kernel("Any")(_logical(np.any))
BACKEND.kernel("All")(_logical(np.all))


def _arg(fn, what):
    def spec(output_type):
        t = output_type.as_numpy_dtype

        def k(x, dimension):
            a = int(dimension)
            if not -x.ndim <= a < max(x.ndim, 1):
                raise invalid(f"Expected dimension in the range [{-x.ndim}, {x.ndim}), but got "
                              f"{a}.")
            if x.shape[a] == 0:
                raise invalid(f"Reduction axis {a} is empty in shape {list(x.shape)}: there "
                              f"is no {what} entry.")
            return np.asarray(fn(x, axis=a)).astype(t, copy=False)
        return k

    def kernel(x, dimension, output_type):
        return spec(output_type)(x, dimension)
    kernel.specialize = spec
    return kernel


BACKEND.kernel("ArgMax")(_arg(np.argmax, "largest"))
BACKEND.kernel("ArgMin")(_arg(np.argmin, "smallest"))


def _cumulative(ufunc, identity):
    """Cumsum/Cumprod along one axis; ``exclusive`` shifts in the identity, ``reverse`` runs
    from the end."""
    def spec(exclusive=False, reverse=False):
        def k(x, axis):
            x = np.asarray(x)
            a = int(axis)
            if not -x.ndim <= a < x.ndim:
                raise invalid(f"axis {a} is out of range for a tensor of rank {x.ndim} "
                              f"(shape {list(x.shape)}); it must be in [{-x.ndim}, {x.ndim}).")
            a %= x.ndim
            if reverse:
                x = np.flip(x, a)
            out = ufunc.accumulate(x, axis=a, dtype=x.dtype)
            if exclusive and x.shape[a]:
                shifted = np.empty_like(out)
                head = [slice(None)] * x.ndim
                head[a] = slice(0, 1)
                shifted[tuple(head)] = identity
                head[a] = slice(1, None)
                tail = [slice(None)] * x.ndim
                tail[a] = slice(0, -1)
                shifted[tuple(head)] = out[tuple(tail)]
                out = shifted
            return np.flip(out, a) if reverse else out
        return quiet(k)

    def kernel(x, axis, exclusive=False, reverse=False):
        return spec(exclusive, reverse)(x, axis)
    kernel.specialize = spec
    return kernel


BACKEND.kernel("Cumsum")(_cumulative(np.add, 0))
BACKEND.kernel("Cumprod")(_cumulative(np.multiply, 1))
