"""Kernels for the fused optimizer updates (flowbook/ops/training_ops.py).

Each update reads the variable's and its slots' current values from their cells, computes the
new values in the variable's dtype with TF1's order of operations, and stores them as fresh
read-only arrays (values in cells are never written in place: a value fetched or held by
another op stays what it was). The op's output is the variable's new value.
"""

import numpy as np

from ...errors import InvalidArgumentError
from ..base import VarCell
from . import BACKEND


def _fused(n_refs, update):
    """A factory for an Apply op whose first ``n_refs`` inputs are variables.

    ``update(attrs, refs, *rest)`` gets the current values of the variables (a list) and the
    other inputs, and returns the list of new values, in the same order.
    """
    def factory(op, res):
        attrs = {k: v for k, v in op._attrs.items() if k[0] != "_"}
        names = op._opdef.inputs
        g_at = names.index("grad") if "grad" in names else names.index("delta")

        def kernel(*args):
            cells = args[:n_refs]
            for c, t in zip(cells, op._inputs):
                if type(c) is not VarCell:
                    raise InvalidArgumentError(
                        None, op, f"{op._type} '{op._name}' updates variables; its input "
                        f"'{t.name}' is not a variable.")
            grad = args[g_at]
            with cells[0].lock:
                olds = [c.read() for c in cells]
                for c, old in zip(cells, olds):
                    if old.shape != grad.shape:
                        raise InvalidArgumentError(
                            None, op, f"{op._type}: the gradient has shape {list(grad.shape)} "
                            f"but variable '{c.name}' has shape {list(old.shape)}; they must "
                            "be equal.")
                with np.errstate(all="ignore"):
                    news = update(attrs, olds, *args[n_refs:])
                for c, new in zip(cells, news):
                    new = np.asarray(new, dtype=olds[0].dtype)
                    new.flags.writeable = False
                    c.value = new
            return cells[0].value
        return kernel
    return factory


def _rsqrt(x):
    return np.reciprocal(np.sqrt(x))


def _gradient_descent(attrs, refs, alpha, delta):
    var, = refs
    return [var - alpha * delta]


def _momentum(attrs, refs, lr, grad, momentum):
    var, accum = refs
    accum = accum * momentum + grad
    if attrs["use_nesterov"]:
        var = var - (grad * lr + accum * momentum * lr)
    else:
        var = var - accum * lr
    return [var, accum]


def _adam(attrs, refs, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad):
    var, m, v = refs
    one = np.ones((), dtype=var.dtype)
    alpha = lr * np.sqrt(one - beta2_power) / (one - beta1_power)
    m = m + (grad - m) * (one - beta1)
    v = v + (np.square(grad) - v) * (one - beta2)
    if attrs["use_nesterov"]:
        step = ((grad * (one - beta1) + beta1 * m) * alpha) / (np.sqrt(v) + epsilon)
    else:
        step = (m * alpha) / (np.sqrt(v) + epsilon)
    return [var - step, m, v]


def _adagrad(attrs, refs, lr, grad):
    var, accum = refs
    if attrs["update_slots"]:
        accum = accum + np.square(grad)
    return [var - grad * lr * _rsqrt(accum), accum]


def _rms_prop(attrs, refs, lr, rho, momentum, epsilon, grad):
    var, ms, mom = refs
    one = np.ones((), dtype=var.dtype)
    ms = ms + (np.square(grad) - ms) * (one - rho)
    mom = mom * momentum + (grad * lr) * _rsqrt(ms + epsilon)
    return [var - mom, ms, mom]


def _centered_rms_prop(attrs, refs, lr, rho, momentum, epsilon, grad):
    var, mg, ms, mom = refs
    one = np.ones((), dtype=var.dtype)
    ms = ms + (np.square(grad) - ms) * (one - rho)
    mg = mg + (grad - mg) * (one - rho)
    denom = (ms - np.square(mg)) + epsilon
    mom = mom * momentum + (grad * lr) * _rsqrt(denom)
    return [var - mom, mg, ms, mom]


def _adadelta(attrs, refs, lr, rho, epsilon, grad):
    var, accum, accum_update = refs
    one = np.ones((), dtype=var.dtype)
    accum = accum * rho + np.square(grad) * (one - rho)
    update = np.sqrt(accum_update + epsilon) * _rsqrt(accum + epsilon) * grad
    accum_update = accum_update * rho + np.square(update) * (one - rho)
    return [var - update * lr, accum, accum_update]


for _t, _n, _f in (("ApplyGradientDescent", 1, _gradient_descent),
                   ("ApplyMomentum", 2, _momentum),
                   ("ApplyAdam", 3, _adam),
                   ("ApplyAdagrad", 2, _adagrad),
                   ("ApplyRMSProp", 3, _rms_prop),
                   ("ApplyCenteredRMSProp", 4, _centered_rms_prop),
                   ("ApplyAdadelta", 3, _adadelta)):
    BACKEND.factory(_t)(_fused(_n, _f))
