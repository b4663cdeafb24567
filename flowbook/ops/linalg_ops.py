"""Matrix ops: batched matmul (BatchMatMul), diagonals (MatrixDiag, MatrixDiagPart,
MatrixSetDiag, Diag, DiagPart), inverse and determinant; composites matrix_transpose, trace,
eye. Batched ops act on the last two dimensions; leading dimensions are batch dimensions.
"""

from ..graph import dtypes as _dtypes
from ..graph.graph import name_scope
from ..graph.shape import TensorShape, _UNKNOWN
from .convert import convert_to_tensor
from .registry import register_op, apply_op1
from .shape_fns import broadcast_dims, same_dtype
from .manip_ops import transpose, expand_dims, fmt_shape
from .join_ops import concat
from . import array_ops, math_ops

__all__ = ["matrix_transpose", "trace", "eye", "diag", "diag_part", "matrix_diag",
           "matrix_diag_part", "matrix_set_diag", "matrix_inverse", "matrix_determinant",
           "adjoint"]


def _at_least(t, n, what):
    dims = t._shape._dims
    if dims is not None and len(dims) < n:
        raise ValueError(f"{what} needs a tensor of rank >= {n}, got shape {fmt_shape(t._shape)} "
                         f"({t.name}).")
    return dims


def _float_or_complex(t, what):
    d = t._dtype.base_dtype
    if not (d.is_floating or d.is_complex):
        raise TypeError(f"{what} needs a float or complex tensor, got {d.name} ({t.name}); "
                        "use tf.cast(x, tf.float32).")
    return d


# --- BatchMatMul -----------------------------------------------------------------------------
def _batch_matmul_infer(inputs, attrs):
    x, y = inputs
    d = same_dtype(inputs)
    if d._np.kind not in "iufc":
        raise TypeError(f"matmul does not accept dtype {d.name}.")
    xs = _at_least(x, 2, "matmul")
    ys = _at_least(y, 2, "matmul")
    if xs is None or ys is None:
        return d, _UNKNOWN
    m, kx = (xs[-1], xs[-2]) if attrs["adj_x"] else (xs[-2], xs[-1])
    ky, n = (ys[-1], ys[-2]) if attrs["adj_y"] else (ys[-2], ys[-1])
    if kx is not None and ky is not None and kx != ky:
        raise ValueError(
            f"Dimensions must be equal, but are {kx} and {ky}: the inner dimensions of the "
            f"matrix product of shapes {fmt_shape(x._shape)} and {fmt_shape(y._shape)} (adjoint_a="
            f"{attrs['adj_x']}, adjoint_b={attrs['adj_y']}) must agree.")
    try:
        batch = broadcast_dims(xs[:-2], ys[:-2])
    except ValueError:
        raise ValueError(f"matmul: the batch dimensions of shapes {fmt_shape(x._shape)} and "
                         f"{fmt_shape(y._shape)} cannot be broadcast together.") from None
    return d, TensorShape._from_tuple(batch + (m, n))


def bmm(x, y, adj_x=False, adj_y=False, name=None):
    """A BatchMatMul node (any rank >= 2, batch dims broadcast)."""
    return apply_op1("BatchMatMul", (x, y), {"adj_x": adj_x, "adj_y": adj_y}, name)


def _batch_matmul_grad(op, g):
    x, y = op._inputs
    ax, ay = op._attrs["adj_x"], op._attrs["adj_y"]
    if not ax:
        gx = bmm(g, y, False, not ay)
        gy = bmm(x, g, True, False) if not ay else bmm(g, x, True, False)
    else:
        gx = bmm(y, g, ay, True)
        gy = bmm(x, g, False, False) if not ay else bmm(g, x, True, True)
    return math_ops.unbroadcast_pair(gx, gy, x, y)


register_op("BatchMatMul", inputs=("x", "y"), infer=_batch_matmul_infer,
            grad=_batch_matmul_grad,
            doc="z[..., :, :] = adj?(x[..., :, :]) @ adj?(y[..., :, :]) (batch dims broadcast)")


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """``a`` with its last two dimensions swapped (conjugated too if ``conjugate``)."""
    with name_scope(name, "matrix_transpose", [a]):
        a = convert_to_tensor(a, name="a")
        r = a.shape.ndims
        if r is not None:
            if r < 2:
                raise ValueError(f"matrix_transpose needs a tensor of rank >= 2, got shape "
                                 f"{a.shape}.")
            perm = list(range(r - 2)) + [r - 1, r - 2]
        else:
            rank = array_ops.rank(a)
            perm = concat([array_ops.range(0, math_ops.subtract(rank, 2), 1),
                           array_ops.stack([math_ops.subtract(rank, 1),
                                            math_ops.subtract(rank, 2)])], 0)
        return transpose(a, perm, conjugate=conjugate)


def adjoint(matrix, name=None):
    """The conjugate transpose of the last two dimensions."""
    with name_scope(name, "adjoint", [matrix]):
        return matrix_transpose(matrix, conjugate=True)


