"""Specs for convolution and pooling (conv_ops.py), against direct NumPy loops.

The references below loop over output pixels on purpose: they are slow, obvious and share no
code with the im2col kernels they check.
"""

import numpy as np

import flowbook as tf
from flowbook.ops.registry import apply_op1
from tests.opcheck import Arg, OpSpec

F = (np.float32, np.float64)


def _pads(size, k, s, d, padding):
    eff = (k - 1) * d + 1
    if padding == "VALID":
        return (size - eff) // s + 1, 0
    out = -(-size // s)
    return out, max((out - 1) * s + eff - size, 0) // 2


def ref_conv2d(x, f, s=(1, 1), padding="SAME", d=(1, 1)):
    n, h, w, c = x.shape
    kh, kw, _, co = f.shape
    oh, pt = _pads(h, kh, s[0], d[0], padding)
    ow, pl = _pads(w, kw, s[1], d[1], padding)
    out = np.zeros((n, oh, ow, co), x.dtype)
    for i in range(oh):
        for j in range(ow):
            for a in range(kh):
                for b in range(kw):
                    r, q = i * s[0] + a * d[0] - pt, j * s[1] + b * d[1] - pl
                    if 0 <= r < h and 0 <= q < w:
                        out[:, i, j] += x[:, r, q] @ f[a, b]
    return out


def ref_pool(x, k, s, padding, how):
    n, h, w, c = x.shape
    oh, pt = _pads(h, k, s, 1, padding)
    ow, pl = _pads(w, k, s, 1, padding)
    out = np.zeros((n, oh, ow, c), x.dtype)
    for i in range(oh):
        for j in range(ow):
            r0, q0 = max(i * s - pt, 0), max(j * s - pl, 0)
            r1, q1 = min(i * s - pt + k, h), min(j * s - pl + k, w)
            win = x[:, r0:r1, q0:q1]
            out[:, i, j] = win.max((1, 2)) if how == "max" else win.mean((1, 2))
    return out


def _conv(s, padding, d=(1, 1), fmt="NHWC"):
    def build(x, f):
        return tf.nn.conv2d(x, f, strides=[1, *s, 1] if fmt == "NHWC" else [1, 1, *s],
                            padding=padding, dilations=[1, *d, 1] if fmt == "NHWC" else
                            [1, 1, *d], data_format=fmt)
    return build


def _attrs(s, padding):
    return {"strides": (1, s, s, 1), "padding": padding, "data_format": "NHWC",
            "dilations": (1, 1, 1, 1), "use_cudnn_on_gpu": True}


def _pool_attrs(k, s, padding):
    return {"ksize": (1, k, k, 1), "strides": (1, s, s, 1), "padding": padding,
            "data_format": "NHWC"}


def _nchw(fn):
    return lambda x, *a: fn(x.transpose(0, 2, 3, 1), *a).transpose(0, 3, 1, 2)


_CONV = ["Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter"]
SPECS = [
    OpSpec("conv2d_same", _conv((1, 1), "SAME"), ref_conv2d, [Arg([2, 5, 4, 2]),
                                                              Arg([3, 3, 2, 3])], _CONV, F,
           rtol=1e-4, atol=1e-5),
    OpSpec("conv2d_valid_strided", _conv((2, 3), "VALID"),
           lambda x, f: ref_conv2d(x, f, (2, 3), "VALID"),
           [Arg([1, 7, 8, 2]), Arg([3, 2, 2, 2])], _CONV, F, rtol=1e-4, atol=1e-5),
    OpSpec("conv2d_same_strided_even_kernel", _conv((2, 2), "SAME"),
           lambda x, f: ref_conv2d(x, f, (2, 2), "SAME"),
           [Arg([1, 6, 5, 1]), Arg([2, 4, 1, 2])], _CONV, F, rtol=1e-4, atol=1e-5),
    OpSpec("conv2d_dilated", _conv((1, 1), "SAME", (2, 2)),
           lambda x, f: ref_conv2d(x, f, (1, 1), "SAME", (2, 2)),
           [Arg([1, 6, 6, 2]), Arg([2, 3, 2, 2])], _CONV, F, rtol=1e-4, atol=1e-5),
    OpSpec("conv2d_1x1", _conv((1, 1), "VALID"), lambda x, f: ref_conv2d(x, f, (1, 1), "VALID"),
           [Arg([2, 3, 3, 4]), Arg([1, 1, 4, 2])], _CONV, F, rtol=1e-4, atol=1e-5),
    OpSpec("conv2d_nchw", _conv((2, 2), "SAME", fmt="NCHW"),
           lambda x, f: ref_conv2d(x.transpose(0, 2, 3, 1), f, (2, 2)).transpose(0, 3, 1, 2),
           [Arg([1, 2, 5, 5]), Arg([3, 3, 2, 2])], _CONV, F, rtol=1e-4, atol=1e-5),
    OpSpec("conv2d_backprop_input_op",
           lambda f, dy: tf.nn.conv2d_backprop_input([1, 5, 5, 2], f, dy, [1, 2, 2, 1], "SAME"),
           lambda f, dy: _adjoint_input(f, dy, (1, 5, 5, 2), 2, "SAME"),
           [Arg([3, 3, 2, 3]), Arg([1, 3, 3, 3])], _CONV, F, rtol=1e-4, atol=1e-5),
    OpSpec("conv2d_backprop_filter_op",
           lambda x, dy: tf.nn.conv2d_backprop_filter(x, [2, 2, 2, 3], dy, [1, 1, 1, 1],
                                                      "VALID"),
           lambda x, dy: _adjoint_filter(x, dy, (2, 2, 2, 3), 1, "VALID"),
           [Arg([1, 4, 4, 2]), Arg([1, 3, 3, 3])], _CONV, F, rtol=1e-4, atol=1e-5),
    OpSpec("conv2d_transpose", lambda v, f: tf.nn.conv2d_transpose(v, f, [2, 6, 6, 2],
                                                                   [1, 2, 2, 1], "SAME"),
           lambda v, f: _adjoint_input(f, v, (2, 6, 6, 2), 2, "SAME"),
           [Arg([2, 3, 3, 3]), Arg([3, 3, 2, 3])], _CONV, F, rtol=1e-4, atol=1e-5),
]


def _adjoint_input(f, dy, shape, s, padding):
    """The input gradient of a convolution, by linearity: column by column of a basis."""
    out = np.zeros(shape, dy.dtype)
    for idx in np.ndindex(*shape):
        e = np.zeros(shape, dy.dtype)
        e[idx] = 1
        out[idx] = (ref_conv2d(e, f, (s, s), padding) * dy).sum()
    return out


def _adjoint_filter(x, dy, shape, s, padding):
    out = np.zeros(shape, dy.dtype)
    for idx in np.ndindex(*shape):
        e = np.zeros(shape, dy.dtype)
        e[idx] = 1
        out[idx] = (ref_conv2d(x, e, (s, s), padding) * dy).sum()
    return out


_POOL_CASES = [(2, 2, "SAME", [2, 6, 6, 3]), (2, 2, "VALID", [1, 5, 7, 2]),
               (3, 2, "SAME", [1, 7, 6, 2]), (3, 1, "VALID", [2, 5, 5, 1]),
               (2, 3, "SAME", [1, 7, 8, 2])]
for _k, _s, _p, _shape in _POOL_CASES:
    for _how, _fn, _types in (("max", tf.nn.max_pool, ["MaxPool", "MaxPoolGrad"]),
                              ("avg", tf.nn.avg_pool, ["AvgPool", "AvgPoolGrad"])):
        SPECS.append(OpSpec(
            f"{_how}_pool_k{_k}_s{_s}_{_p}",
            (lambda fn, k, s, p: lambda x: fn(x, [1, k, k, 1], [1, s, s, 1], p))(
                _fn, _k, _s, _p),
            (lambda h, k, s, p: lambda x: ref_pool(x, k, s, p, h))(_how, _k, _s, _p),
            [Arg(_shape)], _types, F))

SPECS += [
    OpSpec("max_pool_nchw", lambda x: tf.nn.max_pool(x, [1, 1, 2, 2], [1, 1, 2, 2], "SAME",
                                                     data_format="NCHW"),
           _nchw(lambda x: ref_pool(x, 2, 2, "SAME", "max")), [Arg([1, 2, 5, 4])],
           ["MaxPool", "MaxPoolGrad"], F),
    OpSpec("avg_pool_nchw", lambda x: tf.nn.avg_pool(x, [1, 1, 3, 3], [1, 1, 2, 2], "SAME",
                                                     data_format="NCHW"),
           _nchw(lambda x: ref_pool(x, 3, 2, "SAME", "avg")), [Arg([1, 2, 5, 4])],
           ["AvgPool", "AvgPoolGrad"], F),
    OpSpec("max_pool_grad_op",
           lambda x, g: apply_op1("MaxPoolGrad", (x, tf.nn.max_pool(
               x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME"), g), _pool_attrs(2, 2, "SAME")),
           lambda x, g: _max_pool_grad_ref(x, g), [Arg([1, 4, 4, 2]), Arg([1, 2, 2, 2])],
           ["MaxPoolGrad", "MaxPoolGradGrad"], F),
    OpSpec("max_pool_grad_grad_op",
           lambda x, g: apply_op1("MaxPoolGradGrad", (x, tf.nn.max_pool(
               x, [1, 3, 3, 1], [1, 2, 2, 1], "SAME"), g), _pool_attrs(3, 2, "SAME")),
           lambda x, g: _max_pool_grad_grad_ref(x, g, 3, 2), [Arg([1, 5, 5, 2]),
                                                             Arg([1, 5, 5, 2])],
           ["MaxPoolGradGrad", "MaxPoolGrad"], F),
    OpSpec("avg_pool_grad_op",
           lambda g: apply_op1("AvgPoolGrad", ([1, 5, 5, 2], g), _pool_attrs(3, 2, "SAME")),
           lambda g: _adjoint_pool(g, (1, 5, 5, 2), 3, 2, "SAME"), [Arg([1, 3, 3, 2])],
           ["AvgPoolGrad", "AvgPool"], F),
]


def _max_pool_grad_ref(x, g):
    """2x2/2 windows tile x: each window's first maximum receives the window's gradient."""
    out = np.zeros_like(x)
    n, h, w, c = x.shape
    for b in range(n):
        for i in range(h // 2):
            for j in range(w // 2):
                for ch in range(c):
                    win = x[b, 2 * i:2 * i + 2, 2 * j:2 * j + 2, ch]
                    a, q = np.unravel_index(np.argmax(win), win.shape)
                    out[b, 2 * i + a, 2 * j + q, ch] += g[b, i, j, ch]
    return out


def _max_pool_grad_grad_ref(x, g, k, s):
    n, h, w, c = x.shape
    oh, pt = _pads(h, k, s, 1, "SAME")
    ow, pl = _pads(w, k, s, 1, "SAME")
    out = np.zeros((n, oh, ow, c), x.dtype)
    for b, i, j, ch in np.ndindex(n, oh, ow, c):
        r0, q0 = max(i * s - pt, 0), max(j * s - pl, 0)
        win = x[b, r0:i * s - pt + k, q0:j * s - pl + k, ch]
        a, q = np.unravel_index(np.argmax(win), win.shape)
        out[b, i, j, ch] = g[b, r0 + a, q0 + q, ch]
    return out


def _adjoint_pool(g, shape, k, s, padding):
    out = np.zeros(shape, g.dtype)
    for idx in np.ndindex(*shape):
        e = np.zeros(shape, g.dtype)
        e[idx] = 1
        out[idx] = (ref_pool(e, k, s, padding, "avg") * g).sum()
    return out


def _ref_conv1d(x, f, s, padding):
    return ref_conv2d(x[:, None], f[None], (1, s), padding)[:, 0]


SPECS += [
    OpSpec("conv1d_same_strided", lambda x, f: tf.nn.conv1d(x, f, 2, "SAME"),
           lambda x, f: _ref_conv1d(x, f, 2, "SAME"), [Arg([2, 7, 3]), Arg([3, 3, 2])],
           ["Conv2D", "ExpandDims", "Squeeze"], F, rtol=1e-4, atol=1e-5),
    OpSpec("conv1d_ncw", lambda x, f: tf.nn.conv1d(x, f, 1, "VALID", data_format="NCW"),
           lambda x, f: _ref_conv1d(x.transpose(0, 2, 1), f, 1, "VALID").transpose(0, 2, 1),
           [Arg([1, 2, 6]), Arg([2, 2, 3])], ["Conv2D"], F, rtol=1e-4, atol=1e-5),
]
