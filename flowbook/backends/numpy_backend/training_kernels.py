"""Kernels for the fused optimizer updates (flowbook/ops/training_ops.py).

Each update works on the values of the variable and its slots, in the variable's dtype with
TF1's order of operations, and leaves the new values in their cells as read-only arrays. The
op's output is the variable's new value.

Values in cells are read-only arrays that a fetched result or another op's input may share.
An update therefore writes in place only into an array that nothing but its cell holds (the
usual case during training: the session's own array, read by no one since the last step); any
other array is copied first. This is checked with the interpreter's reference count,
calibrated on an array known to be private, so a value somebody holds never changes.
"""

import sys

import numpy as np

from ...errors import InvalidArgumentError
from ..base import VarCell
from . import BACKEND


def _holders(values, k):
    return sys.getrefcount(values[k])


def _calibrate():
    cell = VarCell("calibration")
    cell.value = np.zeros(2)
    return _holders([cell.read()], 0)


_PRIVATE = _calibrate()    # references to an array held only by its cell and by _writable


def _writable(values, k):
    """values[k] (a cell's array) made writable in place if only its cell holds it, else a
    writable copy. (No local name may hold the array while its holders are counted.)"""
    if _holders(values, k) <= _PRIVATE and values[k].base is None and \
            values[k].flags.owndata:
        values[k].flags.writeable = True
        return values[k]
    return values[k].copy()


def _fused(n_refs, update):
    """A factory for an Apply op whose first ``n_refs`` inputs are variables.

    ``update(attrs, refs, *rest)`` updates the writable arrays ``refs`` (the variable's and
    its slots' values) in place, given the op's other inputs.
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
                values = [c.read() for c in cells]
                for k in range(n_refs):
                    if values[k].shape != np.shape(grad):
                        raise InvalidArgumentError(
                            None, op, f"{op._type}: the gradient has shape "
                            f"{list(np.shape(grad))} but variable '{cells[k].name}' has "
                            f"shape {list(values[k].shape)}; they must be equal.")
                targets = [_writable(values, k) for k in range(n_refs)]
                del values
                with np.errstate(all="ignore"):
                    update(attrs, targets, *args[n_refs:])
                for c, t in zip(cells, targets):
                    t.flags.writeable = False
                    c.value = t
            return targets[0]
        return kernel
    return factory


def _rsqrt(x):
    return np.reciprocal(np.sqrt(x))


def _gradient_descent(attrs, refs, alpha, delta):
    var, = refs
    var -= alpha * delta


def _momentum(attrs, refs, lr, grad, momentum):
    var, accum = refs
    accum *= momentum
    accum += grad
    if attrs["use_nesterov"]:
        var -= grad * lr + accum * momentum * lr
    else:
        var -= accum * lr


def _adam(attrs, refs, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad):
    var, m, v = refs
    one = np.ones((), dtype=var.dtype)
    alpha = lr * np.sqrt(one - beta2_power) / (one - beta1_power)
    t = np.empty_like(m)            # one scratch array serves every step below
    np.subtract(grad, m, out=t)
    t *= one - beta1
    m += t
    np.square(grad, out=t)
    t -= v
    t *= one - beta2
    v += t
    denom = np.sqrt(v)
    denom += epsilon
    if attrs["use_nesterov"]:
        np.multiply(grad, one - beta1, out=t)
        t += beta1 * m
        t *= alpha
    else:
        np.multiply(m, alpha, out=t)
    t /= denom
    var -= t


def _adagrad(attrs, refs, lr, grad):
    var, accum = refs
    if attrs["update_slots"]:
        accum += np.square(grad)
    var -= grad * lr * _rsqrt(accum)


def _rms_prop(attrs, refs, lr, rho, momentum, epsilon, grad):
    var, ms, mom = refs
    one = np.ones((), dtype=var.dtype)
    ms += (np.square(grad) - ms) * (one - rho)
    mom *= momentum
    mom += (grad * lr) * _rsqrt(ms + epsilon)
    var -= mom


def _centered_rms_prop(attrs, refs, lr, rho, momentum, epsilon, grad):
    var, mg, ms, mom = refs
    one = np.ones((), dtype=var.dtype)
    ms += (np.square(grad) - ms) * (one - rho)
    mg += (grad - mg) * (one - rho)
    denom = (ms - np.square(mg)) + epsilon
    mom *= momentum
    mom += (grad * lr) * _rsqrt(denom)
    var -= mom


def _adadelta(attrs, refs, lr, rho, epsilon, grad):
    var, accum, accum_update = refs
    one = np.ones((), dtype=var.dtype)
    accum *= rho
    accum += np.square(grad) * (one - rho)
    update = np.sqrt(accum_update + epsilon) * _rsqrt(accum + epsilon) * grad
    accum_update *= rho
    accum_update += np.square(update) * (one - rho)
    var -= update * lr


for _t, _n, _f in (("ApplyGradientDescent", 1, _gradient_descent),
                   ("ApplyMomentum", 2, _momentum),
                   ("ApplyAdam", 3, _adam),
                   ("ApplyAdagrad", 2, _adagrad),
                   ("ApplyRMSProp", 3, _rms_prop),
                   ("ApplyCenteredRMSProp", 4, _centered_rms_prop),
                   ("ApplyAdadelta", 3, _adadelta)):
    BACKEND.factory(_t)(_fused(_n, _f))
