"""Kernels for convolution and pooling (flowbook/ops/conv_ops.py), vectorised with NumPy.

Convolution is im2col + one matrix product: a strided view of the (padded) input gives every
window as a [kh, kw, c] patch, copied once into a matrix and multiplied by the filter. The
backward ops reuse the same views; "col2im" adds patch gradients back with one strided add
per kernel offset (kh * kw NumPy operations, never a loop over pixels). Pooling works on the
same per-offset strided slices (a maximum or a sum per offset).
Kernels work in NHWC; NCHW inputs are transposed in and out.
"""

import collections

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ...ops.conv_ops import conv_output_size, spatial
from . import BACKEND
from ._util import invalid

Geometry = collections.namedtuple(
    "Geometry", "kh kw sh sw dh dw oh ow pt pb pl pr")


def _geometry(h, w, kh, kw, strides, dilations, padding, data_format):
    sh, sw = spatial(strides, data_format)
    dh, dw = spatial(dilations, data_format)
    oh, pt, pb = conv_output_size(h, kh, sh, dh, padding)
    ow, pl, pr = conv_output_size(w, kw, sw, dw, padding)
    if oh <= 0 or ow <= 0:
        raise invalid(f"The window [{kh}, {kw}] (dilations [{dh}, {dw}]) does not fit into an "
                      f"input of height {h} and width {w} with padding {padding}.")
    return Geometry(kh, kw, sh, sw, dh, dw, oh, ow, pt, pb, pl, pr)


def _to_nhwc(x, data_format):
    return x.transpose(0, 2, 3, 1) if data_format == "NCHW" else x


def _from_nhwc(x, data_format):
    return np.ascontiguousarray(x.transpose(0, 3, 1, 2)) if data_format == "NCHW" else x


def _nhwc_sizes(sizes, data_format):
    s = [int(v) for v in sizes]
    return (s[0], s[2], s[3], s[1]) if data_format == "NCHW" else tuple(s)


def _work_dtype(*arrays):
    """float16 is computed in float32 (NumPy has no fast half-precision matmul)."""
    return np.float32 if arrays[0].dtype == np.float16 else arrays[0].dtype


def _pad(x, g, value=0):
    if not (g.pt or g.pb or g.pl or g.pr):
        return x
    return np.pad(x, ((0, 0), (g.pt, g.pb), (g.pl, g.pr), (0, 0)), constant_values=value)


def _patches(xp, g):
    """A read-only view [n, oh, ow, kh, kw, c] of every window of the padded input."""
    n, _, _, c = xp.shape
    s0, s1, s2, s3 = xp.strides
    return as_strided(xp, (n, g.oh, g.ow, g.kh, g.kw, c),
                      (s0, s1 * g.sh, s2 * g.sw, s1 * g.dh, s2 * g.dw, s3), writeable=False)


def _offsets(g):
    """(i, j, row slice, column slice) of the padded input seen at each kernel offset."""
    for i in range(g.kh):
        rows = slice(i * g.dh, i * g.dh + (g.oh - 1) * g.sh + 1, g.sh)
        for j in range(g.kw):
            yield i, j, rows, slice(j * g.dw, j * g.dw + (g.ow - 1) * g.sw + 1, g.sw)


def _col2im(piece, shape, g, dtype):
    """Adds window gradients back into an input of ``shape``: ``piece(i, j)`` gives the
    [n, oh, ow, c] gradients of kernel offset (i, j); one strided add per offset."""
    n, h, w, c = shape
    hp = max(h + g.pt + g.pb, (g.oh - 1) * g.sh + (g.kh - 1) * g.dh + 1)
    wp = max(w + g.pl + g.pr, (g.ow - 1) * g.sw + (g.kw - 1) * g.dw + 1)
    out = np.zeros((n, hp, wp, c), dtype=dtype)
    disjoint = g.kh <= g.sh and g.kw <= g.sw and g.dh == 1 and g.dw == 1
    for i, j, rows, cols in _offsets(g):
        if disjoint:
            out[:, rows, cols] = piece(i, j)
        else:
            out[:, rows, cols] += piece(i, j)
    if out.shape[1:3] == (h, w):
        return out
    return np.ascontiguousarray(out[:, g.pt:g.pt + h, g.pl:g.pl + w])


# --- Conv2D ----------------------------------------------------------------------------------
def _im2col(x, g):
    n, _, _, c = x.shape
    if g.kh == g.kw == 1 and g.sh == g.sw == 1 and not (g.pt or g.pl):
        return x.reshape(-1, c)
    return _patches(_pad(x, g), g).reshape(n * g.oh * g.ow, g.kh * g.kw * c)


