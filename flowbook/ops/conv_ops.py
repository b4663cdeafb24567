"""2-D convolution and pooling (TF1's Conv2D, MaxPool, AvgPool) with their backward ops.

The backward ops (Conv2DBackpropInput, Conv2DBackpropFilter, MaxPoolGrad, AvgPoolGrad, …)
are ops of their own with gradient rules, as in TF, so second-order gradients work and
the graph view shows what TF1 shows. Output sizes follow TF's SAME/VALID arithmetic:
VALID: out = ceil((in - (k - 1) * d) / s); SAME: out = ceil(in / s), padded with
pad_total = max((out - 1) * s + (k - 1) * d + 1 - in, 0), pad_total // 2 of it before.
"""

from ..graph import dtypes as _dtypes
from ..graph.graph import name_scope
from ..graph.shape import TensorShape
from .convert import convert_to_tensor
from .registry import register_op, apply_op1
from .shape_fns import same_dtype, static_int_list
from . import array_ops

__all__ = ["conv2d", "conv2d_backprop_input", "conv2d_backprop_filter", "conv2d_transpose",
           "max_pool", "avg_pool", "max_pool2d", "avg_pool2d"]


# --- TF's padding arithmetic (also used by the kernels) -------------------------------------
def conv_output_size(size, k, s, d, padding):
    """(out, pad_before, pad_after) along one spatial axis, as TF computes them."""
    eff = (k - 1) * d + 1
    if padding == "VALID":
        out = max((size - eff) // s + 1, 0) if size >= eff else 0
        return out, 0, 0
    out = -(-size // s)
    total = max((out - 1) * s + eff - size, 0)
    return out, total // 2, total - total // 2


def spatial(values, data_format):
    """The (height, width) entries of a 4-element attr list in ``data_format`` order."""
    return (values[2], values[3]) if data_format == "NCHW" else (values[1], values[2])


def _check_format(data_format):
    if isinstance(data_format, bytes):
        data_format = data_format.decode()
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError(f"data_format must be 'NHWC' or 'NCHW', got {data_format!r}.")
    return data_format


def _check_padding(padding):
    if isinstance(padding, bytes):
        padding = padding.decode()
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"padding must be 'SAME' or 'VALID' (upper case), got {padding!r}.")
    return padding


def _sequence(value, what, data_format):
    """TF's _get_sequence: an int, [h, w] or a full 4-list → a 4-tuple in data_format order."""
    if value is None:
        value = 1
    if isinstance(value, int):
        value = [value]
    value = [int(v) for v in value]
    if len(value) == 1:
        value = value * 2
    if len(value) == 2:
        value = [1, 1] + value if data_format == "NCHW" else [1] + value + [1]
    if len(value) != 4:
        raise ValueError(f"{what} should be an int or a list of 1, 2 or 4 ints, got {value}.")
    n_ax, c_ax = (0, 1) if data_format == "NCHW" else (0, 3)
    if value[n_ax] != 1 or value[c_ax] != 1:
        raise ValueError(f"{what} = {value}: flowbook supports {what} only over the spatial "
                         f"dimensions; the batch and channel entries must be 1 "
                         f"({data_format}).")
    if min(value) < 1:
        raise ValueError(f"{what} must be positive, got {value}.")
    return tuple(value)


def _nhwc_dims(shape, data_format):
    d = shape._dims
    if d is None:
        return None
    if len(d) != 4:
        raise ValueError(f"input must be 4-D ({data_format}), got shape {shape}.")
    return (d[0], d[2], d[3], d[1]) if data_format == "NCHW" else d


def _from_nhwc(dims, data_format):
    n, h, w, c = dims
    return TensorShape([n, c, h, w] if data_format == "NCHW" else [n, h, w, c])


def _out_hw(h, w, kh, kw, attrs):
    fmt = attrs["data_format"]
    sh, sw = spatial(attrs["strides"], fmt)
    dh, dw = spatial(attrs.get("dilations", (1, 1, 1, 1)), fmt)
    oh = None if h is None else conv_output_size(h, kh, sh, dh, attrs["padding"])[0]
    ow = None if w is None else conv_output_size(w, kw, sw, dw, attrs["padding"])[0]
    return oh, ow


def _float_dtype(inputs):
    d = same_dtype(inputs)
    if d._np.kind != "f":
        raise TypeError(f"Convolution and pooling need floating values, got {d.name}; use "
                        "tf.cast.")
    return d


# --- Conv2D and its backward ops -------------------------------------------------------------
def _conv2d_infer(inputs, attrs):
    x, f = inputs
    d = _float_dtype(inputs)
    fmt = attrs["data_format"]
    xd = _nhwc_dims(x._shape, fmt) or (None,) * 4
    fd = f._shape._dims
    if fd is not None and len(fd) != 4:
        raise ValueError(f"filter must be 4-D [height, width, in_channels, out_channels], got "
                         f"shape {f._shape}.")
    fd = fd or (None,) * 4
    if xd[3] is not None and fd[2] is not None and xd[3] != fd[2]:
        raise ValueError(f"Depth of input ({xd[3]}) must equal the filter's in_channels "
                         f"({fd[2]}): input {x._shape}, filter {f._shape} ({fmt}).")
    oh, ow = _out_hw(xd[1], xd[2], fd[0], fd[1], attrs) if None not in fd[:2] else (None, None)
    if oh == 0 or ow == 0:
        raise ValueError(f"The filter {f._shape} does not fit into the input {x._shape} with "
                         "padding VALID (the output would be empty); use 'SAME' or a smaller "
                         "filter.")
    return d, _from_nhwc((xd[0], oh, ow, fd[3]), fmt)


def _sizes_shape(t, fallback):
    v = static_int_list(t)
    if v is not None:
        if len(v) != 4:
            raise ValueError(f"The sizes tensor must have 4 elements, got {v}.")
        return TensorShape(v)
    return fallback


def _backprop_input_infer(inputs, attrs):
    sizes, f, dy = inputs
    d = _float_dtype([f, dy])
    return d, _sizes_shape(sizes, TensorShape([None] * 4))


def _backprop_filter_infer(inputs, attrs):
    x, sizes, dy = inputs
    d = _float_dtype([x, dy])
    return d, _sizes_shape(sizes, TensorShape([None] * 4))


def _conv_attrs(op):
    a = op._attrs
    return {k: a[k] for k in ("strides", "padding", "data_format", "dilations",
                              "use_cudnn_on_gpu")}


def _conv2d_grad(op, g):
    x, f = op._inputs
    a = _conv_attrs(op)
    return (apply_op1("Conv2DBackpropInput", (array_ops.shape(x), f, g), a),
            apply_op1("Conv2DBackpropFilter", (x, array_ops.shape(f), g), a))


def _backprop_input_grad(op, g):
    _, f, dy = op._inputs
    a = _conv_attrs(op)
    return (None, apply_op1("Conv2DBackpropFilter", (g, array_ops.shape(f), dy), a),
            apply_op1("Conv2D", (g, f), a))


def _backprop_filter_grad(op, g):
    x, _, dy = op._inputs
    a = _conv_attrs(op)
    return (apply_op1("Conv2DBackpropInput", (array_ops.shape(x), g, dy), a), None,
            apply_op1("Conv2D", (x, g), a))


register_op("Conv2D", inputs=("input", "filter"), infer=_conv2d_infer, grad=_conv2d_grad,
            doc="y[n,i,j,o] = sum_{di,dj,c} x[n, s*i + d*di, s*j + d*dj, c] * f[di,dj,c,o]")
register_op("Conv2DBackpropInput", inputs=("input_sizes", "filter", "out_backprop"),
            input_types=(_dtypes.int32, "T", "T"), infer=_backprop_input_infer,
            grad=_backprop_input_grad,
            doc="dx = gradient of Conv2D w.r.t. its input (a transposed convolution of dy)")
register_op("Conv2DBackpropFilter", inputs=("input", "filter_sizes", "out_backprop"),
            input_types=("T", _dtypes.int32, "T"), infer=_backprop_filter_infer,
            grad=_backprop_filter_grad,
            doc="df = gradient of Conv2D w.r.t. its filter (x patches^T @ dy)")


def _conv_attr_dict(strides, padding, data_format, dilations, use_cudnn_on_gpu):
    fmt = _check_format(data_format or "NHWC")
    if strides is None:
        raise ValueError("strides must be given, e.g. strides=[1, 1, 1, 1].")
    return {"strides": _sequence(strides, "strides", fmt), "padding": _check_padding(padding),
            "data_format": fmt, "dilations": _sequence(dilations, "dilations", fmt),
            "use_cudnn_on_gpu": bool(use_cudnn_on_gpu)}


def _lookup(new, new_name, old, old_name):
    if new is not None and old is not None:
        raise ValueError(f"Cannot specify both '{new_name}' and '{old_name}' (its legacy name).")
    return new if new is not None else old


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True,  # noqa: A002
           data_format="NHWC", dilations=(1, 1, 1, 1), name=None, filters=None):
    """2-D convolution of a 4-D input with a [height, width, in, out] filter (TF1's Conv2D)."""
    filter = _lookup(filters, "filters", filter, "filter")  # noqa: A001
    a = _conv_attr_dict(strides, padding, data_format, dilations, use_cudnn_on_gpu)
    return apply_op1("Conv2D", (input, filter), a, name)


