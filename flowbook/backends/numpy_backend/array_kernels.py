"""Kernels for creation, shape and slicing ops (flowbook/ops/array_ops.py, slicing.py)."""

import numpy as np

from ...errors import InvalidArgumentError
from ...ops.slicing import index_from_masks, _MASKS
from . import BACKEND
from ._util import const_input


@BACKEND.factory("Const", static=True)
def const(op, res):
    value = op._attrs["value"]
    return lambda: value


@BACKEND.factory("Placeholder")
def placeholder(op, res):
    def not_fed():
        raise InvalidArgumentError(
            None, op, f"You must feed a value for placeholder tensor '{op.name}' with dtype "
            f"{op._attrs['dtype'].name} and shape {op._attrs['shape']}")
    return not_fed


@BACKEND.kernel("Identity")
def identity(x):
    return x


@BACKEND.kernel("PlaceholderWithDefault")
def placeholder_with_default(x, shape):
    return x


@BACKEND.kernel("Fill")
def fill(dims, value):
    return np.full(tuple(dims.tolist()), value, dtype=value.dtype)


@BACKEND.kernel("ZerosLike")
def zeros_like(x):
    return np.zeros_like(x)


@BACKEND.kernel("OnesLike")
def ones_like(x):
    return np.ones_like(x)


def _shape(x, out_type):
    return np.array(np.shape(x), dtype=out_type.as_numpy_dtype)


_shape.specialize = lambda out_type: (
    lambda x, _t=out_type.as_numpy_dtype: np.array(np.shape(x), dtype=_t))
BACKEND.kernel("Shape")(_shape)


def _size(x, out_type):
    return np.array(np.size(x), dtype=out_type.as_numpy_dtype)


_size.specialize = lambda out_type: (
    lambda x, _t=out_type.as_numpy_dtype: np.array(np.size(x), dtype=_t))
BACKEND.kernel("Size")(_size)


@BACKEND.kernel("Rank")
def rank(x):
    return np.array(np.ndim(x), dtype=np.int32)


@BACKEND.kernel("Reshape")
def reshape(x, shape):
    try:
        return np.reshape(x, shape.tolist())
    except ValueError:
        raise InvalidArgumentError(
            None, None, f"Input to reshape is a tensor with {np.size(x)} values, but the "
            f"requested shape {shape.tolist()} has {int(np.prod(shape))}.") from None


def _pack(*values, axis, N):
    return np.stack(values, axis=axis)


_pack.specialize = lambda axis, N: (lambda *values: np.stack(values, axis=axis))
BACKEND.kernel("Pack")(_pack)


@BACKEND.kernel("Range")
def range_(start, limit, delta):
    if delta == 0:
        raise InvalidArgumentError(None, None, "Requires delta != 0")
    return np.arange(start, limit, delta, dtype=np.result_type(start))


@BACKEND.kernel("BroadcastTo")
def broadcast_to(x, shape):
    try:
        return np.broadcast_to(x, tuple(shape.tolist()))
    except ValueError:
        raise InvalidArgumentError(
            None, None, f"Cannot broadcast a tensor of shape {np.shape(x)} to "
            f"{shape.tolist()}") from None


@BACKEND.kernel("BroadcastGradientArgs")
def broadcast_gradient_args(s0, s1):
    n = max(len(s0), len(s1))
    a = [1] * (n - len(s0)) + s0.tolist()
    b = [1] * (n - len(s1)) + s1.tolist()
    r0 = [i for i in range(n) if a[i] == 1 and b[i] != 1]
    r1 = [i for i in range(n) if b[i] == 1 and a[i] != 1]
    return np.array(r0, dtype=np.int32), np.array(r1, dtype=np.int32)


@BACKEND.kernel("ReducedShape")
def reduced_shape(input_shape, axes):
    out = np.array(input_shape, dtype=np.int32)
    if out.size:
        out[np.asarray(axes).reshape(-1) % out.size] = 1
    return out


@BACKEND.factory("StridedSlice")
def strided_slice(op, res):
    attrs = {k: op._attrs[k] for k in _MASKS}
    vals = [const_input(op, i) for i in (1, 2, 3)]
    if all(v is not None for v in vals):
        idx = index_from_masks(*vals, attrs)
        return lambda x, b, e, s: _index(x, idx)
    return lambda x, b, e, s: _index(x, index_from_masks(b, e, s, attrs))


def _index(x, idx):
    try:
        return np.asarray(x)[idx]
    except IndexError as err:
        raise InvalidArgumentError(None, None, f"slice index out of bounds: {err} "
                                   f"(index {idx} of a tensor of shape {np.shape(x)})") from None


@BACKEND.factory("StridedSliceGrad")
def strided_slice_grad(op, res):
    attrs = {k: op._attrs[k] for k in _MASKS}

    def k(shape, b, e, s, dy):
        out = np.zeros(tuple(shape.tolist()), dtype=dy.dtype)
        out[index_from_masks(b, e, s, attrs)] = dy
        return out
    return k


@BACKEND.kernel("StopGradient")
def stop_gradient(x):
    return x
