"""Padding and its inverse: pad (Pad, PadV2, MirrorPad) and slice (Slice). Each is the other's
gradient: a slice's gradient pads with zeros, a pad's gradient slices the padding away (and a
mirror pad's gradient folds the mirrored borders back onto the edge, MirrorPadGrad).
"""

import numpy as np

from ..graph import dtypes as _dtypes
from ..graph.shape import TensorShape
from .registry import register_op, apply_op1
from .shape_values import const_ints
from .manip_ops import check_int_input, unknown_of_rank, vector_length, shape_of
from . import array_ops, math_ops

__all__ = ["pad", "slice"]


# --- Pad, PadV2, MirrorPad, MirrorPadGrad -----------------------------------------------------
def _pad_infer_for(sign, mirror):
    def infer(inputs, attrs):
        x, p = inputs[0], inputs[1]
        check_int_input(p, "paddings")
        d = x._dtype.base_dtype
        if len(inputs) == 3 and inputs[2]._dtype.base_dtype is not d:
            raise TypeError(f"pad: constant_values has dtype {inputs[2]._dtype.base_dtype.name}"
                            f" but the tensor has dtype {d.name}.")
        xs, ps = x._shape._dims, p._shape._dims
        if ps is not None and (len(ps) != 2 or ps[1] not in (None, 2) or
                               xs is not None and ps[0] not in (None, len(xs))):
            raise ValueError(f"paddings must have shape [rank, 2] = [{len(xs) if xs else '?'},"
                             f" 2] (one [before, after] pair per dimension), got {p._shape} "
                             f"for a tensor of shape {x._shape}.")
        pv = const_ints(p)
        if pv is None:
            return d, unknown_of_rank(len(xs) if xs is not None else (ps[0] if ps else None))
        if any(v < 0 for pair in pv for v in pair):
            raise ValueError(f"Paddings must be non-negative, got {pv}.")
        if xs is None:
            return d, unknown_of_rank(len(pv))
        if mirror:
            _check_mirror(pv, xs, attrs["mode"], sign)
        return d, TensorShape._from_tuple(tuple(
            None if n is None else n + sign * (b + a) for n, (b, a) in zip(xs, pv)))
    return infer


def _check_mirror(pv, xs, mode, sign):
    off = 1 if mode == "REFLECT" else 0
    for i, (n, (b, a)) in enumerate(zip(xs, pv)):
        if n is None:
            continue
        n = n if sign > 0 else n - b - a
        if max(b, a) > n - off:
            raise ValueError(
                f"{mode} padding of dimension {i} (size {n}) by {[b, a]} is too large: each "
                f"side must be at most {n - off} (the size{' - 1' if off else ''}).")


def _pad_grad(op, g):
    x, p = op._inputs[0], op._inputs[1]
    pv = const_ints(p)
    begin = [b for b, _ in pv] if pv is not None else p[:, 0]
    out = slice(g, begin, shape_of(x, p.dtype.base_dtype))
    return (out, None) if len(op._inputs) == 2 else (out, None, None)


register_op("Pad", inputs=("input", "paddings"), input_types=("T", _dtypes.int32),
            infer=_pad_infer_for(1, False), grad=_pad_grad,
            doc="y = x surrounded by paddings[i] = [before, after] zeros along each dim i")
register_op("PadV2", inputs=("input", "paddings", "constant_values"),
            input_types=("T", _dtypes.int32, "T"), infer=_pad_infer_for(1, False),
            grad=_pad_grad, doc="y = x surrounded by paddings of constant_values")
register_op("MirrorPad", inputs=("input", "paddings"), input_types=("T", _dtypes.int32),
            infer=_pad_infer_for(1, True),
            grad=lambda op, g: (apply_op1("MirrorPadGrad", (g, op._inputs[1]), op._attrs), None),
            doc="y = x padded with its own mirror image (REFLECT: without the edge, "
                "SYMMETRIC: with it)")
