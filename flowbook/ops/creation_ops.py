"""Tensors made from a few numbers: linspace (LinSpace), one_hot (OneHot), sequence_mask."""

from ..graph import dtypes as _dtypes
from ..graph.graph import name_scope
from ..graph.shape import TensorShape, _UNKNOWN
from .convert import convert_to_tensor, to_ndarray
from .registry import register_op, apply_op1
from .shape_values import const_int
from .manip_ops import expand_dims
from . import array_ops, math_ops

__all__ = ["linspace", "lin_space", "one_hot", "sequence_mask"]


# --- LinSpace --------------------------------------------------------------------------------
def _scalar(t, what):
    if t._shape._dims not in (None, ()):
        raise ValueError(f"{what} must be a scalar, got shape {t._shape}.")


def _lin_space_infer(inputs, attrs):
    start, stop, num = inputs
    d = start._dtype.base_dtype
    if stop._dtype.base_dtype is not d:
        raise TypeError(f"linspace: start ({d.name}) and stop "
                        f"({stop._dtype.base_dtype.name}) must have one dtype.")
    if not d.is_floating:
        raise TypeError(f"linspace needs floating start and stop, got {d.name}; write them "
                        "as floats (0. rather than 0) or tf.cast them.")
    if num._dtype.base_dtype not in (_dtypes.int32, _dtypes.int64):
        raise TypeError(f"linspace: num must be an integer, got {num._dtype.base_dtype.name}.")
    for t, what in ((start, "linspace's start"), (stop, "linspace's stop"),
                    (num, "linspace's num")):
        _scalar(t, what)
    n = const_int(num)
    if n is not None and n <= 0:
        raise ValueError(f"linspace: num must be > 0, got {n}.")
    return d, TensorShape([n])


register_op("LinSpace", inputs=("start", "stop", "num"), input_types=("T", "T", _dtypes.int32),
            infer=_lin_space_infer, not_differentiable="TF1 registers no gradient for LinSpace",
            doc="y[i] = start + i * (stop - start) / (num - 1), i = 0..num-1")


def linspace(start, stop, num, name=None):
    """``num`` evenly spaced values from ``start`` to ``stop`` (both included)."""
    return apply_op1("LinSpace", (start, stop, num), None, name)


lin_space = linspace


# --- OneHot ----------------------------------------------------------------------------------
def _one_hot_infer(inputs, attrs):
    indices, depth, on, off = inputs
    it = indices._dtype.base_dtype
    if it not in (_dtypes.uint8, _dtypes.int8, _dtypes.int32, _dtypes.int64):
        raise TypeError(f"one_hot: indices must be integers (uint8, int8, int32, int64), got "
                        f"{it.name}; use tf.cast.")
    d = on._dtype.base_dtype
    if off._dtype.base_dtype is not d:
        raise TypeError(f"one_hot: on_value ({d.name}) and off_value "
                        f"({off._dtype.base_dtype.name}) must have one dtype.")
    _scalar(depth, "one_hot's depth")
    _scalar(on, "one_hot's on_value")
    _scalar(off, "one_hot's off_value")
    n = const_int(depth)
    if n is not None and n < 0:
        raise ValueError(f"one_hot: depth must be non-negative, got {n}.")
    axis = attrs["axis"]
    ids = indices._shape._dims
    if axis < -1:
        raise ValueError(f"one_hot: axis must be >= -1, got {axis}.")
    if ids is None:
        return d, _UNKNOWN
    if axis > len(ids):
        raise ValueError(f"one_hot: axis {axis} is out of range for indices of shape "
                         f"{indices._shape} (at most {len(ids)}, or -1 for the last).")
    a = len(ids) if axis == -1 else axis
    return d, TensorShape._from_tuple(ids[:a] + (n,) + ids[a:])


register_op("OneHot", inputs=("indices", "depth", "on_value", "off_value"),
            input_types=("TI", _dtypes.int32, "T", "T"), infer=_one_hot_infer,
            not_differentiable="TF1 registers no gradient for OneHot",
            doc="y[..., j, ...] = on_value if indices[...] == j else off_value (j along axis)")


def _dtype_of(value):
    if hasattr(value, "_op"):
        return value.dtype.base_dtype
    return _dtypes.from_numpy(to_ndarray(value).dtype)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """A one-hot encoding of ``indices``: a new dimension of size ``depth`` (last by default)
    holding ``on_value`` (1) at each index and ``off_value`` (0) elsewhere; indices outside
    [0, depth) give a row of off_value. The dtype comes from ``dtype``, else from the on/off
    values, else float32 (TF's rules)."""
    with name_scope(name, "one_hot", [indices, depth, on_value, off_value]) as scope:
        on_dtype = _dtype_of(on_value) if on_value is not None else None
        off_dtype = _dtype_of(off_value) if off_value is not None else None
        if dtype is not None:
            dtype = _dtypes.as_dtype(dtype).base_dtype
            for v, vd, what in ((on_value, on_dtype, "on_value"),
                                (off_value, off_dtype, "off_value")):
                if v is not None and vd is not dtype:
                    raise TypeError(f"dtype {vd.name} of {what} does not match dtype parameter "
                                    f"{dtype.name}")
        else:
            dtype = on_dtype or off_dtype or _dtypes.float32
        if on_dtype and off_dtype and on_dtype is not off_dtype:
            raise TypeError(f"dtype {on_dtype.name} of on_value does not match dtype "
                            f"{off_dtype.name} of off_value")
        on = convert_to_tensor(1 if on_value is None else on_value, dtype, name="on_value")
        off = convert_to_tensor(0 if off_value is None else off_value, dtype, name="off_value")
        indices = convert_to_tensor(indices, name="indices")
        return apply_op1("OneHot", (indices, depth, on, off),
                         {"axis": -1 if axis is None else int(axis)}, scope)


# --- sequence_mask (composite, as TF builds it) ----------------------------------------------
def sequence_mask(lengths, maxlen=None, dtype=_dtypes.bool, name=None):
    """mask[i..., j] = j < lengths[i...] for j in [0, maxlen) (maxlen: max of lengths)."""
    with name_scope(name, "SequenceMask", [lengths, maxlen]):
        lengths = convert_to_tensor(lengths)
        if maxlen is None:
            maxlen = math_ops.reduce_max(lengths, list(range(lengths.shape.ndims))
                                         if lengths.shape.ndims is not None else None)
            maxlen = math_ops.maximum(array_ops.constant(0, maxlen.dtype), maxlen)
        else:
            maxlen = convert_to_tensor(maxlen)
        if maxlen.shape.ndims not in (None, 0):
            raise ValueError("maxlen must be scalar for sequence_mask")
        zero = array_ops.constant(0, maxlen.dtype)
        row = apply_op1("Range", (zero, maxlen, array_ops.constant(1, maxlen.dtype)))
        matrix = apply_op1("Cast", (expand_dims(lengths, -1),), {"DstT": maxlen.dtype.base_dtype})
        result = math_ops.less(row, matrix)
        dtype = _dtypes.as_dtype(dtype).base_dtype
        return result if dtype is _dtypes.bool else math_ops.cast(result, dtype)
