"""GPU kernels for the fused optimizer updates (flowbook/ops/training_ops.py): TF1's formulas
(the same as the CPU kernels'), computed on the device where the variable and its slots live.
New values replace the cells' values; nothing is written in place."""

from ...errors import InvalidArgumentError
from ..base import VarCell


def register(B, xp):
    def rsqrt(x):
        return xp.reciprocal(xp.sqrt(x))

    def one(var):
        return xp.ones((), dtype=var.dtype)

    def gradient_descent(attrs, refs, alpha, delta):
        var, = refs
        return [var - alpha * delta]

    def momentum(attrs, refs, lr, grad, mom):
        var, accum = refs
        accum = accum * mom + grad
        if attrs["use_nesterov"]:
            var = var - (grad * lr + accum * mom * lr)
        else:
            var = var - accum * lr
        return [var, accum]

    def adam(attrs, refs, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad):
        var, m, v = refs
        o = one(var)
        alpha = lr * xp.sqrt(o - beta2_power) / (o - beta1_power)
        m = m + (grad - m) * (o - beta1)
        v = v + (xp.square(grad) - v) * (o - beta2)
        if attrs["use_nesterov"]:
            step = ((grad * (o - beta1) + beta1 * m) * alpha) / (xp.sqrt(v) + epsilon)
        else:
            step = (m * alpha) / (xp.sqrt(v) + epsilon)
        return [var - step, m, v]

    def adagrad(attrs, refs, lr, grad):
        var, accum = refs
        if attrs["update_slots"]:
            accum = accum + xp.square(grad)
        return [var - grad * lr * rsqrt(accum), accum]

    def rms_prop(attrs, refs, lr, rho, mom_, epsilon, grad):
        var, ms, mom = refs
        o = one(var)
        ms = ms + (xp.square(grad) - ms) * (o - rho)
        mom = mom * mom_ + (grad * lr) * rsqrt(ms + epsilon)
        return [var - mom, ms, mom]

    def centered_rms_prop(attrs, refs, lr, rho, mom_, epsilon, grad):
        var, mg, ms, mom = refs
        o = one(var)
        ms = ms + (xp.square(grad) - ms) * (o - rho)
        mg = mg + (grad - mg) * (o - rho)
        denom = (ms - xp.square(mg)) + epsilon
        mom = mom * mom_ + (grad * lr) * rsqrt(denom)
        return [var - mom, mg, ms, mom]

    def adadelta(attrs, refs, lr, rho, epsilon, grad):
        var, accum, accum_update = refs
        o = one(var)
        accum = accum * rho + xp.square(grad) * (o - rho)
        update = xp.sqrt(accum_update + epsilon) * rsqrt(accum + epsilon) * grad
        accum_update = accum_update * rho + xp.square(update) * (o - rho)
        return [var - update * lr, accum, accum_update]

    def fused(n_refs, update):
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
                                None, op, f"{op._type}: the gradient has shape "
                                f"{list(grad.shape)} but variable '{c.name}' has shape "
                                f"{list(old.shape)}; they must be equal.")
                    news = update(attrs, olds, *args[n_refs:])
                    for c, new in zip(cells, news):
                        c.value = new.astype(olds[0].dtype, copy=False)
                return cells[0].value
            return kernel
        return factory

    for t, n, f in (("ApplyGradientDescent", 1, gradient_descent),
                    ("ApplyMomentum", 2, momentum), ("ApplyAdam", 3, adam),
                    ("ApplyAdagrad", 2, adagrad), ("ApplyRMSProp", 3, rms_prop),
                    ("ApplyCenteredRMSProp", 4, centered_rms_prop),
                    ("ApplyAdadelta", 3, adadelta)):
        B.factory_for(t, fused(n, f))
