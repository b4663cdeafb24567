"""AdadeltaOptimizer (Zeiler 2012): steps scaled by the ratio of running RMS of updates and
gradients, times ``learning_rate`` (1.0 in the paper)."""

from ..ops.convert import convert_to_tensor
from ..ops import training_ops
from .optimizer import Optimizer

__all__ = ["AdadeltaOptimizer"]


class AdadeltaOptimizer(Optimizer):
    """Adadelta: slots "accum" (squared gradients) and "accum_update" (squared updates)."""

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-8, use_locking=False,
                 name="Adadelta"):
        super().__init__(use_locking, name)
        self._lr = learning_rate
        self._rho = rho
        self._epsilon = epsilon

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "accum", self._name)
            self._zeros_slot(v, "accum_update", self._name)

    def _prepare(self):
        c = self._call_if_callable
        self._lr_t = convert_to_tensor(c(self._lr), name="lr")
        self._rho_t = convert_to_tensor(c(self._rho), name="rho")
        self._epsilon_t = convert_to_tensor(c(self._epsilon), name="epsilon")

    def _apply_dense(self, grad, var):
        return training_ops.apply_adadelta(
            var, self.get_slot(var, "accum"), self.get_slot(var, "accum_update"),
            self._cast(self._lr_t, var), self._cast(self._rho_t, var),
            self._cast(self._epsilon_t, var), grad, use_locking=self._use_locking).op
