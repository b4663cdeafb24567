"""AdamOptimizer: TF1's Adam (Kingma & Ba, with the "epsilon hat" form of section 2.1).

    lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
    m = beta1 * m + (1 - beta1) * g;  v = beta2 * v + (1 - beta2) * g^2
    var -= lr_t * m / (sqrt(v) + epsilon)

beta1^t and beta2^t are the optimizer's own variables "beta1_power" and "beta2_power",
multiplied by beta1 and beta2 after every step's updates.
"""

from ..ops import training_ops
from ..ops.convert import convert_to_tensor
from ..ops.control_ops import group
from .optimizer import Optimizer

__all__ = ["AdamOptimizer"]


class AdamOptimizer(Optimizer):
    """Adam: per-variable slots "m" and "v" plus the bias-correction accumulators."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 use_locking=False, name="Adam"):
        super().__init__(use_locking, name)
        self._lr = learning_rate
        self._beta1 = beta1
        self._beta2 = beta2
        self._epsilon = epsilon
        self._lr_t = self._beta1_t = self._beta2_t = self._epsilon_t = None

    def _get_beta_accumulators(self, graph=None):
        return (self._get_non_slot_variable("beta1_power", graph),
                self._get_non_slot_variable("beta2_power", graph))

    def _create_slots(self, var_list):
        first_var = min(var_list, key=lambda v: v.name)
        self._create_non_slot_variable(self._beta1, "beta1_power", first_var)
        self._create_non_slot_variable(self._beta2, "beta2_power", first_var)
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name)

    def _prepare(self):
        self._lr_t = convert_to_tensor(self._call_if_callable(self._lr), name="learning_rate")
        self._beta1_t = convert_to_tensor(self._call_if_callable(self._beta1), name="beta1")
        self._beta2_t = convert_to_tensor(self._call_if_callable(self._beta2), name="beta2")
        self._epsilon_t = convert_to_tensor(self._call_if_callable(self._epsilon),
                                            name="epsilon")

    def _apply_dense(self, grad, var):
        b1p, b2p = self._get_beta_accumulators(var.graph)
        c = self._cast
        return training_ops.apply_adam(
            var, self.get_slot(var, "m"), self.get_slot(var, "v"), c(b1p, var), c(b2p, var),
            c(self._lr_t, var), c(self._beta1_t, var), c(self._beta2_t, var),
            c(self._epsilon_t, var), grad, use_locking=self._use_locking).op

    def _finish(self, update_ops, name_scope):
        g = update_ops[0].graph
        with g.control_dependencies(update_ops):
            b1p, b2p = self._get_beta_accumulators(g)
            with g.colocate_with(b1p.op):
                update_beta1 = b1p.assign(b1p * self._beta1_t, use_locking=self._use_locking)
                update_beta2 = b2p.assign(b2p * self._beta2_t, use_locking=self._use_locking)
        return group(*update_ops + [update_beta1, update_beta2], name=name_scope)
