"""Arithmetic, division rules, casts, matmul and add_n: the core of the math op library.

Each op: register_op (inference + doc) and its gradient rule right beside it. This module is
also the facade of the whole math library: the other families (logic_ops, unary_ops,
elementwise_ops, reduction_ops) are re-exported at the bottom, so ``math_ops.exp``,
``math_ops.reduce_max`` etc. work as in TF's own math_ops.
"""

import numpy as np

from ..graph import dtypes as _dtypes
from ..graph.graph import name_scope
from ..graph.shape import TensorShape, _UNKNOWN
from .convert import convert_to_tensor
from .registry import register_op, apply_op1, apply_op
from .shape_fns import binary_infer, unary_infer, static_int_list, same_dtype
from . import array_ops
from .cast_ops import *  # noqa: F401,F403  (re-exported, see the docstring)
from .cast_ops import cast

_CORE = ["add", "subtract", "multiply", "divide", "truediv", "floordiv", "div", "floormod",
         "mod", "pow", "negative", "abs", "sign", "matmul", "cast", "to_float", "to_double",
         "to_int32", "to_int64", "saturate_cast", "broadcast_to", "add_n", "scalar_mul",
         "mul", "sub", "neg", "realdiv", "floor_div", "unbroadcast", "unbroadcast_pair"]

_NUM = "iufc"      # NumPy kinds of numeric dtypes
_REAL = "iuf"
_FLOAT = "fc"


# --- broadcasting helpers for gradients ------------------------------------------------------
def _bga_infer(inputs, attrs):
    return [(_dtypes.int32, TensorShape([None])), (_dtypes.int32, TensorShape([None]))]


register_op("BroadcastGradientArgs", inputs=("s0", "s1"), input_types=("T", "T"),
            infer=_bga_infer, not_differentiable="integer shape arithmetic",
            doc="(r0, r1) = axes along which each of two broadcast shapes was expanded")


def _static_axes(gs, xs):
    """Axes to sum a broadcast gradient over, when the shapes tell statically (else None)."""
    if xs is None or gs is None or None in xs or len(gs) < len(xs):
        return None
    lead = len(gs) - len(xs)
    return list(range(lead)) + [lead + i for i, d in enumerate(xs) if d == 1 and gs[lead + i]
                                != 1]


def _sum_to(grad, x, axes):
    out = reduce_sum(grad, axes) if axes else grad
    xs = x._shape._dims
    return out if out._shape._dims == xs else array_ops.reshape(out, list(xs))


def unbroadcast(grad, x):
    """Sums ``grad`` (the gradient of a broadcast result) back to the shape of input ``x``."""
    axes = _static_axes(grad._shape._dims, x._shape._dims)
    if axes is not None:
        return _sum_to(grad, x, axes)
    sx = array_ops.shape(x)
    r0, _ = apply_op("BroadcastGradientArgs", (sx, array_ops.shape(grad)))._outputs
    return array_ops.reshape(reduce_sum(grad, r0), sx)


def unbroadcast_pair(gx, gy, x, y):
    """unbroadcast for both inputs of a binary op, sharing one BroadcastGradientArgs."""
    ax = _static_axes(gx._shape._dims if gx is not None else None, x._shape._dims)
    ay = _static_axes(gy._shape._dims if gy is not None else None, y._shape._dims)
    if (gx is None or ax is not None) and (gy is None or ay is not None):
        return (None if gx is None else _sum_to(gx, x, ax),
                None if gy is None else _sum_to(gy, y, ay))
    sx, sy = array_ops.shape(x), array_ops.shape(y)
    rx, ry = apply_op("BroadcastGradientArgs", (sx, sy))._outputs
    return (None if gx is None else array_ops.reshape(reduce_sum(gx, rx), sx),
            None if gy is None else array_ops.reshape(reduce_sum(gy, ry), sy))


def _binary(op_type, kinds=_NUM, grad=None, doc="", out_dtype=None, nd=None):
    infer = binary_infer(kinds, out_dtype)
    register_op(op_type, inputs=("x", "y"), infer=infer, grad=grad, not_differentiable=nd,
                elementwise=True, doc=doc)


# --- elementwise binary arithmetic -----------------------------------------------------------
def _add_grad(op, g):
    x, y = op._inputs
    return unbroadcast_pair(g, g, x, y)


