"""The NumPy backend: the reference implementation of every op (CPU)."""

from ..base import Backend

BACKEND = Backend("numpy", "CPU")

# Kernel modules register themselves on BACKEND; one module per op family (mirrors flowbook/ops).
from . import array_kernels, math_kernels, state_kernels, random_kernels, control_kernels  # noqa: E402,F401
from . import logic_kernels, unary_kernels, elementwise_kernels, reduction_kernels  # noqa: E402,F401
from . import debug_kernels  # noqa: E402,F401
from . import nn_kernels, conv_kernels  # noqa: E402,F401
from . import training_kernels  # noqa: E402,F401
from . import manip_kernels, pad_kernels, join_kernels, gather_kernels, creation_kernels  # noqa: E402,F401
from . import linalg_kernels  # noqa: E402,F401
from . import training_kernels  # noqa: E402,F401
from . import control_flow_kernels  # noqa: E402,F401
from . import io_kernels  # noqa: E402,F401
from . import summary_kernels  # noqa: E402,F401