register_op("MirrorPadGrad", inputs=("input", "paddings"), input_types=("T", _dtypes.int32),
            infer=_pad_infer_for(-1, True),
            grad=lambda op, g: (apply_op1("MirrorPad", (g, op._inputs[1]), op._attrs), None),
            doc="y = the gradient of MirrorPad: mirrored borders folded back and added")


def pad(tensor, paddings, mode="CONSTANT", name=None, constant_values=0):
    """``tensor`` padded by ``paddings`` ([rank, 2]: before/after per dim).

    mode "CONSTANT" pads with ``constant_values``; "REFLECT" and "SYMMETRIC" mirror the tensor
    without / with its edge (case-insensitive, as TF).
    """
    m = str(mode).upper()
    if m == "CONSTANT":
        if not hasattr(constant_values, "_op") and np.all(np.asarray(constant_values) == 0):
            return apply_op1("Pad", (tensor, paddings), None, name)
        return apply_op1("PadV2", (tensor, paddings, constant_values), None, name)
    if m in ("REFLECT", "SYMMETRIC"):
        return apply_op1("MirrorPad", (tensor, paddings), {"mode": m}, name)
    raise ValueError(f'Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", '
                     f'or "SYMMETRIC". Received `mode` = {mode}')


# --- Slice -----------------------------------------------------------------------------------
def _slice_infer(inputs, attrs):
    x, begin, size = inputs
    check_int_input(begin, "slice's begin")
    check_int_input(size, "slice's size")
    xs = x._shape._dims
    nb, ns = vector_length(begin), vector_length(size)
    for what, n in (("begin", nb), ("size", ns)):
        if n is not None and xs is not None and n != len(xs):
            raise ValueError(f"slice: {what} has {n} entries but the input has rank {len(xs)} "
                             f"(shape {x._shape}); give one per dimension.")
    b, s = const_ints(begin), const_ints(size)
    if s is None:
        return x._dtype.base_dtype, unknown_of_rank(len(xs) if xs is not None else nb)
    out = []
    for i, si in enumerate(s):
        dim = xs[i] if xs is not None else None
        bi = b[i] if b is not None else None
        if bi is not None and bi < 0:
            raise ValueError(f"slice: begin[{i}] = {bi} must be >= 0 (slice counts from the "
                             "start; use tensor[...] indexing for negative positions).")
        if si < -1:
            raise ValueError(f"slice: size[{i}] = {si} must be >= 0, or -1 for 'to the end'.")
        if dim is not None and bi is not None and (bi > dim or si != -1 and bi + si > dim):
            raise ValueError(
                f"slice: begin {b} and size {s} reach past the end of dimension {i} of the "
                f"input shape {x._shape} (begin[{i}] + size[{i}] = {bi + max(si, 0)} > {dim}).")
        out.append(si if si != -1 else (None if dim is None or bi is None else dim - bi))
    return x._dtype.base_dtype, TensorShape(out)


def _slice_grad(op, g):
    x, begin, _ = op._inputs
    b = const_ints(begin)
    y = op._outputs[0]
    if b is not None and x._shape.is_fully_defined() and y._shape.is_fully_defined():
        pads = [[bi, n - bi - k] for bi, n, k in zip(b, x._shape._dims, y._shape._dims)]
        return pad(g, pads), None, None
    it = begin.dtype.base_dtype
    after = math_ops.subtract(math_ops.subtract(array_ops.shape(x, out_type=it),
                                                array_ops.shape(g, out_type=it)), begin)
    return pad(g, array_ops.stack([begin, after], axis=1)), None, None


register_op("Slice", inputs=("input", "begin", "size"), input_types=("T", "Index", "Index"),
            infer=_slice_infer, grad=_slice_grad,
            doc="y = x[begin[0]:begin[0]+size[0], ...] (size -1: to the end)")


def slice(input_, begin, size, name=None):  # noqa: A001 (TF's name)
    """The block of ``input_`` starting at ``begin`` with extent ``size`` (-1: to the end)."""
    return apply_op1("Slice", (input_, begin, size), None, name)
