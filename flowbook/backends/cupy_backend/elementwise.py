"""The mechanical port: every NumPy kernel that is a NumPy ufunc (or a ufunc wrapped by
``quiet``) becomes CuPy's ufunc of the same name, unless a hand-written kernel exists.

New elementwise ops from the op library therefore get GPU kernels without GPU code, as long as
their NumPy kernel is registered as the ufunc itself (``BACKEND.kernel("Exp")(np.exp)``).
CuPy raises no floating-point warnings, so ``quiet`` needs no counterpart.
"""

import numpy as np

from ..numpy_backend import BACKEND as NUMPY


def ufunc_of(kernel):
    """The NumPy ufunc a NumPy kernel is (or wraps), else None."""
    while kernel is not None:          # through quiet(...) and broadcasting(...) wrappers
        if isinstance(kernel, np.ufunc):
            return kernel
        kernel = getattr(kernel, "__wrapped__", None)
    return None


def register(B, xp):
    for op_type, k in sorted(NUMPY.kernels.items()):
        if B.has_kernel(op_type):
            continue
        u = ufunc_of(k)
        if u is None:
            continue
        g = getattr(xp, u.__name__, None)
        if g is not None:
            B.kernel_for(op_type, g, how="ufunc")