def conv2d_backprop_input(input_sizes, filter=None, out_backprop=None, strides=None,  # noqa: A002
                          padding=None, use_cudnn_on_gpu=True, data_format="NHWC",
                          dilations=(1, 1, 1, 1), name=None, filters=None):
    """Gradient of conv2d with respect to its input, whose shape is ``input_sizes``."""
    filter = _lookup(filters, "filters", filter, "filter")  # noqa: A001
    a = _conv_attr_dict(strides, padding, data_format, dilations, use_cudnn_on_gpu)
    return apply_op1("Conv2DBackpropInput", (input_sizes, filter, out_backprop), a, name)


def conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding,  # noqa: A002
                           use_cudnn_on_gpu=True, data_format="NHWC", dilations=(1, 1, 1, 1),
                           name=None):
    """Gradient of conv2d with respect to its filter, whose shape is ``filter_sizes``."""
    a = _conv_attr_dict(strides, padding, data_format, dilations, use_cudnn_on_gpu)
    return apply_op1("Conv2DBackpropFilter", (input, filter_sizes, out_backprop), a, name)


def conv2d_transpose(value=None, filter=None, output_shape=None, strides=None,  # noqa: A002
                     padding="SAME", data_format="NHWC", name=None, input=None, filters=None,
                     dilations=None):
    """Transposed ("deconvolution") 2-D convolution: Conv2DBackpropInput of ``value``."""
    value = _lookup(input, "input", value, "value")
    filter = _lookup(filters, "filters", filter, "filter")  # noqa: A001
    with name_scope(name, "conv2d_transpose", [value, filter, output_shape]) as scope:
        value = convert_to_tensor(value, name="value")
        filter = convert_to_tensor(filter, name="filter")  # noqa: A001
        fmt = _check_format(data_format or "NHWC")
        c_ax = 1 if fmt == "NCHW" else 3
        fc = filter.shape.as_list()[3] if filter.shape.ndims == 4 else None
        vc = value.shape.as_list()[c_ax] if value.shape.ndims == 4 else None
        if fc is not None and vc is not None and fc != vc:
            raise ValueError(f"input channels of value ({vc}) must match the filter's "
                             f"out_channels ({fc}): value {value.shape}, filter {filter.shape}.")
        if isinstance(output_shape, (list, tuple)):
            output_shape = array_ops.constant(list(output_shape), dtype=_dtypes.int32,
                                              name="output_shape")
        a = _conv_attr_dict(strides, padding, fmt, dilations or 1, True)
        return apply_op1("Conv2DBackpropInput", (output_shape, filter, value), a, scope)


