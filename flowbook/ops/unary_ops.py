"""Elementwise functions of one tensor: square, sqrt, exp, log, trig, tanh, sigmoid, erf,
round/floor/ceil and the is_nan/is_inf/is_finite tests.

One table row per op type: its dtypes, its gradient rule and the math. Where the derivative
is a function of the output (exp, sqrt, rsqrt, reciprocal, tanh, sigmoid, tan) the rule uses
the output y, as TF does: no recomputation, and stable where the input saturates.
"""

import math

from ..graph import dtypes as _dtypes
from .registry import register_op, apply_op1
from .shape_fns import unary_infer
from . import array_ops

__all__ = ["square", "sqrt", "rsqrt", "reciprocal", "exp", "expm1", "log", "log1p", "sin", "cos",
        "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
        "sigmoid", "erf", "round", "floor", "ceil", "is_nan", "is_inf", "is_finite"]

_NUM = "iufc"
_FLOAT = "fc"
_REALF = "f"


# --- small graph helpers for gradient rules --------------------------------------------------
def _c(value, like):
    """A scalar constant of ``like``'s dtype."""
    return array_ops.constant(value, dtype=like.dtype.base_dtype)


def _mul(a, b):
    return apply_op1("Mul", (a, b))


def _div(a, b):
    return apply_op1("RealDiv", (a, b))


def _add(a, b):
    return apply_op1("Add", (a, b))


def _sub(a, b):
    return apply_op1("Sub", (a, b))


def _neg(a):
    return apply_op1("Neg", (a,))


def _sq(a):
    return apply_op1("Square", (a,))


def _un(op_type, a):
    return apply_op1(op_type, (a,))


# --- gradient rules: each returns dL/dx given dL/dy = g --------------------------------------
def _x(op):
    return op._inputs[0]


def _y(op):
    return op._outputs[0]


_GRADS = {
    # y = x^2: 2x
    "Square": lambda op, g: _mul(g, _mul(_c(2, g), _x(op))),
    # y = sqrt(x): 1 / (2y)
    "Sqrt": lambda op, g: _div(_mul(g, _c(0.5, g)), _y(op)),
    # y = x^-1/2: -y^3 / 2
    "Rsqrt": lambda op, g: _mul(_mul(g, _c(-0.5, g)), _mul(_sq(_y(op)), _y(op))),
    # y = 1/x: -y^2
    "Reciprocal": lambda op, g: _neg(_mul(g, _sq(_y(op)))),
    # y = e^x: y
    "Exp": lambda op, g: _mul(g, _y(op)),
    # y = e^x - 1: y + 1
    "Expm1": lambda op, g: _mul(g, _add(_y(op), _c(1, g))),
    # y = ln x: 1/x
    "Log": lambda op, g: _div(g, _x(op)),
    # y = ln(1 + x): 1/(1 + x)
    "Log1p": lambda op, g: _div(g, _add(_x(op), _c(1, g))),
    "Sin": lambda op, g: _mul(g, _un("Cos", _x(op))),
    "Cos": lambda op, g: _neg(_mul(g, _un("Sin", _x(op)))),
    # y = tan x: 1 + y^2 (= sec^2 x)
    "Tan": lambda op, g: _mul(g, _add(_c(1, g), _sq(_y(op)))),
    # y = asin x: 1/sqrt(1 - x^2)
    "Asin": lambda op, g: _div(g, _un("Sqrt", _sub(_c(1, g), _sq(_x(op))))),
    "Acos": lambda op, g: _neg(_div(g, _un("Sqrt", _sub(_c(1, g), _sq(_x(op)))))),
    "Atan": lambda op, g: _div(g, _add(_c(1, g), _sq(_x(op)))),
    "Sinh": lambda op, g: _mul(g, _un("Cosh", _x(op))),
    "Cosh": lambda op, g: _mul(g, _un("Sinh", _x(op))),
    # y = tanh x: 1 - y^2
    "Tanh": lambda op, g: _mul(g, _sub(_c(1, g), _sq(_y(op)))),
    "Asinh": lambda op, g: _div(g, _un("Sqrt", _add(_sq(_x(op)), _c(1, g)))),
    "Acosh": lambda op, g: _div(g, _un("Sqrt", _sub(_sq(_x(op)), _c(1, g)))),
    "Atanh": lambda op, g: _div(g, _sub(_c(1, g), _sq(_x(op)))),
    # y = 1/(1 + e^-x): y (1 - y)
    "Sigmoid": lambda op, g: _mul(g, _mul(_y(op), _sub(_c(1, g), _y(op)))),
    # y = erf x: 2/sqrt(pi) e^(-x^2)
    "Erf": lambda op, g: _mul(g, _mul(_c(2 / math.sqrt(math.pi), g),
                                      _un("Exp", _neg(_sq(_x(op)))))),
}