def _check_channels(c, f, what):
    if c != f.shape[2]:
        raise invalid(f"{what}: the input depth ({c}) must equal the filter's in_channels "
                      f"({f.shape[2]}); filter shape {list(f.shape)}.")


def conv2d(x, f, strides, padding, data_format, dilations, use_cudnn_on_gpu=True):
    t = x.dtype
    wt = _work_dtype(x)
    x = _to_nhwc(x, data_format).astype(wt, copy=False)
    n, h, w, c = x.shape
    _check_channels(c, f, "Conv2D")
    kh, kw, _, co = f.shape
    g = _geometry(h, w, kh, kw, strides, dilations, padding, data_format)
    out = _im2col(x, g) @ f.astype(wt, copy=False).reshape(-1, co)
    return _from_nhwc(out.reshape(n, g.oh, g.ow, co), data_format).astype(t, copy=False)


def conv2d_backprop_input(sizes, f, dy, strides, padding, data_format, dilations,
                          use_cudnn_on_gpu=True):
    t = dy.dtype
    wt = _work_dtype(dy)
    n, h, w, c = _nhwc_sizes(sizes, data_format)
    _check_channels(c, f, "Conv2DBackpropInput")
    kh, kw, _, co = f.shape
    g = _geometry(h, w, kh, kw, strides, dilations, padding, data_format)
    dy = _to_nhwc(dy, data_format).astype(wt, copy=False)
    if dy.shape != (n, g.oh, g.ow, co):
        raise invalid(f"Conv2DBackpropInput: out_backprop has shape {list(dy.shape)} (NHWC) but "
                      f"a convolution of an input of shape {[n, h, w, c]} with filter "
                      f"{list(f.shape)} gives {[n, g.oh, g.ow, co]}.")
    # A contiguous copy of the (small) transposed filter keeps BLAS on its fast path.
    ft = np.ascontiguousarray(f.astype(wt, copy=False).reshape(-1, co).T)
    cols = dy.reshape(-1, co) @ ft
    if g.kh == g.kw == 1 and g.sh == g.sw == 1 and not (g.pt or g.pl):
        dx = cols.reshape(n, h, w, c)
    else:
        cols = cols.reshape(n, g.oh, g.ow, kh, kw, c)
        dx = _col2im(lambda i, j: cols[:, :, :, i, j], (n, h, w, c), g, wt)
    return _from_nhwc(dx, data_format).astype(t, copy=False)


def conv2d_backprop_filter(x, sizes, dy, strides, padding, data_format, dilations,
                           use_cudnn_on_gpu=True):
    t = x.dtype
    wt = _work_dtype(x)
    kh, kw, ci, co = (int(v) for v in sizes)
    x = _to_nhwc(x, data_format).astype(wt, copy=False)
    n, h, w, c = x.shape
    if c != ci:
        raise invalid(f"Conv2DBackpropFilter: the input depth ({c}) must equal the filter's "
                      f"in_channels ({ci}).")
    g = _geometry(h, w, kh, kw, strides, dilations, padding, data_format)
    dy = _to_nhwc(dy, data_format).astype(wt, copy=False)
    if dy.shape != (n, g.oh, g.ow, co):
        raise invalid(f"Conv2DBackpropFilter: out_backprop has shape {list(dy.shape)} (NHWC), "
                      f"expected {[n, g.oh, g.ow, co]}.")
    df = _im2col(x, g).T @ dy.reshape(-1, co)
    return df.reshape(kh, kw, ci, co).astype(t, copy=False)


BACKEND.kernel("Conv2D")(conv2d)
BACKEND.kernel("Conv2DBackpropInput")(conv2d_backprop_input)
BACKEND.kernel("Conv2DBackpropFilter")(conv2d_backprop_filter)


# --- pooling ---------------------------------------------------------------------------------
def _pool_geometry(x_shape, ksize, strides, padding, data_format):
    kh, kw = spatial(ksize, data_format)
    return _geometry(x_shape[1], x_shape[2], kh, kw, strides, (1, 1, 1, 1), padding,
                     data_format)


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def max_pool(x, ksize, strides, padding, data_format):
    x = _to_nhwc(x, data_format)
    g = _pool_geometry(x.shape, ksize, strides, padding, data_format)
    xp = _pad(x, g, _lowest(x.dtype))
    out = None
    for _, _, rows, cols in _offsets(g):   # one maximum per kernel offset (fast strided ops)
        s = xp[:, rows, cols]
        out = s.copy() if out is None else np.maximum(out, s, out=out)
    return _from_nhwc(out, data_format)