# --- MatrixDiag, MatrixDiagPart, MatrixSetDiag -----------------------------------------------
def _matrix_diag_infer(inputs, attrs):
    x = inputs[0]
    dims = _at_least(x, 1, "matrix_diag")
    if dims is None:
        return x._dtype.base_dtype, _UNKNOWN
    return x._dtype.base_dtype, TensorShape._from_tuple(dims + (dims[-1],))


def _diag_len(m, n):
    if m is None or n is None:
        return None
    return min(m, n)


def _matrix_diag_part_infer(inputs, attrs):
    x = inputs[0]
    dims = _at_least(x, 2, "matrix_diag_part")
    if dims is None:
        return x._dtype.base_dtype, _UNKNOWN
    return x._dtype.base_dtype, TensorShape._from_tuple(dims[:-2] + (_diag_len(*dims[-2:]),))


def _matrix_diag_part_grad(op, g):
    x = op._inputs[0]
    m, n = (x._shape._dims or (None, None))[-2:]
    if m is not None and m == n:
        return (matrix_diag(g),)
    return (matrix_set_diag(array_ops.zeros_like(x), g),)


def _matrix_set_diag_infer(inputs, attrs):
    x, diag = inputs
    d = same_dtype(inputs)
    xs = _at_least(x, 2, "matrix_set_diag")
    _at_least(diag, 1, "matrix_set_diag's diagonal")
    if xs is None:
        return d, _UNKNOWN
    want = TensorShape._from_tuple(xs[:-2] + (_diag_len(*xs[-2:]),))
    if not want.is_compatible_with(diag._shape):
        raise ValueError(f"matrix_set_diag: the diagonal of a {fmt_shape(x._shape)} input must "
                         f"have shape {fmt_shape(want)}, got {fmt_shape(diag._shape)}.")
    ds = diag._shape._dims
    if ds is None:
        return d, x._shape
    batch = want.merge_with(diag._shape)._dims[:-1]    # the diagonal tells the batch dims too
    return d, TensorShape._from_tuple(batch + xs[-2:])


register_op("MatrixDiag", inputs=("diagonal",), infer=_matrix_diag_infer,
            grad=lambda op, g: (matrix_diag_part(g),),
            doc="y[..., i, j] = diagonal[..., i] if i == j else 0")
register_op("MatrixDiagPart", inputs=("input",), infer=_matrix_diag_part_infer,
            grad=_matrix_diag_part_grad, doc="y[..., i] = x[..., i, i]")
register_op("MatrixSetDiag", inputs=("input", "diagonal"), infer=_matrix_set_diag_infer,
            grad=lambda op, g: (matrix_set_diag(g, array_ops.zeros_like(op._inputs[1])),
                                matrix_diag_part(g)),
            doc="y = x with y[..., i, i] = diagonal[..., i]")


def _no_band(k):
    if k != 0:
        raise NotImplementedError("flowbook's matrix diagonal ops support only the main "
                                  "diagonal (k=0).")


def matrix_diag(diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0,
                align="RIGHT_LEFT"):
    """Batched diagonal matrices: [..., n] → [..., n, n] with ``diagonal`` on the diagonal."""
    _no_band(k)
    return apply_op1("MatrixDiag", (diagonal,), None, name)


def matrix_diag_part(input, name="diag_part", k=0, padding_value=0,  # noqa: A002
                     align="RIGHT_LEFT"):
    """The main diagonals of a batch of matrices: [..., m, n] → [..., min(m, n)]."""
    _no_band(k)
    return apply_op1("MatrixDiagPart", (input,), None, name)


def matrix_set_diag(input, diagonal, name="set_diag", k=0, align="RIGHT_LEFT"):  # noqa: A002
    """``input`` with the main diagonal of each matrix replaced by ``diagonal``."""
    _no_band(k)
    return apply_op1("MatrixSetDiag", (input, diagonal), None, name)


# --- Diag, DiagPart (any rank: y[i1..ik, i1..ik] = x[i1..ik]) --------------------------------
def _diag_infer(inputs, attrs):
    x = inputs[0]
    dims = _at_least(x, 1, "diag")
    if dims is None:
        return x._dtype.base_dtype, _UNKNOWN
    return x._dtype.base_dtype, TensorShape._from_tuple(dims + dims)


def _diag_part_infer(inputs, attrs):
    x = inputs[0]
    dims = x._shape._dims
    if dims is None:
        return x._dtype.base_dtype, _UNKNOWN
    k = len(dims) // 2
    if not dims or len(dims) % 2:
        raise ValueError(f"diag_part needs a tensor of even, non-zero rank, got shape "
                         f"{fmt_shape(x._shape)}.")
    a, b = TensorShape._from_tuple(dims[:k]), TensorShape._from_tuple(dims[k:])
    if not a.is_compatible_with(b):
        raise ValueError(f"Dimensions must be equal: diag_part needs a shape of the form "
                         f"s + s, got {fmt_shape(x._shape)}.")
    return x._dtype.base_dtype, a.merge_with(b)


