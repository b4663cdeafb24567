"""tf.nn composites built from primitives, as TF1 builds them (same scopes and node names):
dropout, l2_normalize, moments, batch_normalization, the logistic losses, conv1d, ...

Composites get shapes, gradients and every backend for free from their primitives.
"""

import numbers

from ..graph import dtypes as _dtypes
from ..graph.graph import name_scope
from ..graph.shape import TensorShape, as_shape
from .convert import convert_to_tensor
from . import (array_ops, conv_ops, gather_ops, join_ops, manip_ops, math_ops, nn_ops,
               random_ops, scan_ops)

__all__ = ["dropout", "l2_normalize", "moments", "batch_normalization",
           "sigmoid_cross_entropy_with_logits", "weighted_cross_entropy_with_logits",
           "zero_fraction", "relu_layer", "conv1d", "embedding_lookup"]


# --- dropout ---------------------------------------------------------------------------------
def _noise_shape(x, noise_shape):
    if noise_shape is None:
        return array_ops.shape(x)
    if hasattr(noise_shape, "_op"):
        return noise_shape
    ns = as_shape(noise_shape)
    xd = x.shape.dims
    if xd is not None and ns.dims is not None and len(xd) == len(ns.dims):
        ns = TensorShape([d.value if n.value is None and d.value is not None else n.value
                          for d, n in zip(xd, ns.dims)])
    if not ns.is_fully_defined():
        raise ValueError(f"noise_shape {ns} has unknown entries that x {x.shape} cannot fill; "
                         "pass a tensor (e.g. tf.shape(x)) for dynamic shapes.")
    return ns.as_list()


def _static_value(t):
    op = t._op
    if op._type == "Const":
        return op._attrs["value"]
    return None


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """Keeps each element with probability keep_prob (scaled by 1 / keep_prob), else 0.

    TF1's construction: floor(keep_prob + uniform[0, 1)) is a 0/1 mask; x / keep_prob * mask.
    ``rate`` (TF 1.13+) is the drop probability, 1 - keep_prob; pass one of the two.
    ``noise_shape`` broadcasts the mask (e.g. [batch, 1] drops whole rows).
    """
    if keep_prob is not None and rate is not None:
        raise ValueError("Cannot specify both 'keep_prob' and 'rate' (rate = 1 - keep_prob).")
    if keep_prob is None and rate is None:
        raise ValueError("dropout needs keep_prob (TF1) or rate (the drop probability).")
    with name_scope(name, "dropout", [x]):
        x = convert_to_tensor(x, name="x")
        if not x.dtype.is_floating:
            raise ValueError(f"x has to be a floating point tensor since it's going to be "
                             f"scaled. Got a {x.dtype.name} tensor instead.")
        if rate is not None:
            if isinstance(rate, numbers.Real) and not 0 <= rate < 1:
                raise ValueError(f"rate must be a scalar tensor or a float in the range "
                                 f"[0, 1), got {rate:g}")
            rate = convert_to_tensor(rate, dtype=x.dtype.base_dtype, name="rate")
            _check_scalar(rate, "rate")
            keep = 1 - rate
            divide = math_ops.divide
        else:
            if isinstance(keep_prob, numbers.Real) and not 0 < keep_prob <= 1:
                raise ValueError(f"keep_prob must be a scalar tensor or a float in the range "
                                 f"(0, 1], got {keep_prob:g}")
            keep = convert_to_tensor(keep_prob, dtype=x.dtype.base_dtype, name="keep_prob")
            _check_scalar(keep, "keep_prob")
            v = _static_value(keep)
            if v is not None and v == 1:
                return x
            divide = math_ops.div
        shape = _noise_shape(x, noise_shape)
        random_tensor = keep + random_ops.random_uniform(shape, seed=seed, dtype=x.dtype)
        binary_tensor = math_ops.floor(random_tensor)
        out = divide(x, keep) * binary_tensor
        if out.shape.is_compatible_with(x.shape):
            out._shape = out.shape.merge_with(x.shape)
        return out


def _check_scalar(t, what):
    if t.shape.ndims not in (None, 0):
        raise ValueError(f"{what} must be a scalar, got shape {t.shape}.")


