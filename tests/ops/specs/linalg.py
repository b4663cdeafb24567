"""Specs for the matrix ops (flowbook/ops/linalg_ops.py) and einsum / tensordot
(flowbook/ops/einsum_ops.py)."""

import numpy as np

import flowbook as tf
from tests.opcheck import Arg, OpSpec

F = (np.float32, np.float64)
NUM = (np.float32, np.float64, np.int32, np.int64)


def _np_set_diag(x, d):
    out = x.copy()
    i = np.arange(d.shape[-1])
    out[..., i, i] = d
    return out


def _np_diag(x):
    return np.diag(x.reshape(-1)).reshape(x.shape * 2)


def _np_diag_part(x):
    k = x.ndim // 2
    n = int(np.prod(x.shape[:k]))
    return x.reshape(n, n).diagonal().reshape(x.shape[:k])


def _well_conditioned(shape):
    """A fixed, well-conditioned batch of square matrices (identity plus small noise)."""
    n = shape[-1]
    rng = np.random.default_rng(7)
    return (np.eye(n) * 2 + 0.3 * rng.standard_normal(shape)).tolist()


SPECS = [
    # BatchMatMul (tf.matmul on rank > 2)
    OpSpec("batch_matmul", tf.matmul, np.matmul, [Arg([2, 2, 3]), Arg([2, 3, 4])],
           ["BatchMatMul"], NUM),
    OpSpec("batch_matmul_broadcast", tf.matmul, np.matmul, [Arg([2, 1, 2, 3]), Arg([3, 3, 2])],
           ["BatchMatMul", "Sum", "Reshape"], F),
    OpSpec("batch_matmul_rank2_rank3", tf.matmul, np.matmul, [Arg([2, 3]), Arg([4, 3, 2])],
           ["BatchMatMul", "Sum"], F),
    OpSpec("batch_matmul_adjoints", lambda a, b: tf.matmul(a, b, transpose_a=True,
                                                           adjoint_b=True),
           lambda a, b: np.swapaxes(a, -1, -2) @ np.swapaxes(b, -1, -2),
           [Arg([2, 3, 2]), Arg([2, 4, 3])], ["BatchMatMul"], F),
    OpSpec("batch_matmul_adj_x", lambda a, b: tf.matmul(a, b, transpose_a=True),
           lambda a, b: np.swapaxes(a, -1, -2) @ b, [Arg([2, 3, 2]), Arg([1, 3, 4])],
           ["BatchMatMul"], F),
    OpSpec("batch_matmul_adj_y", lambda a, b: tf.matmul(a, b, transpose_b=True),
           lambda a, b: a @ np.swapaxes(b, -1, -2), [Arg([2, 2, 3]), Arg([2, 4, 3])],
           ["BatchMatMul"], F),
    OpSpec("batch_matmul_empty_batch", tf.matmul, np.matmul, [Arg([0, 2, 3]), Arg([0, 3, 1])],
           ["BatchMatMul"], F),
    OpSpec("batch_matmul_complex", lambda a, b: tf.matmul(a, b, adjoint_a=True),
           lambda a, b: np.conj(np.swapaxes(a, -1, -2)) @ b, [Arg([2, 3, 2]), Arg([2, 3, 2])],
           ["BatchMatMul"], (np.complex64, np.complex128), grad=False),
    # Diagonals
    OpSpec("matrix_diag", tf.matrix_diag, lambda x: x[..., None] * np.eye(x.shape[-1],
                                                                           dtype=x.dtype),
           [Arg([2, 3])], ["MatrixDiag", "MatrixDiagPart"], NUM),
    OpSpec("matrix_diag_part_square", tf.matrix_diag_part,
           lambda x: np.diagonal(x, axis1=-2, axis2=-1), [Arg([2, 3, 3])],
           ["MatrixDiagPart", "MatrixDiag"], NUM),
    OpSpec("matrix_diag_part_wide", tf.linalg.diag_part,
           lambda x: np.diagonal(x, axis1=-2, axis2=-1), [Arg([2, 2, 4])],
           ["MatrixDiagPart", "MatrixSetDiag", "ZerosLike"], F),
    OpSpec("matrix_set_diag", tf.matrix_set_diag, _np_set_diag, [Arg([2, 4, 3]), Arg([2, 3])],
           ["MatrixSetDiag", "MatrixDiagPart", "ZerosLike"], NUM),
    OpSpec("diag", tf.diag, _np_diag, [Arg([2, 3])], ["Diag", "DiagPart"], NUM),
    OpSpec("diag_part", tf.diag_part, _np_diag_part, [Arg([2, 3, 2, 3])], ["DiagPart", "Diag"],
           NUM),
    OpSpec("trace", tf.trace, lambda x: np.trace(x, axis1=-2, axis2=-1), [Arg([2, 3, 3])],
           ["MatrixDiagPart", "Sum"], NUM),
    OpSpec("matrix_transpose", tf.matrix_transpose, lambda x: np.swapaxes(x, -1, -2),
           [Arg([2, 3, 4])], ["Transpose"], NUM),
    OpSpec("eye_times", lambda x: tf.eye(3, batch_shape=[2], dtype=x.dtype) * x,
           lambda x: np.eye(3, dtype=x.dtype) * x, [Arg([2, 3, 3])], ["MatrixDiag", "Mul"], F),
    OpSpec("eye_rect_times", lambda x: tf.eye(2, 4, dtype=x.dtype) * x,
           lambda x: np.eye(2, 4) * x, [Arg([2, 4])], ["MatrixSetDiag", "Mul"], F),
    # Inverse, determinant
    OpSpec("matrix_inverse", tf.matrix_inverse, np.linalg.inv,
           [Arg([2, 3, 3], "const:%r" % (_well_conditioned([2, 3, 3]),))],
           ["MatrixInverse", "BatchMatMul", "Neg"], F, rtol=1e-4, atol=1e-5),
    OpSpec("matrix_inverse_adjoint", lambda x: tf.matrix_inverse(x, adjoint=True),
           lambda x: np.linalg.inv(x).T, [Arg([3, 3], "const:%r" % (_well_conditioned([3, 3]),))],
           ["MatrixInverse", "BatchMatMul"], F, rtol=1e-4, atol=1e-5),
    OpSpec("linalg_inv_det", lambda x: [tf.linalg.inv(x), tf.linalg.det(x)],
           lambda x: [np.linalg.inv(x), np.linalg.det(x)],
           [Arg([2, 2], "const:%r" % (_well_conditioned([2, 2]),))],
           ["MatrixInverse", "MatrixDeterminant"], F, rtol=1e-4, atol=1e-5),
    OpSpec("matrix_determinant", tf.matrix_determinant, np.linalg.det,
           [Arg([2, 3, 3], "const:%r" % (_well_conditioned([2, 3, 3]),))],
           ["MatrixDeterminant", "MatrixInverse", "ExpandDims"], F, rtol=1e-4, atol=1e-5),
    # Einsum
    OpSpec("einsum_matmul", lambda a, b: tf.einsum("ij,jk->ik", a, b),
           lambda a, b: a @ b, [Arg([2, 3]), Arg([3, 4])], ["Einsum"], NUM),
    OpSpec("einsum_batch_implicit", lambda a, b: tf.einsum("bij,bjk", a, b),
           lambda a, b: np.einsum("bij,bjk", a, b), [Arg([2, 2, 3]), Arg([2, 3, 2])],
           ["Einsum"], F),
    OpSpec("einsum_transpose", lambda x: tf.einsum("ijk->kij", x),
           lambda x: np.einsum("ijk->kij", x), [Arg([2, 3, 4])], ["Einsum"], NUM),
    OpSpec("einsum_sum_out", lambda x: tf.einsum("ij->i", x), lambda x: x.sum(1),
           [Arg([3, 4])], ["Einsum", "ExpandDims", "BroadcastTo"], F),
    OpSpec("einsum_trace_diag", lambda x: [tf.einsum("ii", x), tf.einsum("ii->i", x)],
           lambda x: [np.trace(x), np.diagonal(x)], [Arg([3, 3])],
           ["Einsum", "MatrixDiag", "Fill"], F),
    OpSpec("einsum_outer_three", lambda a, b, c: tf.einsum("i,j,k->ijk", a, b, c),
           lambda a, b, c: np.einsum("i,j,k->ijk", a, b, c), [Arg([2]), Arg([3]), Arg([2])],
           ["Einsum"], F),
    OpSpec("einsum_ellipsis_broadcast", lambda a, b: tf.einsum("...ij,...jk->...ik", a, b),
           lambda a, b: np.einsum("...ij,...jk->...ik", a, b),
           [Arg([2, 1, 2, 3]), Arg([3, 3, 2])], ["Einsum", "ExpandDims"], F),
    OpSpec("einsum_bilinear", lambda x, w, y: tf.einsum("bi,ij,bj->b", x, w, y),
           lambda x, w, y: np.einsum("bi,ij,bj->b", x, w, y),
           [Arg([4, 2]), Arg([2, 3]), Arg([4, 3])], ["Einsum"], F),
    # Tensordot
    OpSpec("tensordot_int", lambda a, b: tf.tensordot(a, b, 1),
           lambda a, b: np.tensordot(a, b, 1), [Arg([2, 3, 4]), Arg([4, 2])],
           ["MatMul", "Reshape"], F),
    OpSpec("tensordot_pairs", lambda a, b: tf.tensordot(a, b, [[0, 2], [1, 0]]),
           lambda a, b: np.tensordot(a, b, [[0, 2], [1, 0]]), [Arg([2, 3, 4]), Arg([4, 2, 5])],
           ["MatMul", "Reshape", "Transpose"], NUM),
    OpSpec("tensordot_outer", lambda a, b: tf.tensordot(a, b, 0),
           lambda a, b: np.tensordot(a, b, 0), [Arg([2]), Arg([3])], ["MatMul"], F),
]

OTHER_TESTS = {}
