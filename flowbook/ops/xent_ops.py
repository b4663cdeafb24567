"""Cross-entropy ops of tf.nn: the fused softmax losses and the logistic (sigmoid) ones.

SoftmaxCrossEntropyWithLogits and SparseSoftmaxCrossEntropyWithLogits return, as in TF, the
loss per row and its gradient (softmax - labels) computed in the same pass. Their gradient
rules also handle a gradient flowing into that second output, so second derivatives work
(TF stops them for the sparse op).
"""

from ..graph import dtypes as _dtypes
from ..graph.graph import name_scope
from ..graph.shape import TensorShape
from .convert import convert_to_tensor
from .registry import register_op, apply_op
from .shape_fns import same_dtype
from . import array_ops, manip_ops, math_ops, nn_ops

__all__ = ["softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits_v2",
           "sparse_softmax_cross_entropy_with_logits"]


# --- the fused ops ---------------------------------------------------------------------------
def _check_logits(x, what="logits"):
    d = x._dtype.base_dtype
    if d._np.kind != "f":
        raise TypeError(f"{what} must be floating, got {d.name}; use tf.cast.")
    return d


def _xent_infer(inputs, attrs):
    x, labels = inputs
    d = same_dtype(inputs)
    _check_logits(x)
    if not x._shape.is_compatible_with(labels._shape):
        raise ValueError(f"logits and labels must have the same shape, got logits {x._shape} "
                         f"and labels {labels._shape}.")
    s = x._shape.merge_with(labels._shape)
    if s._dims is not None and len(s._dims) != 2:
        raise ValueError(f"logits and labels must be 2-D [batch, classes], got {s}.")
    s = s if s._dims is not None else TensorShape([None, None])
    return [(d, TensorShape([s._dims[0]])), (d, s)]


def _sparse_xent_infer(inputs, attrs):
    x, labels = inputs
    d = _check_logits(x)
    if not labels._dtype.base_dtype.is_integer:
        raise TypeError(f"labels must be int32 or int64 class indices, got "
                        f"{labels._dtype.base_dtype.name} (for one-hot or soft labels use "
                        "softmax_cross_entropy_with_logits).")
    xd, ld = x._shape._dims, labels._shape._dims
    if xd is not None and len(xd) != 2:
        raise ValueError(f"logits must be 2-D [batch, classes], got {x._shape}.")
    if ld is not None and len(ld) != 1:
        raise ValueError(f"labels must be 1-D [batch], got {labels._shape}.")
    n = (xd or (None,))[0]
    m = (ld or (None,))[0]
    if n is not None and m is not None and n != m:
        raise ValueError(f"logits {x._shape} and labels {labels._shape} must have the same "
                         "batch size.")
    n = n if n is not None else m
    return [(d, TensorShape([n])), (d, TensorShape([n, None if xd is None else xd[1]]))]


def _is_zeros(t):
    """Whether ``t`` is a zero tensor made by tf.gradients for an output nobody used."""
    op = t._op
    if op._type == "ZerosLike":
        return True
    if op._type == "Const":
        return not op._attrs["value"].any()
    if op._type == "Fill":
        v = op._inputs[1]._op
        return v._type == "Const" and not v._attrs["value"].any()
    return False


def _col(v):
    return array_ops.reshape(v, [-1, 1])


def _second_order(logits, grad_grad):
    # The backprop output is softmax(x) - labels; its Jacobian w.r.t. x applied to grad_grad.
    sm = nn_ops.softmax(logits)
    return (grad_grad - math_ops.reduce_sum(grad_grad * sm, 1, keepdims=True)) * sm


def _xent_grad(op, grad_loss, grad_grad):
    logits = op._inputs[0]
    gx = _col(grad_loss) * op._outputs[1]
    gl = _col(grad_loss) * -nn_ops.log_softmax(logits)
    if grad_grad is not None and not _is_zeros(grad_grad):
        gx = gx + _second_order(logits, grad_grad)
        gl = gl - grad_grad
    return gx, gl


def _sparse_xent_grad(op, grad_loss, grad_grad):
    logits = op._inputs[0]
    gx = _col(grad_loss) * op._outputs[1]
    if grad_grad is not None and not _is_zeros(grad_grad):
        gx = gx + _second_order(logits, grad_grad)
    return gx, None


register_op("SoftmaxCrossEntropyWithLogits", inputs=("features", "labels"),
            infer=_xent_infer, grad=_xent_grad,
            doc="loss = -sum(labels * log_softmax(x), 1); backprop = softmax(x) - labels")
register_op("SparseSoftmaxCrossEntropyWithLogits", inputs=("features", "labels"),
            input_types=("T", "Tlabels"), infer=_sparse_xent_infer, grad=_sparse_xent_grad,
            doc="loss = -log_softmax(x)[i, labels[i]]; backprop = softmax(x) - onehot(labels)")


# --- builders --------------------------------------------------------------------------------
def _ensure_named(fn_name, sentinel, labels, logits):
    if sentinel is not None:
        raise ValueError(f"Only call `{fn_name}` with named arguments (labels=..., "
                         "logits=..., ...)")
    if labels is None or logits is None:
        raise ValueError(f"Both labels and logits must be provided to {fn_name}.")


