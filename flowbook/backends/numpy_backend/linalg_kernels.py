"""Kernels for the matrix ops (flowbook/ops/linalg_ops.py) and einsum (einsum_ops.py).

BatchMatMul, MatrixDiagPart and Einsum call only NumPy functions that dispatch to CuPy
(NEP 13/18), so the GPU backend reuses them (cupy_backend/reused.py).
"""

import numpy as np

from . import BACKEND
from ._util import invalid


def _adj(x):
    x = np.swapaxes(x, -1, -2)
    return np.conj(x) if x.dtype.kind == "c" else x


def _bmm_for(adj_x, adj_y):
    def bmm(x, y):
        if adj_x:
            x = _adj(x)
        if adj_y:
            y = _adj(y)
        try:
            return np.matmul(x, y)
        except ValueError:
            raise invalid(f"matmul: cannot multiply matrices of shapes {list(np.shape(x))} and "
                          f"{list(np.shape(y))} (after the requested adjoints): the inner "
                          "dimensions must agree and the batch dimensions broadcast.") from None
    return bmm


def _bmm(x, y, adj_x=False, adj_y=False):
    return _bmm_for(adj_x, adj_y)(x, y)


_bmm.specialize = _bmm_for
BACKEND.kernel("BatchMatMul")(_bmm)


@BACKEND.kernel("MatrixDiag")
def matrix_diag(d):
    n = d.shape[-1]
    out = np.zeros(d.shape + (n,), dtype=d.dtype)
    i = np.arange(n)
    out[..., i, i] = d
    return out


@BACKEND.kernel("MatrixDiagPart")
def matrix_diag_part(x):
    return np.diagonal(x, axis1=-2, axis2=-1).copy()


@BACKEND.kernel("MatrixSetDiag")
def matrix_set_diag(x, d):
    m, n = x.shape[-2:]
    want = x.shape[:-2] + (min(m, n),)
    if d.shape != want:
        raise invalid(f"matrix_set_diag: the diagonal of a {list(x.shape)} input must have "
                      f"shape {list(want)}, got {list(d.shape)}.")
    out = x.copy()
    i = np.arange(min(m, n))
    out[..., i, i] = d
    return out


@BACKEND.kernel("Diag")
def diag(x):
    n = x.size
    out = np.zeros(n * n, dtype=x.dtype)
    out[::n + 1] = x.reshape(-1)
    return out.reshape(x.shape * 2)


@BACKEND.kernel("DiagPart")
def diag_part(x):
    k = x.ndim // 2
    if x.ndim % 2 or x.shape[:k] != x.shape[k:]:
        raise invalid(f"diag_part needs a tensor of shape s + s, got {list(x.shape)}.")
    n = int(np.prod(x.shape[:k], dtype=np.int64))
    return x.reshape(n, n).diagonal().reshape(x.shape[:k]).copy()


def _square(x, what):
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise invalid(f"{what} needs square matrices, got shape {list(x.shape)}.")


@BACKEND.kernel("MatrixInverse")
def matrix_inverse(x, adjoint=False):
    _square(x, "matrix_inverse")
    try:
        y = np.linalg.inv(x)
    except np.linalg.LinAlgError:
        raise invalid("Input is not invertible: matrix_inverse got a singular matrix.") \
            from None
    return _adj(y).astype(x.dtype, copy=False) if adjoint else y.astype(x.dtype, copy=False)


@BACKEND.kernel("MatrixDeterminant")
def matrix_determinant(x):
    _square(x, "matrix_determinant")
    return np.asarray(np.linalg.det(x)).astype(x.dtype, copy=False)


def _einsum_for(equation, N):  # noqa: N803 (TF's attr name)
    from ...ops.einsum_ops import expand_equation
    parsed_by_ranks = {}
    optimize = N > 1    # contraction order + BLAS (tensordot) instead of nested C loops

    def einsum(*xs):
        ranks = tuple(np.ndim(x) for x in xs)
        parsed = parsed_by_ranks.get(ranks)
        if parsed is None:
            parsed = parsed_by_ranks[ranks] = expand_equation(equation, list(ranks))
        ins, _, ell = parsed
        sizes = {}
        for subs, x in zip(ins, xs):
            if len(subs) != np.ndim(x):
                raise invalid(f"einsum {equation!r}: an operand of shape {list(np.shape(x))} "
                              f"does not have the {len(subs)} dimensions its subscripts name.")
            for c, n in zip(subs, np.shape(x)):
                m = sizes.setdefault(c, n)
                if m != n:
                    if c not in ell or 1 not in (m, n):
                        raise invalid(f"einsum {equation!r}: subscript {c!r} names dimensions "
                                      f"of sizes {m} and {n} in the operand shapes "
                                      f"{[list(np.shape(v)) for v in xs]}.")
                    sizes[c] = max(m, n)
        return np.einsum(equation, *xs, optimize=optimize)
    return einsum


def _einsum(*xs, equation, N):  # noqa: N803
    return _einsum_for(equation, N)(*xs)


_einsum.specialize = _einsum_for
BACKEND.kernel("Einsum")(_einsum)
