"""Build-time values of small integer tensors (TF's constant_value / constant_value_as_shape).

Shape inference needs the values of shape-like inputs (``axis``, ``perm``, ``paddings``, a
target shape). Most are Consts, but gradients and composites also build them from ``Shape``,
``Pack``, ``ConcatV2``, ``Cast``, slices of shapes and small integer arithmetic: folding those
(with NumPy, on values of at most 1000 elements, as TF's shape inference evaluates constant
subgraphs) keeps known dims known. No backend is involved and no graph is changed.
"""

import numpy as np

from ..graph.shape import TensorShape, _UNKNOWN

__all__ = ["constant_value", "constant_value_as_shape", "const_ints", "const_int",
           "dim_source", "reshaped_shape"]

_MAX_DEPTH = 16
_MAX_FOLD_SIZE = 1000


def _axes(a):
    return int(a) if a.ndim == 0 else tuple(a.tolist())


def _reduce(fn):
    return lambda attrs, x, axes: fn(x, axis=_axes(axes), keepdims=attrs["keep_dims"])


def _strided_slice(attrs, x, b, e, s):
    from .slicing import index_from_masks
    return x[index_from_masks(b, e, s, attrs)]


# Small integer computations folded at build time, as TF's shape inference evaluates constant
# subgraphs (e.g. tf.range(tf.reduce_max(lengths)) has a known length when lengths is known).
_FOLD = {
    "Max": _reduce(np.max), "Min": _reduce(np.min), "Sum": _reduce(np.sum),
    "Prod": _reduce(np.prod),
    "Maximum": lambda a, x, y: np.maximum(x, y), "Minimum": lambda a, x, y: np.minimum(x, y),
    "Add": lambda a, x, y: x + y, "AddV2": lambda a, x, y: x + y,
    "Sub": lambda a, x, y: x - y, "Mul": lambda a, x, y: x * y,
    "FloorDiv": lambda a, x, y: np.floor_divide(x, y) if np.all(y) else None,
    "Neg": lambda a, x: -x,
    "Range": lambda a, start, limit, delta: np.arange(start, limit, delta, dtype=start.dtype)
    if delta else None,
    "ExpandDims": lambda a, x, dim: np.expand_dims(x, int(np.reshape(dim, ()))),
    "Reshape": lambda a, x, shape: np.reshape(x, shape.tolist()),
    "StridedSlice": _strided_slice,
    "GatherV2": lambda a, x, i, axis: np.take(x, i, axis=int(axis)),
}


def constant_value(t, _depth=0):
    """The value of ``t`` as a NumPy array if the graph fixes it at build time, else None."""
    if _depth > _MAX_DEPTH:
        return None
    op = t._op
    typ = op._type
    if typ == "Const":
        return op._attrs["value"]
    if typ in ("Shape", "Size", "Rank"):
        s = op._inputs[0]._shape
        if typ == "Rank":
            return None if s._dims is None else np.array(len(s._dims), np.int32)
        if not s.is_fully_defined():
            return None
        v = s._dims if typ == "Shape" else s.num_elements()
        return np.array(v, dtype=op._attrs["out_type"].as_numpy_dtype)
    if typ in ("Identity", "StopGradient"):
        return constant_value(op._inputs[0], _depth + 1)
    if typ == "Cast":
        v = constant_value(op._inputs[0], _depth + 1)
        return None if v is None else v.astype(op._attrs["DstT"].as_numpy_dtype)
    if typ == "Pack":
        vals = [constant_value(i, _depth + 1) for i in op._inputs]
        if any(v is None for v in vals):
            return None
        return np.stack(vals, axis=op._attrs["axis"])
    if typ == "ConcatV2":
        vals = [constant_value(i, _depth + 1) for i in op._inputs]
        if any(v is None for v in vals):
            return None
        return np.concatenate(vals[:-1], axis=int(vals[-1]))
    fold = _FOLD.get(typ)
    if fold is not None and op._outputs[0]._dtype.is_integer:
        vals = [constant_value(i, _depth + 1) for i in op._inputs]
        if all(v is not None and v.size <= _MAX_FOLD_SIZE for v in vals):
            try:
                with np.errstate(all="ignore"):
                    out = fold(op._attrs, *vals)
            except (ValueError, IndexError, TypeError):
                return None     # the kernel reports it at run time
            if out is not None:
                return np.asarray(out, dtype=op._outputs[0]._dtype.as_numpy_dtype)
    return None


def const_ints(t):
    """``constant_value`` as a list of Python ints (a 0-d value gives an int), else None."""
    v = constant_value(t)
    return None if v is None else v.tolist()


def const_int(t):
    """The value of a scalar integer tensor known at build time, else None."""
    v = constant_value(t)
    if v is None or v.ndim != 0:
        return None
    return int(v)


