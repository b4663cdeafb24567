"""Activation, softmax, bias and ranking ops of tf.nn (TF1 op types and builders).

Each activation has TF's backward op (ReluGrad, EluGrad, …) as a real op with its own
gradient rule, so second-order gradients and the graph view look as in TF1.
"""

from ..graph import dtypes as _dtypes
from ..graph.graph import name_scope
from ..graph.shape import TensorShape, _SCALAR
from .convert import convert_to_tensor
from .registry import register_op, apply_op1
from .shape_fns import same_dtype, unary_infer
from . import array_ops, manip_ops, math_ops

__all__ = ["relu", "relu6", "elu", "selu", "leaky_relu", "softplus", "softsign", "softmax",
           "log_softmax", "bias_add", "bias_add_v1", "l2_loss", "xw_plus_b"]

_REAL = "iuf"
_FLOAT = "f"
SELU_SCALE = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717


# --- helpers ---------------------------------------------------------------------------------
def _grad_infer(kinds):
    """infer for (gradients, features) backward ops: features' dtype and merged shape."""
    def infer(inputs, attrs):
        dy, x = inputs
        d = same_dtype(inputs)
        if d._np.kind not in kinds:
            raise TypeError(f"This op does not accept dtype {d.name}.")
        if not dy._shape.is_compatible_with(x._shape):
            raise ValueError(f"gradients {dy._shape} and features {x._shape} must have the "
                             "same shape.")
        return d, x._shape.merge_with(dy._shape)
    return infer


def _zeros(t):
    return array_ops.zeros_like(t)


def _where(cond, x, y):
    return math_ops.select(cond, x, y)


def _unary(op_type, kinds, grad, doc):
    register_op(op_type, inputs=("features",), infer=unary_infer(kinds), grad=grad,
                elementwise=True, doc=doc)


def _backward(op_type, kinds, grad, doc):
    register_op(op_type, inputs=("gradients", "features"), infer=_grad_infer(kinds), grad=grad,
                elementwise=True, doc=doc)


# --- Relu, Relu6, LeakyRelu ------------------------------------------------------------------
_unary("Relu", _REAL, lambda op, g: (relu_grad(g, op._inputs[0]),), "y = max(x, 0)")
_backward("ReluGrad", _REAL, lambda op, g: (relu_grad(g, op._inputs[1]), _zeros(op._inputs[1])),
          "dx = dy where x > 0 else 0")
_unary("Relu6", _REAL, lambda op, g: (relu6_grad(g, op._inputs[0]),), "y = min(max(x, 0), 6)")
_backward("Relu6Grad", _REAL,
          lambda op, g: (relu6_grad(g, op._inputs[1]), _zeros(op._inputs[1])),
          "dx = dy where 0 < x < 6 else 0")
register_op("LeakyRelu", inputs=("features",), infer=unary_infer(_FLOAT), elementwise=True,
            grad=lambda op, g: (leaky_relu_grad(g, op._inputs[0], op._attrs["alpha"]),),
            doc="y = x where x > 0 else alpha * x")
_backward("LeakyReluGrad", _FLOAT,
          lambda op, g: (leaky_relu_grad(g, op._inputs[1], op._attrs["alpha"]),
                         _zeros(op._inputs[1])),
          "dx = dy where x > 0 else alpha * dy")


def relu_grad(gradients, features, name=None):
    return apply_op1("ReluGrad", (gradients, features), None, name)


def relu6_grad(gradients, features, name=None):
    return apply_op1("Relu6Grad", (gradients, features), None, name)


def leaky_relu_grad(gradients, features, alpha=0.2, name=None):
    return apply_op1("LeakyReluGrad", (gradients, features), {"alpha": float(alpha)}, name)


def relu(features, name=None):
    """Rectified linear unit: max(features, 0)."""
    return apply_op1("Relu", (features,), None, name)


def relu6(features, name=None):
    """Rectified linear 6: min(max(features, 0), 6)."""
    with name_scope(name, "Relu6", [features]) as scope:
        features = convert_to_tensor(features, name="features")
        return apply_op1("Relu6", (features,), None, scope)


def leaky_relu(features, alpha=0.2, name=None):
    """Leaky ReLU: features where positive, else alpha * features (integers become float32)."""
    with name_scope(name, "LeakyRelu", [features, alpha]) as scope:
        features = convert_to_tensor(features, name="features")
        if features.dtype.is_integer:
            features = math_ops.cast(features, _dtypes.float32)
        if hasattr(alpha, "item"):
            alpha = alpha.item()
        return apply_op1("LeakyRelu", (features,), {"alpha": float(alpha)}, scope)


