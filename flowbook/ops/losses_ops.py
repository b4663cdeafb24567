"""tf.losses: weighted losses with TF1's Reduction semantics and the LOSSES collection.

Every loss computes elementwise losses, multiplies them by ``weights`` (a scalar or a tensor
broadcastable to the losses: same rank, each dim 1 or equal) and reduces them as
``reduction`` says; the result is added to ``loss_collection`` (GraphKeys.LOSSES unless
None). The default, SUM_BY_NONZERO_WEIGHTS, divides the weighted sum by the number of
losses whose weight is non-zero (0 when there are none, never NaN). Scopes and node names
follow TF 1.x ("mean_squared_error/value").

Unlike TF, float64 inputs are computed in float64 (TF computes in float32 and casts back);
float16 and integer inputs are computed in float32 as in TF.
"""

from ..graph import dtypes as _dtypes
from ..graph.graph import GraphKeys, get_default_graph, name_scope
from .convert import convert_to_tensor
from . import array_ops, elementwise_ops, manip_ops, math_ops, nn_ops, nn_impl, xent_ops

__all__ = ["Reduction", "compute_weighted_loss", "add_loss", "get_losses",
           "get_regularization_losses", "get_regularization_loss", "get_total_loss",
           "absolute_difference", "mean_squared_error", "huber_loss", "log_loss", "hinge_loss",
           "cosine_distance", "sigmoid_cross_entropy", "softmax_cross_entropy",
           "sparse_softmax_cross_entropy"]


class Reduction:
    """How a weighted loss tensor becomes the returned loss (TF1's tf.losses.Reduction)."""

    NONE = "none"
    SUM = "weighted_sum"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    MEAN = "weighted_mean"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls):
        return (cls.NONE, cls.SUM, cls.MEAN, cls.SUM_OVER_BATCH_SIZE,
                cls.SUM_OVER_NONZERO_WEIGHTS, cls.SUM_BY_NONZERO_WEIGHTS)

    @classmethod
    def validate(cls, key):
        if key not in cls.all():
            raise ValueError(f"Invalid Reduction Key {key}. Use one of tf.losses.Reduction's "
                             f"values: {', '.join(cls.all()[:5])}.")


# --- the LOSSES collection -------------------------------------------------------------------
def add_loss(loss, loss_collection=GraphKeys.LOSSES):
    """Adds ``loss`` to ``loss_collection`` (nothing when the collection is None)."""
    if loss_collection:
        get_default_graph().add_to_collection(loss_collection, loss)


def get_losses(scope=None, loss_collection=GraphKeys.LOSSES):
    """The losses in ``loss_collection`` (those under name scope ``scope`` if given)."""
    return get_default_graph().get_collection(loss_collection, scope)


def get_regularization_losses(scope=None):
    """The REGULARIZATION_LOSSES collection (e.g. from get_variable(regularizer=...))."""
    return get_default_graph().get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope=None, name="total_regularization_loss"):
    """The sum of the regularization losses, or a constant 0.0 when there are none."""
    losses = get_regularization_losses(scope)
    if losses:
        return math_ops.add_n(losses, name=name)
    return array_ops.constant(0.0)


def get_total_loss(add_regularization_losses=True, name="total_loss", scope=None):
    """The sum of get_losses() (and of the regularization losses, by default)."""
    losses = list(get_losses(scope=scope))
    if add_regularization_losses:
        losses += get_regularization_losses(scope=scope)
    if not losses:
        raise ValueError("No losses to add: tf.losses.get_total_loss() found nothing in the "
                         "LOSSES (or REGULARIZATION_LOSSES) collection. Build a loss with "
                         "tf.losses.* or register one with tf.losses.add_loss(loss).")
    if len(losses) == 1:
        return array_ops.identity(losses[0], name=name)
    return math_ops.add_n(losses, name=name)


# --- weighting and reduction -----------------------------------------------------------------
def _compute_dtype(t):
    d = t.dtype.base_dtype
    return d if d in (_dtypes.float32, _dtypes.float64) else _dtypes.float32


def _as_float(x, dtype, name):
    """x (tensor or Python value) as ``dtype``; Python values become a Const "Cast/x" as in TF."""
    if hasattr(x, "_op"):
        return math_ops.cast(x, dtype)
    with name_scope(None, "Cast", [x]):
        return convert_to_tensor(x, dtype=dtype, name=name)


def _check_broadcastable(weights, losses):
    ws, ls = weights.shape, losses.shape
    if ws.ndims is None or ws.ndims == 0 or ls.ndims is None:
        return
    if ws.ndims != ls.ndims:
        raise ValueError(f"weights can not be broadcast to values. values.rank={ls.ndims}. "
                         f"weights.rank={ws.ndims}. values.shape={ls}. weights.shape={ws}. "
                         "weights must be a scalar or have the rank of the losses, each "
                         "dimension 1 or equal to the losses'.")
    for w, v in zip(ws.as_list(), ls.as_list()):
        if w is not None and v is not None and w not in (1, v):
            raise ValueError(f"weights can not be broadcast to values: weights.shape={ws}, "
                             f"values.shape={ls} (dimension {w} vs {v}).")


