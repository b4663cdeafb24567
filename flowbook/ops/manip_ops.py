"""Ops that rearrange one tensor: transpose, expand_dims, squeeze, tile, reverse.

Each op's shape inference keeps every dim it can know at build time (TF's shape functions),
and rejects at build time what can never run (a perm that is not a permutation, a slice
past the end), naming the shapes; the kernels check the rest at run time.
"""

import numpy as np

from ..graph import dtypes as _dtypes
from ..graph.graph import name_scope
from ..graph.shape import TensorShape, _UNKNOWN
from .convert import convert_to_tensor
from .registry import register_op, apply_op1
from .shape_values import const_ints, constant_value
from . import array_ops, math_ops

__all__ = ["transpose", "invert_permutation", "expand_dims", "squeeze", "tile", "reverse",
           "reverse_v2", "reverse_sequence"]

_INTS = (_dtypes.int32, _dtypes.int64)


# --- helpers shared by the array op modules ---------------------------------------------------
def fmt_shape(s):
    """A TensorShape as TF prints it in errors: [2,?,3] (or <unknown>)."""
    return "<unknown>" if s._dims is None else "[" + ",".join(
        "?" if d is None else str(d) for d in s._dims) + "]"


def unknown_of_rank(n):
    """A shape of rank ``n`` with no known dims (unknown rank when ``n`` is None)."""
    return _UNKNOWN if n is None else TensorShape._from_tuple((None,) * n)


def vector_length(t):
    """The static length of a 1-D tensor, else None."""
    d = t._shape._dims
    return d[0] if d is not None and len(d) == 1 else None


def check_int_input(t, what):
    if t._dtype.base_dtype not in _INTS:
        raise TypeError(f"{what} must be an int32 or int64 tensor, got {t._dtype.base_dtype.name}"
                        f" ({t.name}).")


def norm_axis(a, rank, what="axis"):
    """``a`` in [-rank, rank) mapped to [0, rank); ValueError naming the range otherwise."""
    if not -rank <= a < rank:
        raise ValueError(f"{what} {a} is out of range for a tensor of rank {rank}: it must be "
                         f"in [{-rank}, {rank}).")
    return a % rank


def shape_of(x, out_type=_dtypes.int32):
    """The shape of ``x`` as a static list when fully known, else a Shape tensor."""
    if x._shape.is_fully_defined() and out_type is _dtypes.int32:
        return list(x._shape._dims)
    return array_ops.shape(x, out_type=out_type)


def reshape_like(g, x):
    """``g`` reshaped to the shape of ``x`` (gradient of ops that only move dims around)."""
    return array_ops.reshape(g, shape_of(x))


# --- Transpose, InvertPermutation ------------------------------------------------------------
def _perm_of(p, what="perm"):
    r = len(p)
    norm = [a % r if -r <= a < r else None for a in p]   # TF accepts negative entries
    if None in norm or sorted(norm) != list(range(r)):
        raise ValueError(f"{what} {p} is not a permutation of the {r} dimensions: each of "
                         f"0..{r - 1} must appear exactly once.")
    return norm


def _transpose_infer(inputs, attrs):
    x, perm = inputs
    check_int_input(perm, "transpose's perm")
    xs = x._shape._dims
    n = vector_length(perm)
    if xs is not None and n is not None and n != len(xs):
        raise ValueError(f"transpose: perm has {n} entries but the input has rank {len(xs)} "
                         f"(shape {x._shape}); perm must list each dimension once.")
    p = const_ints(perm)
    if p is None:
        return x._dtype.base_dtype, unknown_of_rank(len(xs) if xs is not None else n)
    p = _perm_of(p)
    if xs is None:
        return x._dtype.base_dtype, unknown_of_rank(len(p))
    return x._dtype.base_dtype, TensorShape._from_tuple(tuple(xs[a] for a in p))


def _inverse_perm(perm):
    p = const_ints(perm)
    if p is not None:
        return np.argsort(_perm_of(p)).astype(np.int32)
    return invert_permutation(perm)


def _transpose_grad(op, g):
    return apply_op1(op._type, (g, _inverse_perm(op._inputs[1]))), None


register_op("Transpose", inputs=("x", "perm"), input_types=("T", _dtypes.int32),
            infer=_transpose_infer, grad=_transpose_grad,
            doc="y = x with its dimensions permuted: y.shape[k] = x.shape[perm[k]]")
register_op("ConjugateTranspose", inputs=("x", "perm"), input_types=("T", _dtypes.int32),
            infer=_transpose_infer, grad=_transpose_grad,
            doc="y = conj(transpose(x, perm))")


def _invert_permutation_infer(inputs, attrs):
    x = inputs[0]
    check_int_input(x, "invert_permutation's input")
    if x._shape._dims is not None and len(x._shape._dims) != 1:
        raise ValueError(f"invert_permutation needs a vector, got shape {x._shape}.")
    return x._dtype.base_dtype, x._shape


