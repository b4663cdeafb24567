"""Contractions: einsum (one Einsum op, NumPy's einsum kernel) and tensordot (TF's composite of
transpose, reshape and matmul).

Einsum's gradient for an operand is another einsum: the output gradient contracted with the
other operands onto the operand's subscripts. Three cases need more than that, and are
handled by the rule: a subscript repeated in the operand (a diagonal: an identity matrix
operand ties the copies), a subscript only that operand has (summed away: the gradient is
broadcast back along it), and a size-1 dimension that was broadcast (summed, kept as 1).
"""

import string

import numpy as np

from ..graph import dtypes as _dtypes
from ..graph.graph import name_scope
from ..graph.shape import TensorShape, _UNKNOWN
from .convert import convert_to_tensor
from .registry import register_op, apply_op1
from .shape_fns import same_dtype
from .manip_ops import transpose, expand_dims, shape_of
from .join_ops import concat
from . import array_ops, math_ops

__all__ = ["einsum", "tensordot"]


# --- parsing ---------------------------------------------------------------------------------
def split_equation(equation):
    """(input subscripts, output subscripts or None for implicit mode), spaces removed."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    ins = lhs.split(",")
    for s in ins + ([rhs] if arrow else []):
        body = s.replace("...", "", 1)
        if "." in body or any(c not in string.ascii_letters for c in body):
            raise ValueError(f"einsum: invalid subscripts {s!r} in equation {equation!r}: use "
                             "letters, and at most one '...' per operand.")
    return ins, (rhs if arrow else None)


def expand_equation(equation, ranks):
    """Input and output subscripts as lists of letters, '...' replaced by fresh letters.

    ``ranks``: the operands' ranks (needed only for operands with '...'). Returns None when an
    operand with '...' has an unknown rank.
    """
    ins, out = split_equation(equation)
    if len(ins) != len(ranks):
        raise ValueError(f"einsum: equation {equation!r} has {len(ins)} operand(s) but "
                         f"{len(ranks)} were given.")
    used = set(equation)
    fresh = [c for c in string.ascii_letters if c not in used]
    n_ell = 0
    for s, r in zip(ins, ranks):
        if "..." in s:
            if r is None:
                return None
            n_ell = max(n_ell, r - (len(s) - 3))
    ell = fresh[:n_ell]
    lists = []
    for s, r in zip(ins, ranks):
        if "..." in s:
            k = r - (len(s) - 3)
            if k < 0:
                raise ValueError(f"einsum: subscripts {s!r} name more dimensions than the "
                                 f"operand's rank {r}.")
            a, b = s.split("...")
            lists.append(list(a) + ell[n_ell - k:] + list(b))
        else:
            lists.append(list(s))
    if out is None:
        counts = {}
        for s in ins:
            for c in s.replace("...", ""):
                counts[c] = counts.get(c, 0) + 1
        out_list = ell + sorted(c for c, n in counts.items() if n == 1)
    else:
        a, _, b = out.partition("...")
        out_list = list(a) + (ell if "..." in out else []) + list(b)
    return lists, out_list, set(ell)


# --- Einsum ----------------------------------------------------------------------------------
def _einsum_infer(inputs, attrs):
    eq = attrs["equation"]
    d = same_dtype(inputs)
    parsed = expand_equation(eq, [t._shape.ndims for t in inputs])
    if parsed is None:
        return d, _UNKNOWN
    ins, out, ell = parsed
    sizes = {}
    for k, (subs, t) in enumerate(zip(ins, inputs)):
        dims = t._shape._dims
        if dims is not None and len(dims) != len(subs):
            raise ValueError(f"einsum: operand {k} has shape {t._shape} (rank {len(dims)}) but "
                             f"its subscripts {''.join(subs)!r} in {eq!r} name {len(subs)} "
                             "dimensions.")
        for c, n in zip(subs, dims if dims is not None else (None,) * len(subs)):
            sizes[c] = _merge_size(sizes.get(c, 1 if c in ell else None), n, c, c in ell, eq,
                                   inputs)
    if len(set(out)) != len(out):
        raise ValueError(f"einsum: output subscripts of {eq!r} repeat a letter.")
    missing = [c for c in out if c not in sizes]
    if missing:
        raise ValueError(f"einsum: output subscripts {missing} of {eq!r} appear in no input.")
    return d, TensorShape._from_tuple(tuple(sizes[c] for c in out))


def _merge_size(a, b, letter, broadcast, eq, inputs):
    if a is None or b is None:
        if broadcast and (a == 1 or b == 1):
            return b if a == 1 else a
        return a if b is None else b
    if a == b:
        return a
    if broadcast and 1 in (a, b):
        return a * b
    raise ValueError(f"Dimensions must be equal, but are {a} and {b}: subscript {letter!r} of "
                     f"einsum {eq!r} names dimensions of different sizes in the operand shapes "
                     f"{[str(t._shape) for t in inputs]}.")


def _einsum_grad(op, g):
    xs = op._inputs
    parsed = expand_equation(op._attrs["equation"], [x._shape.ndims for x in xs])
    if parsed is None:
        raise ValueError(f"The gradient of einsum '{op.name}' needs operands of known rank "
                         "(the equation uses '...').")
    ins, out, ell = parsed
    return tuple(_operand_grad(i, ins, out, ell, xs, g) if xs[i].dtype.is_floating or
                 xs[i].dtype.is_complex else None for i in range(len(xs)))


def _operand_grad(i, ins, out, ell, xs, g):
    x, subs = xs[i], ins[i]
    dims = x._shape._dims or (None,) * len(subs)
    used = set(out).union(*[set(s) for s in ins])
    fresh = (c for c in string.ascii_letters if c not in used)
    others = []
    for j in range(len(xs)):
        if j != i:   # a '...' dim of size 1 that was broadcast: its own (summed) letter
            sj, dj = ins[j], xs[j]._shape._dims or (None,) * len(ins[j])
            others.append(([next(fresh) if c in ell and dj[p] == 1 else c
                            for p, c in enumerate(sj)], xs[j]))
    available = set(out).union(*[set(s) for s, _ in others])
    target, eyes, dropped, seen = [], [], [], set()
    for p, c in enumerate(subs):
        if c in seen:                       # a diagonal: tie the copy to c by an identity
            c2 = next(fresh)
            n = dims[p] if dims[p] is not None else array_ops.shape(x)[p]
            eyes.append(([c, c2], _identity(n, g.dtype)))
            target.append(c2)
            continue
        seen.add(c)
        repeated = subs.count(c) > 1
        if not repeated and (c not in available or dims[p] == 1):
            dropped.append(p)               # summed away (or broadcast from size 1)
        else:
            target.append(c)
    operands = [(out, g)] + [(s, _conj(t)) for s, t in others] + eyes
    eq = ",".join("".join(s) for s, _ in operands) + "->" + "".join(target)
    r = apply_op1("Einsum", [[t for _, t in operands]],
                  {"equation": eq, "N": len(operands)})
    if not dropped:
        return r
    for p in dropped:
        r = expand_dims(r, p)
    if all(dims[p] == 1 for p in dropped):
        return r
    return math_ops.broadcast_to(r, shape_of(x))


def _identity(n, dtype):
    from .linalg_ops import eye
    return eye(n, dtype=dtype)


def _conj(t):
    if not t.dtype.is_complex:
        return t
    conj = getattr(math_ops, "conj", None)
    if conj is None:
        raise NotImplementedError("The gradient of a complex einsum needs tf.conj, which this "
                                  "flowbook build lacks.")
    return conj(t)


register_op("Einsum", inputs=("inputs*",), infer=_einsum_infer, grad=_einsum_grad,
            doc="y = sum over the subscripts not in the output of the product of the inputs "
                "(Einstein notation, NumPy's einsum)")


def einsum(equation, *inputs, **kwargs):
    """Einstein summation: e.g. einsum('ij,jk->ik', a, b) is a @ b (NumPy's conventions:
    implicit output mode, '...' for broadcast dimensions)."""
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"einsum got unexpected keyword arguments {sorted(kwargs)}.")
    if len(inputs) == 1 and isinstance(inputs[0], (list, tuple)):
        inputs = tuple(inputs[0])
    split_equation(equation)
    with name_scope(name, "einsum", list(inputs)):
        return apply_op1("Einsum", [list(inputs)], {"equation": equation, "N": len(inputs)})


# --- tensordot (TF's algorithm: contract by one matmul) --------------------------------------
def _tensordot_axes(a, axes):
    r = a.shape.ndims
    if isinstance(axes, (int, np.integer)):
        if axes < 0:
            raise ValueError("'axes' must be at least 0.")
        if r is None:
            raise ValueError("tensordot with an integer axes needs tensors of known rank.")
        if axes > r:
            raise ValueError(f"'axes' must not be larger than the number of dimensions of "
                             f"tensor {a}.")
        return list(range(r - axes, r)), list(range(axes))
    if isinstance(axes, (list, tuple)):
        if len(axes) != 2:
            raise ValueError("'axes' must be an integer or have length 2.")
        a_axes, b_axes = axes
        if isinstance(a_axes, (int, np.integer)) and isinstance(b_axes, (int, np.integer)):
            a_axes, b_axes = [a_axes], [b_axes]
        a_axes, b_axes = [int(v) for v in a_axes], [int(v) for v in b_axes]
        if len(a_axes) != len(b_axes):
            raise ValueError(f"Different number of contraction axes 'a' and 'b', "
                             f"{len(a_axes)} != {len(b_axes)}.")
        return a_axes, b_axes
    raise TypeError(f"tensordot: axes must be an int or a pair of lists of ints, got {axes!r}.")


def _tensordot_reshape(a, axes, flipped=False):
    """``a`` as the matrix [free, contracted] (flipped: [contracted, free]) for one matmul."""
    dims = a.shape.as_list()
    r = len(dims)
    axes = [i % r for i in axes]
    free = [i for i in range(r) if i not in axes]
    perm = axes + free if flipped else free + axes
    free_dims = [dims[i] for i in free]
    if a.shape.is_fully_defined():
        pf = int(np.prod(free_dims, dtype=np.int64))
        pa = int(np.prod([dims[i] for i in axes], dtype=np.int64))
        new_shape = [pa, pf] if flipped else [pf, pa]
        a_t = transpose(a, perm) if perm != list(range(r)) else a
        out = a_t if a_t.shape.as_list() == new_shape else array_ops.reshape(a_t, new_shape)
        return out, free_dims, free_dims
    axes_t = array_ops.constant(axes, dtype=_dtypes.int32, name="axes")
    free_t = array_ops.constant(free, dtype=_dtypes.int32, name="free")
    shape_a = array_ops.shape(a)
    from .gather_ops import gather
    free_dims_t = gather(shape_a, free_t)
    pf = math_ops.reduce_prod(free_dims_t)
    pa = math_ops.reduce_prod(gather(shape_a, axes_t))
    perm_t = concat([axes_t, free_t] if flipped else [free_t, axes_t], 0)
    new_shape = array_ops.stack([pa, pf] if flipped else [pf, pa])
    return array_ops.reshape(transpose(a, perm_t), new_shape), free_dims_t, free_dims


def _tensordot_unknown_rank(a, b, axes, scope):
    """tensordot(a, b, n) when a rank is known only at run time: contract the last n dims of
    a with the first n of b (no transpose needed), reshaping through shape tensors."""
    if not isinstance(axes, (int, np.integer)) or axes < 0:
        raise ValueError(f"tensordot of a tensor of unknown rank needs an integer axes >= 0, "
                         f"got {axes!r} (shapes {a.shape} and {b.shape}).")
    sa, sb = array_ops.shape(a), array_ops.shape(b)
    split = math_ops.subtract(array_ops.rank(a), axes)
    a_free, b_free = sa[:split], sb[axes:]
    contracted = math_ops.reduce_prod(sb[:axes])
    a_mat = array_ops.reshape(a, array_ops.stack([math_ops.reduce_prod(a_free), contracted]))
    b_mat = array_ops.reshape(b, array_ops.stack([contracted, math_ops.reduce_prod(b_free)]))
    return array_ops.reshape(math_ops.matmul(a_mat, b_mat), concat([a_free, b_free], 0),
                             name=scope)


def tensordot(a, b, axes, name=None):
    """Sums the products of ``a`` and ``b`` over the given axes (an int n: the last n axes of a
    with the first n of b; or a pair of axis lists)."""
    with name_scope(name, "Tensordot", [a, b, axes]) as scope:
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, name="b")
        if a.shape.ndims is None or b.shape.ndims is None:
            return _tensordot_unknown_rank(a, b, axes, scope)
        a_axes, b_axes = _tensordot_axes(a, axes)
        for i, j in zip(a_axes, b_axes):
            da, db = a.shape[i].value, b.shape[j].value
            if da is not None and db is not None and da != db:
                raise ValueError(f"tensordot: axis {i} of a (shape {a.shape}) has size {da} "
                                 f"but axis {j} of b (shape {b.shape}) has size {db}.")
        a_mat, a_free, a_static = _tensordot_reshape(a, a_axes)
        b_mat, b_free, b_static = _tensordot_reshape(b, b_axes, True)
        ab = math_ops.matmul(a_mat, b_mat)
        if isinstance(a_free, list) and isinstance(b_free, list):
            if ab.shape.is_fully_defined() and ab.shape.as_list() == a_free + b_free:
                return ab
            return array_ops.reshape(ab, a_free + b_free, name=scope)
        a_free = a_free if hasattr(a_free, "_op") else array_ops.constant(a_free, _dtypes.int32)
        b_free = b_free if hasattr(b_free, "_op") else array_ops.constant(b_free, _dtypes.int32)
        product = array_ops.reshape(ab, concat([a_free, b_free], 0), name=scope)
        product.set_shape(TensorShape(a_static + b_static))
        return product
