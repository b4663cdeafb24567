"""Tensor indexing (``x[1:, ..., None, i]``) as TF1's StridedSlice op, and its gradient."""

from ..graph import dtypes as _dtypes
from ..graph.graph import name_scope
from ..graph.shape import TensorShape, _UNKNOWN
from .registry import register_op, apply_op1
from .shape_fns import static_int_list

__all__ = ["strided_slice", "slice_helper", "index_from_masks"]

newaxis = None
_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


def index_from_masks(begin, end, strides, attrs):
    """The Python/NumPy index tuple that StridedSlice's (begin, end, strides, masks) encode."""
    bm, em, elm, nm, sm = (attrs[k] for k in _MASKS)
    out = []
    for i in range(len(begin)):
        bit = 1 << i
        if elm & bit:
            out.append(Ellipsis)
        elif nm & bit:
            out.append(None)
        elif sm & bit:
            out.append(_int(begin[i]))
        else:
            out.append(slice(None if bm & bit else _int(begin[i]),
                             None if em & bit else _int(end[i]), _int(strides[i])))
    return tuple(out)


def _int(v):
    return v if v is _U else int(v)


def _apply_index_to_dims(dims, index):
    """Static result dims of ``x[index]`` for dims with unknowns (None)."""
    n_real = sum(1 for s in index if s is not None and s is not Ellipsis)
    if Ellipsis in index:
        k = index.index(Ellipsis)
        fill = len(dims) - n_real
        if fill < 0:
            raise ValueError(f"Index {index} has more dimensions than the shape {list(dims)}.")
        index = index[:k] + (slice(None),) * fill + index[k + 1:]
    elif n_real < len(dims):
        index = index + (slice(None),) * (len(dims) - n_real)
    if sum(1 for s in index if s is not None) > len(dims):
        raise ValueError(f"Too many indices ({len(index)}) for a tensor of rank {len(dims)}.")
    out = []
    d = 0
    for s in index:
        if s is None:
            out.append(1)
            continue
        size = dims[d]
        d += 1
        if s is _U:
            continue
        if isinstance(s, int):
            if size is not None and not -size <= s < size:
                raise ValueError(f"Index {s} is out of bounds for a dimension of size {size}.")
            continue
        if s.step == 0:
            raise ValueError("Slice step cannot be zero.")
        if _U in (s.start, s.stop, s.step):
            full = s.start is None and s.stop is None and s.step is not _U
            out.append(len(range(*s.indices(size))) if full and size is not None else None)
            continue
        if size is None:   # x[1:3] has 1 or 0 elements when x turns out shorter than 3
            out.append(None)
        else:
            out.append(len(range(*s.indices(size))))
    return tuple(out)


class _Unknown:
    """A begin/end/stride value only known at run time."""

    def __repr__(self):
        return "?"


_U = _Unknown()


def _strided_slice_infer(inputs, attrs):
    x, b, e, s = inputs
    vals = [static_int_list(t) for t in (b, e, s)]
    n = b._shape._dims[0] if b._shape._dims else None
    if x._shape._dims is None or n is None and None in vals:
        return x._dtype.base_dtype, _UNKNOWN
    vals = [v if v is not None else [_U] * n for v in vals]
    index = index_from_masks(vals[0], vals[1], vals[2], attrs)
    return x._dtype.base_dtype, TensorShape._from_tuple(_apply_index_to_dims(x._shape._dims,
                                                                             index))


def _strided_slice_grad(op, g):
    x, b, e, s = op._inputs
    from . import array_ops
    return (apply_op1("StridedSliceGrad", (array_ops.shape(x), b, e, s, g),
                      {k: op._attrs[k] for k in _MASKS}), None, None, None)


register_op("StridedSlice", inputs=("input", "begin", "end", "strides"),
            input_types=("T", "Index", "Index", "Index"), infer=_strided_slice_infer,
            grad=_strided_slice_grad, doc="y = x[begin:end:strides] (NumPy basic indexing)")


