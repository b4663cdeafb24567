"""Fused optimizer updates (TF1's training ops): each one updates a variable and its slots.

Every ``Apply*`` op takes the variable and its slot variables by reference (like Assign), the
hyper-parameters as scalars and the gradient as a dense tensor, and outputs the variable (a
reference). The maths, in TF1's exact order of operations, is in each op's docstring; the
NumPy kernels are in backends/numpy_backend/training_kernels.py.
"""

from .registry import register_op, apply_op1

__all__ = ["apply_gradient_descent", "apply_momentum", "apply_adam", "apply_adagrad",
           "apply_rms_prop", "apply_centered_rms_prop", "apply_adadelta"]


def _training_infer(n_refs, scalars):
    """infer for an Apply op: inputs are ``n_refs`` variables, then scalars/grad in order.

    ``scalars`` names the non-reference inputs; "grad" must have the variable's shape, every
    other one must be a scalar. All share the variable's base dtype.
    """
    def infer(inputs, attrs):
        var = inputs[0]
        if not var._dtype.is_ref_dtype:
            raise TypeError(
                f"the first input must be a variable (a reference such as 'w:0'); got "
                f"{var.name} of dtype {var._dtype.name}. Pass the tf.Variable itself.")
        base = var._dtype.base_dtype
        if not (base.is_floating or base.is_complex):
            raise TypeError(f"optimizers update floating-point variables; {var.op.name} is "
                            f"{base.name}.")
        shape = var._shape
        for t in inputs[1:n_refs]:
            if not t._dtype.is_ref_dtype:
                raise TypeError(f"slot input {t.name} must be a variable reference.")
            if t._dtype.base_dtype is not base:
                raise TypeError(f"slot {t.op.name} is {t._dtype.base_dtype.name} but variable "
                                f"{var.op.name} is {base.name}.")
            shape = _merge(shape, t._shape, var, t)
        for t, what in zip(inputs[n_refs:], scalars):
            if t._dtype.base_dtype is not base:
                raise TypeError(
                    f"{what} ({t.name}) is {t._dtype.base_dtype.name} but variable "
                    f"{var.op.name} is {base.name}; cast it (tf.cast) to {base.name}.")
            if what in ("grad", "delta"):
                shape = _merge(shape, t._shape, var, t)
            elif t._shape.ndims not in (None, 0):
                raise ValueError(f"{what} must be a scalar, got {t.name} of shape {t._shape}.")
        return var._dtype, shape
    return infer


def _merge(shape, other, var, t):
    if not shape.is_compatible_with(other):
        raise ValueError(f"{t.name} has shape {other} but variable {var.op.name} has shape "
                         f"{shape}; they must be equal.")
    return shape.merge_with(other)


def _register(op_type, refs, scalars, doc):
    inputs = tuple(refs) + tuple(scalars)
    register_op(op_type, inputs=inputs, infer=_training_infer(len(refs), scalars),
                input_types=("T",) * len(inputs), stateful=True,
                ref_inputs=tuple(range(len(refs))),
                not_differentiable="an optimizer's state update", doc=doc)


_register("ApplyGradientDescent", ("var",), ("alpha", "delta"),
          "var -= alpha * delta")
_register("ApplyMomentum", ("var", "accum"), ("lr", "grad", "momentum"),
          "accum = accum * momentum + grad; var -= lr * accum (nesterov: "
          "var -= grad * lr + accum * momentum * lr)")
_register("ApplyAdam", ("var", "m", "v"),
          ("beta1_power", "beta2_power", "lr", "beta1", "beta2", "epsilon", "grad"),
          "lr_t = lr * sqrt(1 - beta2_power) / (1 - beta1_power); m += (grad - m) * (1 - beta1);"
          " v += (grad^2 - v) * (1 - beta2); var -= m * lr_t / (sqrt(v) + epsilon)")