register_op("InvertPermutation", inputs=("x",), input_types=(_dtypes.int32,),
            infer=_invert_permutation_infer, not_differentiable="integer permutation",
            doc="y[x[i]] = i")


def invert_permutation(x, name=None):
    """The inverse permutation of the integer vector ``x``."""
    return apply_op1("InvertPermutation", (x,), None, name)


def transpose(a, perm=None, name="transpose", conjugate=False):
    """``a`` with its dimensions permuted by ``perm`` (default: reversed)."""
    with name_scope(name, "transpose", [a]) as scope:
        a = convert_to_tensor(a, name="a")
        op_type = "ConjugateTranspose" if conjugate and a.dtype.is_complex else "Transpose"
        if perm is None:
            r = a.shape.ndims
            if r is not None:
                perm = np.arange(r - 1, -1, -1, dtype=np.int32)
            else:
                rank = array_ops.rank(a)
                perm = math_ops.subtract(math_ops.subtract(rank, 1),
                                         array_ops.range(0, rank, 1))
        return apply_op1(op_type, (a, perm), None, scope)


# --- ExpandDims, Squeeze ---------------------------------------------------------------------
def _scalar_int(t, what):
    v = constant_value(t)
    if v is None:
        return None
    if v.size != 1:
        raise ValueError(f"{what} must be a single integer, got {v.tolist()}.")
    return int(v.reshape(()))


def _expand_dims_infer(inputs, attrs):
    x, dim = inputs
    check_int_input(dim, "expand_dims's axis")
    xs = x._shape._dims
    a = _scalar_int(dim, "expand_dims's axis")
    if xs is None:
        return x._dtype.base_dtype, _UNKNOWN
    r = len(xs)
    if a is None:
        return x._dtype.base_dtype, unknown_of_rank(r + 1)
    if not -r - 1 <= a <= r:
        raise ValueError(f"expand_dims: axis {a} is out of range for a tensor of rank {r} "
                         f"(shape {x._shape}); it must be in [{-r - 1}, {r}].")
    a %= r + 1
    return x._dtype.base_dtype, TensorShape._from_tuple(xs[:a] + (1,) + xs[a:])


register_op("ExpandDims", inputs=("input", "dim"), input_types=("T", _dtypes.int32),
            infer=_expand_dims_infer, grad=lambda op, g: (reshape_like(g, op._inputs[0]), None),
            doc="y = x with a new dimension of size 1 inserted at axis")


def expand_dims(input, axis=None, name=None, dim=None):  # noqa: A002 (TF's names)
    """``input`` with a new axis of size 1 at ``axis`` (negative counts from the end)."""
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim' (its legacy name).")
        axis = dim
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    return apply_op1("ExpandDims", (input, axis), None, name)


def _squeeze_infer(inputs, attrs):
    x = inputs[0]
    xs = x._shape._dims
    axes = attrs["squeeze_dims"]
    if xs is None:
        return x._dtype.base_dtype, _UNKNOWN
    r = len(xs)
    if axes:
        drop = set()
        for a in axes:
            i = norm_axis(a, r, "squeeze: axis")
            if xs[i] is not None and xs[i] != 1:
                raise ValueError(f"Can not squeeze dim[{i}], expected a dimension of 1, got "
                                 f"{xs[i]} (input shape {x._shape}).")
            drop.add(i)
        return x._dtype.base_dtype, TensorShape._from_tuple(
            tuple(d for i, d in enumerate(xs) if i not in drop))
    if None in xs:   # which dims are 1 is only known at run time (TF: unknown shape)
        return x._dtype.base_dtype, _UNKNOWN
    return x._dtype.base_dtype, TensorShape._from_tuple(tuple(d for d in xs if d != 1))


register_op("Squeeze", inputs=("input",), infer=_squeeze_infer,
            grad=lambda op, g: (reshape_like(g, op._inputs[0]),),
            doc="y = x without the given size-1 dimensions (all size-1 dims if none given)")


def squeeze(input, axis=None, name=None, squeeze_dims=None):  # noqa: A002
    """``input`` with size-1 dimensions removed (only those in ``axis`` when given)."""
    if squeeze_dims is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'squeeze_dims' (its legacy name).")
        axis = squeeze_dims
    if axis is None:
        axis = []
    elif isinstance(axis, (int, np.integer)):
        axis = [axis]
    return apply_op1("Squeeze", (input,), {"squeeze_dims": tuple(int(a) for a in axis)}, name)


# --- Tile ------------------------------------------------------------------------------------
def _tile_infer(inputs, attrs):
    x, m = inputs
    check_int_input(m, "tile's multiples")
    xs = x._shape._dims
    n = vector_length(m)
    if xs is not None and n is not None and n != len(xs):
        raise ValueError(f"tile: multiples has {n} entries but the input has rank {len(xs)} "
                         f"(shape {x._shape}); give one multiple per dimension.")
    mv = const_ints(m)
    if mv is None:
        return x._dtype.base_dtype, unknown_of_rank(len(xs) if xs is not None else n)
    if any(v < 0 for v in mv):
        raise ValueError(f"tile: multiples must be non-negative, got {mv}.")
    if xs is None:
        return x._dtype.base_dtype, unknown_of_rank(len(mv))
    return x._dtype.base_dtype, TensorShape._from_tuple(tuple(
        0 if v == 0 else (None if d is None else d * v) for d, v in zip(xs, mv)))