# (op type, builder name, dtype kinds, math)
_TABLE = [
    ("Square", "square", _NUM, "y = x * x"),
    ("Sqrt", "sqrt", _FLOAT, "y = sqrt(x) (nan for x < 0)"),
    ("Rsqrt", "rsqrt", _FLOAT, "y = 1 / sqrt(x)"),
    ("Reciprocal", "reciprocal", _FLOAT, "y = 1 / x"),
    ("Exp", "exp", _FLOAT, "y = e^x"),
    ("Expm1", "expm1", _FLOAT, "y = e^x - 1 (accurate for small x)"),
    ("Log", "log", _FLOAT, "y = ln(x) (-inf at 0, nan below)"),
    ("Log1p", "log1p", _FLOAT, "y = ln(1 + x) (accurate for small x)"),
    ("Sin", "sin", _FLOAT, "y = sin(x)"),
    ("Cos", "cos", _FLOAT, "y = cos(x)"),
    ("Tan", "tan", _FLOAT, "y = tan(x)"),
    ("Asin", "asin", _FLOAT, "y = arcsin(x)"),
    ("Acos", "acos", _FLOAT, "y = arccos(x)"),
    ("Atan", "atan", _FLOAT, "y = arctan(x)"),
    ("Sinh", "sinh", _FLOAT, "y = sinh(x)"),
    ("Cosh", "cosh", _FLOAT, "y = cosh(x)"),
    ("Tanh", "tanh", _FLOAT, "y = tanh(x)"),
    ("Asinh", "asinh", _FLOAT, "y = arsinh(x)"),
    ("Acosh", "acosh", _FLOAT, "y = arcosh(x) (x >= 1)"),
    ("Atanh", "atanh", _FLOAT, "y = artanh(x) (|x| < 1)"),
    ("Sigmoid", "sigmoid", _FLOAT, "y = 1 / (1 + e^-x)"),
    ("Erf", "erf", _REALF, "y = 2/sqrt(pi) * integral_0^x e^(-t^2) dt"),
    ("Round", "round", "iuf", "y = x rounded to the nearest integer, halves to even"),
    ("Floor", "floor", _REALF, "y = the largest integer <= x"),
    ("Ceil", "ceil", _REALF, "y = the smallest integer >= x"),
    ("IsNan", "is_nan", _REALF, "y = (x is NaN)"),
    ("IsInf", "is_inf", _REALF, "y = (x is +inf or -inf)"),
    ("IsFinite", "is_finite", _REALF, "y = (x is neither NaN nor infinite)"),
]

_NOT_DIFFERENTIABLE = {"Round": "piecewise constant", "Floor": "piecewise constant",
                       "Ceil": "piecewise constant", "IsNan": "boolean output",
                       "IsInf": "boolean output", "IsFinite": "boolean output"}
_BOOL_OUT = ("IsNan", "IsInf", "IsFinite")


def _make_grad(rule):
    return lambda op, g: (rule(op, g),)


for _t, _f, _kinds, _doc in _TABLE:
    _rule = _GRADS.get(_t)
    register_op(_t, inputs=("x",),
                infer=unary_infer(_kinds, _dtypes.bool if _t in _BOOL_OUT else None),
                elementwise=True, grad=_make_grad(_rule) if _rule else None,
                not_differentiable=_NOT_DIFFERENTIABLE.get(_t), doc=_doc)


# --- builders (TF1 names and signatures) -----------------------------------------------------
def square(x, name=None):
    """Elementwise y = x * x."""
    return apply_op1("Square", (x,), None, name)


