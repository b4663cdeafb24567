"""Reductions: reduce_sum/mean/max/min/prod/any/all, reduce_logsumexp, count_nonzero,
argmax/argmin.

Every reduction takes TF1's ``axis`` (or legacy ``reduction_indices``), ``keepdims`` (or
legacy ``keep_dims``); axis None reduces over all axes. Gradients: sum and mean spread the
gradient back; max and min split it evenly among tied maxima (TF's rule); prod divides the
product of the others, counting zeros so that inputs with zeros get exact gradients.
"""

import numpy as np

from ..graph import dtypes as _dtypes
from ..graph.graph import name_scope
from ..graph.shape import TensorShape, _UNKNOWN
from .convert import convert_to_tensor
from .registry import register_op, apply_op1
from .shape_fns import _allowed, reduce_shape, static_int_list
from .math_ops import broadcast_to, cast
from . import array_ops

__all__ = ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod",
           "reduce_any", "reduce_all", "reduce_logsumexp", "reduce_variance", "reduce_std",
           "count_nonzero", "argmax", "argmin"]

_NUM = "iufc"


def _reduce_infer(kinds):
    def infer(inputs, attrs):
        x, axes = inputs
        d = x._dtype.base_dtype
        _allowed(d, kinds, "This reduction")
        return d, reduce_shape(x._shape, static_int_list(axes), attrs["keep_dims"])
    return infer


def _reduced_shape_keepdims(op):
    """Shape of the reduction result with reduced dims kept as 1 (static list or tensor)."""
    x, axes = op._inputs
    xs = x._shape._dims
    ax = static_int_list(axes)
    if xs is not None and None not in xs and ax is not None:
        ax = [ax] if isinstance(ax, int) else ax
        n = len(xs)
        red = {a % n for a in ax} if n else set()
        return [1 if i in red else d for i, d in enumerate(xs)], list(xs)
    return None, None


def _kept_and_full_shape(op):
    """(shape of the result with reduced dims kept as 1, shape of the input): static lists
    when the shapes are known, else int32 tensors (ReducedShape)."""
    kept, xs = _reduced_shape_keepdims(op)
    if kept is not None:
        return kept, xs
    shape_x = array_ops.shape(op._inputs[0])
    return apply_op1("ReducedShape", (shape_x, op._inputs[1])), shape_x


def _spread(g, kept, full):
    """The gradient of a reduction result, broadcast back over the reduced dims."""
    return broadcast_to(array_ops.reshape(g, kept), full)


def _sum_grad(op, g):
    kept, full = _kept_and_full_shape(op)
    return _spread(g, kept, full), None


def _reduced_shape_infer(inputs, attrs):
    return _dtypes.int32, inputs[0]._shape


register_op("ReducedShape", inputs=("input_shape", "axes"), input_types=("T", "Tidx"),
            infer=_reduced_shape_infer, not_differentiable="integer shape arithmetic",
            doc="y = input_shape with the entries at axes set to 1")


def _mean_grad(op, g):
    gx, _ = _sum_grad(op, g)
    x, y = op._inputs[0], op._outputs[0]
    d = gx.dtype.base_dtype
    if x.shape.is_fully_defined() and y.shape.is_fully_defined():
        n = x.shape.num_elements() // max(y.shape.num_elements(), 1)
        return apply_op1("RealDiv", (gx, array_ops.constant(max(n, 1), dtype=d))), None
    n = apply_op1("RealDiv", (cast(array_ops.size(x), d), cast(array_ops.size(y), d)))
    return apply_op1("RealDiv", (gx, n)), None


register_op("Sum", inputs=("input", "reduction_indices"), input_types=("T", _dtypes.int32),
            infer=_reduce_infer(_NUM), grad=_sum_grad,
            doc="y = sum of x over the given axes")
register_op("Mean", inputs=("input", "reduction_indices"), input_types=("T", _dtypes.int32),
            infer=_reduce_infer(_NUM), grad=_mean_grad,
            doc="y = mean of x over the given axes (integer means truncate)")


def _min_or_max_grad(op, g):
    """TF's _MinOrMaxGrad: the gradient is shared evenly by the entries equal to the result."""
    x, axes = op._inputs
    kept, full = _kept_and_full_shape(op)
    y = array_ops.reshape(op._outputs[0], kept)
    g = array_ops.reshape(g, kept)
    indicators = cast(apply_op1("Equal", (y, x)), g.dtype.base_dtype)
    num_selected = apply_op1("Sum", (indicators, axes), {"keep_dims": True})
    share = apply_op1("RealDiv", (indicators, num_selected))
    return apply_op1("Mul", (share, g)), None


