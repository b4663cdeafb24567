"""Casts: tf.cast, the legacy to_float/to_double/to_int32/to_int64, and saturate_cast.

Casting is the only way between dtypes (flowbook, like TF1, never promotes silently): floats
to integers truncate towards zero; saturate_cast clamps into the target's range first.
"""

import numpy as np

from ..graph import dtypes as _dtypes
from ..graph.graph import name_scope
from .convert import convert_to_tensor
from .registry import register_op, apply_op1
from . import array_ops

__all__ = ["cast", "to_float", "to_double", "to_int32", "to_int64", "saturate_cast"]


# --- Cast ------------------------------------------------------------------------------------
def _cast_infer(inputs, attrs):
    return attrs["DstT"], inputs[0]._shape


def _cast_grad(op, g):
    src = op._inputs[0]._dtype.base_dtype
    dst = op._attrs["DstT"]
    ok = (src.is_floating or src.is_complex) and (dst.is_floating or dst.is_complex)
    return (cast(g, src) if ok else None,)


register_op("Cast", inputs=("x",), infer=_cast_infer, grad=_cast_grad, elementwise=True,
            doc="y = x converted to DstT (floats to ints truncate towards zero)")


def cast(x, dtype, name=None):
    """``x`` converted to ``dtype``; returns ``x`` itself when it already has that dtype."""
    dtype = _dtypes.as_dtype(dtype).base_dtype
    x = convert_to_tensor(x) if not hasattr(x, "_op") else x
    if x.dtype.base_dtype is dtype:
        return x
    with name_scope(name, "Cast", [x]) as scope:
        return apply_op1("Cast", (x,), {"DstT": dtype}, scope)


def to_float(x, name="ToFloat"):
    """Legacy: ``cast(x, float32)``."""
    return cast(x, _dtypes.float32, name=name)


def to_double(x, name="ToDouble"):
    """Legacy: ``cast(x, float64)``."""
    return cast(x, _dtypes.float64, name=name)


def to_int32(x, name="ToInt32"):
    """Legacy: ``cast(x, int32)`` (floats truncate towards zero)."""
    return cast(x, _dtypes.int32, name=name)


def to_int64(x, name="ToInt64"):
    """Legacy: ``cast(x, int64)`` (floats truncate towards zero)."""
    return cast(x, _dtypes.int64, name=name)


def _bound(value, in_dtype):
    """``value`` (a limit of the target dtype) in ``in_dtype``, rounded inwards if inexact."""
    t = in_dtype.as_numpy_dtype
    v = np.asarray(value).astype(t)
    if in_dtype.is_floating and float(v) != value:
        v = np.nextafter(v, t(0))
    return v


def saturate_cast(value, dtype, name=None):
    """Casts ``value`` to ``dtype``, clamping it into the target's range first (no wrap-around:
    300.0 to uint8 gives 255, -5 to uint8 gives 0)."""
    with name_scope(name, "saturate_cast", [value]) as scope:
        value = convert_to_tensor(value, name="value")
        dtype = _dtypes.as_dtype(dtype).base_dtype
        src = value.dtype.base_dtype
        if src.is_complex and not dtype.is_complex:
            raise TypeError("saturate_cast from a complex dtype to a real one is not supported; "
                            "take tf.real or tf.abs first.")
        if not (src.is_bool or dtype.is_bool):
            if src.min < dtype.min:
                lo = array_ops.constant(_bound(dtype.min, src), name="min")
                value = apply_op1("Maximum", (value, lo))
            if src.max > dtype.max:
                hi = array_ops.constant(_bound(dtype.max, src), name="max")
                value = apply_op1("Minimum", (value, hi))
        return cast(value, dtype, name=scope)