def sqrt(x, name=None):
    """Elementwise y = sqrt(x) (nan for x < 0)."""
    return apply_op1("Sqrt", (x,), None, name)


def rsqrt(x, name=None):
    """Elementwise y = 1 / sqrt(x)."""
    return apply_op1("Rsqrt", (x,), None, name)


def reciprocal(x, name=None):
    """Elementwise y = 1 / x."""
    return apply_op1("Reciprocal", (x,), None, name)


def exp(x, name=None):
    """Elementwise y = e^x."""
    return apply_op1("Exp", (x,), None, name)


def expm1(x, name=None):
    """Elementwise y = e^x - 1 (accurate for small x)."""
    return apply_op1("Expm1", (x,), None, name)


def log(x, name=None):
    """Elementwise y = ln(x) (-inf at 0, nan below)."""
    return apply_op1("Log", (x,), None, name)


def log1p(x, name=None):
    """Elementwise y = ln(1 + x) (accurate for small x)."""
    return apply_op1("Log1p", (x,), None, name)


def sin(x, name=None):
    """Elementwise y = sin(x)."""
    return apply_op1("Sin", (x,), None, name)


def cos(x, name=None):
    """Elementwise y = cos(x)."""
    return apply_op1("Cos", (x,), None, name)


def tan(x, name=None):
    """Elementwise y = tan(x)."""
    return apply_op1("Tan", (x,), None, name)


def asin(x, name=None):
    """Elementwise y = arcsin(x)."""
    return apply_op1("Asin", (x,), None, name)


def acos(x, name=None):
    """Elementwise y = arccos(x)."""
    return apply_op1("Acos", (x,), None, name)


def atan(x, name=None):
    """Elementwise y = arctan(x)."""
    return apply_op1("Atan", (x,), None, name)


def sinh(x, name=None):
    """Elementwise y = sinh(x)."""
    return apply_op1("Sinh", (x,), None, name)


def cosh(x, name=None):
    """Elementwise y = cosh(x)."""
    return apply_op1("Cosh", (x,), None, name)


def tanh(x, name=None):
    """Elementwise y = tanh(x)."""
    return apply_op1("Tanh", (x,), None, name)


def asinh(x, name=None):
    """Elementwise y = arsinh(x)."""
    return apply_op1("Asinh", (x,), None, name)


def acosh(x, name=None):
    """Elementwise y = arcosh(x) (x >= 1)."""
    return apply_op1("Acosh", (x,), None, name)


def atanh(x, name=None):
    """Elementwise y = artanh(x) (|x| < 1)."""
    return apply_op1("Atanh", (x,), None, name)


def sigmoid(x, name=None):
    """Elementwise y = 1 / (1 + e^-x)."""
    return apply_op1("Sigmoid", (x,), None, name)


def erf(x, name=None):
    """Elementwise y = 2/sqrt(pi) * integral_0^x e^(-t^2) dt."""
    return apply_op1("Erf", (x,), None, name)


def floor(x, name=None):
    """Elementwise y = the largest integer <= x."""
    return apply_op1("Floor", (x,), None, name)


def ceil(x, name=None):
    """Elementwise y = the smallest integer >= x."""
    return apply_op1("Ceil", (x,), None, name)


def is_nan(x, name=None):
    """Elementwise y = (x is NaN)."""
    return apply_op1("IsNan", (x,), None, name)


def is_inf(x, name=None):
    """Elementwise y = (x is +inf or -inf)."""
    return apply_op1("IsInf", (x,), None, name)


def is_finite(x, name=None):
    """Elementwise y = (x is neither NaN nor infinite)."""
    return apply_op1("IsFinite", (x,), None, name)

def round(x, name=None):  # noqa: A001 (TF's name)
    """Elementwise rounding to the nearest integer, halves to even (banker's rounding, as TF's
    Round and NumPy's). Integer tensors are returned unchanged."""
    from .convert import convert_to_tensor
    x = convert_to_tensor(x, name="x") if not hasattr(x, "_op") else x
    if x.dtype.base_dtype.is_integer:
        return x
    return apply_op1("Round", (x,), None, name)