# --- normalisation ---------------------------------------------------------------------------
def _lookup(new, new_name, old, old_name):
    if new is not None and old is not None:
        raise ValueError(f"Cannot specify both '{new_name}' and '{old_name}' (its legacy name).")
    return new if new is not None else old


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """x / sqrt(max(sum(x ** 2, axis), epsilon)) (axis None: all axes)."""
    axis = _lookup(axis, "axis", dim, "dim")
    with name_scope(name, "l2_normalize", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        square_sum = math_ops.reduce_sum(math_ops.square(x), axis, keepdims=True)
        x_inv_norm = math_ops.rsqrt(math_ops.maximum(square_sum, epsilon))
        return math_ops.multiply(x, x_inv_norm, name=scope)


def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    """(mean, variance) of x over ``axes`` (float16 is computed in float32)."""
    keep = _lookup(keepdims, "keepdims", keep_dims, "keep_dims")
    keep = bool(keep)
    with name_scope(name, "moments", [x, axes]):
        x = convert_to_tensor(x, name="x")
        y = math_ops.cast(x, _dtypes.float32) if x.dtype == _dtypes.float16 else x
        mean = math_ops.reduce_mean(y, axes, keepdims=True, name="mean")
        variance = math_ops.reduce_mean(
            math_ops.squared_difference(y, array_ops.stop_gradient(mean)), axes,
            keepdims=True, name="variance")
        if not keep:
            mean = manip_ops.squeeze(mean, axes)
            variance = manip_ops.squeeze(variance, axes)
        if x.dtype == _dtypes.float16:
            return math_ops.cast(mean, _dtypes.float16), math_ops.cast(variance, _dtypes.float16)
        return mean, variance


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """(x - mean) * scale / sqrt(variance + epsilon) + offset (offset, scale may be None)."""
    with name_scope(name, "batchnorm", [x, mean, variance, scale, offset]):
        inv = math_ops.rsqrt(variance + variance_epsilon)
        if scale is not None:
            inv = inv * scale
        scaled = x * math_ops.cast(inv, x.dtype)
        shift = offset - mean * inv if offset is not None else -mean * inv
        return scaled + math_ops.cast(shift, x.dtype)


# --- logistic losses -------------------------------------------------------------------------
def _same_shape(a, b, what):
    if not a.shape.is_compatible_with(b.shape):
        raise ValueError(f"logits and {what} must have the same shape ({a.shape} vs "
                         f"{b.shape}).")


def sigmoid_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """Elementwise logistic loss, stable for any logits:
    max(x, 0) - x * z + log(1 + exp(-|x|)), with x = logits, z = labels."""
    if _sentinel is not None:
        raise ValueError("Only call `sigmoid_cross_entropy_with_logits` with named arguments "
                         "(labels=..., logits=..., ...)")
    if labels is None or logits is None:
        raise ValueError("Both labels and logits must be provided.")
    with name_scope(name, "logistic_loss", [logits, labels]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, dtype=logits.dtype.base_dtype, name="labels")
        _same_shape(logits, labels, "labels")
        zeros = array_ops.zeros_like(logits, dtype=logits.dtype)
        cond = logits >= zeros
        relu_logits = math_ops.select(cond, logits, zeros)
        neg_abs_logits = math_ops.select(cond, -logits, logits)
        return math_ops.add(relu_logits - logits * labels,
                            math_ops.log1p(math_ops.exp(neg_abs_logits)), name=scope)


def weighted_cross_entropy_with_logits(labels=None, logits=None, pos_weight=None, name=None,
                                       targets=None):
    """Logistic loss with the positive term weighted by pos_weight:
    (1 - z) * x + (1 + (q - 1) * z) * (log(1 + exp(-|x|)) + max(-x, 0))."""
    labels = _lookup(labels, "labels", targets, "targets")
    if labels is None or logits is None or pos_weight is None:
        raise ValueError("weighted_cross_entropy_with_logits needs labels (or targets), logits "
                         "and pos_weight.")
    with name_scope(name, "logistic_loss", [logits, labels]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, dtype=logits.dtype.base_dtype, name="targets")
        _same_shape(logits, labels, "targets")
        log_weight = 1 + (pos_weight - 1) * labels
        return math_ops.add(
            (1 - labels) * logits,
            log_weight * (math_ops.log1p(math_ops.exp(-math_ops.abs(logits))) +
                          nn_ops.relu(-logits)), name=scope)


# --- small helpers of tf.nn ------------------------------------------------------------------
def zero_fraction(value, name=None):
    """The fraction of zeros in ``value`` (a float32 scalar), e.g. for ReLU sparsity."""
    with name_scope(name, "zero_fraction", [value]):
        value = convert_to_tensor(value, name="value")
        zero = array_ops.constant(0, dtype=value.dtype, name="zero")
        return math_ops.reduce_mean(math_ops.cast(math_ops.equal(value, zero),
                                                  _dtypes.float32))


def relu_layer(x, weights, biases, name=None):
    """relu(matmul(x, weights) + biases)."""
    with name_scope(name, "relu_layer", [x, weights, biases]) as scope:
        x = convert_to_tensor(x, name="x")
        weights = convert_to_tensor(weights, name="weights")
        biases = convert_to_tensor(biases, name="biases")
        xw_plus_b = nn_ops.bias_add(math_ops.matmul(x, weights), biases)
        return nn_ops.relu(xw_plus_b, name=scope)


def _conv1d_value(v, channels_first, what):
    """An int, [w] or a 3-list in data_format order → the width entry."""
    if isinstance(v, (list, tuple)):
        if len(v) == 1:
            return int(v[0])
        if len(v) == 3:
            return int(v[2] if channels_first else v[1])
        raise ValueError(f"{what} must be an int or a list of 1 or 3 ints, got {v}.")
    return int(v)


def conv1d(value=None, filters=None, stride=None, padding=None, use_cudnn_on_gpu=None,
           data_format=None, name=None, input=None, dilations=None):  # noqa: A002
    """1-D convolution of [batch, width, in] by [width, in, out] (a Conv2D of height 1)."""
    value = _lookup(input, "input", value, "value")
    fmt = data_format or "NWC"
    if fmt not in ("NWC", "NCW"):
        raise ValueError(f"data_format must be 'NWC' or 'NCW', got {data_format!r}.")
    channels_first = fmt == "NCW"
    s = _conv1d_value(stride, channels_first, "stride")
    d = _conv1d_value(1 if dilations is None else dilations, channels_first, "dilations")
    with name_scope(name, "conv1d", [value, filters]) as scope:
        spatial = 2 if channels_first else 1
        value = manip_ops.expand_dims(value, spatial)
        filters = manip_ops.expand_dims(filters, 0)
        result = conv_ops.conv2d(value, filters, strides=[1, s], padding=padding,
                                 data_format="NCHW" if channels_first else "NHWC",
                                 dilations=[1, d], use_cudnn_on_gpu=use_cudnn_on_gpu is not False)
        return manip_ops.squeeze(result, [spatial], name=scope)


# --- embedding_lookup ------------------------------------------------------------------------
def _clip_rows(x, ids, max_norm):
    """TF's max_norm: each embedding (the dims after the ids' dims) scaled to norm <= max_norm."""
    if max_norm is None:
        return x
    ri, rx = ids.shape.ndims, x.shape.ndims
    if ri is None or rx is None:
        raise ValueError("embedding_lookup with max_norm needs ids and params of known rank.")
    axes = list(range(ri, rx))
    norm = math_ops.sqrt(math_ops.reduce_sum(x * x, axes, keepdims=True))
    scale = max_norm / math_ops.maximum(norm, max_norm)
    return x * scale


def _mod_positions(params, ids):
    """Rows in concat(params) of the ids under "mod" sharding: id i is row i // n of shard
    i % n, i.e. row offset[i % n] + i // n of the concatenation."""
    n = len(params)
    it = ids.dtype.base_dtype
    sizes = array_ops.stack([array_ops.shape(p, out_type=it)[0] for p in params])
    offsets = scan_ops.cumsum(sizes, exclusive=True)
    return gather_ops.gather(offsets, ids % n) + ids // n


def embedding_lookup(params, ids, partition_strategy="mod", name=None, validate_indices=True,
                     max_norm=None):
    """Rows of ``params`` at ``ids`` (a gather along axis 0).

    ``params`` may be a list of shards of one table: with partition_strategy "mod" id i lives
    in shard i % n, with "div" the ids are split into contiguous ranges, as in TF.
    """
    if params is None:
        raise ValueError("params must be specified")
    if isinstance(params, (list, tuple)) and not params:
        raise ValueError("Need at least one param")
    if partition_strategy not in ("mod", "div"):
        raise ValueError(f"Unrecognized partition strategy: {partition_strategy}")
    if not isinstance(params, (list, tuple)):
        params = [params]
    params = list(params)
    with name_scope(name, "embedding_lookup", params + [ids]) as scope:
        params = [convert_to_tensor(p, name="params") for p in params]
        ids = convert_to_tensor(ids, name="ids")
        if len(params) == 1:
            table = params[0]
        else:
            table = join_ops.concat(params, 0)
            if partition_strategy == "mod":
                ids = _mod_positions(params, ids)
        result = _clip_rows(gather_ops.gather(table, ids, name=scope), ids, max_norm)
        return array_ops.identity(result)