def constant_value_as_shape(t, _depth=0):
    """The static shape a 1-D shape tensor describes (unknown entries and -1 as None)."""
    v = constant_value(t)
    if v is not None:
        if v.ndim == 0:
            raise ValueError(f"A shape must be a vector, got the scalar {v.tolist()}.")
        return TensorShape([None if d == -1 else int(d) for d in v.tolist()])
    op = t._op
    typ = op._type
    if _depth < _MAX_DEPTH:
        if typ == "Shape":
            return op._inputs[0]._shape
        if typ == "Pack" and op._attrs["axis"] == 0:
            dims = []
            for i in op._inputs:
                d, _ = dim_source(i)
                dims.append(None if d is None or d == -1 else d)
            return TensorShape(dims)
        if typ == "ConcatV2":
            out = TensorShape([])
            for i in op._inputs[:-1]:
                out = out.concatenate(constant_value_as_shape(i, _depth + 1))
            return out
        if typ == "Cast":
            return constant_value_as_shape(op._inputs[0], _depth + 1)
        if typ == "StridedSlice" and op._inputs[0]._op._type == "Shape":
            sliced = _sliced_shape(op)
            if sliced is not None:
                return sliced
    n = t._shape._dims[0] if t._shape._dims else None
    return _UNKNOWN if n is None else TensorShape([None] * n)


def dim_source(t):
    """(value, ref) for a scalar shape entry: its value if known at build time (else None),
    and ``(tensor, i)`` when it is ``tf.shape(tensor)[i]`` (else None)."""
    v = constant_value(t)
    if v is not None:
        return (int(v) if v.ndim == 0 else None), None
    op = t._op
    if op._type != "StridedSlice" or op._inputs[0]._op._type != "Shape" or \
            op._attrs["shrink_axis_mask"] != 1 or op._attrs["ellipsis_mask"] or \
            op._attrs["new_axis_mask"]:
        return None, None
    b = const_ints(op._inputs[1])
    src = op._inputs[0]._op._inputs[0]
    dims = src._shape._dims
    if b is None or len(b) != 1 or dims is None or not -len(dims) <= b[0] < len(dims):
        return None, None
    i = b[0] % len(dims)
    return dims[i], (src, i)


def _sliced_shape(op):
    """``tf.shape(x)[a:b:c]`` for const a, b, c on a tensor of known rank (no other masks)."""
    from .slicing import index_from_masks
    src = op._inputs[0]._op._inputs[0]._shape
    vals = [const_ints(i) for i in op._inputs[1:]]
    a = op._attrs
    if src._dims is None or None in vals or a["ellipsis_mask"] or a["new_axis_mask"] or \
            a["shrink_axis_mask"] or len(vals[0]) != 1:
        return None
    idx = index_from_masks(*vals, a)[0]
    return TensorShape._from_tuple(src._dims[idx])


def reshaped_shape(x, s):
    """The static shape of ``tf.reshape(x, s)``: a -1 is solved when x's size is known, and
    entries that are ``tf.shape(x)[i]`` cancel x's dim i (so [tf.shape(x)[0], -1] flattens
    to a known size even when the batch dim is unknown, as TF's shape inference does)."""
    target = const_ints(s)
    if target is None:   # partly known (e.g. built from tf.shape): keep the known dims
        out = constant_value_as_shape(s)
        dims, known = out._dims, x._shape.num_elements()
        if dims is not None and known is not None and dims.count(None) == 1:
            rest = 1
            for d in dims:
                rest *= d if d is not None else 1
            if rest and known % rest == 0:
                return TensorShape([known // rest if d is None else d for d in dims])
        flat = _infer_minus_one(x, s)
        return out if flat is None else flat
    if isinstance(target, int):
        target = [target]
    if sum(1 for d in target if d == -1) > 1:
        raise ValueError(f"Reshape can take at most one -1 (unknown) dimension, got {target}.")
    known = x._shape.num_elements()
    if -1 in target:
        rest = 1
        for d in target:
            if d != -1:
                rest *= d
        if known is not None:
            if rest == 0 or known % rest:
                raise ValueError(
                    f"Cannot reshape a tensor with {known} elements to shape {target}: "
                    f"{known} is not a multiple of {rest}.")
            return TensorShape([known // rest if d == -1 else d for d in target])
        return TensorShape([None if d == -1 else d for d in target])
    if known is not None and known != int(np.prod(target, dtype=np.int64)):
        raise ValueError(
            f"Cannot reshape a tensor with {known} elements to shape {target} "
            f"({int(np.prod(target, dtype=np.int64))} elements).")
    return TensorShape(target)


def _infer_minus_one(x, s):
    """The shape for a packed target whose -1 is x's size over the dims it names or cancels."""
    xs = x._shape._dims
    if s._op._type != "Pack" or s._op._attrs["axis"] != 0 or xs is None:
        return None
    entries = [dim_source(i) for i in s._op._inputs]
    if sum(1 for v, _ in entries if v == -1) != 1:
        return None
    used, known = set(), 1
    for v, ref in entries:
        if ref is not None and ref[0] is x and ref[1] not in used:
            used.add(ref[1])
        elif v is None:
            return None
        elif v != -1:
            known *= v
    rest = [d for i, d in enumerate(xs) if i not in used]
    if None in rest or not known:
        return None
    n = int(np.prod(rest, dtype=np.int64))
    if n % known:
        return None
    return TensorShape([n // known if v == -1 else v for v, _ in entries])