# --- pooling ---------------------------------------------------------------------------------
def _pool_infer(inputs, attrs):
    x = inputs[0]
    d = _float_dtype([x])
    fmt = attrs["data_format"]
    xd = _nhwc_dims(x._shape, fmt)
    if xd is None:
        return d, TensorShape([None] * 4)
    kh, kw = spatial(attrs["ksize"], fmt)
    oh, ow = _out_hw(xd[1], xd[2], kh, kw, attrs)
    if oh == 0 or ow == 0:
        raise ValueError(f"The pooling window {[kh, kw]} does not fit into the input "
                         f"{x._shape} with padding VALID; use a smaller ksize or 'SAME'.")
    return d, _from_nhwc((xd[0], oh, ow, xd[3]), fmt)


def _pool_attrs(op):
    a = op._attrs
    return {k: a[k] for k in ("ksize", "strides", "padding", "data_format")}


def _max_pool_grad(op, g):
    return (apply_op1("MaxPoolGrad", (op._inputs[0], op._outputs[0], g), _pool_attrs(op)),)


def _max_pool_grad_grad(op, g):
    x, y, _ = op._inputs
    return (array_ops.zeros_like(x), array_ops.zeros_like(y),
            apply_op1("MaxPoolGradGrad", (x, y, g), _pool_attrs(op)))


