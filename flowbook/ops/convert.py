"""Turning Python and NumPy values into tensors, with TF1's dtype inference rules.

A Python float becomes float32, an int int32 (int64 if it does not fit), a bool bool, a string
tf.string; a NumPy array keeps its dtype. Values convert to a requested dtype only when that
loses nothing TF1 would refuse (2.0 to int32 is a TypeError, as in TF1).
"""

import numbers

import numpy as np

from ..graph import dtypes as _dtypes
from ..graph.operation import Tensor, Operation
from ..graph.shape import Dimension, TensorShape

__all__ = ["convert_to_tensor", "register_tensor_conversion_function", "to_ndarray",
           "is_tensor_like"]

_CONVERSIONS = []   # (type, fn(value, dtype, name, as_ref) -> Tensor)
_I32 = np.iinfo(np.int32)


def register_tensor_conversion_function(base_type, conversion_func, priority=100):
    """Lets objects of ``base_type`` be used wherever a Tensor is expected (e.g. Variable)."""
    _CONVERSIONS.append((priority, base_type, conversion_func))
    _CONVERSIONS.sort(key=lambda e: e[0])


def is_tensor_like(value):
    if isinstance(value, Tensor):
        return True
    return any(isinstance(value, t) for _, t, _ in _CONVERSIONS)


def _leaf_types(value, out):
    if isinstance(value, (list, tuple)):
        for v in value:
            _leaf_types(v, out)
    else:
        out.add(type(value))


def _check_compatible(value, dtype):
    """TF's _AssertCompatible: Python leaves must suit the requested dtype."""
    if isinstance(value, (list, tuple)):
        for v in value:
            _check_compatible(v, dtype)
        return
    if isinstance(value, (np.ndarray, np.generic)) or value is None:
        return
    ok = True
    if dtype.is_bool:
        ok = isinstance(value, (bool, np.bool_))
    elif dtype.is_integer:
        ok = isinstance(value, numbers.Integral)
    elif dtype.is_floating:
        ok = isinstance(value, numbers.Real)
    elif dtype.is_complex:
        ok = isinstance(value, numbers.Number)
    elif dtype.base_dtype is _dtypes.string:
        ok = isinstance(value, (str, bytes))
    if not ok:
        raise TypeError(
            f"Expected {dtype.base_dtype.name}, but got {value!r} of type "
            f"'{type(value).__name__}'.")


def to_ndarray(value, dtype=None):
    """The NumPy array a constant of ``value`` holds (dtype: a DType, or None to infer)."""
    if dtype is not None:
        dtype = _dtypes.as_dtype(dtype).base_dtype
    if isinstance(value, (Tensor, Operation)):
        raise TypeError(f"Expected a Python or NumPy value, got the symbolic {value}.")
    if isinstance(value, (Dimension, list, tuple)):
        value = _dimensions_as_ints(value)
    if isinstance(value, (np.ndarray, np.generic)):
        if dtype is None:
            arr = np.asarray(value)
            if arr.dtype.kind in "OSU":
                return _strings(arr)
            return arr
        if dtype is _dtypes.string:
            return _strings(np.asarray(value))
        return np.asarray(value).astype(dtype.as_numpy_dtype, copy=False)
    if dtype is not None:
        _check_compatible(value, dtype)
        if dtype is _dtypes.string:
            return _strings(np.asarray(value, dtype=object))
        if dtype.is_integer:
            arr = np.asarray(value)
            if arr.dtype.kind in "iu" and arr.size and (
                    arr.max() > np.iinfo(dtype.as_numpy_dtype).max or
                    arr.min() < np.iinfo(dtype.as_numpy_dtype).min):
                raise ValueError(
                    f"Value {value!r} does not fit in {dtype.name}; use a larger integer type "
                    "(e.g. tf.int64).")
        try:
            return np.asarray(value, dtype=dtype.as_numpy_dtype)
        except (ValueError, TypeError) as e:
            raise ValueError(f"Cannot convert {value!r} to a {dtype.name} tensor: {e}") from None
    # Inference from Python values.
    if isinstance(value, bool):
        return np.asarray(value)
    if isinstance(value, numbers.Integral):
        if _I32.min <= value <= _I32.max:
            return np.asarray(value, dtype=np.int32)
        return np.asarray(value, dtype=np.int64)
    if isinstance(value, float):
        return np.asarray(value, dtype=np.float32)
    if isinstance(value, complex):
        return np.asarray(value, dtype=np.complex128)
    if isinstance(value, (str, bytes)):
        return _strings(np.asarray(value, dtype=object))
    if value is None:
        raise ValueError("None values not supported: a tensor needs a value.")
    try:
        arr = np.array(value)
    except ValueError as e:
        raise ValueError(
            f"Cannot make a tensor of {value!r}: {e} (rows of a nested list must all have the "
            "same length).") from None
    if arr.dtype == object:
        leaves = set()
        _leaf_types(value, leaves)
        if leaves and all(issubclass(t, (str, bytes)) for t in leaves):
            return _strings(arr)
        raise TypeError(f"Cannot make a tensor of {value!r}: values of types "
                        f"{sorted(t.__name__ for t in leaves)} do not form a numeric array.")
    kind = arr.dtype.kind
    if kind == "f" and arr.dtype == np.float64:
        leaves = set()
        _leaf_types(value, leaves)
        if not any(issubclass(t, np.float64) for t in leaves):
            arr = arr.astype(np.float32)
    elif kind == "i" and arr.dtype == np.int64:
        leaves = set()
        _leaf_types(value, leaves)
        if not any(issubclass(t, np.integer) for t in leaves) and (
                arr.size == 0 or (_I32.min <= arr.min() and arr.max() <= _I32.max)):
            arr = arr.astype(np.int32)
    elif kind in "SU":
        return _strings(arr)
    if arr.size == 0 and arr.dtype == np.float64:
        arr = arr.astype(np.float32)
    return arr


