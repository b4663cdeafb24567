"""Comparisons, logical ops and choosing: less/equal/..., logical_and/or/not/xor, where/select.

Comparisons give bool tensors and have no gradient; Select routes the gradient to the branch
that was picked. ``where`` follows TF1: one argument gives the coordinates of the true
entries (op Where, int64), three arguments pick between x and y (op Select).
"""

from ..graph import dtypes as _dtypes
from ..graph.graph import name_scope
from ..graph.shape import TensorShape
from .registry import register_op, apply_op1
from .shape_fns import binary_infer, broadcast_shape, compare_infer, same_dtype, unary_infer
from . import array_ops

__all__ = ["less", "less_equal", "greater", "greater_equal", "equal", "not_equal",
           "logical_and", "logical_or", "logical_not", "logical_xor", "select", "where",
           "where_v2"]

_REAL = "iuf"


# --- comparisons and logic -------------------------------------------------------------------
for _t, _doc in (("Less", "z = x < y"), ("LessEqual", "z = x <= y"), ("Greater", "z = x > y"),
                 ("GreaterEqual", "z = x >= y")):
    register_op(_t, inputs=("x", "y"), infer=compare_infer(_REAL), elementwise=True,
                not_differentiable="boolean output", doc=_doc)
for _t, _doc in (("Equal", "z = x == y"), ("NotEqual", "z = x != y")):
    register_op(_t, inputs=("x", "y"), infer=compare_infer(None), elementwise=True,
                not_differentiable="boolean output", doc=_doc)
for _t, _doc in (("LogicalAnd", "z = x and y"), ("LogicalOr", "z = x or y")):
    register_op(_t, inputs=("x", "y"), infer=binary_infer("b"), elementwise=True,
                not_differentiable="boolean output", doc=_doc)
register_op("LogicalNot", inputs=("x",), infer=unary_infer("b"), elementwise=True,
            not_differentiable="boolean output", doc="y = not x")


def less(x, y, name=None):
    """x < y elementwise (bool)."""
    return apply_op1("Less", (x, y), None, name)


def less_equal(x, y, name=None):
    """x <= y elementwise (bool)."""
    return apply_op1("LessEqual", (x, y), None, name)


def greater(x, y, name=None):
    """x > y elementwise (bool)."""
    return apply_op1("Greater", (x, y), None, name)


def greater_equal(x, y, name=None):
    """x >= y elementwise (bool)."""
    return apply_op1("GreaterEqual", (x, y), None, name)


def equal(x, y, name=None):
    """x == y elementwise (bool)."""
    return apply_op1("Equal", (x, y), None, name)


def not_equal(x, y, name=None):
    """x != y elementwise (bool)."""
    return apply_op1("NotEqual", (x, y), None, name)


def logical_and(x, y, name=None):
    """x and y elementwise, for bool tensors."""
    return apply_op1("LogicalAnd", (x, y), None, name)


def logical_or(x, y, name=None):
    """x or y elementwise, for bool tensors."""
    return apply_op1("LogicalOr", (x, y), None, name)


def logical_not(x, name=None):
    """not x elementwise, for bool tensors."""
    return apply_op1("LogicalNot", (x,), None, name)


def logical_xor(x, y, name="LogicalXor"):
    """x xor y, as TF1 builds it: (x or y) and not (x and y)."""
    with name_scope(name, "LogicalXor", [x, y]) as scope:
        return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=scope)


# --- Select (TF1's where with three arguments) -----------------------------------------------
def _check_bool(c):
    if c._dtype.base_dtype is not _dtypes.bool:
        raise TypeError(f"The condition must be bool, got {c._dtype.base_dtype.name}; compare "
                        "first (e.g. tf.greater(x, 0)) or tf.cast it to tf.bool.")


