"""Joining and splitting along an axis: concat (ConcatV2), unstack (Unpack), split (Split and
SplitV). Each is the other's gradient: concat's gradient splits, split's concatenates."""

import numbers

from ..graph import dtypes as _dtypes
from ..graph.graph import name_scope
from ..graph.shape import Dimension, TensorShape, _UNKNOWN
from .convert import convert_to_tensor
from .registry import register_op, apply_op, apply_op1
from .shape_values import const_ints, const_int
from .manip_ops import check_int_input, norm_axis, unknown_of_rank, fmt_shape
from . import array_ops

__all__ = ["concat", "unstack", "split"]


# --- ConcatV2 --------------------------------------------------------------------------------
def _concat_infer(inputs, attrs):
    values, axis_t = inputs[:-1], inputs[-1]
    check_int_input(axis_t, "concat's axis")
    if axis_t._shape._dims not in (None, ()):
        raise ValueError(f"concat: axis must be a scalar, got shape {axis_t._shape}.")
    d = values[0]._dtype.base_dtype
    if any(v._dtype.base_dtype is not d for v in values):
        raise TypeError("concat: all values must have one dtype, got "
                        f"{[v._dtype.base_dtype.name for v in values]}; use tf.cast.")
    known = [(i, v._shape) for i, v in enumerate(values) if v._shape._dims is not None]
    if not known:
        return d, _UNKNOWN
    i0, s0 = known[0]
    rank = len(s0._dims)
    for i, s in known[1:]:
        if len(s._dims) != rank:
            raise ValueError(f"concat: all values must have the same rank, but values[{i0}] has "
                             f"shape {fmt_shape(s0)} and values[{i}] has shape {fmt_shape(s)}.")
    if rank == 0:
        raise ValueError("Can't concatenate scalars (use tf.stack instead).")
    a = const_int(axis_t)
    if a is None:
        return d, unknown_of_rank(rank)
    a = norm_axis(a, rank, "concat: axis")
    out = list(s0._dims)
    for i, s in known[1:]:
        for k, (x, y) in enumerate(zip(out, s._dims)):
            if k == a:
                continue
            if x is not None and y is not None and x != y:
                raise ValueError(
                    f"concat: the values must have the same shape except along axis {a}, but "
                    f"values[{i0}] has shape {fmt_shape(s0)} and values[{i}] has shape "
                    f"{fmt_shape(s)} "
                    f"(dimension {k}: {x} vs {y}).")
            if x is None:
                out[k] = y
    sizes = [v._shape._dims[a] if v._shape._dims is not None else None for v in values]
    out[a] = None if None in sizes else sum(sizes)
    return d, TensorShape._from_tuple(tuple(out))


def _concat_grad(op, g):
    values, axis = op._inputs[:-1], op._inputs[-1]
    if len(values) == 1:
        return g, None
    a = const_int(axis)
    sizes = None
    if a is not None:
        dims = [v._shape._dims for v in values]
        if all(dm is not None and dm[a] is not None for dm in dims):
            sizes = [dm[a] for dm in dims]
    if sizes is None:
        sizes = array_ops.stack([array_ops.shape(v)[axis] for v in values])
    parts = apply_op("SplitV", (g, sizes, axis), {"num_split": len(values)})._outputs
    return tuple(parts) + (None,)


register_op("ConcatV2", inputs=("values*", "axis"), input_types=("T", _dtypes.int32),
            infer=_concat_infer, grad=_concat_grad,
            doc="y = values[0], values[1], ... joined along axis (other dims equal)")


def concat(values, axis, name="concat"):
    """Joins tensors along dimension ``axis``; their other dimensions must match."""
    if isinstance(values, numbers.Integral) and isinstance(axis, (list, tuple)):
        raise ValueError(
            f"tf.concat(values, axis): got the integer {values} as values and a list as axis. "
            "Since TF 1.0 the tensors come first: write tf.concat([t1, t2, ...], axis).")
    if not isinstance(values, (list, tuple)):
        values = [values]
    values = list(values)
    if not values:
        raise ValueError("concat needs at least one value.")
    if len(values) == 1:   # TF returns an Identity (and checks that axis is a scalar)
        with name_scope(name):
            a = convert_to_tensor(axis, dtype=_dtypes.int32, name="concat_dim")
            if a.shape.ndims not in (None, 0):
                raise ValueError(f"concat: axis must be a scalar, got shape {a.shape}.")
            return array_ops.identity(values[0], name=name)
    return apply_op1("ConcatV2", [values, axis], {"N": len(values)}, name)


# --- Unpack ----------------------------------------------------------------------------------
def _unpack_infer(inputs, attrs):
    x = inputs[0]
    num, axis = attrs["num"], attrs["axis"]
    d = x._dtype.base_dtype
    xs = x._shape._dims
    if xs is None:
        return [(d, _UNKNOWN)] * num
    a = norm_axis(axis, len(xs), "unstack: axis")
    if xs[a] is not None and xs[a] != num:
        raise ValueError(f"unstack: num = {num} but dimension {a} of the input shape "
                         f"{x._shape} is {xs[a]}.")
    return [(d, TensorShape._from_tuple(xs[:a] + xs[a + 1:]))] * num


register_op("Unpack", inputs=("value",), infer=_unpack_infer,
            grad=lambda op, *gs: (array_ops.stack(list(gs), axis=op._attrs["axis"]),),
            doc="y_i = x[..., i, ...] along axis: num tensors of rank one less")


