"""Cumulative sums and products along an axis: cumsum, cumprod (with exclusive and reverse).

exclusive=True shifts the running result by one (the first entry is 0 for sums, 1 for
products); reverse=True runs from the end of the axis. The gradient of a cumulative sum is the
cumulative sum of the gradient running the other way; cumprod's is TF's rule, which divides by
x (and gives 0 at entries where x is 0, as TF's div_no_nan does).
"""

from ..graph import dtypes as _dtypes
from ..graph.graph import name_scope
from .convert import convert_to_tensor
from .registry import register_op, apply_op1
from .shape_fns import static_int_list

__all__ = ["cumsum", "cumprod"]


def _scan_infer(inputs, attrs):
    x, axis = inputs
    d = x._dtype.base_dtype
    if d._np.kind not in "iufc":
        raise TypeError(f"cumsum/cumprod need a numeric input, got {d.name}.")
    if axis._dtype.base_dtype not in (_dtypes.int32, _dtypes.int64):
        raise TypeError(f"The axis must be int32 or int64, got {axis._dtype.base_dtype.name}.")
    if axis._shape._dims not in (None, ()):
        raise ValueError(f"The axis must be a scalar, got shape {axis._shape}.")
    n = x._shape.ndims
    a = static_int_list(axis)
    if n is not None and a is not None and not -n <= a < n:
        raise ValueError(f"axis {a} is out of range for a tensor of rank {n} (shape "
                         f"{x._shape}); it must be in [{-n}, {n}).")
    return d, x._shape


def _cumsum_grad(op, g):
    axis = op._inputs[1]
    attrs = {"exclusive": op._attrs["exclusive"], "reverse": not op._attrs["reverse"]}
    return apply_op1("Cumsum", (g, axis), attrs), None


def _cumprod_grad(op, g):
    x, axis = op._inputs
    ex, rev = op._attrs["exclusive"], op._attrs["reverse"]
    prod = apply_op1("Cumprod", (x, axis), {"exclusive": ex, "reverse": rev})
    out = apply_op1("Cumsum", (apply_op1("Mul", (prod, g)), axis),
                    {"exclusive": ex, "reverse": not rev})
    return apply_op1("DivNoNan", (out, x)), None


register_op("Cumsum", inputs=("x", "axis"), input_types=("T", _dtypes.int32),
            infer=_scan_infer, grad=_cumsum_grad,
            doc="y[i] = x[0] + ... + x[i] along axis (exclusive: up to x[i-1]; reverse: from "
                "the end)")
register_op("Cumprod", inputs=("x", "axis"), input_types=("T", _dtypes.int32),
            infer=_scan_infer, grad=_cumprod_grad,
            doc="y[i] = x[0] * ... * x[i] along axis (exclusive: up to x[i-1]; reverse: from "
                "the end)")


def _scan(op_type, x, axis, exclusive, reverse, name):
    with name_scope(name, op_type, [x]) as scope:
        x = convert_to_tensor(x, name="x")
        return apply_op1(op_type, (x, axis), {"exclusive": bool(exclusive),
                                              "reverse": bool(reverse)}, scope)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running sum along ``axis``: cumsum([a, b, c]) = [a, a + b, a + b + c]; exclusive gives
    [0, a, a + b]; reverse gives [a + b + c, b + c, c]."""
    return _scan("Cumsum", x, axis, exclusive, reverse, name)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running product along ``axis``: cumprod([a, b, c]) = [a, a b, a b c]; exclusive gives
    [1, a, a b]; reverse gives [a b c, b c, c]."""
    return _scan("Cumprod", x, axis, exclusive, reverse, name)
