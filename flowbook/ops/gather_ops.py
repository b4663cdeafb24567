"""Indexing by integer tensors: gather (GatherV2), gather_nd, scatter_nd, and boolean_mask.

Gradients are dense: TF1 returns IndexedSlices for gather's params, which optimizers turn
into sparse updates; flowbook scatters them into a dense tensor of the params' shape (the
values are the same; only memory use differs).
"""

from ..graph import dtypes as _dtypes
from ..graph.graph import name_scope
from ..graph.shape import TensorShape, _UNKNOWN
from .convert import convert_to_tensor
from .registry import register_op, apply_op1
from .shape_values import const_int, constant_value_as_shape
from .manip_ops import (check_int_input, norm_axis, unknown_of_rank, shape_of, transpose,
                        expand_dims, squeeze)
from .join_ops import concat
from . import array_ops, math_ops

__all__ = ["gather", "gather_nd", "scatter_nd", "boolean_mask"]


def _check_indices(t, what):
    if t._dtype.base_dtype not in (_dtypes.int32, _dtypes.int64):
        raise TypeError(f"{what}: indices must be int32 or int64, got "
                        f"{t._dtype.base_dtype.name} ({t.name}); use tf.cast.")


# --- GatherV2 --------------------------------------------------------------------------------
def _gather_infer(inputs, attrs):
    params, indices, axis_t = inputs
    _check_indices(indices, "gather")
    check_int_input(axis_t, "gather's axis")
    d = params._dtype.base_dtype
    ps, ids = params._shape._dims, indices._shape._dims
    a = const_int(axis_t)
    if ps is None or ids is None:
        return d, _UNKNOWN
    if a is None:
        return d, unknown_of_rank(len(ps) + len(ids) - 1)
    a = norm_axis(a, len(ps), "gather: axis")
    return d, TensorShape._from_tuple(ps[:a] + ids + ps[a + 1:])


def _gather_grad(op, g):
    """d params = g scattered back: transpose the index dims to the front, ScatterNd into
    [N] + other dims, and transpose the scattered axis back into place."""
    params, indices, axis = op._inputs
    it = indices._dtype.base_dtype
    rp, ri = params._shape.ndims, indices._shape.ndims
    a = const_int(axis)
    idx = expand_dims(indices, -1)
    if a is not None and rp is not None and ri is not None:
        a %= rp
        if a == 0:
            return scatter_nd(idx, g, shape_of(params, it)), None, None
        perm = list(range(a, a + ri)) + list(range(a)) + list(range(a + ri, rp + ri - 1))
        back = list(range(1, a + 1)) + [0] + list(range(a + 1, rp))
        ps = params._shape._dims
        if None not in ps and it is _dtypes.int32:
            target = [ps[a]] + list(ps[:a]) + list(ps[a + 1:])
        else:
            sp = array_ops.shape(params, out_type=it)
            target = concat([sp[a:a + 1], sp[:a], sp[a + 1:]], 0)
    else:   # ranks or axis known only at run time: the same steps on shape tensors
        sp = array_ops.shape(params, out_type=_dtypes.int32)
        rp_t, ri_t = array_ops.rank(params), array_ops.rank(indices)
        a = math_ops.floormod(math_ops.cast(axis, _dtypes.int32), rp_t)
        a_end = math_ops.add(a, ri_t)
        perm = concat([array_ops.range(a, a_end, 1), array_ops.range(0, a, 1),
                       array_ops.range(a_end, math_ops.subtract(
                           math_ops.add(rp_t, ri_t), 1), 1)], 0)
        back = concat([array_ops.range(1, math_ops.add(a, 1), 1), [0],
                       array_ops.range(math_ops.add(a, 1), rp_t, 1)], 0)
        target = math_ops.cast(concat([sp[a:a + 1], sp[:a], sp[a + 1:]], 0), it)
    scattered = scatter_nd(idx, transpose(g, perm), target)
    return transpose(scattered, back), None, None


register_op("GatherV2", inputs=("params", "indices", "axis"),
            input_types=("T", "Tindices", _dtypes.int32), infer=_gather_infer,
            grad=_gather_grad,
            doc="y[p..., i..., q...] = params[p..., indices[i...], q...] (indexing along axis)")


def gather(params, indices, validate_indices=None, name=None, axis=None, batch_dims=0):
    """Slices of ``params`` along ``axis`` (default 0) at the positions in ``indices``."""
    if batch_dims:
        raise NotImplementedError(
            "tf.gather with batch_dims != 0 is not supported by flowbook yet; use "
            "tf.gather_nd with the batch index included in each coordinate.")
    if axis is None:
        axis = 0
    return apply_op1("GatherV2", (params, indices, axis), {"batch_dims": 0}, name)


