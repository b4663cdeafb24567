"""Specs for the math library: unary functions, maximum/minimum and friends, casts, logic."""

import numpy as np

import flowbook as tf
from tests.opcheck import Arg, OpSpec

F = (np.float32, np.float64)
NUM = (np.float32, np.float64, np.int32, np.int64)
SIGNED_INTS = (np.int8, np.int16, np.int32, np.int64)


def _np(fn):
    """A NumPy reference that keeps the input dtype and stays quiet (as the kernels do)."""
    def ref(*xs):
        with np.errstate(all="ignore"):
            out = fn(*xs)
        return np.asarray(out).astype(np.result_type(*xs), copy=False)
    return ref


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _erf(x):
    import math
    return np.vectorize(math.erf)(x).astype(x.dtype)


def _unary(name, fn, ref, kind="any", dtypes=F, **kw):
    return OpSpec(name, fn, _np(ref), [Arg([2, 3], kind)], [fn.__name__.title().replace(
        "_", "")] if "covers" not in kw else kw.pop("covers"), dtypes, **kw)


UNARY = [
    _unary("square", tf.square, np.square, dtypes=NUM + (np.complex64,), covers=["Square"]),
    _unary("sqrt", tf.sqrt, np.sqrt, "pos"),
    _unary("rsqrt", tf.rsqrt, lambda x: 1 / np.sqrt(x), "pos"),
    _unary("reciprocal", tf.reciprocal, np.reciprocal, "nonzero"),
    _unary("exp", tf.exp, np.exp, dtypes=F + (np.float16, np.complex128), rtol=1e-3),
    _unary("expm1", tf.expm1, np.expm1),
    _unary("log_pos", tf.log, np.log, "pos", covers=["Log"]),
    _unary("log1p", tf.log1p, np.log1p, "pos", covers=["Log1p"]),
    _unary("sin", tf.sin, np.sin),
    _unary("cos", tf.cos, np.cos),
    _unary("tan", tf.tan, np.tan, "unit"),
    _unary("asin", tf.asin, np.arcsin, "unit"),
    _unary("acos", tf.acos, np.arccos, "unit"),
    _unary("atan", tf.atan, np.arctan),
    _unary("sinh", tf.sinh, np.sinh),
    _unary("cosh", tf.cosh, np.cosh),
    _unary("tanh", tf.tanh, np.tanh, dtypes=F + (np.float16,), rtol=1e-3),
    _unary("asinh", tf.math.asinh, np.arcsinh),
    _unary("atanh", tf.math.atanh, np.arctanh, "unit"),
    OpSpec("acosh", tf.math.acosh, _np(np.arccosh), [Arg([4], "const:[1.5, 2.0, 3.3, 10.0]")],
           ["Acosh"], F),
    _unary("sigmoid", tf.sigmoid, _sigmoid, dtypes=F + (np.float16,), rtol=1e-3),
    OpSpec("sigmoid_saturates", tf.sigmoid, _np(_sigmoid),
           [Arg([6], "const:[-1000.0, -80.0, -5.0, 0.0, 40.0, 1000.0]")], ["Sigmoid"], F,
           grad=False),
    OpSpec("tanh_saturates", tf.tanh, _np(np.tanh),
           [Arg([4], "const:[-1000.0, -20.0, 20.0, 1000.0]")], ["Tanh"], F),
    _unary("erf", tf.erf, _erf, rtol=1e-6, atol=1e-7),
    OpSpec("round_half_to_even", tf.round, _np(np.round),
           [Arg([8], "const:[0.5, 1.5, 2.5, -0.5, -1.5, 0.3, -2.7, 3.5]")], ["Round"], F,
           grad=False),
    OpSpec("round_int_is_identity", tf.round, lambda x: x, [Arg([3], "int")], [], (np.int32,),
           grad=False),
    _unary("floor", tf.floor, np.floor, grad=False),
    _unary("ceil", tf.ceil, np.ceil, grad=False),
    OpSpec("is_nan_inf_finite", lambda x: [tf.is_nan(tf.log(x)), tf.is_inf(tf.log(x)),
                                           tf.is_finite(tf.log(x))],
           lambda x: [np.isnan(_np(np.log)(x)), np.isinf(_np(np.log)(x)),
                      np.isfinite(_np(np.log)(x))],
           [Arg([4], "const:[-1.0, 0.0, 1.0, 2.5]")], ["IsNan", "IsInf", "IsFinite", "Log"], F,
           grad=False),
    OpSpec("log_of_zero_is_quiet", tf.log, _np(np.log), [Arg([3], "const:[0.0, -1.0, 1.0]")],
           ["Log"], F, grad=False),
    OpSpec("exp_overflow_is_quiet", tf.exp, _np(np.exp), [Arg([2], "const:[100.0, 1000.0]")],
           ["Exp"], (np.float32,), grad=False),
]