def _flatten_outer(x, ndims):
    """x as [rows, classes] (a Reshape unless it already is 2-D)."""
    if ndims == 2:
        return x
    last = x.shape.as_list()[-1] if ndims is not None else None
    if last is None:
        last = array_ops.shape(x)[-1]
        return array_ops.reshape(x, array_ops.stack([-1, last]))
    return array_ops.reshape(x, [-1, last])


def _restore_outer(cost, logits, ndims):
    if ndims == 2:
        return cost
    s = logits.shape
    if ndims is not None and s[:-1].is_fully_defined():
        return array_ops.reshape(cost, s[:-1].as_list())
    out = array_ops.reshape(cost, array_ops.shape(logits)[:-1])
    if ndims is not None:
        out._shape = TensorShape(s.as_list()[:-1])
    return out


def _move_axis_last(x, axis, ndims):
    if axis == -1 or (ndims is not None and axis == ndims - 1):
        return x
    if ndims is None:
        raise ValueError(f"axis={axis} needs logits of known rank (or use axis=-1).")
    perm = list(range(ndims))
    perm.append(perm.pop(axis % ndims))
    return manip_ops.transpose(x, perm)


def softmax_cross_entropy_with_logits_v2(labels, logits, axis=None, name=None, dim=None):
    """Cross entropy between softmax(logits) and a distribution ``labels`` over ``axis``.

    Gradients flow into labels too (wrap them in tf.stop_gradient if they are targets).
    Returns one loss per row (the shape of logits without ``axis``). Each row of labels
    should sum to 1: the gradient with respect to logits is softmax(logits) - labels, as TF
    computes it, which is the derivative of the loss only for normalised labels.
    """
    if dim is not None:
        if axis is not None and axis != dim:
            raise ValueError("Cannot specify both 'axis' and 'dim' (its legacy name).")
        axis = dim
    axis = -1 if axis is None else axis
    with name_scope(name, "softmax_cross_entropy_with_logits", [logits, labels]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, name="labels")
        orig = logits.dtype.base_dtype
        precise = math_ops.cast(logits, _dtypes.float32) if orig is _dtypes.float16 else logits
        labels = math_ops.cast(labels, precise.dtype.base_dtype)
        ndims = logits.shape.ndims
        if ndims is None:
            ndims = labels.shape.ndims
        precise = _move_axis_last(precise, axis, ndims)
        labels = _move_axis_last(labels, axis, ndims)
        if ndims is not None and ndims < 1:
            raise ValueError(f"logits must have rank >= 1, got shape {logits.shape}.")
        op_name = scope[:-1] if ndims == 2 else None
        cost = apply_op("SoftmaxCrossEntropyWithLogits",
                        (_flatten_outer(precise, ndims), _flatten_outer(labels, ndims)),
                        None, op_name)._outputs[0]
        cost = _restore_outer(cost, precise, ndims)
        return math_ops.cast(cost, orig) if orig is _dtypes.float16 else cost


def softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, dim=-1,
                                      name=None, axis=None):
    """TF1's softmax cross entropy: like _v2, but no gradient flows into ``labels``."""
    _ensure_named("softmax_cross_entropy_with_logits", _sentinel, labels, logits)
    with name_scope(name, "softmax_cross_entropy_with_logits_sg", [logits, labels]) as scope:
        labels = array_ops.stop_gradient(labels, name="labels_stop_gradient")
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits,
                                                axis=axis if axis is not None else dim,
                                                name=scope)


def sparse_softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None,
                                             name=None):
    """Cross entropy of softmax(logits) against integer class ``labels`` (one per row).

    labels has the shape of logits without its last axis; a label outside [0, classes)
    raises InvalidArgumentError when run.
    """
    _ensure_named("sparse_softmax_cross_entropy_with_logits", _sentinel, labels, logits)
    with name_scope(name, "SparseSoftmaxCrossEntropyWithLogits", [labels, logits]):
        labels = convert_to_tensor(labels, name="labels")
        logits = convert_to_tensor(logits, name="logits")
        orig = logits.dtype.base_dtype
        precise = math_ops.cast(logits, _dtypes.float32) if orig is _dtypes.float16 else logits
        op_name = name or "SparseSoftmaxCrossEntropyWithLogits"
        lr, xr = labels.shape.ndims, logits.shape.ndims
        if lr is not None and xr is not None and lr != xr - 1:
            raise ValueError(f"Rank mismatch: rank of labels (received {lr}) should equal rank "
                             f"of logits minus 1 (received {xr}); labels {labels.shape}, "
                             f"logits {logits.shape}.")
        if xr == 0:
            raise ValueError(f"logits must have rank >= 1, got shape {logits.shape}.")
        if xr == 2:
            cost = apply_op("SparseSoftmaxCrossEntropyWithLogits", (precise, labels), None,
                            op_name)._outputs[0]
        else:
            flat_labels = array_ops.reshape(labels, [-1])
            cost = apply_op("SparseSoftmaxCrossEntropyWithLogits",
                            (_flatten_outer(precise, xr), flat_labels), None,
                            op_name)._outputs[0]
            cost = _restore_outer(cost, precise, xr)
        return math_ops.cast(cost, orig) if orig is _dtypes.float16 else cost