def _select_infer(inputs, attrs):
    c, x, y = inputs
    d = same_dtype([x, y])
    _check_bool(c)
    s = x._shape.merge_with(y._shape) if x._shape.is_compatible_with(y._shape) else None
    if s is None:
        raise ValueError(f"x and y must have the same shape, got {x._shape} and {y._shape} "
                         "(TF1's where/select does not broadcast; tf.where_v2 does).")
    cd, sd = c._shape._dims, s._dims
    if cd is not None and sd is not None and len(cd) not in (0, 1, len(sd)):
        raise ValueError(f"The condition's shape {c._shape} must be scalar, [batch] or equal "
                         f"to the shape of x {s}.")
    if cd is not None and sd is not None and len(cd) == len(sd):
        if not c._shape.is_compatible_with(s):
            raise ValueError(f"The condition's shape {c._shape} must equal the shape of x and "
                             f"y {s}.")
        s = s.merge_with(c._shape)
    elif cd is not None and sd and len(cd) == 1:
        if cd[0] is not None and sd[0] is not None and cd[0] != sd[0]:
            raise ValueError(f"A vector condition of shape {c._shape} must have one entry per "
                             f"row of x, whose shape is {s}.")
    return d, s


def _select_grad(op, g):
    c = op._inputs[0]
    z = array_ops.zeros_like(g)
    return None, select(c, g, z), select(c, z, g)


register_op("Select", inputs=("condition", "x", "y"), input_types=(_dtypes.bool, "T", "T"),
            infer=_select_infer, grad=_select_grad, elementwise=True,
            doc="z = x where condition else y (condition scalar, [batch] or x's shape)")


def select(condition, x, y, name=None):
    """Picks x where condition is true, else y (TF1's Select)."""
    return apply_op1("Select", (condition, x, y), None, name)


# --- SelectV2: where with broadcasting -------------------------------------------------------
def _select_v2_infer(inputs, attrs):
    c, x, y = inputs
    d = same_dtype([x, y])
    _check_bool(c)
    return d, broadcast_shape(broadcast_shape(c._shape, x._shape), y._shape)


def _select_v2_grad(op, g):
    from .math_ops import unbroadcast
    c, x, y = op._inputs
    z = array_ops.zeros_like(g)
    return (None, unbroadcast(apply_op1("SelectV2", (c, g, z)), x),
            unbroadcast(apply_op1("SelectV2", (c, z, g)), y))


register_op("SelectV2", inputs=("condition", "t", "e"), input_types=(_dtypes.bool, "T", "T"),
            infer=_select_v2_infer, grad=_select_v2_grad, elementwise=True,
            doc="z = t where condition else e, all three broadcast together (NumPy rules)")


# --- Where: coordinates of the true entries --------------------------------------------------
def _where_infer(inputs, attrs):
    x = inputs[0]
    if x._dtype.base_dtype._np.kind not in "biufc":
        raise TypeError(f"Where needs a bool or numeric input, got {x._dtype.base_dtype.name}.")
    n = x._shape.ndims
    return _dtypes.int64, TensorShape([None, n]) if n is not None else TensorShape([None, None])


register_op("Where", inputs=("input",), input_types=(None,), infer=_where_infer,
            not_differentiable="integer coordinates",
            doc="y = the coordinates (int64 rows, one column per dim) of the true/nonzero "
                "entries of x, in row-major order")


def where(condition, x=None, y=None, name=None):
    """TF1's where: with x and y, picks x where ``condition`` else y (Select: condition is
    scalar, [batch] or the shape of x); alone, the int64 coordinates of the true entries."""
    if x is None and y is None:
        with name_scope(name, "Where", [condition]) as scope:
            return apply_op1("Where", (condition,), None, scope)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    return apply_op1("Select", (condition, x, y), None, name)


def where_v2(condition, x=None, y=None, name=None):
    """TF2's where: like ``where`` but condition, x and y broadcast together (SelectV2)."""
    if x is None and y is None:
        with name_scope(name, "Where", [condition]) as scope:
            return apply_op1("Where", (condition,), None, scope)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    return apply_op1("SelectV2", (condition, x, y), None, name)
