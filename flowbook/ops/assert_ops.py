"""The tf.assert_* / tf.debugging.assert_* family, as TF1 builds it.

What the static shapes, dtypes and constant values already decide is checked at build time
(with TF1's exception classes: InvalidArgumentError for comparisons of known values,
ValueError for ranks, TypeError for dtypes); everything else becomes an Assert op that checks
when it runs. Each returns an op to run or to use in tf.control_dependencies (assert_scalar
returns its tensor, as TF does).
"""

import numpy as np

from ..errors import InvalidArgumentError
from ..graph import dtypes as _dtypes
from ..graph.graph import name_scope
from ..graph.operation import Tensor
from .convert import convert_to_tensor
from .registry import apply_op1
from .debug_ops import Assert, constant_value, verify_tensor_all_finite
from . import array_ops, control_ops

__all__ = ["assert_equal", "assert_none_equal", "assert_less", "assert_less_equal",
           "assert_greater", "assert_greater_equal", "assert_positive", "assert_negative",
           "assert_non_negative", "assert_non_positive", "assert_rank",
           "assert_rank_at_least", "assert_type", "assert_integer", "assert_scalar",
           "assert_near", "assert_all_finite"]


def _pair(x, y):
    x = convert_to_tensor(x, name="x")
    y = y if isinstance(y, Tensor) else convert_to_tensor(y, name="y",
                                                          preferred_dtype=x.dtype.base_dtype)
    return x, y


def _reduce_all(b):
    axes = array_ops.constant(np.arange(b.shape.ndims, dtype=np.int32)) if (
        b.shape.ndims is not None) else array_ops.range(0, array_ops.rank(b), 1)
    return apply_op1("All", (b, axes), {"keep_dims": False})


def _static_text(d):
    if isinstance(d, Tensor):
        v = constant_value(d)
        return str(d) if v is None else str(v)
    return str(d)


def _binary_assert(sym, opname, op_type, static_fn, x, y, data, summarize, message, name):
    with name_scope(name, opname, [x, y]):
        if opname == "assert_equal" and x is y and isinstance(x, Tensor):
            return control_ops.no_op()      # a tensor always equals itself (TF's shortcut)
        x, y = _pair(x, y)
        if data is None:
            data = [f"Condition x {sym} y did not hold element-wise:", f"x ({x.name}) = ", x,
                    f"y ({y.name}) = ", y]
        data = ([message] if message is not None else []) + list(data)
        condition = _reduce_all(apply_op1(op_type, (x, y)))
        xs, ys = constant_value(x), constant_value(y)
        if xs is not None and ys is not None and not np.all(static_fn(xs, ys)):
            raise InvalidArgumentError(None, None, "\n".join(
                _static_text(d) for d in data if d is not None))
        return Assert(condition, data, summarize=summarize)


def assert_equal(x, y, data=None, summarize=None, message=None, name=None):
    """Checks x == y elementwise (at build time when both values are known)."""
    return _binary_assert("==", "assert_equal", "Equal", np.equal, x, y, data, summarize,
                          message, name)


def assert_none_equal(x, y, data=None, summarize=None, message=None, name=None):
    """Checks x != y for every element."""
    return _binary_assert("!=", "assert_none_equal", "NotEqual", np.not_equal, x, y, data,
                          summarize, message, name)


def assert_less(x, y, data=None, summarize=None, message=None, name=None):
    """Checks x < y elementwise."""
    return _binary_assert("<", "assert_less", "Less", np.less, x, y, data, summarize,
                          message, name)


def assert_less_equal(x, y, data=None, summarize=None, message=None, name=None):
    """Checks x <= y elementwise."""
    return _binary_assert("<=", "assert_less_equal", "LessEqual", np.less_equal, x, y, data,
                          summarize, message, name)


def assert_greater(x, y, data=None, summarize=None, message=None, name=None):
    """Checks x > y elementwise."""
    return _binary_assert(">", "assert_greater", "Greater", np.greater, x, y, data,
                          summarize, message, name)


def assert_greater_equal(x, y, data=None, summarize=None, message=None, name=None):
    """Checks x >= y elementwise."""
    return _binary_assert(">=", "assert_greater_equal", "GreaterEqual", np.greater_equal, x, y,
                          data, summarize, message, name)


def _sign_assert(opname, cond_text, check, zero_first, x, data, summarize, message, name):
    with name_scope(name, opname, [x]):
        x = convert_to_tensor(x, name="x")
        if data is None:
            data = ([message] if message is not None else []) + [
                f"Condition x {cond_text} did not hold element-wise:", f"x ({x.name}) = ", x]
        zero = array_ops.constant(0, dtype=x.dtype.base_dtype)
        a, b = (zero, x) if zero_first else (x, zero)
        return check(a, b, data=data, summarize=summarize)


def assert_positive(x, data=None, summarize=None, message=None, name=None):
    """Checks x > 0 elementwise (built as assert_less(0, x), as TF does)."""
    return _sign_assert("assert_positive", "> 0", assert_less, True, x, data, summarize,
                        message, name)


def assert_negative(x, data=None, summarize=None, message=None, name=None):
    """Checks x < 0 elementwise."""
    return _sign_assert("assert_negative", "< 0", assert_less, False, x, data, summarize,
                        message, name)