# --- Elu, Selu -------------------------------------------------------------------------------
def _elu_grad_grad(op, g):
    dy, y = op._inputs
    neg = math_ops.less(y, array_ops.zeros_like(y))
    return elu_grad(g, y), _where(neg, g * dy, _zeros(y))


def _selu_grad_grad(op, g):
    dy, y = op._inputs
    neg = math_ops.less(y, array_ops.zeros_like(y))
    return selu_grad(g, y), _where(neg, g * dy, _zeros(y))


_unary("Elu", _FLOAT, lambda op, g: (elu_grad(g, op._outputs[0]),),
       "y = x where x > 0 else exp(x) - 1")
register_op("EluGrad", inputs=("gradients", "outputs"), infer=_grad_infer(_FLOAT),
            grad=_elu_grad_grad, elementwise=True,
            doc="dx = dy where y > 0 else dy * (y + 1), from the Elu output y")
_unary("Selu", _FLOAT, lambda op, g: (selu_grad(g, op._outputs[0]),),
       "y = scale * (x where x > 0 else alpha * (exp(x) - 1)), scale≈1.0507, alpha≈1.6733")
register_op("SeluGrad", inputs=("gradients", "outputs"), infer=_grad_infer(_FLOAT),
            grad=_selu_grad_grad, elementwise=True,
            doc="dx = dy * scale where y > 0 else dy * (y + scale * alpha), from the Selu output")


def elu_grad(gradients, outputs, name=None):
    return apply_op1("EluGrad", (gradients, outputs), None, name)


def selu_grad(gradients, outputs, name=None):
    return apply_op1("SeluGrad", (gradients, outputs), None, name)


def elu(features, name=None):
    """Exponential linear unit: features if > 0 else exp(features) - 1."""
    return apply_op1("Elu", (features,), None, name)


def selu(features, name=None):
    """Scaled exponential linear unit (Klambauer et al. 2017)."""
    return apply_op1("Selu", (features,), None, name)


# --- Softplus, Softsign ----------------------------------------------------------------------
def _softplus_grad_grad(op, g):
    dy, x = op._inputs
    s = softplus_grad(array_ops.ones_like(dy), x)          # sigmoid(x)
    return softplus_grad(g, x), g * dy * s * (1.0 - s)


def _softsign_grad_grad(op, g):
    dy, x = op._inputs
    d = 1.0 + math_ops.abs(x)
    return softsign_grad(g, x), g * dy * -2.0 * math_ops.sign(x) / (d * d * d)


_unary("Softplus", _FLOAT, lambda op, g: (softplus_grad(g, op._inputs[0]),),
       "y = log(1 + exp(x)), computed stably")
_backward("SoftplusGrad", _FLOAT, _softplus_grad_grad, "dx = dy * sigmoid(x)")
_unary("Softsign", _FLOAT, lambda op, g: (softsign_grad(g, op._inputs[0]),),
       "y = x / (1 + |x|)")
_backward("SoftsignGrad", _FLOAT, _softsign_grad_grad, "dx = dy / (1 + |x|)^2")


def softplus_grad(gradients, features, name=None):
    return apply_op1("SoftplusGrad", (gradients, features), None, name)


def softsign_grad(gradients, features, name=None):
    return apply_op1("SoftsignGrad", (gradients, features), None, name)


def softplus(features, name=None):
    """log(exp(features) + 1), without overflow for large features."""
    return apply_op1("Softplus", (features,), None, name)


def softsign(features, name=None):
    """features / (abs(features) + 1)."""
    return apply_op1("Softsign", (features,), None, name)


# --- Softmax, LogSoftmax ---------------------------------------------------------------------
def _logits_infer(inputs, attrs):
    x = inputs[0]
    d = x._dtype.base_dtype
    if d._np.kind != "f":
        raise TypeError(f"softmax needs floating logits, got {d.name}; use tf.cast.")
    if x._shape._dims is not None and len(x._shape._dims) < 1:
        raise ValueError(f"logits must have rank >= 1, got shape {x._shape}.")
    return d, x._shape


