"""Learning-rate schedules (tf.train.exponential_decay, ...): tensors computed from the global
step, built op for op as TF1 builds them. Pass the result as an optimizer's learning_rate and
the same global_step to minimize(), which increments it.
"""

import math

from ..graph.graph import name_scope
from ..ops import math_ops
from ..ops.array_ops import constant
from ..ops.control_flow import case
from ..ops.convert import convert_to_tensor
from ..ops.elementwise_ops import minimum
from ..ops.logic_ops import where
from ..ops.unary_ops import ceil, cos, exp, floor

__all__ = ["exponential_decay", "piecewise_constant", "polynomial_decay", "natural_exp_decay",
           "inverse_time_decay", "cosine_decay"]


def _need_step(global_step, fn):
    if global_step is None:
        raise ValueError(f"global_step is required for {fn}.")


def _start(learning_rate, decay_steps):
    lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
    dtype = lr.dtype.base_dtype
    return lr, dtype, math_ops.cast(decay_steps, dtype)


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    """learning_rate * decay_rate ^ (global_step / decay_steps) (integer division with
    ``staircase=True``)."""
    _need_step(global_step, "exponential_decay")
    with name_scope(name or "ExponentialDecay", values=[global_step]) as scope:
        lr, dtype, steps = _start(learning_rate, decay_steps)
        rate = math_ops.cast(decay_rate, dtype)
        p = math_ops.cast(global_step, dtype) / steps
        if staircase:
            p = floor(p)
        return math_ops.multiply(lr, math_ops.pow(rate, p), name=scope)


def natural_exp_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    """learning_rate * exp(-decay_rate * global_step / decay_steps)."""
    _need_step(global_step, "natural_exp_decay")
    rate = exp(math_ops.negative(convert_to_tensor(decay_rate)))
    return exponential_decay(learning_rate, global_step, decay_steps, rate, staircase, name)


def inverse_time_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                       name=None):
    """learning_rate / (1 + decay_rate * global_step / decay_steps)."""
    _need_step(global_step, "inverse_time_decay")
    with name_scope(name or "InverseTimeDecay", values=[global_step]) as scope:
        lr, dtype, steps = _start(learning_rate, decay_steps)
        rate = math_ops.cast(decay_rate, dtype)
        p = math_ops.cast(global_step, dtype) / steps
        if staircase:
            p = floor(p)
        one = math_ops.cast(constant(1), dtype)
        return math_ops.divide(lr, math_ops.add(one, math_ops.multiply(rate, p)), name=scope)


def polynomial_decay(learning_rate, global_step, decay_steps, end_learning_rate=0.0001,
                     power=1.0, cycle=False, name=None):
    """(learning_rate - end) * (1 - min(step, decay_steps) / decay_steps) ^ power + end; with
    ``cycle``, decay_steps grows to the next multiple above global_step."""
    _need_step(global_step, "polynomial_decay")
    with name_scope(name or "PolynomialDecay", values=[global_step]) as scope:
        lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
        dtype = lr.dtype.base_dtype
        end = math_ops.cast(end_learning_rate, dtype)
        power_t = math_ops.cast(power, dtype)
        step = math_ops.cast(global_step, dtype)
        steps = math_ops.cast(decay_steps, dtype)
        if cycle:
            multiplier = where(math_ops.equal(step, 0), constant(1.0, dtype=dtype),
                               ceil(step / decay_steps))
            steps = math_ops.multiply(steps, multiplier)
        else:
            step = minimum(step, steps)
        p = math_ops.divide(step, steps)
        return math_ops.add(math_ops.multiply(lr - end, math_ops.pow(1 - p, power_t)), end,
                            name=scope)


def cosine_decay(learning_rate, global_step, decay_steps, alpha=0.0, name=None):
    """learning_rate * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, decay_steps) /
    decay_steps)) + alpha)."""
    _need_step(global_step, "cosine_decay")
    with name_scope(name or "CosineDecay", values=[global_step]):
        lr, dtype, steps = _start(learning_rate, decay_steps)
        step = minimum(math_ops.cast(global_step, dtype), steps)
        fraction = step / steps
        cosine = 0.5 * (1.0 + cos(constant(math.pi) * fraction))
        decayed = (1 - alpha) * cosine + alpha
        return math_ops.multiply(lr, decayed)


def piecewise_constant(x, boundaries, values, name=None):
    """values[0] while x <= boundaries[0], values[i] while boundaries[i-1] < x <=
    boundaries[i], values[-1] after the last boundary (a tf.case, as TF1 builds it)."""
    boundaries = [convert_to_tensor(b) for b in boundaries]
    values = [convert_to_tensor(v) for v in values]
    if len(values) != len(boundaries) + 1:
        raise ValueError("The length of boundaries should be 1 less than the length of "
                         f"values (got {len(boundaries)} boundaries and {len(values)} values).")
    x = convert_to_tensor(x)
    for i, b in enumerate(boundaries):
        if b.dtype.base_dtype is not x.dtype.base_dtype:
            if b.dtype.base_dtype.name == "int32" and x.dtype.base_dtype.name == "int64":
                boundaries[i] = math_ops.cast(b, x.dtype.base_dtype)
            else:
                raise ValueError(f"Boundaries ({b.dtype.base_dtype.name}) must have the same "
                                 f"dtype as x ({x.dtype.base_dtype.name}).")
    for v in values[1:]:
        if v.dtype.base_dtype is not values[0].dtype.base_dtype:
            raise ValueError(f"Values must have elements all with the same dtype "
                             f"({values[0].dtype.base_dtype.name} vs "
                             f"{v.dtype.base_dtype.name}).")
    with name_scope(name or "PiecewiseConstant", values=[x]):
        pairs = [(x <= boundaries[0], lambda: values[0]),
                 (x > boundaries[-1], lambda: values[-1])]
        for low, high, v in zip(boundaries[:-1], boundaries[1:], values[1:-1]):
            pairs.append(((x > low) & (x <= high), lambda v=v: v))
        return case(pairs, lambda: values[0], exclusive=True)
