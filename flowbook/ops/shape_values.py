"""Build-time values of small integer tensors (TF's constant_value / constant_value_as_shape).

Shape inference needs the values of shape-like inputs (``axis``, ``perm``, ``paddings``, a
target shape). Most are Consts, but gradients and composites also build them from ``Shape``,
``Pack``, ``ConcatV2``, ``Cast`` and slices of shapes: folding those keeps known dims known.
Nothing here runs a kernel; it only reads the graph.
"""

import numpy as np

from ..graph.shape import TensorShape, _UNKNOWN

__all__ = ["constant_value", "constant_value_as_shape", "const_ints", "const_int"]

_MAX_DEPTH = 16


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
                d = constant_value(i)
                dims.append(None if d is None or int(d) == -1 else int(d))
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