def _max_pool_grad_grad_grad(op, g):
    x, y, _ = op._inputs
    return (array_ops.zeros_like(x), array_ops.zeros_like(y),
            apply_op1("MaxPoolGrad", (x, y, g), _pool_attrs(op)))


def _avg_pool_grad(op, g):
    x = op._inputs[0]
    return (apply_op1("AvgPoolGrad", (array_ops.shape(x), g), _pool_attrs(op)),)


def _grad_like_infer(i):
    def infer(inputs, attrs):
        return _float_dtype(inputs), inputs[i]._shape
    return infer


def _avg_pool_grad_infer(inputs, attrs):
    sizes, g = inputs
    return _float_dtype([g]), _sizes_shape(sizes, TensorShape([None] * 4))


register_op("MaxPool", inputs=("input",), infer=_pool_infer, grad=_max_pool_grad,
            doc="y[n,i,j,c] = max of x over the ksize window at (s*i, s*j) (padding ignored)")
register_op("MaxPoolGrad", inputs=("orig_input", "orig_output", "grad"),
            infer=_grad_like_infer(0), grad=_max_pool_grad_grad,
            doc="dx = dy routed to the first maximum of each window (summed where windows "
                "overlap)")
register_op("MaxPoolGradGrad", inputs=("orig_input", "orig_output", "grad"),
            infer=_grad_like_infer(1), grad=_max_pool_grad_grad_grad,
            doc="y[n,i,j,c] = grad at the first maximum of window (i, j) of orig_input")
register_op("AvgPool", inputs=("value",), infer=_pool_infer, grad=_avg_pool_grad,
            doc="y[n,i,j,c] = mean of x over the window at (s*i, s*j), padding not counted")
register_op("AvgPoolGrad", inputs=("orig_input_shape", "grad"),
            input_types=(_dtypes.int32, "T"), infer=_avg_pool_grad_infer,
            grad=lambda op, g: (None, apply_op1("AvgPool", (g,), _pool_attrs(op))),
            doc="dx = each dy spread evenly over its window's unpadded inputs")


def _pool(op_type, scope_name, value, ksize, strides, padding, data_format, name, input):
    value = _lookup(input, "input", value, "value")
    fmt = _check_format(data_format or "NHWC")
    a = {"ksize": _sequence(ksize, "ksize", fmt), "strides": _sequence(strides, "strides", fmt),
         "padding": _check_padding(padding), "data_format": fmt}
    with name_scope(name, scope_name, [value]) as scope:
        value = convert_to_tensor(value, name="input")
        return apply_op1(op_type, (value,), a, scope)


def max_pool(value, ksize, strides, padding, data_format="NHWC", name=None,
             input=None):  # noqa: A002
    """Max pooling over [height, width] windows of a 4-D input (TF1's MaxPool)."""
    return _pool("MaxPool", "MaxPool", value, ksize, strides, padding, data_format, name, input)


def avg_pool(value, ksize, strides, padding, data_format="NHWC", name=None,
             input=None):  # noqa: A002
    """Average pooling over [height, width] windows of a 4-D input (TF1's AvgPool)."""
    return _pool("AvgPool", "AvgPool", value, ksize, strides, padding, data_format, name, input)


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """tf.nn.max_pool2d (TF 1.14+ name of max_pool)."""
    return _pool("MaxPool", "MaxPool2d", input, ksize, strides, padding, data_format, name, None)


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """tf.nn.avg_pool2d (TF 1.14+ name of avg_pool)."""
    return _pool("AvgPool", "AvgPool2D", input, ksize, strides, padding, data_format, name, None)