# --- GatherNd, ScatterNd ---------------------------------------------------------------------
def _gather_nd_infer(inputs, attrs):
    params, indices = inputs
    _check_indices(indices, "gather_nd")
    d = params._dtype.base_dtype
    ps, ids = params._shape._dims, indices._shape._dims
    if ids is not None and not ids:
        raise ValueError("gather_nd: indices must have rank >= 1 (the last dimension holds "
                         "the coordinates).")
    if ps is None or ids is None or ids[-1] is None:
        return d, _UNKNOWN
    k = ids[-1]
    if k > len(ps):
        raise ValueError(f"gather_nd: indices.shape[-1] = {k} must be <= the rank of params "
                         f"(shape {params._shape}); indices shape {indices._shape}.")
    return d, TensorShape._from_tuple(ids[:-1] + ps[k:])


register_op("GatherNd", inputs=("params", "indices"), input_types=("T", "Tindices"),
            infer=_gather_nd_infer,
            grad=lambda op, g: (scatter_nd(op._inputs[1], g, shape_of(
                op._inputs[0], op._inputs[1]._dtype.base_dtype)), None),
            doc="y[i...] = params[indices[i..., 0], ..., indices[i..., k-1]] (k = last dim)")


def gather_nd(params, indices, name=None, batch_dims=0):
    """``params`` at the coordinates held in the last dimension of ``indices``."""
    if batch_dims:
        raise NotImplementedError("tf.gather_nd with batch_dims != 0 is not supported by "
                                  "flowbook yet; include the batch index in indices.")
    return apply_op1("GatherNd", (params, indices), None, name)


def _scatter_nd_infer(inputs, attrs):
    indices, updates, shape = inputs
    _check_indices(indices, "scatter_nd")
    if shape._dtype.base_dtype is not indices._dtype.base_dtype:
        raise TypeError(f"scatter_nd: shape ({shape._dtype.base_dtype.name}) must have the "
                        f"dtype of indices ({indices._dtype.base_dtype.name}).")
    out = constant_value_as_shape(shape)
    ids, us, os_ = indices._shape._dims, updates._shape._dims, out._dims
    if ids is not None and not ids:
        raise ValueError("scatter_nd: indices must have rank >= 1.")
    if ids is not None and us is not None and os_ is not None and ids[-1] is not None:
        k = ids[-1]
        want = TensorShape._from_tuple(ids[:-1] + os_[k:])
        if k > len(os_) or not want.is_compatible_with(updates._shape):
            raise ValueError(
                f"scatter_nd: updates must have shape indices.shape[:-1] + shape[{k}:] = "
                f"{want}, got {updates._shape} (indices {indices._shape}, shape {out}).")
    return updates._dtype.base_dtype, out


register_op("ScatterNd", inputs=("indices", "updates", "shape"),
            input_types=("Tindices", "T", "Tindices"), infer=_scatter_nd_infer,
            grad=lambda op, g: (None, gather_nd(g, op._inputs[0]), None),
            doc="y = zeros(shape); y[indices[i...]] += updates[i...] (duplicates add up)")


def scatter_nd(indices, updates, shape, name=None):
    """A tensor of ``shape`` holding ``updates`` summed at the coordinates in ``indices``."""
    return apply_op1("ScatterNd", (indices, updates, shape), None, name)


# --- boolean_mask (composite, as TF builds it) -----------------------------------------------
def boolean_mask(tensor, mask, name="boolean_mask", axis=None):
    """The entries of ``tensor`` where ``mask`` is True, flattened over the mask's dims.

    ``mask`` (bool, rank k >= 1) covers dims ``axis .. axis+k-1`` of ``tensor``; the result has
    those dims replaced by one dim holding the selected entries in row-major order.
    """
    from .math_ops import where
    with name_scope(name, values=[tensor, mask]):
        tensor = convert_to_tensor(tensor, name="tensor")
        mask = convert_to_tensor(mask, name="mask")
        if mask.dtype.base_dtype is not _dtypes.bool:
            raise TypeError(f"boolean_mask: mask must be bool, got {mask.dtype.name}.")
        k = mask.shape.ndims
        if k == 0:
            raise ValueError("mask cannot be scalar.")
        if k is None:
            raise ValueError("Number of mask dimensions must be specified, even if some "
                             "dimensions are None.  E.g. shape=[None] is ok, but shape=None is "
                             "not.")
        axis = 0 if axis is None else int(axis)
        ts = tensor.shape
        if ts.ndims is not None:
            axis = norm_axis(axis, ts.ndims, "boolean_mask: axis")
            if not ts[axis:axis + k].is_compatible_with(mask.shape):
                raise ValueError(f"boolean_mask: mask shape {mask.shape} does not match "
                                 f"dimensions {axis}..{axis + k - 1} of the tensor shape {ts}.")
        sh = array_ops.shape(tensor)
        leading = array_ops.size(mask)      # = the product of the masked dims
        tensor = array_ops.reshape(tensor, concat(
            [sh[:axis], array_ops.reshape(leading, [1]), sh[axis + k:]], 0))
        if ts.ndims is not None:
            known = ts[axis:axis + k].num_elements()
            tensor.set_shape(ts[:axis].concatenate([known]).concatenate(ts[axis + k:]))
        mask = array_ops.reshape(mask, [-1])
        indices = squeeze(where(mask), axis=[1])
        return gather(tensor, indices, axis=axis)
