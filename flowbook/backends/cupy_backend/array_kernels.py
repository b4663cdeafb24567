"""GPU kernels for creation, shape and slicing ops (flowbook/ops/array_ops.py, slicing.py).

Written against ``xp`` (CuPy in production, any module with NumPy's API in tests). Shapes,
axes and slice bounds are host-memory inputs (NumPy arrays), as in TF's GPU kernels; the shape
ops read only their input's shape and write their result to host memory.
"""

import numpy as np

from ...errors import InvalidArgumentError
from ...ops.slicing import index_from_masks, _MASKS
from ..numpy_backend import BACKEND as NUMPY


def register(B, xp):
    def const(op, res):
        value = op._attrs["value"]
        return lambda: xp.asarray(value)
    B.factory_for("Const", const, static=True)

    def placeholder(op, res):
        def not_fed():
            raise InvalidArgumentError(
                None, op, f"You must feed a value for placeholder tensor '{op.name}' with "
                f"dtype {op._attrs['dtype'].name} and shape {op._attrs['shape']}")
        return not_fed
    B.factory_for("Placeholder", placeholder)

    for t in ("Identity", "StopGradient"):
        B.kernel_for(t, _identity)
    B.kernel_for("PlaceholderWithDefault", lambda x, shape: x)

    B.kernel_for("Fill", lambda dims, value: xp.full(tuple(dims.tolist()), value,
                                                     dtype=value.dtype), host_inputs=(0,))
    B.kernel_for("ZerosLike", xp.zeros_like)
    B.kernel_for("OnesLike", xp.ones_like)

    # Shape, Size, Rank: read the input's shape only (no copy), answer in host memory.
    B.kernel_for("Shape", lambda x, out_type: np.array(x.shape, dtype=out_type.as_numpy_dtype),
                 any_inputs=(0,), host_outputs=(0,))
    B.kernel_for("Size", lambda x, out_type: np.array(x.size, dtype=out_type.as_numpy_dtype),
                 any_inputs=(0,), host_outputs=(0,))
    B.kernel_for("Rank", lambda x: np.array(x.ndim, dtype=np.int32), any_inputs=(0,),
                 host_outputs=(0,))

    def reshape(x, shape):
        want = shape.tolist()
        try:
            return xp.reshape(x, want)
        except ValueError:
            raise InvalidArgumentError(
                None, None, f"Input to reshape is a tensor with {x.size} values, but the "
                f"requested shape {want} has {int(np.prod(shape))}.") from None
    B.kernel_for("Reshape", reshape, host_inputs=(1,))

    B.kernel_for("Pack", lambda *values, axis, N: xp.stack(values, axis=axis))

    def range_(start, limit, delta):
        if delta == 0:
            raise InvalidArgumentError(None, None, "Requires delta != 0")
        t = np.result_type(start)
        return xp.arange(start.item(), limit.item(), delta.item(), dtype=t)
    B.kernel_for("Range", range_, host_inputs=(0, 1, 2))

    def broadcast_to(x, shape):
        want = tuple(shape.tolist())
        try:
            return xp.broadcast_to(x, want)
        except ValueError:
            raise InvalidArgumentError(
                None, None, f"Cannot broadcast a tensor of shape {x.shape} to "
                f"{list(want)}") from None
    B.kernel_for("BroadcastTo", broadcast_to, host_inputs=(1,))

    # Pure shape arithmetic: the NumPy kernels run on host memory (TF's HostMemory kernels).
    for t, n_in, n_out in (("BroadcastGradientArgs", 2, 2), ("ReducedShape", 2, 1)):
        B.kernel_for(t, NUMPY.kernels[t], how="host", host_inputs=range(n_in),
                     host_outputs=range(n_out))

    def strided_slice(op, res):
        attrs = {k: op._attrs[k] for k in _MASKS}

        def k(x, b, e, s):
            idx = index_from_masks(b, e, s, attrs)
            try:
                return x[idx]
            except IndexError as err:
                raise InvalidArgumentError(
                    None, None, f"slice index out of bounds: {err} (index {idx} of a tensor "
                    f"of shape {x.shape})") from None
        return k
    B.factory_for("StridedSlice", strided_slice, host_inputs=(1, 2, 3))

    def strided_slice_grad(op, res):
        attrs = {k: op._attrs[k] for k in _MASKS}

        def k(shape, b, e, s, dy):
            out = xp.zeros(tuple(shape.tolist()), dtype=dy.dtype)
            out[index_from_masks(b, e, s, attrs)] = dy
            return out
        return k
    B.factory_for("StridedSliceGrad", strided_slice_grad, host_inputs=(0, 1, 2, 3))

    B.kernel_for("NoOp", lambda: None)


def _identity(x):
    return x