BINARY = [
    OpSpec("maximum", tf.maximum, np.maximum, [Arg([2, 3]), Arg([3])], ["Maximum"], NUM),
    OpSpec("minimum", tf.minimum, np.minimum, [Arg([3, 1]), Arg([1, 4])], ["Minimum"], NUM),
    OpSpec("maximum_scalar", lambda x: tf.maximum(x, 0.0), lambda x: np.maximum(x, 0),
           [Arg([5])], ["Maximum"], F),
    OpSpec("squared_difference", tf.squared_difference, lambda x, y: (x - y) ** 2,
           [Arg([2, 3]), Arg([2, 1])], ["SquaredDifference"], NUM),
    OpSpec("div_no_nan", tf.div_no_nan, lambda x, y: np.where(y == 0, 0, x / np.where(
        y == 0, 1, y)).astype(x.dtype),
           [Arg([2, 3]), Arg([3], "const:[0.0, 2.0, -0.5]", differentiable=False)],
           ["DivNoNan"], F),
    OpSpec("div_no_nan_grad_y", tf.div_no_nan, np.true_divide, [Arg([2, 3]), Arg([3], "nonzero")],
           ["DivNoNan"], F),
    OpSpec("clip_by_value", lambda x: tf.clip_by_value(x, -0.5, 0.7),
           lambda x: np.clip(x, -0.5, 0.7), [Arg([3, 4])], ["Minimum", "Maximum"], F),
    OpSpec("clip_by_value_int", lambda x: tf.clip_by_value(x, -1, 2), lambda x: np.clip(x, -1, 2),
           [Arg([6], "int")], ["Minimum", "Maximum"], (np.int32, np.int64), grad=False),
    OpSpec("clip_by_value_tensor_bounds", tf.clip_by_value, np.clip,
           [Arg([2, 3]), Arg([3], "const:[-1.0, 0.0, -0.2]"), Arg([], "const:0.5")],
           ["Minimum", "Maximum"], F),
    OpSpec("pow_int", tf.pow, np.power, [Arg([4], "int"), Arg([4], "const:[0, 1, 2, 3]")],
           ["Pow"], (np.int32, np.int64), grad=False),
    OpSpec("mul_sub_neg_legacy", lambda x, y: [tf.mul(x, y), tf.sub(x, y), tf.neg(x),
                                               tf.scalar_mul(3, x)],
           lambda x, y: [x * y, x - y, -x, 3 * x], [Arg([2, 2]), Arg([2])],
           ["Mul", "Sub", "Neg"], NUM),
    OpSpec("div_legacy_floors_ints", tf.div, np.floor_divide,
           [Arg([5], "int"), Arg([5], "nonzero")], ["FloorDiv"], SIGNED_INTS, grad=False),
    OpSpec("realdiv_floor_div", lambda x, y: [tf.realdiv(x, y), tf.floor_div(x, y)],
           lambda x, y: [x / y, np.floor_divide(x, y)], [Arg([5]), Arg([5], "nonzero")],
           ["RealDiv", "FloorDiv"], F, grad=False),
    OpSpec("div_legacy_floats", tf.div, np.true_divide, [Arg([5]), Arg([5], "nonzero")],
           ["RealDiv"], F),
    OpSpec("truediv_small_ints_give_float32", tf.truediv,
           lambda x, y: (x.astype(np.float32) / y.astype(np.float32)),
           [Arg([4], "int"), Arg([4], "nonzero")], ["RealDiv", "Cast"], (np.int8, np.int16,
                                                                        np.uint8), grad=False),
    OpSpec("truediv_big_ints_give_float64", lambda x, y: x / y, lambda x, y: x / y,
           [Arg([4], "int"), Arg([4], "nonzero")], ["RealDiv", "Cast"], (np.int32, np.int64),
           grad=False),
]

