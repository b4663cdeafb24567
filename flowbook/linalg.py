"""``tf.linalg``: the linalg API under its TF1 names."""

from .ops.math_ops import matmul  # noqa: F401
from .ops.linalg_ops import (adjoint, eye, trace, matrix_transpose,  # noqa: F401
                             matrix_transpose as transpose, matrix_diag as diag,
                             matrix_diag_part as diag_part, matrix_set_diag as set_diag,
                             matrix_inverse as inv, matrix_determinant as det)
from .ops.einsum_ops import einsum, tensordot  # noqa: F401
