"""Shape and dtype inference helpers shared by op families (JAX-style rule helpers).

Each helper returns what an OpDef's ``infer`` returns: ``(dtype, TensorShape)``. Messages name
both shapes or dtypes; ``registry._infer`` adds the node name and op type.
"""

from ..graph import dtypes as _dtypes
from ..graph.shape import TensorShape, _UNKNOWN, _SCALAR

__all__ = ["broadcast_dims", "broadcast_shape", "same_dtype", "unary_infer", "binary_infer",
           "compare_infer", "reduce_shape", "static_int_list"]


def broadcast_dims(a, b):
    """NumPy broadcasting on dim tuples with unknown (None) dims; None rank → None."""
    if a is None or b is None:
        return None
    if a == b:
        return a
    la, lb = len(a), len(b)
    if la < lb:
        a = (1,) * (lb - la) + a
    elif lb < la:
        b = (1,) * (la - lb) + b
    out = []
    for x, y in zip(a, b):
        if x == y:
            out.append(x)
        elif x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None:
            out.append(y if y is not None and y != 1 else None)
        elif y is None:
            out.append(x)
        else:
            raise ValueError(
                f"Dimensions must be equal, but are {x} and {y}: shapes {_fmt(a)} and {_fmt(b)} "
                "cannot be broadcast together (NumPy rules: trailing dims must match or be 1).")
    return tuple(out)


def _fmt(dims):
    return "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"


def broadcast_shape(sa, sb):
    if sa is sb:
        return sa
    d = broadcast_dims(sa._dims, sb._dims)
    if d is sa._dims:
        return sa
    if d is sb._dims:
        return sb
    return _UNKNOWN if d is None else TensorShape._from_tuple(d)


def same_dtype(inputs):
    """The common base dtype of ``inputs``; TypeError naming both if they differ."""
    d0 = inputs[0]._dtype
    base = d0.base_dtype
    for t in inputs[1:]:
        if t._dtype.base_dtype is not base:
            raise TypeError(
                f"Input dtypes must match: {inputs[0].name} is {base.name} but {t.name} is "
                f"{t._dtype.base_dtype.name}. flowbook never converts silently (as TF1); use "
                "tf.cast on one of them.")
    return base


_KIND_WORDS = {"b": "bool", "i": "signed integer", "u": "unsigned integer", "f": "floating",
               "c": "complex"}


def _allowed(dtype, kinds, op_label):
    if kinds is not None and dtype._np.kind not in kinds:
        words = " or ".join(_KIND_WORDS[k] for k in kinds if k in _KIND_WORDS)
        hint = " (e.g. tf.cast(x, tf.float32))" if "f" in kinds else ""
        raise TypeError(f"{op_label} does not accept dtype {dtype.name}: it takes {words} "
                        f"tensors. Cast the input first{hint}.")


def unary_infer(kinds=None, out_dtype=None):
    """infer for elementwise unary ops; ``kinds`` restricts dtypes (NumPy kind letters)."""
    def infer(inputs, attrs):
        x = inputs[0]
        d = x._dtype.base_dtype
        _allowed(d, kinds, "This op")
        return (out_dtype or d), x._shape
    return infer


def binary_infer(kinds=None, out_dtype=None):
    """infer for broadcasting elementwise binary ops with one shared input dtype."""
    def infer(inputs, attrs):
        x, y = inputs
        d = x._dtype.base_dtype
        if y._dtype.base_dtype is not d:
            same_dtype(inputs)
        if kinds is not None:
            _allowed(d, kinds, "This op")
        return (out_dtype or d), broadcast_shape(x._shape, y._shape)
    return infer


def compare_infer(kinds=None):
    return binary_infer(kinds, out_dtype=_dtypes.bool)


def static_int_list(t):
    """The value of a Const tensor as a Python list of ints (or an int), else None."""
    op = t._op
    if op._type == "Const":
        v = op._attrs["value"]
        return v.tolist()
    return None


def reduce_shape(shape, axes, keepdims):
    """Output shape of a reduction over ``axes`` (None: unknown axes; [] of a list: all)."""
    dims = shape._dims
    if axes is None:
        if keepdims and dims is not None:
            return TensorShape._from_tuple((None,) * len(dims))
        return _UNKNOWN
    if isinstance(axes, int):
        axes = [axes]
    if dims is None:
        return _UNKNOWN
    n = len(dims)
    norm = set()
    for a in axes:
        if not -n <= a < n and not (n == 0 and a in (0, -1)):
            raise ValueError(f"Invalid reduction dimension {a} for input with {n} dimensions.")
        norm.add(a % n if n else 0)
    if keepdims:
        return TensorShape._from_tuple(tuple(1 if i in norm else d for i, d in enumerate(dims)))
    out = tuple(d for i, d in enumerate(dims) if i not in norm)
    return _SCALAR if not out else TensorShape._from_tuple(out)