CASTS = [
    OpSpec("to_float_double", lambda x: [tf.to_float(x), tf.to_double(x)],
           lambda x: [x.astype(np.float32), x.astype(np.float64)], [Arg([3])], ["Cast"],
           (np.int32, np.float64), grad=False),
    OpSpec("to_int_truncates", lambda x: [tf.to_int32(x), tf.to_int64(x)],
           lambda x: [np.trunc(x).astype(np.int32), np.trunc(x).astype(np.int64)],
           [Arg([4], "const:[-2.7, -0.5, 0.5, 3.9]")], ["Cast"], F, grad=False),
    OpSpec("saturate_cast_uint8", lambda x: tf.saturate_cast(x, tf.uint8),
           lambda x: np.clip(x, 0, 255).astype(np.uint8),
           [Arg([4], "const:[-5.0, 3.7, 255.5, 300.0]")], ["Cast", "Maximum", "Minimum"], F,
           grad=False),
    OpSpec("saturate_cast_int64_to_int8", lambda x: tf.saturate_cast(x, tf.int8),
           lambda x: np.clip(x, -128, 127).astype(np.int8),
           [Arg([4], "const:[-1000, -3, 100, 1000]")], ["Cast"], (np.int64,), grad=False),
    OpSpec("cast_grad_float_round_trip", lambda x: tf.cast(tf.cast(x, tf.float32), tf.float64),
           lambda x: x.astype(np.float32).astype(np.float64), [Arg([3])], ["Cast"],
           (np.float64,), rtol=1e-6, eps=1e-3, grad_rtol=1e-3, grad_atol=1e-4),
]

LOGIC = [
    OpSpec("where_coordinates", tf.where, lambda c: np.argwhere(c).astype(np.int64),
           [Arg([3, 4], "bool")], ["Where"], (np.bool_,), grad=False),
    OpSpec("where_coordinates_numeric", tf.where, lambda c: np.argwhere(c).astype(np.int64),
           [Arg([5], "int")], ["Where"], (np.int32, np.float32), grad=False),
    OpSpec("where_select", tf.where, np.where, [Arg([2, 3], "bool", np.bool_), Arg([2, 3]),
                                                Arg([2, 3])], ["Select"], NUM),
    OpSpec("where_select_vector_condition", tf.where,
           lambda c, x, y: np.where(c[:, None], x, y),
           [Arg([2], "bool", np.bool_), Arg([2, 3]), Arg([2, 3])], ["Select"], F),
    OpSpec("where_v2_broadcasts", tf.where_v2, np.where,
           [Arg([3, 1], "bool", np.bool_), Arg([4]), Arg([])], ["SelectV2"], F),
    OpSpec("compare_broadcast", lambda x, y: [tf.less(x, y), tf.greater_equal(x, y),
                                              tf.equal(x, y), tf.not_equal(x, y)],
           lambda x, y: [x < y, x >= y, x == y, x != y], [Arg([2, 3], "small_int"),
                                                          Arg([3], "small_int")],
           ["Less", "GreaterEqual", "Equal", "NotEqual"], (np.int32, np.float64), grad=False),
    OpSpec("logical_broadcast", lambda x, y: [tf.logical_and(x, y), tf.logical_or(x, y),
                                              tf.logical_xor(x, y)],
           lambda x, y: [x & y, x | y, x ^ y], [Arg([2, 3]), Arg([3])],
           ["LogicalAnd", "LogicalOr", "LogicalNot"], (np.bool_,), grad=False),
]

SPECS = UNARY + BINARY + CASTS + LOGIC