_register("ApplyAdagrad", ("var", "accum"), ("lr", "grad"),
          "accum += grad^2; var -= grad * lr / sqrt(accum)")
_register("ApplyRMSProp", ("var", "ms", "mom"), ("lr", "rho", "momentum", "epsilon", "grad"),
          "ms += (grad^2 - ms) * (1 - rho); mom = mom * momentum + lr * grad / "
          "sqrt(ms + epsilon); var -= mom")
_register("ApplyCenteredRMSProp", ("var", "mg", "ms", "mom"),
          ("lr", "rho", "momentum", "epsilon", "grad"),
          "ms += (grad^2 - ms) * (1 - rho); mg += (grad - mg) * (1 - rho); mom = mom * momentum"
          " + lr * grad / sqrt(ms - mg^2 + epsilon); var -= mom")
_register("ApplyAdadelta", ("var", "accum", "accum_update"), ("lr", "rho", "epsilon", "grad"),
          "accum = accum * rho + grad^2 * (1 - rho); update = sqrt(accum_update + epsilon) / "
          "sqrt(accum + epsilon) * grad; accum_update = accum_update * rho + update^2 * (1 - rho)"
          "; var -= update * lr")


def _apply(op_type, args, attrs, name):
    return apply_op1(op_type, tuple(_ref(a) for a in args), attrs, name)


def _ref(v):
    r = getattr(v, "_ref", None)
    return r() if callable(r) else v


def apply_gradient_descent(var, alpha, delta, use_locking=False, name=None):
    """var -= alpha * delta; the output is the updated variable."""
    return _apply("ApplyGradientDescent", (var, alpha, delta),
                  {"use_locking": bool(use_locking)}, name)


def apply_momentum(var, accum, lr, grad, momentum, use_locking=False, use_nesterov=False,
                   name=None):
    """Momentum update of ``var`` with accumulator ``accum`` (see the op's docstring)."""
    return _apply("ApplyMomentum", (var, accum, lr, grad, momentum),
                  {"use_locking": bool(use_locking), "use_nesterov": bool(use_nesterov)}, name)


def apply_adam(var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad,
               use_locking=False, use_nesterov=False, name=None):
    """Adam update of ``var`` with moments ``m`` and ``v`` (TF1's "epsilon hat" form)."""
    return _apply("ApplyAdam", (var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon,
                                grad),
                  {"use_locking": bool(use_locking), "use_nesterov": bool(use_nesterov)}, name)


def apply_adagrad(var, accum, lr, grad, use_locking=False, update_slots=True, name=None):
    """Adagrad update of ``var`` with squared-gradient accumulator ``accum``."""
    return _apply("ApplyAdagrad", (var, accum, lr, grad),
                  {"use_locking": bool(use_locking), "update_slots": bool(update_slots)}, name)


def apply_rms_prop(var, ms, mom, lr, rho, momentum, epsilon, grad, use_locking=False,
                   name=None):
    """RMSProp update of ``var`` with mean square ``ms`` and momentum ``mom``."""
    return _apply("ApplyRMSProp", (var, ms, mom, lr, rho, momentum, epsilon, grad),
                  {"use_locking": bool(use_locking)}, name)


def apply_centered_rms_prop(var, mg, ms, mom, lr, rho, momentum, epsilon, grad,
                            use_locking=False, name=None):
    """Centered RMSProp: like apply_rms_prop, normalised by the variance (ms - mg^2)."""
    return _apply("ApplyCenteredRMSProp", (var, mg, ms, mom, lr, rho, momentum, epsilon, grad),
                  {"use_locking": bool(use_locking)}, name)


def apply_adadelta(var, accum, accum_update, lr, rho, epsilon, grad, use_locking=False,
                   name=None):
    """Adadelta update of ``var`` with accumulators ``accum`` and ``accum_update``."""
    return _apply("ApplyAdadelta", (var, accum, accum_update, lr, rho, epsilon, grad),
                  {"use_locking": bool(use_locking)}, name)

