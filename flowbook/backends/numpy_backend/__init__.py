"""The NumPy backend: the reference implementation of every op (CPU)."""

from ..base import Backend

BACKEND = Backend("numpy", "CPU")

# Kernel modules register themselves on BACKEND; one module per op family (mirrors flowbook/ops).
from . import array_kernels, math_kernels, state_kernels, random_kernels, control_kernels  # noqa: E402,F401
from . import training_kernels  # noqa: E402,F401
from . import control_flow_kernels  # noqa: E402,F401