def _softmax_grad(op, g):
    # d softmax: (g - sum(g * y, -1)) * y, with y the op's output.
    y = op._outputs[0]
    s = math_ops.reduce_sum(g * y, -1, keepdims=True)
    return ((g - s) * y,)


def _log_softmax_grad(op, g):
    # d log_softmax: g - sum(g, -1) * softmax(x); softmax(x) == exp(output).
    sm = apply_op1("Softmax", (op._inputs[0],))
    return (g - math_ops.reduce_sum(g, -1, keepdims=True) * sm,)


register_op("Softmax", inputs=("logits",), infer=_logits_infer, grad=_softmax_grad,
            doc="y = exp(x - max(x)) / sum(exp(x - max(x))) over the last axis")
register_op("LogSoftmax", inputs=("logits",), infer=_logits_infer, grad=_log_softmax_grad,
            doc="y = x - max(x) - log(sum(exp(x - max(x)))) over the last axis")


def _softmax(op_type, logits, axis, name, dim):
    if dim is not None:
        if axis is not None and axis != dim:
            raise ValueError("Cannot specify both 'axis' and 'dim' (its legacy name).")
        axis = dim
    if axis is None:
        axis = -1
    logits = convert_to_tensor(logits)
    ndims = logits.shape.ndims
    if axis == -1 or (ndims is not None and axis == ndims - 1):
        return apply_op1(op_type, (logits,), None, name)
    if ndims is None:
        raise ValueError(f"{op_type} over axis {axis} needs a known rank; {logits.name} has "
                         "unknown rank (use axis=-1 or set the shape).")
    if not -ndims <= axis < ndims:
        raise ValueError(f"axis {axis} is out of range for logits of rank {ndims}.")
    # Like TF: swap the axis with the last one, apply the op, swap back.
    axis %= ndims
    perm = list(range(ndims))
    perm[axis], perm[-1] = perm[-1], perm[axis]
    moved = manip_ops.transpose(logits, perm)
    out = apply_op1(op_type, (moved,))
    return manip_ops.transpose(out, perm, name=name or "transpose")


def softmax(logits, axis=None, name=None, dim=None):
    """exp(logits) / sum(exp(logits), axis), computed stably (axis defaults to -1)."""
    return _softmax("Softmax", logits, axis, name, dim)


def log_softmax(logits, axis=None, name=None, dim=None):
    """logits - log(sum(exp(logits), axis)), computed stably (axis defaults to -1)."""
    return _softmax("LogSoftmax", logits, axis, name, dim)


# --- BiasAdd ---------------------------------------------------------------------------------
def _channel_axis(rank, data_format):
    return 1 if data_format.startswith("NC") and rank is not None and rank >= 3 else -1


def _bias_add_infer(inputs, attrs):
    x, b = inputs
    d = same_dtype(inputs)
    bd, xd = b._shape._dims, x._shape._dims
    if bd is not None and len(bd) != 1:
        raise ValueError(f"bias must be 1-D, got shape {b._shape}.")
    if xd is None:
        return d, x._shape
    if len(xd) < 2:
        raise ValueError(f"value must have rank >= 2 for bias_add, got shape {x._shape}; "
                         "use tf.add for vectors.")
    ax = _channel_axis(len(xd), attrs["data_format"])
    c = xd[ax]
    n = bd[0] if bd is not None else None
    if c is not None and n is not None and c != n:
        raise ValueError(f"Dimensions must be equal, but are {c} and {n}: the bias length must "
                         f"equal the channel dimension of value {x._shape} "
                         f"(data_format={attrs['data_format']}).")
    if c is None and n is not None:
        xd = list(xd)
        xd[ax] = n
        return d, TensorShape(xd)
    return d, x._shape


def _bias_add_grad_infer(inputs, attrs):
    g = inputs[0]
    gd = g._shape._dims
    if gd is None:
        return g._dtype.base_dtype, TensorShape([None])
    return g._dtype.base_dtype, TensorShape([gd[_channel_axis(len(gd), attrs["data_format"])]])


def _bias_add_grad(op, g):
    fmt = op._attrs["data_format"]
    return g, apply_op1("BiasAddGrad", (g,), {"data_format": fmt})


def _bias_add_grad_grad(op, g):
    # BiasAddGrad sums over all but the channel axis; its adjoint broadcasts back.
    x = op._inputs[0]
    rank = x.shape.ndims
    if _channel_axis(rank, op._attrs["data_format"]) == 1:
        g = array_ops.reshape(g, [1, -1] + [1] * (rank - 2))
    target = x.shape.as_list() if x.shape.is_fully_defined() else array_ops.shape(x)
    return (math_ops.broadcast_to(g, target),)