def _sub_grad(op, g):
    x, y = op._inputs
    return unbroadcast_pair(g, negative(g), x, y)


def _mul_grad(op, g):
    x, y = op._inputs
    return unbroadcast_pair(multiply(g, y), multiply(x, g), x, y)


def _realdiv_grad(op, g):
    x, y = op._inputs
    gx = apply_op1("RealDiv", (g, y))
    gy = multiply(g, apply_op1("RealDiv", (apply_op1("RealDiv", (negative(x), y)), y)))
    return unbroadcast_pair(gx, gy, x, y)


def _pow_grad(op, g):
    x, y = op._inputs
    z = op._outputs[0]
    one = array_ops.ones_like(y)
    gx = multiply(multiply(g, y), pow(x, subtract(y, one)))
    # d/dy x**y = x**y * log(x), taken as 0 where x <= 0 (as TF does).
    zero = array_ops.zeros_like(x)
    pos = greater(x, zero)
    log_x = select(pos, log(select(pos, x, array_ops.ones_like(x))), zero)
    gy = multiply(multiply(g, z), log_x)
    return unbroadcast_pair(gx, gy, x, y)


def _floormod_grad(op, g):
    x, y = op._inputs
    return unbroadcast_pair(g, multiply(g, negative(floordiv(x, y))), x, y)


_binary("Add", grad=_add_grad, doc="z = x + y (broadcasting)")
_binary("Sub", grad=_sub_grad, doc="z = x - y (broadcasting)")
_binary("Mul", grad=_mul_grad, doc="z = x * y (broadcasting)")
_binary("RealDiv", kinds=_FLOAT, grad=_realdiv_grad, doc="z = x / y for floating x, y")
_binary("FloorDiv", kinds=_REAL, nd="piecewise constant", doc="z = floor(x / y)")
_binary("FloorMod", kinds=_REAL, grad=_floormod_grad, doc="z = x - floor(x / y) * y")
_binary("Pow", grad=_pow_grad, doc="z = x ** y")


def add(x, y, name=None):
    """x + y elementwise, with NumPy broadcasting."""
    return apply_op1("Add", (x, y), None, name)


def subtract(x, y, name=None):
    """x - y elementwise."""
    return apply_op1("Sub", (x, y), None, name)


def multiply(x, y, name=None):
    """x * y elementwise."""
    return apply_op1("Mul", (x, y), None, name)


def _to_float_pair(x, y):
    x = convert_to_tensor(x, name="x")
    y = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="y")
    same_dtype([x, y])
    d = x.dtype.base_dtype
    if d.is_integer:
        target = _dtypes.float32 if d.size <= 2 else _dtypes.float64
        x, y = cast(x, target), cast(y, target)
    elif d.is_bool:
        raise TypeError(f"Cannot divide booleans ({x.name}, {y.name}); cast them first.")
    return x, y


def truediv(x, y, name=None):
    """x / y, always real division: integers are first cast to float (float64 for int32)."""
    with name_scope(name, "truediv", [x, y]) as scope:
        x, y = _to_float_pair(x, y)
        return apply_op1("RealDiv", (x, y), None, scope)


def divide(x, y, name=None):
    """x / y (Python 3 division: see truediv)."""
    return truediv(x, y, name=name)


def floordiv(x, y, name=None):
    """floor(x / y) elementwise (for integers: division rounding towards -inf)."""
    with name_scope(name, "floordiv", [x, y]) as scope:
        return apply_op1("FloorDiv", (x, y), None, scope)


def realdiv(x, y, name=None):
    """x / y for floating x and y (op RealDiv, no casting)."""
    return apply_op1("RealDiv", (x, y), None, name)


def floor_div(x, y, name=None):
    """floor(x / y) elementwise (op FloorDiv, no name scope)."""
    return apply_op1("FloorDiv", (x, y), None, name)


def div(x, y, name=None):
    """Legacy TF1 division: floor division for integers, real division for floats."""
    with name_scope(name, "div", [x, y]) as scope:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="y")
        if x.dtype.base_dtype.is_integer:
            return apply_op1("FloorDiv", (x, y), None, scope)
        return apply_op1("RealDiv", (x, y), None, scope)


