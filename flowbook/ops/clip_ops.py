"""Gradient clipping: tf.clip_by_norm, tf.global_norm, tf.clip_by_global_norm,
tf.clip_by_average_norm (TF1's composites, op for op; tf.clip_by_value is in elementwise_ops).

Typical use:  grads, _ = tf.clip_by_global_norm(grads, 5.0)  before apply_gradients.
"""

from collections.abc import Sequence

from ..graph import dtypes as _dtypes
from ..graph.graph import name_scope, graph_of
from . import array_ops, math_ops
from .convert import convert_to_tensor
from .elementwise_ops import maximum, minimum
from .logic_ops import where
from .nn_ops import l2_loss
from .reduction_ops import reduce_sum
from .unary_ops import rsqrt, sqrt

__all__ = ["clip_by_norm", "global_norm", "clip_by_global_norm", "clip_by_average_norm"]


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """``t * clip_norm / max(l2norm(t), clip_norm)``: rescales ``t`` so its L2 norm (over
    ``axes``, default all) is at most ``clip_norm``."""
    with name_scope(name, "clip_by_norm", [t, clip_norm]) as scope:
        values = convert_to_tensor(t, name="t")
        l2sum = reduce_sum(values * values, axes, keepdims=True)
        pred = l2sum > 0
        # the two-sided where keeps the gradient finite where the norm is 0
        l2sum_safe = where(pred, l2sum, array_ops.ones_like(l2sum))
        l2norm = where(pred, sqrt(l2sum_safe), l2sum)
        intermediate = values * clip_norm
        if not values.shape.is_compatible_with(intermediate.shape):
            raise ValueError(f"clip_norm must broadcast to the shape of t ({values.shape}); "
                             f"t * clip_norm has shape {intermediate.shape}.")
        return array_ops.identity(intermediate / maximum(l2norm, clip_norm), name=scope)


def _check_list(t_list):
    if not isinstance(t_list, Sequence) or isinstance(t_list, str):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    return list(t_list)


def global_norm(t_list, name=None):
    """sqrt(sum of squares of every element of every tensor in ``t_list``); None entries are
    ignored."""
    t_list = _check_list(t_list)
    with name_scope(name, "global_norm", [t for t in t_list if t is not None]):
        values = [convert_to_tensor(t, name=f"t_{i}") if t is not None else None
                  for i, t in enumerate(t_list)]
        halves = []
        g = graph_of([v for v in values if v is not None])
        for v in values:
            if v is not None:
                with g.colocate_with(v.op):
                    halves.append(l2_loss(v))
        if not halves:
            raise ValueError("global_norm needs at least one tensor that is not None.")
        half = reduce_sum(array_ops.stack(halves))
        two = array_ops.constant(2.0, dtype=half.dtype.base_dtype)
        return sqrt(half * two, name="global_norm")


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """(clipped list, global norm): every tensor scaled by clip_norm / max(global_norm,
    clip_norm), so their joint norm is at most ``clip_norm``; None entries stay None."""
    t_list = _check_list(t_list)
    if use_norm is None:
        use_norm = global_norm(t_list, name)
    present = [t for t in t_list if t is not None]
    with name_scope(name, "clip_by_global_norm", present + [clip_norm]) as scope:
        inv = 1.0 / use_norm
        scale_for_finite = clip_norm * minimum(
            inv, array_ops.constant(1.0, dtype=use_norm.dtype.base_dtype) / clip_norm)
        # a finite norm leaves the scale as is; inf or NaN makes it NaN (as TF1)
        scale = scale_for_finite + (use_norm - use_norm)
        values = [convert_to_tensor(t, name=f"t_{i}") if t is not None else None
                  for i, t in enumerate(t_list)]
        g = graph_of([use_norm] + present)
        clipped = []
        for i, v in enumerate(values):
            if v is None:
                clipped.append(None)
                continue
            with g.colocate_with(v.op):
                clipped.append(array_ops.identity(v * math_ops.cast(scale, v.dtype),
                                                  name=f"{scope}_{i}"))
    return clipped, use_norm


def clip_by_average_norm(t, clip_norm, name=None):
    """``t * clip_norm / max(l2norm(t) / size(t), clip_norm)``: clips the average L2 norm."""
    with name_scope(name, "clip_by_average_norm", [t, clip_norm]) as scope:
        t = convert_to_tensor(t, name="t")
        n_element = math_ops.cast(array_ops.size(t), _dtypes.float32)
        l2norm_inv = rsqrt(reduce_sum(t * t, array_ops.range(array_ops.rank(t))))
        return array_ops.identity(
            t * clip_norm * minimum(l2norm_inv * n_element,
                                    array_ops.constant(1.0) / clip_norm), name=scope)