def _ssg_infer(inputs, attrs):
    shape = inputs[0]
    v = static_int_list(shape)
    dy = inputs[4]
    if v is not None:
        return dy._dtype.base_dtype, TensorShape(v)
    return dy._dtype.base_dtype, _UNKNOWN


def _ssg_grad(op, g):
    shape, b, e, s, dy = op._inputs
    return None, None, None, None, apply_op1(
        "StridedSlice", (g, b, e, s), {k: op._attrs[k] for k in _MASKS})


register_op("StridedSliceGrad", inputs=("shape", "begin", "end", "strides", "dy"),
            input_types=("Index", "Index", "Index", "Index", "T"), infer=_ssg_infer,
            grad=_ssg_grad, doc="y = zeros(shape) with y[begin:end:strides] = dy")


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0, var=None, name=None):
    """TF's strided_slice: the general form behind ``tensor[...]``."""
    from . import array_ops
    if strides is None:
        strides = array_ops.ones_like(begin) if hasattr(begin, "_op") else [1] * len(begin)
    attrs = {"begin_mask": begin_mask, "end_mask": end_mask, "ellipsis_mask": ellipsis_mask,
             "new_axis_mask": new_axis_mask, "shrink_axis_mask": shrink_axis_mask}
    return apply_op1("StridedSlice", (input_, begin, end, strides), attrs, name)


def _is_int_like(s):
    import numpy as np
    return isinstance(s, (int, np.integer)) and not isinstance(s, bool)


def slice_helper(tensor, slice_spec, var=None):
    """``tensor[slice_spec]`` for ints, slices (with steps), Ellipsis, newaxis, int tensors."""
    from . import array_ops
    if not isinstance(slice_spec, tuple):
        slice_spec = (slice_spec,)
    begin, end, strides = [], [], []
    masks = dict.fromkeys(_MASKS, 0)
    for index, s in enumerate(slice_spec):
        bit = 1 << index
        if isinstance(s, slice):
            for part in (s.start, s.stop, s.step):
                if part is not None and not _is_int_like(part) and not _is_int_tensor(part):
                    raise TypeError(_bad_index(part))
            if s.start is not None:
                begin.append(s.start)
            else:
                begin.append(0)
                masks["begin_mask"] |= bit
            if s.stop is not None:
                end.append(s.stop)
            else:
                end.append(0)
                masks["end_mask"] |= bit
            strides.append(s.step if s.step is not None else 1)
        elif s is Ellipsis:
            begin.append(0), end.append(0), strides.append(1)
            masks["ellipsis_mask"] |= bit
        elif s is None:
            begin.append(0), end.append(0), strides.append(1)
            masks["new_axis_mask"] |= bit
        elif _is_int_like(s) or _is_int_tensor(s):
            begin.append(s)
            end.append(s + 1 if not hasattr(s, "_op") else s + 1)
            strides.append(1)
            masks["shrink_axis_mask"] |= bit
        else:
            raise TypeError(_bad_index(s))
    with name_scope(None, "strided_slice", [tensor] + [v for v in begin + end + strides
                                                       if hasattr(v, "_op")]) as scope:
        if begin:
            b = _pack(begin, "stack")
            e = _pack(end, "stack")
            st = _pack(strides, "stack")
        else:
            b = e = st = array_ops.constant([], dtype=_dtypes.int32, name="stack")
        return apply_op1("StridedSlice", (tensor, b, e, st), masks, scope)


def _pack(values, name):
    from . import array_ops
    if any(hasattr(v, "_op") for v in values):
        return array_ops.stack(values, name=name)
    return array_ops.constant([int(v) for v in values], dtype=_dtypes.int32, name=name)


def _is_int_tensor(s):
    return hasattr(s, "_op") and s.dtype.base_dtype in (_dtypes.int32, _dtypes.int64) and \
        s.shape.ndims in (0, None)


def _bad_index(s):
    return ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
            f"tf.int32/tf.int64 tensors are valid indices, got {s!r}")