def _argmax_windows(x, g):
    """Kernel offset (0 .. kh*kw-1) of the first maximum of every window: [n, oh, ow, c].

    One comparison per offset, in row-major order; a later offset wins only when strictly
    larger, so ties go to the first maximum as in TF's kernels. (Plain arithmetic on the
    masks: NumPy's masked copies are several times slower here.)"""
    xp = _pad(x, g, _lowest(x.dtype))
    best = idx = step = None
    for k, (_, _, rows, cols) in enumerate(_offsets(g)):
        s = xp[:, rows, cols]
        if best is None:
            best = s.copy()
            idx = np.zeros(s.shape, dtype=np.int32)
            step = np.empty(s.shape, dtype=np.int32)
            continue
        larger = np.greater(s, best)
        np.maximum(best, s, out=best)
        np.subtract(k, idx, out=step)       # idx = k where larger: idx += larger * (k - idx)
        np.multiply(step, larger, out=step)
        np.add(idx, step, out=idx)
    return idx


def max_pool_grad(x, y, dy, ksize, strides, padding, data_format):
    x = _to_nhwc(x, data_format)
    dy = _to_nhwc(dy, data_format)
    g = _pool_geometry(x.shape, ksize, strides, padding, data_format)
    idx = _argmax_windows(x, g)
    zero = np.zeros((), dy.dtype)
    dx = _col2im(lambda i, j: np.where(idx == i * g.kw + j, dy, zero), x.shape, g, dy.dtype)
    return _from_nhwc(dx, data_format)


def max_pool_grad_grad(x, y, gg, ksize, strides, padding, data_format):
    x = _to_nhwc(x, data_format)
    gg = _to_nhwc(gg, data_format)
    g = _pool_geometry(x.shape, ksize, strides, padding, data_format)
    idx = _argmax_windows(x, g)
    ggp = _pad(gg, g)
    out = np.zeros(idx.shape, dtype=gg.dtype)
    for k, (_, _, rows, cols) in enumerate(_offsets(g)):
        np.copyto(out, ggp[:, rows, cols], where=idx == k)
    return _from_nhwc(out, data_format)


def _window_counts(size, k, s, before, out):
    start = np.arange(out) * s - before
    return np.minimum(start + k, size) - np.maximum(start, 0)


def _avg_counts(h, w, g, dtype):
    ch = _window_counts(h, g.kh, g.sh, g.pt, g.oh)
    cw = _window_counts(w, g.kw, g.sw, g.pl, g.ow)
    return (ch[:, None] * cw[None, :]).astype(dtype)[None, :, :, None]


def avg_pool(x, ksize, strides, padding, data_format):
    t = x.dtype
    x = _to_nhwc(x, data_format).astype(_work_dtype(x), copy=False)
    g = _pool_geometry(x.shape, ksize, strides, padding, data_format)
    xp = _pad(x, g)
    out = None
    for _, _, rows, cols in _offsets(g):
        s = xp[:, rows, cols]
        out = s.copy() if out is None else np.add(out, s, out=out)
    out /= _avg_counts(x.shape[1], x.shape[2], g, x.dtype)
    return _from_nhwc(out.astype(t, copy=False), data_format)


def avg_pool_grad(sizes, dy, ksize, strides, padding, data_format):
    t = dy.dtype
    n, h, w, c = _nhwc_sizes(sizes, data_format)
    dy = _to_nhwc(dy, data_format).astype(_work_dtype(dy), copy=False)
    g = _pool_geometry((n, h, w, c), ksize, strides, padding, data_format)
    if dy.shape != (n, g.oh, g.ow, c):
        raise invalid(f"AvgPoolGrad: grad has shape {list(dy.shape)} (NHWC), expected "
                      f"{[n, g.oh, g.ow, c]} for an input of shape {[n, h, w, c]}.")
    share = dy / _avg_counts(h, w, g, dy.dtype)
    dx = _col2im(lambda i, j: share, (n, h, w, c), g, dy.dtype)
    return _from_nhwc(dx, data_format).astype(t, copy=False)


BACKEND.kernel("MaxPool")(max_pool)
BACKEND.kernel("MaxPoolGrad")(max_pool_grad)
BACKEND.kernel("MaxPoolGradGrad")(max_pool_grad_grad)
BACKEND.kernel("AvgPool")(avg_pool)
BACKEND.kernel("AvgPoolGrad")(avg_pool_grad)