def assert_non_negative(x, data=None, summarize=None, message=None, name=None):
    """Checks x >= 0 elementwise."""
    return _sign_assert("assert_non_negative", ">= 0", assert_less_equal, True, x, data,
                        summarize, message, name)


def assert_non_positive(x, data=None, summarize=None, message=None, name=None):
    """Checks x <= 0 elementwise."""
    return _sign_assert("assert_non_positive", "<= 0", assert_less_equal, False, x, data,
                        summarize, message, name)


def _rank_assert(opname, words, op_type, holds, x, rank, data, summarize, message, name):
    with name_scope(name, opname, [x, rank]):
        x = convert_to_tensor(x, name="x")
        rank_t = rank if isinstance(rank, Tensor) else None
        want = constant_value(rank_t) if rank_t is not None else np.asarray(rank)
        have = x.shape.ndims
        if want is not None and np.ndim(want) != 0:
            raise ValueError(f"Rank must be a scalar, got {want!r}.")
        if have is not None and want is not None:
            if not holds(have, int(want)):
                lead = f"{message}.  " if message else ""
                raise ValueError(f"{lead}Tensor {x.name} must have rank {words}{int(want)}.  "
                                 f"Received rank {have}, shape {x.shape}")
            return control_ops.no_op(name="static_checks_determined_all_ok")
        if rank_t is None:
            rank_t = array_ops.constant(int(want), dtype=_dtypes.int32)
        if data is None:
            data = ([message] if message else []) + [
                f"Tensor {x.name} must have rank {words}", rank_t, "Received shape: ",
                array_ops.shape(x)]
        condition = apply_op1(op_type, (array_ops.rank(x), rank_t))
        return Assert(condition, data, summarize=summarize)


def assert_rank(x, rank, data=None, summarize=None, message=None, name=None):
    """Checks that x has rank ``rank``: ValueError at build time when its rank is known."""
    return _rank_assert("assert_rank", "", "Equal", lambda a, b: a == b, x, rank, data,
                        summarize, message, name)


def assert_rank_at_least(x, rank, data=None, summarize=None, message=None, name=None):
    """Checks that x has rank >= ``rank``: ValueError at build time when its rank is known."""
    return _rank_assert("assert_rank_at_least", "at least ", "GreaterEqual",
                        lambda a, b: a >= b, x, rank, data, summarize, message, name)


def assert_type(tensor, tf_type, message=None, name=None):
    """TypeError at build time unless ``tensor`` has dtype ``tf_type``."""
    with name_scope(name, "assert_type", [tensor]):
        tensor = convert_to_tensor(tensor, name="tensor")
        want = _dtypes.as_dtype(tf_type).base_dtype
        if tensor.dtype.base_dtype is not want:
            raise TypeError(f"{message or ''}{tensor.name} must be of type tf.{want.name}; got "
                            f"tf.{tensor.dtype.base_dtype.name}")
        return control_ops.no_op(name="statically_determined_correct_type")


def assert_integer(x, message=None, name=None):
    """TypeError at build time unless x has an integer dtype."""
    with name_scope(name, "assert_integer", [x]):
        x = convert_to_tensor(x, name="x")
        if not x.dtype.base_dtype.is_integer:
            raise TypeError(f'{message or ""}Expected "x" to be integer type.  Found: {x.name} '
                            f"of dtype {x.dtype!r}")
        return control_ops.no_op(name="statically_determined_was_integer")


def assert_scalar(tensor, name=None, message=None):
    """``tensor`` itself if its static rank is 0; ValueError otherwise (also when the rank is
    unknown, as TF1 does)."""
    with name_scope(name, "assert_scalar", [tensor]) as scope:
        tensor = convert_to_tensor(tensor, name=scope)
        if tensor.shape.ndims != 0:
            raise ValueError(f"{message or ''}Expected scalar shape for {tensor.name}, saw "
                             f"shape: {tensor.shape}.")
        return tensor


def assert_near(x, y, rtol=None, atol=None, data=None, summarize=None, message=None,
                name=None):
    """Checks |x - y| < atol + rtol * |y| elementwise (default tolerances: 10 epsilon of the
    dtype), when it runs."""
    with name_scope(name, "assert_near", [x, y, rtol, atol]):
        x, y = _pair(x, y)
        d = x.dtype.base_dtype
        real = d.real_dtype if d.is_complex else d
        eps = float(np.finfo(real.as_numpy_dtype).eps) if real.is_floating else 0.0
        rtol = 10 * eps if rtol is None else rtol
        atol = 10 * eps if atol is None else atol
        rtol_t = convert_to_tensor(rtol, dtype=real, name="rtol")
        atol_t = convert_to_tensor(atol, dtype=real, name="atol")
        if data is None:
            data = ([message] if message is not None else []) + [
                f"x and y not equal to tolerance rtol = {rtol}, atol = {atol}",
                f"x ({x.name}) = ", x, f"y ({y.name}) = ", y]
        tol = apply_op1("Add", (atol_t, apply_op1("Mul", (rtol_t, apply_op1("Abs", (y,))))))
        diff = apply_op1("Abs", (apply_op1("Sub", (x, y)),))
        condition = _reduce_all(apply_op1("Less", (diff, tol)))
        return Assert(condition, data, summarize=summarize)


def assert_all_finite(t=None, msg=None, name=None, x=None, message=None):
    """``t`` after a check (when it runs) that it holds no NaN or Inf."""
    return verify_tensor_all_finite(t, msg, name, x, message)