def floormod(x, y, name=None):
    """x mod y with the sign of y (Python's %)."""
    return apply_op1("FloorMod", (x, y), None, name)


mod = floormod


def pow(x, y, name=None):  # noqa: A001 (TF's name)
    """x ** y elementwise."""
    with name_scope(name, "Pow", [x, y]) as scope:
        return apply_op1("Pow", (x, y), None, scope)


# --- unary -----------------------------------------------------------------------------------
register_op("Neg", inputs=("x",), infer=unary_infer(_NUM), elementwise=True,
            grad=lambda op, g: (negative(g),), doc="y = -x")
register_op("Sign", inputs=("x",), infer=unary_infer(_NUM), elementwise=True,
            grad=lambda op, g: (array_ops.zeros_like(op._inputs[0]),),
            doc="y = sign(x) in {-1, 0, 1} (its gradient is 0, as TF's)")
register_op("Abs", inputs=("x",), infer=unary_infer(_REAL), elementwise=True,
            grad=lambda op, g: (multiply(g, sign(op._inputs[0])),), doc="y = |x|")


def negative(x, name=None):
    """-x elementwise."""
    return apply_op1("Neg", (x,), None, name)


def sign(x, name=None):
    """-1, 0 or 1 by the sign of x."""
    return apply_op1("Sign", (x,), None, name)


def abs(x, name=None):  # noqa: A001
    """|x| elementwise."""
    with name_scope(name, "Abs", [x]) as scope:
        return apply_op1("Abs", (x,), None, scope)


# --- AddN ------------------------------------------------------------------------------------
def _add_n_infer(inputs, attrs):
    d = same_dtype(inputs)
    s = inputs[0]._shape
    for t in inputs[1:]:
        if not s.is_compatible_with(t._shape):
            raise ValueError(f"add_n inputs must have the same shape, got {inputs[0]._shape} "
                             f"and {t._shape} ({t.name})")
        s = s.merge_with(t._shape)
    return d, s


register_op("AddN", inputs=("inputs*",), infer=_add_n_infer, elementwise=True,
            grad=lambda op, g: tuple(g for _ in op._inputs),
            doc="y = inputs[0] + inputs[1] + ... (same shapes, no broadcasting)")


def add_n(inputs, name=None):
    """Sum of a list of tensors of the same shape and dtype."""
    inputs = list(inputs)
    if not inputs:
        raise ValueError("inputs must be a non-empty list of tensors")
    if len(inputs) == 1 and name is None:
        return convert_to_tensor(inputs[0])
    return apply_op1("AddN", [inputs], {"N": len(inputs)}, name)


# --- MatMul ----------------------------------------------------------------------------------
def _matmul_infer(inputs, attrs):
    a, b = inputs
    d = same_dtype(inputs)
    if d._np.kind not in _NUM:
        raise TypeError(f"MatMul does not accept dtype {d.name}.")
    sa, sb = a._shape._dims, b._shape._dims
    if sa is not None and len(sa) != 2 or sb is not None and len(sb) != 2:
        raise ValueError(f"Shape must be rank 2 but is rank {len(sa if len(sa or ()) != 2 else sb)}"
                         f" for MatMul; use tf.matmul, which batches higher ranks.")
    m, ka = (None, None) if sa is None else ((sa[1], sa[0]) if attrs["transpose_a"] else sa)
    kb, n = (None, None) if sb is None else ((sb[1], sb[0]) if attrs["transpose_b"] else sb)
    if ka is not None and kb is not None and ka != kb:
        raise ValueError(
            f"Dimensions must be equal, but are {ka} and {kb}: the inner dimensions of a "
            f"{list(sa)} x {list(sb)} matrix product (transpose_a={attrs['transpose_a']}, "
            f"transpose_b={attrs['transpose_b']}) must agree.")
    return d, TensorShape([m, n])


def _matmul_grad(op, g):
    a, b = op._inputs
    ta, tb = op._attrs["transpose_a"], op._attrs["transpose_b"]
    mm = _matmul2
    if not ta and not tb:
        return mm(g, b, False, True), mm(a, g, True, False)
    if not ta and tb:
        return mm(g, b, False, False), mm(g, a, True, False)
    if ta and not tb:
        return mm(b, g, False, True), mm(a, g, False, False)
    return mm(b, g, True, True), mm(g, a, True, True)