def _tile_grad(op, g):
    x, m = op._inputs
    mv, xs = const_ints(m), x._shape._dims
    if mv is not None and x._shape.is_fully_defined():
        split = [v for pair in zip(mv, xs) for v in pair]
        axes = list(range(0, 2 * len(xs), 2))
        return math_ops.reduce_sum(array_ops.reshape(g, split), axes), None
    # TF's rule: view g as [m0, d0, m1, d1, ...] and sum over the multiples' axes.
    pairs = array_ops.stack([m, array_ops.shape(x, out_type=m.dtype)])
    split = array_ops.reshape(transpose(pairs), [-1])
    axes = array_ops.range(0, array_ops.size(split, out_type=m.dtype), 2)
    return math_ops.reduce_sum(array_ops.reshape(g, split), math_ops.cast(axes,
                                                                         _dtypes.int32)), None


register_op("Tile", inputs=("input", "multiples"), input_types=("T", _dtypes.int32),
            infer=_tile_infer, grad=_tile_grad,
            doc="y = x repeated multiples[i] times along each dimension i")


def tile(input, multiples, name=None):  # noqa: A002
    """``input`` repeated ``multiples[i]`` times along dimension i."""
    return apply_op1("Tile", (input, multiples), None, name)


# --- ReverseV2, ReverseSequence --------------------------------------------------------------
def _reverse_infer(inputs, attrs):
    x, axis = inputs
    check_int_input(axis, "reverse's axis")
    av, xs = const_ints(axis), x._shape._dims
    if av is not None and xs is not None:
        av = [av] if isinstance(av, int) else av
        seen = set()
        for a in av:
            i = norm_axis(a, len(xs), "reverse: axis")
            if i in seen:
                raise ValueError(f"reverse: axis {i} specified more than once in {av}.")
            seen.add(i)
    return x._dtype.base_dtype, x._shape


register_op("ReverseV2", inputs=("tensor", "axis"), input_types=("T", _dtypes.int32),
            infer=_reverse_infer,
            grad=lambda op, g: (apply_op1("ReverseV2", (g, op._inputs[1])), None),
            doc="y = x with the order of elements reversed along the given axes")


def reverse(tensor, axis, name=None):
    """``tensor`` reversed along each dimension in ``axis``."""
    return apply_op1("ReverseV2", (tensor, axis), None, name)


reverse_v2 = reverse


def _reverse_sequence_infer(inputs, attrs):
    x, lens = inputs
    check_int_input(lens, "reverse_sequence's seq_lengths")
    xs = x._shape._dims
    sd, bd = attrs["seq_dim"], attrs["batch_dim"]
    if xs is not None:
        r = len(xs)
        for what, a in (("seq_axis", sd), ("batch_axis", bd)):
            if not 0 <= a < r:
                raise ValueError(f"reverse_sequence: {what} {a} must be in [0, {r}) for an "
                                 f"input of shape {x._shape}.")
        if sd == bd:
            raise ValueError(f"reverse_sequence: seq_axis and batch_axis are both {sd}.")
        n = vector_length(lens)
        if n is not None and xs[bd] is not None and n != xs[bd]:
            raise ValueError(f"reverse_sequence: seq_lengths has {n} entries but dimension "
                             f"{bd} (the batch axis) of the input {x._shape} is {xs[bd]}.")
        if n is not None:
            return x._dtype.base_dtype, TensorShape._from_tuple(xs[:bd] + (n,) + xs[bd + 1:])
    return x._dtype.base_dtype, x._shape


register_op("ReverseSequence", inputs=("input", "seq_lengths"),
            input_types=("T", _dtypes.int64), infer=_reverse_sequence_infer,
            grad=lambda op, g: (apply_op1("ReverseSequence", (g, op._inputs[1]), op._attrs),
                                None),
            doc="y[b, :len[b]] = reverse(x[b, :len[b]]) along seq_dim, rest unchanged")


def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=None, name=None,  # noqa: A002
                     seq_dim=None, batch_dim=None):
    """Reverses the first ``seq_lengths[b]`` elements of each batch entry along ``seq_axis``."""
    seq_axis = seq_axis if seq_axis is not None else seq_dim
    batch_axis = batch_axis if batch_axis is not None else (batch_dim or 0)
    if seq_axis is None:
        raise ValueError("reverse_sequence needs seq_axis (the dimension to reverse).")
    return apply_op1("ReverseSequence", (input, seq_lengths),
                     {"seq_dim": int(seq_axis), "batch_dim": int(batch_axis)}, name)