def _safe_mean(losses, num_present):
    total = math_ops.reduce_sum(losses)
    return elementwise_ops.div_no_nan(total, num_present, name="value")


def _num_present(losses, weights):
    with name_scope(None, "num_present", (losses, weights)) as scope:
        present = math_ops.select(math_ops.equal(weights, 0.0), array_ops.zeros_like(weights),
                                  array_ops.ones_like(weights))
        if not (present.shape.is_fully_defined() and losses.shape.is_fully_defined() and
                present.shape == losses.shape):
            with name_scope(None, "broadcast_weights", (present, losses)) as bscope:
                present = math_ops.multiply(present, array_ops.ones_like(losses), name=bscope)
        return math_ops.reduce_sum(present, name=scope)


def _num_elements(losses):
    with name_scope(None, "num_elements", [losses]) as scope:
        return math_ops.cast(array_ops.size(losses, name=scope), losses.dtype)


def compute_weighted_loss(losses, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """weights * losses reduced by ``reduction``; added to ``loss_collection``."""
    Reduction.validate(reduction)
    with name_scope(scope, "weighted_loss", (losses, weights)):
        get_default_graph()._last_loss_reduction = reduction
        losses = convert_to_tensor(losses)
        input_dtype = losses.dtype.base_dtype
        dtype = _compute_dtype(losses)
        losses = math_ops.cast(losses, dtype)
        weights = _as_float(weights, dtype, "x")
        _check_broadcastable(weights, losses)
        weighted = math_ops.multiply(losses, weights)
        if reduction == Reduction.NONE:
            loss = weighted
        else:
            loss = math_ops.reduce_sum(weighted)
            if reduction == Reduction.MEAN:
                loss = _safe_mean(loss, math_ops.reduce_sum(array_ops.ones_like(losses) *
                                                            weights))
            elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
                loss = _safe_mean(loss, _num_present(losses, weights))
            elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
                loss = _safe_mean(loss, _num_elements(losses))
        loss = math_ops.cast(loss, input_dtype)
        add_loss(loss, loss_collection)
        return loss


# --- the losses ------------------------------------------------------------------------------
def _pair(labels, predictions, lname="labels", pname="predictions"):
    if labels is None:
        raise ValueError(f"{lname} must not be None.")
    if predictions is None:
        raise ValueError(f"{pname} must not be None.")
    predictions = convert_to_tensor(predictions)
    labels = convert_to_tensor(labels)
    dtype = _compute_dtype(predictions)
    predictions = math_ops.cast(predictions, dtype)
    labels = math_ops.cast(labels, dtype)
    if not predictions.shape.is_compatible_with(labels.shape):
        raise ValueError(f"Shapes {predictions.shape} and {labels.shape} are incompatible: "
                         f"{pname} and {lname} must have the same shape.")
    return labels, predictions


def _reduced(losses, weights, scope, loss_collection, reduction):
    return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def absolute_difference(labels, predictions, weights=1.0, scope=None,
                        loss_collection=GraphKeys.LOSSES,
                        reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """|predictions - labels|, weighted and reduced."""
    with name_scope(scope, "absolute_difference", (predictions, labels, weights)) as scope:
        labels, predictions = _pair(labels, predictions)
        losses = math_ops.abs(math_ops.subtract(predictions, labels))
        return _reduced(losses, weights, scope, loss_collection, reduction)


def mean_squared_error(labels, predictions, weights=1.0, scope=None,
                       loss_collection=GraphKeys.LOSSES,
                       reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """(predictions - labels)^2, weighted and reduced."""
    with name_scope(scope, "mean_squared_error", (predictions, labels, weights)) as scope:
        labels, predictions = _pair(labels, predictions)
        losses = elementwise_ops.squared_difference(predictions, labels)
        return _reduced(losses, weights, scope, loss_collection, reduction)


def huber_loss(labels, predictions, weights=1.0, delta=1.0, scope=None,
               loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """0.5 * e^2 where |e| <= delta, else delta * (|e| - 0.5 * delta); e = predictions - labels."""
    with name_scope(scope, "huber_loss", (predictions, labels, weights)) as scope:
        labels, predictions = _pair(labels, predictions)
        error = math_ops.subtract(predictions, labels)
        abs_error = math_ops.abs(error)
        quadratic = elementwise_ops.minimum(abs_error, delta)
        linear = math_ops.subtract(abs_error, quadratic)
        half = convert_to_tensor(0.5, dtype=quadratic.dtype)
        quad = math_ops.multiply(half, math_ops.multiply(quadratic, quadratic))
        with name_scope(None, "Mul", [delta, linear]) as mul:   # delta in the losses' dtype
            lin = math_ops.multiply(convert_to_tensor(delta, dtype=linear.dtype.base_dtype,
                                                      name="x"), linear, name=mul)
        losses = math_ops.add(quad, lin)
        return _reduced(losses, weights, scope, loss_collection, reduction)


def log_loss(labels, predictions, weights=1.0, epsilon=1e-7, scope=None,
             loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """-z log(p + eps) - (1 - z) log(1 - p + eps) for probabilities p and labels z."""
    with name_scope(scope, "log_loss", (predictions, labels, weights)) as scope:
        labels, predictions = _pair(labels, predictions)
        losses = -math_ops.multiply(labels, math_ops.log(predictions + epsilon)) - \
            math_ops.multiply((1 - labels), math_ops.log(1 - predictions + epsilon))
        return _reduced(losses, weights, scope, loss_collection, reduction)


def hinge_loss(labels, logits, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
               reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """max(0, 1 - y * logits) with labels 0/1 mapped to y = -1/+1."""
    with name_scope(scope, "hinge_loss", (logits, labels, weights)) as scope:
        labels, logits = _pair(labels, logits, "labels", "logits")
        all_ones = array_ops.ones_like(labels)
        labels = math_ops.subtract(2 * labels, all_ones)
        losses = nn_ops.relu(math_ops.subtract(all_ones, math_ops.multiply(labels, logits)))
        return _reduced(losses, weights, scope, loss_collection, reduction)


def cosine_distance(labels, predictions, axis=None, weights=1.0, scope=None,
                    loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
                    dim=None):
    """1 - sum(predictions * labels, axis) for unit-normalised inputs (kept as a size-1 axis)."""
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim' (its legacy name).")
        axis = dim
    if axis is None:
        raise ValueError("You must specify 'axis'.")
    with name_scope(scope, "cosine_distance_loss", (predictions, labels, weights)) as scope:
        labels, predictions = _pair(labels, predictions)
        radial_diffs = math_ops.multiply(predictions, labels)
        losses = 1 - math_ops.reduce_sum(radial_diffs, axis=(axis,), keepdims=True)
        return _reduced(losses, weights, scope, loss_collection, reduction)


def sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0, label_smoothing=0,
                          scope=None, loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Elementwise logistic loss of logits against 0/1 labels (smoothed towards 1/2)."""
    with name_scope(scope, "sigmoid_cross_entropy_loss",
                    (logits, multi_class_labels, weights)) as scope:
        logits = convert_to_tensor(logits)
        labels = math_ops.cast(multi_class_labels, logits.dtype.base_dtype)
        if not logits.shape.is_compatible_with(labels.shape):
            raise ValueError(f"Shapes {logits.shape} and {labels.shape} are incompatible: "
                             "logits and multi_class_labels must have the same shape.")
        if label_smoothing > 0:
            labels = labels * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = nn_impl.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits,
                                                           name="xentropy")
        return _reduced(losses, weights, scope, loss_collection, reduction)


def softmax_cross_entropy(onehot_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Softmax cross entropy per row; label_smoothing s uses labels (1 - s) * y + s / classes."""
    with name_scope(scope, "softmax_cross_entropy_loss",
                    (logits, onehot_labels, weights)) as scope:
        logits = convert_to_tensor(logits)
        labels = math_ops.cast(onehot_labels, logits.dtype.base_dtype)
        if not logits.shape.is_compatible_with(labels.shape):
            raise ValueError(f"Shapes {logits.shape} and {labels.shape} are incompatible: "
                             "logits and onehot_labels must have the same shape.")
        if label_smoothing > 0:
            num_classes = math_ops.cast(array_ops.shape(labels)[-1], logits.dtype.base_dtype)
            smooth_positives = 1.0 - label_smoothing
            smooth_negatives = label_smoothing / num_classes
            labels = labels * smooth_positives + smooth_negatives
        labels = array_ops.stop_gradient(labels, name="labels_stop_gradient")
        losses = xent_ops.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits,
                                                               name="xentropy")
        return _reduced(losses, weights, scope, loss_collection, reduction)


def _squeeze_last(t):
    return manip_ops.squeeze(t, [-1])


def sparse_softmax_cross_entropy(labels, logits, weights=1.0, scope=None,
                                 loss_collection=GraphKeys.LOSSES,
                                 reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Softmax cross entropy against integer class labels ([batch] or [batch, 1])."""
    with name_scope(scope, "sparse_softmax_cross_entropy_loss",
                    (logits, labels, weights)) as scope:
        labels = convert_to_tensor(labels)
        logits = convert_to_tensor(logits)
        lr, xr = labels.shape.ndims, logits.shape.ndims
        if lr is not None and xr is not None and lr == xr and labels.shape.as_list()[-1] in (
                1, None):
            labels = _squeeze_last(labels)
            lr -= 1
        if hasattr(weights, "_op") or not isinstance(weights, (int, float)):
            weights = convert_to_tensor(weights)
            wr = weights.shape.ndims
            if wr is not None and lr is not None and wr - lr == 1:
                weights = _squeeze_last(weights)
        losses = xent_ops.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits,
                                                                   name="xentropy")
        return _reduced(losses, weights, scope, loss_collection, reduction)