def _matmul2(a, b, ta, tb, name=None):
    return apply_op1("MatMul", (a, b), {"transpose_a": ta, "transpose_b": tb}, name)


register_op("MatMul", inputs=("a", "b"), infer=_matmul_infer, grad=_matmul_grad,
            doc="C = op(A) @ op(B), op = transpose if requested (rank-2)")


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, name=None):
    """Matrix product of rank-2 tensors (batched over leading dims for higher ranks)."""
    with name_scope(name, "MatMul", [a, b]) as scope:
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, dtype=a.dtype.base_dtype, name="b")
        transpose_a = bool(transpose_a or adjoint_a)
        transpose_b = bool(transpose_b or adjoint_b)
        ra, rb = a.shape.ndims, b.shape.ndims
        if (ra is not None and ra > 2) or (rb is not None and rb > 2):
            return apply_op1("BatchMatMul", (a, b), {"adj_x": transpose_a, "adj_y": transpose_b},
                             scope)
        return _matmul2(a, b, transpose_a, transpose_b, scope)


# --- BroadcastTo -----------------------------------------------------------------------------
def _broadcast_to_infer(inputs, attrs):
    x, s = inputs
    target = static_int_list(s)
    if target is None:
        n = s._shape._dims[0] if s._shape._dims else None
        return x._dtype.base_dtype, (_UNKNOWN if n is None else TensorShape([None] * n))
    from .shape_fns import broadcast_dims
    t = tuple(int(v) for v in np.atleast_1d(target))
    if x._shape._dims is not None:
        got = broadcast_dims(x._shape._dims, t)
        if got != t and not all(a == b or a is None for a, b in zip(got, t)):
            raise ValueError(f"Cannot broadcast a tensor of shape {x._shape} to shape {list(t)}.")
    return x._dtype.base_dtype, TensorShape(t)


def _broadcast_to_grad(op, g):
    return unbroadcast(g, op._inputs[0]), None


register_op("BroadcastTo", inputs=("input", "shape"), input_types=("T", _dtypes.int32),
            infer=_broadcast_to_infer, grad=_broadcast_to_grad,
            doc="y = x broadcast (NumPy rules) to the given shape")


def broadcast_to(input, shape, name=None):  # noqa: A002
    """``input`` broadcast to ``shape`` with NumPy's rules."""
    return apply_op1("BroadcastTo", (input, shape), None, name)


# --- legacy names (TF 0.x tutorials) ---------------------------------------------------------
def scalar_mul(scalar, x, name=None):
    """``scalar * x`` for a scalar ``scalar`` (ValueError for anything of higher rank)."""
    x = convert_to_tensor(x) if not hasattr(x, "_op") else x
    scalar = convert_to_tensor(scalar, dtype=x.dtype.base_dtype, name="scalar")
    if scalar.shape.ndims != 0:
        raise ValueError(f"Only scalar multiply works, got shape {scalar.shape}.")
    return apply_op1("Mul", (scalar, x), None, name)


def mul(x, y, name=None):
    """Legacy name of ``multiply`` (TF 0.x)."""
    return multiply(x, y, name=name)


def sub(x, y, name=None):
    """Legacy name of ``subtract`` (TF 0.x)."""
    return subtract(x, y, name=name)


def neg(x, name=None):
    """Legacy name of ``negative`` (TF 0.x)."""
    return negative(x, name=name)


# --- the rest of the math library, re-exported (see module docstring) ------------------------
# These modules import names from this one, so they load last (flowbook/ops/__init__.py loads
# math_ops before any of them).
from .logic_ops import *  # noqa: E402,F401,F403
from .unary_ops import *  # noqa: E402,F401,F403
from .elementwise_ops import *  # noqa: E402,F401,F403
from .reduction_ops import *  # noqa: E402,F401,F403
from .scan_ops import *  # noqa: E402,F401,F403
from . import cast_ops, logic_ops, unary_ops, elementwise_ops, reduction_ops, scan_ops  # noqa: E402

__all__ = sorted(set(_CORE).union(*(m.__all__ for m in (
    cast_ops, logic_ops, unary_ops, elementwise_ops, reduction_ops, scan_ops))))
