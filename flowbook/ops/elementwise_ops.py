"""Broadcasting binary ops beyond plain arithmetic: maximum, minimum, squared_difference,
div_no_nan, and clip_by_value (a composite of Minimum then Maximum, as TF builds it).
"""

from ..graph.graph import name_scope
from .convert import convert_to_tensor
from .registry import register_op, apply_op1
from .shape_fns import binary_infer
from .math_ops import unbroadcast_pair
from . import array_ops

__all__ = ["maximum", "minimum", "squared_difference", "div_no_nan", "clip_by_value"]


def _max_min_grad(selector):
    """TF's rule: the whole gradient goes to x where ``selector(x, y)`` (>= for Maximum, <=
    for Minimum) holds, so at ties x takes it all; y gets the rest."""
    def grad(op, g):
        x, y = op._inputs
        xmask = apply_op1(selector, (x, y))
        zeros = array_ops.zeros_like(g)
        gx = apply_op1("Select", (xmask, g, zeros))
        gy = apply_op1("Select", (xmask, zeros, g))
        return unbroadcast_pair(gx, gy, x, y)
    return grad


def _squared_difference_grad(op, g):
    x, y = op._inputs
    two = array_ops.constant(2, dtype=g.dtype.base_dtype)
    gx = apply_op1("Mul", (g, apply_op1("Mul", (two, apply_op1("Sub", (x, y))))))
    return unbroadcast_pair(gx, apply_op1("Neg", (gx,)), x, y)


def _div_no_nan_grad(op, g):
    x, y = op._inputs
    gx = apply_op1("DivNoNan", (g, y))
    gy = apply_op1("Mul", (g, apply_op1("DivNoNan", (apply_op1("DivNoNan", (
        apply_op1("Neg", (x,)), y)), y))))
    return unbroadcast_pair(gx, gy, x, y)


register_op("Maximum", inputs=("x", "y"), infer=binary_infer("iuf"), elementwise=True,
            grad=_max_min_grad("GreaterEqual"),
            doc="z = max(x, y) (broadcasting; NaN if either is NaN)")
register_op("Minimum", inputs=("x", "y"), infer=binary_infer("iuf"), elementwise=True,
            grad=_max_min_grad("LessEqual"),
            doc="z = min(x, y) (broadcasting; NaN if either is NaN)")
register_op("SquaredDifference", inputs=("x", "y"), infer=binary_infer("iufc"),
            elementwise=True, grad=_squared_difference_grad, doc="z = (x - y)^2 (broadcasting)")
register_op("DivNoNan", inputs=("x", "y"), infer=binary_infer("fc"), elementwise=True,
            grad=_div_no_nan_grad, doc="z = 0 where y == 0, else x / y")


def maximum(x, y, name=None):
    """The larger of x and y elementwise, with broadcasting."""
    return apply_op1("Maximum", (x, y), None, name)


def minimum(x, y, name=None):
    """The smaller of x and y elementwise, with broadcasting."""
    return apply_op1("Minimum", (x, y), None, name)


def squared_difference(x, y, name=None):
    """(x - y)^2 elementwise, with broadcasting."""
    return apply_op1("SquaredDifference", (x, y), None, name)


def div_no_nan(x, y, name=None):
    """x / y elementwise, 0 where y is 0 (also for x = 0 or inf)."""
    with name_scope(name, "div_no_nan", [x, y]) as scope:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="y")
        return apply_op1("DivNoNan", (x, y), None, scope)


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """``t`` with values below ``clip_value_min`` raised to it and above ``clip_value_max``
    lowered to it (TF1's composite: Minimum, then Maximum named after the scope). The bounds
    may be scalars or broadcast to t's shape, but must not enlarge it (ValueError)."""
    with name_scope(name, "clip_by_value", [t, clip_value_min, clip_value_max]) as scope:
        values = convert_to_tensor(t, name="t")
        t_min = minimum(values, clip_value_max)
        _check_not_enlarged(values, t_min, clip_value_max, "clip_value_max")
        t_max = maximum(t_min, clip_value_min, name=scope)
        _check_not_enlarged(values, t_max, clip_value_min, "clip_value_min")
        return t_max


def _check_not_enlarged(values, out, bound, which):
    if not values.shape.is_compatible_with(out.shape):
        raise ValueError(
            f"clip_by_value: {which} has a shape that would broadcast t of shape "
            f"{values.shape} to {out.shape}; the bounds must be scalars or broadcast to t's "
            "shape.")
