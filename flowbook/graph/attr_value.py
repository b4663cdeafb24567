"""Attribute values ⇄ TF's AttrValue / TensorProto / TensorShapeProto, as plain dicts.

The dicts follow protobuf's JSON mapping of TF's messages (field names as in the .proto files,
bytes as base64, enums by name), so ``json_format.ParseDict`` turns them into real TF protos
for TensorBoard and Netron, and ``json.dumps`` stores them without any protobuf library.

flowbook attributes are Python values: bool, int, float, str, bytes, DType, TensorShape, NumPy
arrays, and lists of one of these. Those map onto AttrValue directly. A value AttrValue cannot
say exactly (bytes vs str, a tuple, None, nested or mixed lists) is stored as JSON text in the
``s`` field, and the node's ``_flowbook_py`` attribute records how to read it back — so every
attribute round-trips exactly. Everything here is data: no pickle, no eval.
"""

import base64
import json
import math

import numpy as np

from . import dtypes as _dtypes
from .shape import TensorShape

__all__ = ["encode_attr", "decode_attr", "encode_tensor", "decode_tensor", "encode_shape",
           "decode_shape", "dtype_enum_name", "dtype_from_enum_name"]

_ENUM_NAMES = {1: "DT_FLOAT", 2: "DT_DOUBLE", 3: "DT_INT32", 4: "DT_UINT8", 5: "DT_INT16",
               6: "DT_INT8", 7: "DT_STRING", 8: "DT_COMPLEX64", 9: "DT_INT64", 10: "DT_BOOL",
               17: "DT_UINT16", 18: "DT_COMPLEX128", 19: "DT_HALF", 22: "DT_UINT32",
               23: "DT_UINT64"}
_BY_ENUM_NAME = {v: k for k, v in _ENUM_NAMES.items()}
_BY_ENUM_NAME.update({v + "_REF": k + 100 for k, v in _ENUM_NAMES.items()})


def dtype_enum_name(dtype):
    """tf.float32 → "DT_FLOAT", tf.float32_ref → "DT_FLOAT_REF"."""
    name = _ENUM_NAMES[dtype.base_dtype.as_datatype_enum]
    return name + "_REF" if dtype.is_ref_dtype else name


def dtype_from_enum_name(name):
    if isinstance(name, int):
        return _dtypes.as_dtype(name)
    try:
        return _dtypes.as_dtype(_BY_ENUM_NAME[name])
    except KeyError:
        raise ValueError(f"flowbook has no dtype for TF's {name}.") from None


def _b64(b):
    return base64.b64encode(b).decode("ascii")


def _unb64(s):
    return base64.b64decode(s)


def _float(x):
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


# --- shapes ----------------------------------------------------------------------------------
def encode_shape(shape):
    shape = shape if isinstance(shape, TensorShape) else TensorShape(shape)
    if shape.ndims is None:
        return {"unknown_rank": True}
    dims = [{"size": -1 if d is None else int(d)} for d in shape.as_list()]
    return {"dim": dims} if dims else {}


def decode_shape(d):
    if d.get("unknown_rank"):
        return TensorShape(None)
    dims = [int(x.get("size", 0)) for x in d.get("dim", [])]
    return TensorShape([None if s < 0 else s for s in dims])


# --- tensors ---------------------------------------------------------------------------------
def encode_tensor(arr):
    """A NumPy array as a TensorProto dict (raw little-endian tensor_content, or string_val)."""
    arr = np.asarray(arr)
    dtype = _dtypes.as_dtype(arr.dtype)
    out = {"dtype": dtype_enum_name(dtype), "tensor_shape": encode_shape(list(arr.shape))}
    if dtype is _dtypes.string:
        out["string_val"] = [_b64(x.encode() if isinstance(x, str) else bytes(x))
                             for x in arr.reshape(-1)]
    elif arr.size:
        le = arr.astype(arr.dtype.newbyteorder("<"), copy=False)
        out["tensor_content"] = _b64(np.ascontiguousarray(le).tobytes())
    return out


_VAL_FIELDS = ("float_val", "double_val", "int_val", "int64_val", "bool_val", "half_val",
               "uint32_val", "uint64_val", "scomplex_val", "dcomplex_val")


def decode_tensor(d):
    """A read-only NumPy array from a TensorProto dict (any of TF's value encodings)."""
    dtype = dtype_from_enum_name(d.get("dtype", "DT_FLOAT")).base_dtype
    shape = tuple(decode_shape(d.get("tensor_shape", {})).as_list())
    n = int(np.prod(shape, dtype=np.int64))
    npd = np.dtype(dtype.as_numpy_dtype)
    if dtype is _dtypes.string:
        vals = [_unb64(s) for s in d.get("string_val", [])]
        arr = np.empty(n, dtype=object)
        if n:
            if not vals:
                vals = [b""]
            for i in range(n):
                arr[i] = vals[i] if i < len(vals) else vals[-1]
        arr = arr.reshape(shape)
    elif "tensor_content" in d:
        arr = np.frombuffer(_unb64(d["tensor_content"]), dtype=npd.newbyteorder("<"))
        arr = arr.astype(npd).reshape(shape)
    else:
        field = next((f for f in _VAL_FIELDS if d.get(f)), None)
        vals = list(d.get(field, [])) if field else []
        if field == "half_val":
            vals = np.array([int(v) for v in vals], np.uint16).view(np.float16)
        elif field in ("scomplex_val", "dcomplex_val"):
            vals = [complex(_num(a), _num(b)) for a, b in zip(vals[::2], vals[1::2])]
        else:
            vals = [_num(v) for v in vals]
        arr = np.zeros(n, dtype=npd)
        if len(vals):
            k = min(len(vals), n)
            arr[:k] = vals[:k]
            arr[k:] = vals[k - 1] if k else 0
        arr = arr.reshape(shape)
    arr.flags.writeable = False
    return arr