def _prod_grad(op, g):
    """d prod / d x_i = the product of the other entries of x_i's group. Computed without
    dividing by zero: with no zero in the group it is prod / x_i; with exactly one zero it is
    the product of the nonzero entries at the zero and 0 elsewhere; with more, 0."""
    x, axes = op._inputs
    d = x.dtype.base_dtype
    kept, full = _kept_and_full_shape(op)
    gx = _spread(g, kept, full)
    zero = array_ops.constant(0, dtype=d)
    is_zero = apply_op1("Equal", (x, zero))
    n_zero = apply_op1("Sum", (cast(is_zero, _dtypes.int32), axes), {"keep_dims": True})
    x_nz = apply_op1("SelectV2", (is_zero, array_ops.constant(1, dtype=d), x))
    p_nz = apply_op1("Prod", (x_nz, axes), {"keep_dims": True})
    at_zero = apply_op1("SelectV2", (apply_op1("Equal", (n_zero, 1)), p_nz, zero))
    no_zero = apply_op1("SelectV2", (apply_op1("Equal", (n_zero, 0)), p_nz, zero))
    others = apply_op1("SelectV2", (is_zero, at_zero, apply_op1("RealDiv", (no_zero, x_nz))))
    return apply_op1("Mul", (gx, others)), None


register_op("Max", inputs=("input", "reduction_indices"), input_types=("T", _dtypes.int32),
            infer=_reduce_infer("iuf"), grad=_min_or_max_grad,
            doc="y = max of x over the given axes")
register_op("Min", inputs=("input", "reduction_indices"), input_types=("T", _dtypes.int32),
            infer=_reduce_infer("iuf"), grad=_min_or_max_grad,
            doc="y = min of x over the given axes")
register_op("Prod", inputs=("input", "reduction_indices"), input_types=("T", _dtypes.int32),
            infer=_reduce_infer(_NUM), grad=_prod_grad,
            doc="y = product of x over the given axes")
register_op("Any", inputs=("input", "reduction_indices"), input_types=("T", _dtypes.int32),
            infer=_reduce_infer("b"), not_differentiable="boolean output",
            doc="y = logical or of x over the given axes")
register_op("All", inputs=("input", "reduction_indices"), input_types=("T", _dtypes.int32),
            infer=_reduce_infer("b"), not_differentiable="boolean output",
            doc="y = logical and of x over the given axes")


def _reduction_axes(x, axis):
    """TF's _ReductionDims: None → all axes (a Const named "Const" built outside the op)."""
    if axis is not None:
        return axis
    r = x.shape.ndims
    if r is not None:
        return array_ops.constant(np.arange(r, dtype=np.int32))
    return array_ops.range(0, array_ops.rank(x), 1)


def _keepdims(keepdims, keep_dims):
    if keep_dims is not None:
        if keepdims is not None and bool(keepdims) != bool(keep_dims):
            raise ValueError("keepdims and keep_dims (legacy) disagree; pass only one.")
        return bool(keep_dims)
    return bool(keepdims)


def _axis(axis, reduction_indices):
    if reduction_indices is not None:
        if axis is not None:
            raise ValueError("Can not specify both 'axis' and 'reduction_indices'.")
        return reduction_indices
    return axis


def _reduce(op_type, input_tensor, axis, keepdims, name, reduction_indices, keep_dims):
    x = convert_to_tensor(input_tensor)
    axes = _reduction_axes(x, _axis(axis, reduction_indices))
    return apply_op1(op_type, (x, axes), {"keep_dims": _keepdims(keepdims, keep_dims)}, name)