def unstack(value, num=None, axis=0, name="unstack"):
    """Splits ``value`` into the list of its slices along ``axis`` (TF's Unpack)."""
    value = convert_to_tensor(value)
    if num is None:
        dims = value.shape._dims
        if dims is None or not -len(dims) <= axis < len(dims) or dims[axis] is None:
            raise ValueError(f"Cannot infer argument `num` from shape {value.shape}: dimension "
                             f"{axis} is not known; pass num=.")
        num = dims[axis]
    return list(apply_op("Unpack", (value,), {"num": int(num), "axis": int(axis)},
                         name)._outputs)


# --- Split, SplitV ---------------------------------------------------------------------------
def _split_infer(inputs, attrs):
    axis_t, x = inputs
    check_int_input(axis_t, "split's axis")
    n = attrs["num_split"]
    d = x._dtype.base_dtype
    xs = x._shape._dims
    a = const_int(axis_t)
    if xs is None:
        return [(d, _UNKNOWN)] * n
    if a is None:
        return [(d, unknown_of_rank(len(xs)))] * n
    a = norm_axis(a, len(xs), "split: axis")
    size = xs[a]
    if size is not None and size % n:
        raise ValueError(f"split: dimension {a} of shape {x._shape} has size {size}, which is "
                         f"not divisible into {n} equal parts; pass a list of sizes instead.")
    part = xs[:a] + (None if size is None else size // n,) + xs[a + 1:]
    return [(d, TensorShape._from_tuple(part))] * n


def _split_grad(op, *gs):
    return None, concat(list(gs), op._inputs[0])


register_op("Split", inputs=("split_dim", "value"), input_types=(_dtypes.int32, "T"),
            infer=_split_infer, grad=_split_grad,
            doc="y_i = the i-th of num_split equal parts of x along split_dim")


def _resolve_sizes(sizes, dim, shape_text, a):
    """size_splits with its -1 filled in; ValueError if they cannot fit dimension ``dim``."""
    if sum(1 for s in sizes if s == -1) > 1:
        raise ValueError(f"split: size_splits {sizes} can only have one -1.")
    if any(s < -1 for s in sizes):
        raise ValueError(f"split: size_splits {sizes} must be >= 0 (or one -1 for the rest).")
    rest = sum(s for s in sizes if s != -1)
    if dim is None:
        return [None if s == -1 else s for s in sizes]
    if -1 in sizes:
        if rest > dim:
            raise ValueError(f"split: size_splits {sizes} add up to {rest}, more than "
                             f"dimension {a} of shape {shape_text} ({dim}).")
        return [dim - rest if s == -1 else s for s in sizes]
    if rest != dim:
        raise ValueError(f"split: size_splits {sizes} add up to {rest} but dimension {a} of "
                         f"shape {shape_text} has size {dim}; the sizes must add up to it.")
    return list(sizes)


def _split_v_infer(inputs, attrs):
    x, sizes_t, axis_t = inputs
    check_int_input(sizes_t, "split's size_splits")
    check_int_input(axis_t, "split's axis")
    n = attrs["num_split"]
    d = x._dtype.base_dtype
    xs = x._shape._dims
    sizes = const_ints(sizes_t)
    if sizes is not None and len(sizes) != n:
        raise ValueError(f"split: num = {n} but size_splits {sizes} has {len(sizes)} entries.")
    a = const_int(axis_t)
    if xs is None:
        return [(d, _UNKNOWN)] * n
    if a is None:
        return [(d, unknown_of_rank(len(xs)))] * n
    a = norm_axis(a, len(xs), "split: axis")
    if sizes is None:
        return [(d, TensorShape._from_tuple(xs[:a] + (None,) + xs[a + 1:]))] * n
    sizes = _resolve_sizes(sizes, xs[a], x._shape, a)
    return [(d, TensorShape._from_tuple(xs[:a] + (s,) + xs[a + 1:])) for s in sizes]


def _split_v_grad(op, *gs):
    return concat(list(gs), op._inputs[2]), None, None


register_op("SplitV", inputs=("value", "size_splits", "split_dim"),
            input_types=("T", "Tlen", _dtypes.int32), infer=_split_v_infer, grad=_split_v_grad,
            doc="y_i = the i-th part of x along split_dim, of size size_splits[i] (-1: the rest)")


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """Splits ``value`` along ``axis`` into ``num_or_size_splits`` equal parts, or into parts
    of the listed sizes (one size may be -1: what remains)."""
    if isinstance(num_or_size_splits, Dimension):       # tf.split(x, x.shape[0])
        num_or_size_splits = num_or_size_splits.value
    if isinstance(num_or_size_splits, numbers.Integral) and not isinstance(
            num_or_size_splits, bool):
        return list(apply_op("Split", (axis, value), {"num_split": int(num_or_size_splits)},
                             name)._outputs)
    size_splits = convert_to_tensor(num_or_size_splits)
    if size_splits.shape.ndims == 0:
        raise ValueError("Rank-0 tensors are not supported as the num_or_size_splits argument "
                         f"to split (got {num_or_size_splits!r}); pass an int or a list.")
    if num is None:
        num = size_splits.shape._dims[0] if size_splits.shape._dims else None
        if num is None:
            raise ValueError(f"Cannot infer num from shape {size_splits.shape}; pass num=.")
    return list(apply_op("SplitV", (value, size_splits, axis), {"num_split": int(num)},
                         name)._outputs)