def _num(v):
    if isinstance(v, str):
        if v in ("NaN", "Infinity", "-Infinity"):
            return float(v.replace("Infinity", "inf"))
        return int(v) if v.lstrip("-").isdigit() else float(v)
    return v


# --- attributes ------------------------------------------------------------------------------
def _kind(v):
    if isinstance(v, (bool, np.bool_)):
        return "b"
    if isinstance(v, (int, np.integer)):
        return "i"
    if isinstance(v, (float, np.floating)):
        return "f"
    if isinstance(v, str):
        return "s"
    if isinstance(v, _dtypes.DType):
        return "type"
    if isinstance(v, TensorShape):
        return "shape"
    if isinstance(v, np.ndarray):
        return "tensor"
    return None


def _scalar(kind, v):
    if kind == "b":
        return bool(v)
    if kind == "i":
        return int(v)
    if kind == "f":
        return _float(v)
    if kind == "s":
        return _b64(v.encode("utf-8"))
    if kind == "type":
        return dtype_enum_name(v)
    if kind == "shape":
        return encode_shape(v)
    return encode_tensor(v)


def encode_attr(v):
    """(AttrValue dict, python-kind marker or None) for a flowbook attribute value."""
    k = _kind(v)
    if k is not None:
        return {k: _scalar(k, v)}, None
    if isinstance(v, bytes):
        return {"s": _b64(v)}, "bytes"
    if isinstance(v, (list, tuple)):
        kinds = {_kind(x) for x in v}
        marker = "tuple" if isinstance(v, tuple) else None
        if not v:
            return {"list": {}}, marker
        if len(kinds) == 1 and None not in kinds:
            k = kinds.pop()
            return {"list": {k: [_scalar(k, x) for x in v]}}, marker
        if all(isinstance(x, bytes) for x in v):
            return {"list": {"s": [_b64(x) for x in v]}}, ("tuple_bytes" if marker else
                                                          "list_bytes")
    return {"s": _b64(json.dumps(_to_json(v)).encode())}, "json"


def _decode_scalar(k, x):
    if k == "b":
        return bool(x)
    if k == "i":
        return int(x)
    if k == "f":
        return float(_num(x))
    if k == "s":
        return _unb64(x).decode("utf-8")
    if k == "type":
        return dtype_from_enum_name(x)
    if k == "shape":
        return decode_shape(x)
    if k == "tensor":
        return decode_tensor(x)
    raise ValueError(f"flowbook cannot read AttrValue field {k!r}.")


def decode_attr(d, marker=None):
    """The flowbook value of an AttrValue dict (``marker``: see encode_attr)."""
    if marker == "json":
        return _from_json(json.loads(_unb64(d["s"]).decode()))
    if marker == "bytes":
        return _unb64(d["s"])
    if "list" in d:
        lst = d["list"] or {}
        k = next((f for f in ("s", "i", "f", "b", "type", "shape", "tensor") if lst.get(f)),
                 None)
        if marker in ("list_bytes", "tuple_bytes"):
            out = [_unb64(x) for x in lst.get("s", [])]
        else:
            out = [_decode_scalar(k, x) for x in lst.get(k, [])] if k else []
        return tuple(out) if marker in ("tuple", "tuple_bytes") else out
    if not d:
        return None
    (k, x), = d.items()
    return _decode_scalar(k, x)


# --- JSON fallback for attribute values AttrValue cannot hold ----------------------------------
def _to_json(v):
    if v is None:
        return {"t": "none"}
    k = _kind(v)
    if k == "b":
        return {"t": "bool", "v": bool(v)}
    if k == "i":
        return {"t": "int", "v": int(v)}
    if k == "f":
        return {"t": "float", "v": repr(float(v))}
    if k == "s":
        return {"t": "str", "v": v}
    if k == "type":
        return {"t": "dtype", "v": v.name}
    if k == "shape":
        return {"t": "shape", "v": v.as_list() if v.ndims is not None else None}
    if k == "tensor":
        return {"t": "tensor", "v": encode_tensor(v)}
    if isinstance(v, bytes):
        return {"t": "bytes", "v": _b64(v)}
    if isinstance(v, (list, tuple)):
        return {"t": "tuple" if isinstance(v, tuple) else "list", "v": [_to_json(x) for x in v]}
    if isinstance(v, dict):
        return {"t": "dict", "v": [[_to_json(a), _to_json(b)] for a, b in v.items()]}
    raise TypeError(f"flowbook cannot serialize an attribute value of type "
                    f"{type(v).__name__} ({v!r}); op attributes must be data.")


def _from_json(j):
    t, v = j["t"], j.get("v")
    if t == "none":
        return None
    if t in ("bool", "int", "str"):
        return {"bool": bool, "int": int, "str": str}[t](v)
    if t == "float":
        return float(v)
    if t == "dtype":
        return _dtypes.as_dtype(v)
    if t == "shape":
        return TensorShape(v)
    if t == "tensor":
        return decode_tensor(v)
    if t == "bytes":
        return _unb64(v)
    if t in ("list", "tuple"):
        out = [_from_json(x) for x in v]
        return tuple(out) if t == "tuple" else out
    if t == "dict":
        return {_from_json(a): _from_json(b) for a, b in v}
    raise ValueError(f"unknown attribute encoding {t!r}")