def reduce_sum(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
    """Sum over ``axis`` (all axes when None)."""
    return _reduce("Sum", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_mean(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
                keep_dims=None):
    """Mean over ``axis`` (all axes when None); integer inputs give truncated integer means."""
    return _reduce("Mean", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)



def reduce_max(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
    """Maximum over ``axis`` (all axes when None)."""
    return _reduce("Max", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_min(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
    """Minimum over ``axis`` (all axes when None)."""
    return _reduce("Min", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_prod(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
                keep_dims=None):
    """Product over ``axis`` (all axes when None)."""
    return _reduce("Prod", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_any(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
    """Logical or over ``axis`` of a bool tensor (all axes when None)."""
    return _reduce("Any", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_all(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
    """Logical and over ``axis`` of a bool tensor (all axes when None)."""
    return _reduce("All", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_logsumexp(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
                     keep_dims=None):
    """log(sum(exp(x))) over ``axis``, computed stably as TF does: the (finite) maximum m is
    taken out first, log(sum(exp(x - m))) + m, so large inputs neither overflow nor lose the
    result; its gradient is softmax(x)."""
    from .unary_ops import exp, is_finite, log
    keep = _keepdims(keepdims, keep_dims)
    axis = _axis(axis, reduction_indices)
    with name_scope(name, "ReduceLogSumExp", [input_tensor]) as scope:
        x = convert_to_tensor(input_tensor)
        raw_max = reduce_max(x, axis=axis, keepdims=True)
        finite_max = apply_op1("Select", (is_finite(raw_max), raw_max,
                                          array_ops.zeros_like(raw_max)))
        my_max = array_ops.stop_gradient(finite_max)
        result = log(reduce_sum(exp(apply_op1("Sub", (x, my_max))), axis=axis, keepdims=keep))
        if not keep:
            my_max = array_ops.reshape(my_max, array_ops.shape(result))
        return apply_op1("Add", (result, my_max), None, scope)



def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """Variance over ``axis``: mean((x - mean(x))^2) (the population variance, as TF)."""
    from .unary_ops import square
    with name_scope(name, "reduce_variance", [input_tensor]):
        x = convert_to_tensor(input_tensor)
        if not x.dtype.base_dtype.is_floating:
            raise TypeError(f"reduce_variance needs a real floating input, got "
                            f"{x.dtype.base_dtype.name}; cast it first (or take tf.abs of a "
                            "complex tensor).")
        means = reduce_mean(x, axis=axis, keepdims=True)
        diff = apply_op1("Sub", (x, means), None, "sub")
        return reduce_mean(square(diff), axis=axis, keepdims=keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """Standard deviation over ``axis``: sqrt(reduce_variance)."""
    from .unary_ops import sqrt
    with name_scope(name, "reduce_std", [input_tensor]):
        return sqrt(reduce_variance(input_tensor, axis=axis, keepdims=keepdims))

def count_nonzero(input_tensor=None, axis=None, keepdims=None, dtype=_dtypes.int64, name=None,
                  reduction_indices=None, keep_dims=None, input=None):  # noqa: A002
    """How many entries over ``axis`` are not zero (not "" for strings), as ``dtype``."""
    if input is not None:
        if input_tensor is not None:
            raise ValueError("Cannot specify both 'input' and 'input_tensor'.")
        input_tensor = input
    keep = _keepdims(keepdims, keep_dims)
    axis = _axis(axis, reduction_indices)
    with name_scope(name, "count_nonzero", [input_tensor]):
        x = convert_to_tensor(input_tensor, name="input_tensor")
        zero = array_ops.constant("" if x.dtype.base_dtype is _dtypes.string else 0,
                                  dtype=x.dtype.base_dtype, name="zeros")
        nonzero = cast(apply_op1("NotEqual", (x, zero)), _dtypes.int64)
        return cast(reduce_sum(nonzero, axis=axis, keepdims=keep), dtype)


# --- ArgMax, ArgMin --------------------------------------------------------------------------
def _arg_infer(inputs, attrs):
    x, dim = inputs
    if x._dtype.base_dtype._np.kind not in "biuf":
        raise TypeError(f"argmax/argmin need a real numeric or bool input, got "
                        f"{x._dtype.base_dtype.name}.")
    if dim._shape._dims not in (None, ()):
        raise ValueError(f"The axis must be a scalar, got shape {dim._shape}.")
    dims = x._shape._dims
    a = static_int_list(dim)
    if dims is None:
        return attrs["output_type"], _UNKNOWN
    n = len(dims)
    if a is None:
        return attrs["output_type"], TensorShape([None] * max(n - 1, 0))
    if not -n <= a < n:
        raise ValueError(f"Expected dimension in the range [{-n}, {n}), but got {a}.")
    a %= n
    return attrs["output_type"], TensorShape(dims[:a] + dims[a + 1:])


for _t, _w in (("ArgMax", "largest"), ("ArgMin", "smallest")):
    register_op(_t, inputs=("input", "dimension"), input_types=("T", _dtypes.int32),
                infer=_arg_infer, not_differentiable="integer index output",
                doc=f"y = index of the {_w} entry along the axis (the first one at ties)")


def _arg(op_type, input, axis, name, dimension, output_type):  # noqa: A002
    if dimension is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dimension'.")
        axis = dimension
    if axis is None:
        axis = 0
    out = _dtypes.as_dtype(output_type).base_dtype
    if out not in (_dtypes.int32, _dtypes.int64):
        raise TypeError(f"output_type must be int32 or int64, got {out.name}.")
    return apply_op1(op_type, (input, axis), {"output_type": out}, name)


def argmax(input, axis=None, name=None, dimension=None, output_type=_dtypes.int64):  # noqa: A002
    """Index of the largest entry along ``axis`` (0 when None; legacy name ``dimension``),
    int64 unless ``output_type`` says int32."""
    return _arg("ArgMax", input, axis, name, dimension, output_type)


def argmin(input, axis=None, name=None, dimension=None, output_type=_dtypes.int64):  # noqa: A002
    """Index of the smallest entry along ``axis`` (0 when None; legacy name ``dimension``),
    int64 unless ``output_type`` says int32."""
    return _arg("ArgMin", input, axis, name, dimension, output_type)