def _dimensions_as_ints(value):
    """TF1 code writes shapes as ``[-1, x.shape[1]]``: Dimension entries become their ints."""
    if isinstance(value, Dimension):
        if value.value is None:
            raise ValueError("Cannot convert an unknown Dimension to a Tensor: the size is only "
                             "known at run time; use tf.shape(x)[i] instead.")
        return value.value
    if any(isinstance(v, (Dimension, list, tuple)) for v in value):
        return [_dimensions_as_ints(v) if isinstance(v, (Dimension, list, tuple)) else v
                for v in value]
    return value


def _strings(arr):
    out = np.empty(arr.shape, dtype=object)
    flat = arr.reshape(-1)
    o = out.reshape(-1)
    for i, v in enumerate(flat):
        o[i] = v.encode() if isinstance(v, str) else bytes(v)
    return out


def convert_to_tensor(value, dtype=None, name=None, preferred_dtype=None, dtype_hint=None,
                      as_ref=False, _arg_of=None):
    """Returns ``value`` as a Tensor: tensors pass through, values become Const ops."""
    if dtype is not None:
        dtype = _dtypes.as_dtype(dtype)
    if isinstance(value, Tensor):
        if dtype is not None and value._dtype.base_dtype is not dtype.base_dtype:
            if _arg_of is not None:
                raise TypeError(
                    f"Input '{_arg_of[1]}' of '{_arg_of[0]}' Op has type "
                    f"{value._dtype.base_dtype.name} that does not match type {dtype.name} of "
                    "the other input(s). Cast one side with tf.cast so both dtypes agree.")
            raise ValueError(
                f"Tensor conversion requested dtype {dtype.name} for Tensor with dtype "
                f"{value._dtype.name}: {value!r}")
        return value
    for _, base, fn in _CONVERSIONS:
        if isinstance(value, base):
            t = fn(value, dtype=dtype, name=name, as_ref=as_ref)
            return convert_to_tensor(t, dtype=dtype, name=name, _arg_of=_arg_of)
    if isinstance(value, Operation):
        raise TypeError(
            f"Can't convert Operation '{value.name}' to Tensor (target dtype={dtype}, "
            f"name={name}): an op has no value; use one of its outputs (op.outputs[0]).")
    if isinstance(value, (list, tuple)) and _contains_tensor(value):
        from .array_ops import stack
        return stack(value, name=name or "packed")
    hint = preferred_dtype if preferred_dtype is not None else dtype_hint
    if dtype is None and hint is not None:
        try:
            arr = to_ndarray(value, _dtypes.as_dtype(hint))
        except (TypeError, ValueError):
            arr = to_ndarray(value)
    else:
        try:
            arr = to_ndarray(value, dtype)
        except TypeError as e:
            if _arg_of is not None:
                raise TypeError(
                    f"Expected {dtype.name} passed to parameter '{_arg_of[1]}' of op "
                    f"'{_arg_of[0]}', got {value!r} of type '{type(value).__name__}' instead. "
                    f"Error: {e}") from None
            raise
    from .array_ops import _const_from_array
    return _const_from_array(arr, name if name is not None else "Const")


def _contains_tensor(value):
    for v in value:
        if is_tensor_like(v):
            return True
        if isinstance(v, (list, tuple)) and _contains_tensor(v):
            return True
    return False


def shape_from_value(shape):
    """A TensorShape from a shape argument (list, tuple, TensorShape, or None)."""
    return TensorShape(shape)
