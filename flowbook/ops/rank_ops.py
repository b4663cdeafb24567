"""Ranking ops of tf.nn: in_top_k (InTopKV2) and top_k (TopKV2)."""

import collections

from ..graph import dtypes as _dtypes
from ..graph.graph import name_scope
from ..graph.shape import TensorShape, _UNKNOWN
from .convert import convert_to_tensor
from .registry import register_op, apply_op, apply_op1
from .shape_fns import static_int_list
from . import array_ops, gather_ops, manip_ops, reduction_ops

__all__ = ["in_top_k", "top_k"]

_REAL = "iuf"


# --- InTopKV2, TopKV2 ------------------------------------------------------------------------
def _in_top_k_infer(inputs, attrs):
    p, t, k = inputs
    if p._dtype.base_dtype is not _dtypes.float32:
        raise TypeError(f"in_top_k predictions must be float32, got {p._dtype.base_dtype.name}.")
    if not t._dtype.base_dtype.is_integer:
        raise TypeError(f"in_top_k targets must be int32 or int64, got "
                        f"{t._dtype.base_dtype.name}.")
    pd, td = p._shape._dims, t._shape._dims
    if pd is not None and len(pd) != 2:
        raise ValueError(f"predictions must be 2-D [batch, classes], got shape {p._shape}.")
    if td is not None and len(td) != 1:
        raise ValueError(f"targets must be 1-D [batch], got shape {t._shape}.")
    n = td[0] if td is not None else None
    if pd is not None and n is None:
        n = pd[0]
    elif pd is not None and pd[0] is not None and pd[0] != n:
        raise ValueError(f"predictions {p._shape} and targets {t._shape} disagree on the batch "
                         "size.")
    return _dtypes.bool, TensorShape([n])


register_op("InTopKV2", inputs=("predictions", "targets", "k"), input_types=(
    _dtypes.float32, "T", "T"), infer=_in_top_k_infer, not_differentiable="boolean output",
    doc="y[i] = predictions[i, targets[i]] is among the k largest of predictions[i] (ties in)")


def in_top_k(predictions, targets, k, name=None):
    """Whether each target is among the k highest predictions of its row (bool [batch])."""
    with name_scope(name, "in_top_k"):
        targets = convert_to_tensor(targets, name="targets")
        return apply_op1("InTopKV2", (predictions, targets, k), None, None)


def _top_k_infer(inputs, attrs):
    x, k = inputs
    d = x._dtype.base_dtype
    if d._np.kind not in _REAL:
        raise TypeError(f"top_k does not accept dtype {d.name}.")
    kv = static_int_list(k)
    xd = x._shape._dims
    if xd is None:
        return [(d, _UNKNOWN), (_dtypes.int32, _UNKNOWN)]
    if len(xd) < 1:
        raise ValueError("top_k needs an input of rank >= 1.")
    if kv is not None and xd[-1] is not None and kv > xd[-1]:
        raise ValueError(f"input must have at least k={kv} columns, got shape {x._shape}.")
    s = TensorShape(list(xd[:-1]) + [kv])
    return [(d, s), (_dtypes.int32, s)]


def _top_k_grad(op, g_values, g_indices):
    """TF's rule: scatter the values' gradient to the positions the indices point at,
    flattening all leading dims so one ScatterNd does it."""
    x, _ = op._inputs
    idx = op._outputs[1]
    in_shape = array_ops.shape(x)
    k = array_ops.shape(idx)[-1]
    n = in_shape[-1]
    ind_2d = array_ops.reshape(idx, array_ops.stack([-1, k]))
    rows = array_ops.shape(ind_2d)[0]
    offsets = manip_ops.expand_dims(array_ops.range(0, rows * n, n), -1)
    flat = array_ops.reshape(ind_2d + offsets, [-1])
    size = reduction_ops.reduce_prod(in_shape)
    dx = gather_ops.scatter_nd(manip_ops.expand_dims(flat, -1),
                               array_ops.reshape(g_values, [-1]), array_ops.reshape(size, [1]))
    return array_ops.reshape(dx, in_shape), None


register_op("TopKV2", inputs=("input", "k"), input_types=("T", _dtypes.int32),
            infer=_top_k_infer, grad=_top_k_grad,
            doc="(values, indices) = the k largest entries of the last axis, largest first")


def top_k(input, k=1, sorted=True, name=None):  # noqa: A002 (TF's names)
    """The k largest entries of the last axis and their indices (ties: lower index first)."""
    op = apply_op("TopKV2", (input, k), {"sorted": bool(sorted)}, name)
    return TopKV2(*op._outputs)


TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])