register_op("Diag", inputs=("diagonal",), infer=_diag_infer,
            grad=lambda op, g: (diag_part(g),),
            doc="y[i1..ik, j1..jk] = x[i1..ik] if (i) == (j) else 0 (rank doubles)")
register_op("DiagPart", inputs=("input",), infer=_diag_part_infer,
            grad=lambda op, g: (diag(g),), doc="y[i1..ik] = x[i1..ik, i1..ik] (rank halves)")


def diag(diagonal, name=None):
    """A tensor of twice the rank with ``diagonal`` on its diagonal (TF's tf.diag)."""
    return apply_op1("Diag", (diagonal,), None, name)


def diag_part(input, name=None):  # noqa: A002
    """The diagonal of a tensor of shape s + s (inverse of tf.diag)."""
    return apply_op1("DiagPart", (input,), None, name)


# --- MatrixInverse, MatrixDeterminant --------------------------------------------------------
def _square_infer(what, drop):
    def infer(inputs, attrs):
        x = inputs[0]
        d = _float_or_complex(x, what)
        dims = _at_least(x, 2, what)
        if dims is None:
            return d, _UNKNOWN
        m, n = dims[-2:]
        if m is not None and n is not None and m != n:
            raise ValueError(f"Dimensions must be equal, but are {m} and {n}: {what} needs "
                             f"square matrices, got shape {fmt_shape(x._shape)}.")
        if drop:
            return d, TensorShape._from_tuple(dims[:-2])
        return d, TensorShape._from_tuple(dims[:-2] + (m if m is not None else n,) * 2)
    return infer


def _inverse_grad(op, g):
    ainv = op._outputs[0]
    adj = op._attrs["adjoint"]
    inner = bmm(g, ainv, adj, not adj)
    return (math_ops.negative(bmm(ainv, inner, not adj, False)),)


def _determinant_grad(op, g):
    a, c = op._inputs[0], op._outputs[0]
    scale = expand_dims(expand_dims(math_ops.multiply(g, c), -1), -1)
    return (math_ops.multiply(scale, matrix_inverse(a, adjoint=True)),)


register_op("MatrixInverse", inputs=("input",), infer=_square_infer("matrix_inverse", False),
            grad=_inverse_grad, doc="y[..., :, :] = inv(x[..., :, :]) (of adj(x) if adjoint)")
register_op("MatrixDeterminant", inputs=("input",),
            infer=_square_infer("matrix_determinant", True), grad=_determinant_grad,
            doc="y[...] = det(x[..., :, :])")


def matrix_inverse(input, adjoint=False, name=None):  # noqa: A002
    """The inverse of each square matrix (of its adjoint if ``adjoint``)."""
    return apply_op1("MatrixInverse", (input,), {"adjoint": bool(adjoint)}, name)


def matrix_determinant(input, name=None):  # noqa: A002
    """The determinant of each square matrix in the last two dimensions."""
    return apply_op1("MatrixDeterminant", (input,), None, name)


# --- composites ------------------------------------------------------------------------------
def trace(x, name=None):
    """The sum of the main diagonal of each matrix in the last two dimensions."""
    with name_scope(name, "Trace", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        return math_ops.reduce_sum(matrix_diag_part(x), [-1], name=scope)


def eye(num_rows, num_columns=None, batch_shape=None, dtype=_dtypes.float32, name=None):
    """Identity matrices of shape batch_shape + [num_rows, num_columns] (TF's composite)."""
    with name_scope(name, "eye", [num_rows, num_columns, batch_shape]):
        is_square = num_columns is None
        batch_shape = [] if batch_shape is None else batch_shape
        num_columns = num_rows if num_columns is None else num_columns
        if hasattr(num_rows, "_op") or hasattr(num_columns, "_op"):
            diag_size = num_rows if is_square else math_ops.minimum(num_rows, num_columns)
        else:
            if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0
                       for v in (num_rows, num_columns)):
                raise TypeError("num_rows and num_columns must be positive integer values.")
            is_square = num_rows == num_columns
            diag_size = min(num_rows, num_columns)
        if hasattr(batch_shape, "_op") or hasattr(diag_size, "_op"):
            batch_shape = convert_to_tensor(batch_shape, name="shape", dtype=_dtypes.int32)
            diag_shape = concat((batch_shape, [diag_size]), 0)
            shape = None if is_square else concat((batch_shape, [num_rows, num_columns]), 0)
        else:
            diag_shape = list(batch_shape) + [diag_size]
            shape = None if is_square else list(batch_shape) + [num_rows, num_columns]
        diag_ones = array_ops.ones(diag_shape, dtype=dtype)
        if is_square:
            return matrix_diag(diag_ones)
        return matrix_set_diag(array_ops.zeros(shape, dtype=dtype), diag_ones)
