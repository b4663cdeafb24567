"""GPU kernels for reductions, splits, padding, gather and one_hot (flowbook/ops/reduction_ops,
scan_ops, join_ops, manip_ops, gather_ops, creation_ops), written against ``xp``. Axes,
counts, paddings and depths are host-memory inputs; error messages match the CPU kernels'."""

import numpy as np

from ...errors import InvalidArgumentError


def _invalid(msg):
    return InvalidArgumentError(None, None, msg)


def _axis(a, rank, what):
    a = int(a)
    if not -rank <= a < rank:
        raise _invalid(f"{what}: axis {a} is out of range for tensors of rank {rank}.")
    return a % rank


def _axes(a):
    return int(a) if a.ndim == 0 else tuple(a.tolist())


def register(B, xp):
    def logical(fn):
        def k(x, axes, keep_dims=False):
            return fn(x, axis=_axes(axes), keepdims=keep_dims)
        return k
    B.kernel_for("Any", logical(xp.any), host_inputs=(1,))
    B.kernel_for("All", logical(xp.all), host_inputs=(1,))

    def arg(fn, what):
        def k(x, dimension, output_type):
            a = int(dimension)
            if not -x.ndim <= a < max(x.ndim, 1):
                raise _invalid(f"Expected dimension in the range [{-x.ndim}, {x.ndim}), but "
                               f"got {a}.")
            if x.shape[a] == 0:
                raise _invalid(f"Reduction axis {a} is empty in shape {list(x.shape)}: there "
                               f"is no {what} entry.")
            return fn(x, axis=a).astype(output_type.as_numpy_dtype)
        return k
    B.kernel_for("ArgMax", arg(xp.argmax, "largest"), host_inputs=(1,))
    B.kernel_for("ArgMin", arg(xp.argmin, "smallest"), host_inputs=(1,))

    def cumulative(fn, identity):
        def k(x, axis, exclusive=False, reverse=False):
            a = int(axis)
            if not -x.ndim <= a < x.ndim:
                raise _invalid(f"axis {a} is out of range for a tensor of rank {x.ndim} (shape "
                               f"{list(x.shape)}); it must be in [{-x.ndim}, {x.ndim}).")
            a %= x.ndim
            if reverse:
                x = xp.flip(x, a)
            out = fn(x, axis=a, dtype=x.dtype)
            if exclusive and x.shape[a]:
                pad = [(0, 0)] * x.ndim
                pad[a] = (1, 0)
                head = [slice(None)] * x.ndim
                head[a] = slice(0, -1)
                out = xp.pad(out[tuple(head)], pad, constant_values=identity)
            return xp.flip(out, a) if reverse else out
        return k
    B.kernel_for("Cumsum", cumulative(xp.cumsum, 0), host_inputs=(1,))
    B.kernel_for("Cumprod", cumulative(xp.cumprod, 1), host_inputs=(1,))

    def squeeze(x, squeeze_dims):
        axes = tuple(squeeze_dims)
        if not axes:
            return xp.squeeze(x)
        for a in axes:
            if not -x.ndim <= a < x.ndim or x.shape[a] != 1:
                raise _invalid(f"Can not squeeze dim[{a}], expected a dimension of 1, got "
                               f"shape {list(x.shape)}.")
        return xp.squeeze(x, axis=axes)
    B.kernel_for("Squeeze", squeeze)

    def unpack(x, num, axis):
        a = _axis(axis, x.ndim, "unstack")
        if x.shape[a] != num:
            raise _invalid(f"unstack: num = {num} but dimension {a} of the input shape "
                           f"{list(x.shape)} is {x.shape[a]}.")
        moved = xp.moveaxis(x, a, 0)
        return tuple(moved[i] for i in range(num))
    B.kernel_for("Unpack", unpack)

    def split(axis, x, num_split):
        a = _axis(axis, x.ndim, "split")
        if x.shape[a] % num_split:
            raise _invalid(f"split: dimension {a} of shape {list(x.shape)} has size "
                           f"{x.shape[a]}, which is not divisible into {num_split} equal parts.")
        return tuple(xp.split(x, num_split, axis=a))
    B.kernel_for("Split", split, host_inputs=(0,))

    def split_v(x, size_splits, axis, num_split):
        a = _axis(axis, x.ndim, "split")
        sizes = size_splits.tolist()
        dim = x.shape[a]
        rest = sum(s for s in sizes if s != -1)
        if len(sizes) != num_split or sizes.count(-1) > 1 or any(s < -1 for s in sizes) or (
                rest != dim if -1 not in sizes else rest > dim):
            raise _invalid(f"split: size_splits {sizes} do not fit dimension {a} of shape "
                           f"{list(x.shape)} (size {dim}): they must add up to it, with at "
                           "most one -1 standing for the rest.")
        sizes = [dim - rest if s == -1 else s for s in sizes]
        return tuple(xp.split(x, np.cumsum(sizes)[:-1].tolist(), axis=a))
    B.kernel_for("SplitV", split_v, host_inputs=(1, 2))

    def div_no_nan(x, y):
        safe = xp.where(y == 0, xp.ones((), y.dtype), y)
        out = xp.true_divide(x, safe)
        return xp.where(y == 0, xp.zeros((), out.dtype), out)
    B.kernel_for("DivNoNan", div_no_nan)

    def constant_pad(x, paddings, value):
        p = paddings
        if p.shape != (x.ndim, 2) or p.size and p.min() < 0:
            raise _invalid(f"paddings must be a [rank, 2] array of non-negative sizes for a "
                           f"tensor of shape {list(x.shape)}, got {p.tolist()}.")
        p = p.tolist()
        shape = tuple(n + b + a for n, (b, a) in zip(x.shape, p))
        out = xp.full(shape, value, dtype=x.dtype)
        out[tuple(slice(b, b + n) for n, (b, _) in zip(x.shape, p))] = x
        return out
    B.kernel_for("Pad", lambda x, paddings: constant_pad(x, paddings, 0), host_inputs=(1,))
    B.kernel_for("PadV2", constant_pad, host_inputs=(1,))

    def gather(params, indices, axis, batch_dims=0):
        if params.ndim == 0:
            raise _invalid("gather: params must be at least 1-D, got a scalar.")
        a = int(axis)
        if not -params.ndim <= a < params.ndim:
            raise _invalid(f"gather: axis {a} is out of range for params of shape "
                           f"{list(params.shape)}.")
        n = params.shape[a]
        if indices.size and bool(((indices < 0) | (indices >= n)).any()):
            bad = int(indices[(indices < 0) | (indices >= n)][0])
            raise _invalid(f"gather: index {bad} is not in [0, {n}) (dimension "
                           f"{a % params.ndim} of params of shape {list(params.shape)}).")
        return xp.take(params, indices, axis=a)
    B.kernel_for("GatherV2", gather, host_inputs=(2,))

    def one_hot(indices, depth, on_value, off_value, axis):
        d = int(depth)
        if d < 0:
            raise _invalid(f"one_hot: depth must be non-negative, got {d}.")
        hot = indices[..., None] == xp.arange(d, dtype=indices.dtype)
        out = xp.where(hot, on_value, off_value)
        return out if axis == -1 else xp.moveaxis(out, -1, axis)
    B.kernel_for("OneHot", one_hot, host_inputs=(1,))