register_op("BiasAdd", inputs=("value", "bias"), infer=_bias_add_infer, grad=_bias_add_grad,
            doc="y = value + bias along the channel axis (last for NHWC, 1 for NCHW)")
register_op("BiasAddGrad", inputs=("out_backprop",), infer=_bias_add_grad_infer,
            grad=_bias_add_grad_grad, doc="db = sum of dy over all axes but the channel axis")


def bias_add(value, bias, data_format=None, name=None):
    """value + bias, with the 1-D bias added along the channel axis."""
    fmt = data_format or "NHWC"
    if isinstance(fmt, bytes):
        fmt = fmt.decode()
    if fmt not in ("NHWC", "NCHW", "N...C", "NC..."):
        raise ValueError(f"data_format must be 'NHWC' or 'NCHW', got {data_format!r}.")
    with name_scope(name, "BiasAdd", [value, bias]) as scope:
        value = convert_to_tensor(value, name="input")
        bias = convert_to_tensor(bias, dtype=value.dtype.base_dtype, name="bias")
        return apply_op1("BiasAdd", (value, bias), {"data_format": fmt}, scope)


def bias_add_v1(value, bias, name=None):
    """Legacy bias_add (NHWC only)."""
    with name_scope(name, "BiasAddV1", [value, bias]) as scope:
        return bias_add(value, bias, name=scope)


def xw_plus_b(x, weights, biases, name=None):
    """matmul(x, weights) + biases (a BiasAdd named ``xw_plus_b``)."""
    with name_scope(name, "xw_plus_b", [x, weights, biases]) as scope:
        x = convert_to_tensor(x, name="x")
        weights = convert_to_tensor(weights, name="weights")
        biases = convert_to_tensor(biases, name="biases")
        mm = math_ops.matmul(x, weights)
        return bias_add(mm, biases, name=scope)


# --- L2Loss ----------------------------------------------------------------------------------
register_op("L2Loss", inputs=("t",), infer=lambda inputs, attrs: (
    unary_infer(_FLOAT)(inputs, attrs)[0], _SCALAR),
    grad=lambda op, g: (op._inputs[0] * g,), doc="y = sum(t ** 2) / 2")


def l2_loss(t, name=None):
    """sum(t ** 2) / 2 (half the squared L2 norm, as used for weight decay)."""
    return apply_op1("L2Loss", (t,), None, name)


# --- LRN (local response normalisation) ------------------------------------------------------
def _lrn_attrs(op):
    return {k: op._attrs[k] for k in ("depth_radius", "bias", "alpha", "beta")}


def _lrn_infer(inputs, attrs):
    x = inputs[0]
    d = x._dtype.base_dtype
    if d._np.kind != "f":
        raise TypeError(f"lrn needs floating input, got {d.name}.")
    if x._shape._dims is not None and len(x._shape._dims) != 4:
        raise ValueError(f"lrn input must be 4-D [batch, height, width, channels], got "
                         f"{x._shape}.")
    return d, x._shape


register_op("LRN", inputs=("input",), infer=_lrn_infer,
            grad=lambda op, g: (apply_op1("LRNGrad", (g, op._inputs[0], op._outputs[0]),
                                          _lrn_attrs(op)),),
            doc="y = x / (bias + alpha * sum of x^2 over the 2r+1 nearest channels)^beta")
register_op("LRNGrad", inputs=("input_grads", "input_image", "output_image"),
            infer=lambda inputs, attrs: (same_dtype(inputs), inputs[1]._shape),
            not_differentiable="TF1 defines no second derivative of LRN",
            doc="dx = dy * N^-beta - 2 alpha beta x * windowsum(dy * y / N), N the LRN norm")


def local_response_normalization(input, depth_radius=5, bias=1.0, alpha=1.0,  # noqa: A002
                                 beta=0.5, name=None):
    """Local response normalisation across channels (AlexNet's LRN, TF1's tf.nn.lrn)."""
    attrs = {"depth_radius": int(depth_radius), "bias": float(bias), "alpha": float(alpha),
             "beta": float(beta)}
    return apply_op1("LRN", (input,), attrs, name)


lrn = local_response_normalization
__all__ += ["local_response_normalization", "lrn"]
