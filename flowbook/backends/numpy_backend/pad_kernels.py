"""Kernels for pad and slice (flowbook/ops/pad_ops.py); slices are views of their input."""

import numpy as np

from . import BACKEND
from ._util import invalid


def _check_paddings(x, p):
    if p.shape != (np.ndim(x), 2) or p.size and p.min() < 0:
        raise invalid(f"paddings must be a [rank, 2] array of non-negative sizes for a tensor "
                      f"of shape {list(np.shape(x))}, got {p.tolist()}.")
    return p.tolist()


def _constant_pad(x, paddings, value):
    p = _check_paddings(x, paddings)
    shape = tuple(n + b + a for n, (b, a) in zip(np.shape(x), p))
    out = np.full(shape, value, dtype=x.dtype)
    out[tuple(slice(b, b + n) for n, (b, _) in zip(np.shape(x), p))] = x
    return out


@BACKEND.kernel("Pad")
def pad(x, paddings):
    return _constant_pad(x, paddings, 0)


@BACKEND.kernel("PadV2")
def pad_v2(x, paddings, constant_values):
    return _constant_pad(x, paddings, constant_values)


def _mirror_ok(p, shape, mode):
    off = 1 if mode == "REFLECT" else 0
    for i, (n, (b, a)) in enumerate(zip(shape, p)):
        if max(b, a) > n - off:
            raise invalid(f"{mode} padding {[b, a]} of dimension {i} is too large for size {n}:"
                          f" each side must be at most {n - off}.")


@BACKEND.kernel("MirrorPad")
def mirror_pad(x, paddings, mode):
    p = _check_paddings(x, paddings)
    _mirror_ok(p, np.shape(x), mode)
    return np.pad(x, p, mode=mode.lower())


@BACKEND.kernel("MirrorPadGrad")
def mirror_pad_grad(g, paddings, mode):
    p = _check_paddings(g, paddings)
    off = 1 if mode == "REFLECT" else 0
    _mirror_ok(p, [n - b - a for n, (b, a) in zip(g.shape, p)], mode)
    out = g
    for ax, (b, a) in enumerate(p):
        if not b and not a:
            continue
        o = np.moveaxis(out, ax, 0)
        n = o.shape[0] - b - a
        center = o[b:b + n].copy()
        if b:
            center[off:off + b] += o[:b][::-1]          # the mirrored border folds back
        if a:
            center[n - off - a:n - off] += o[b + n:][::-1]
        out = np.moveaxis(center, 0, ax)
    return out


@BACKEND.kernel("Slice")
def slice_(x, begin, size):
    shape = np.shape(x)
    b, s = begin.tolist(), size.tolist()
    if len(b) != len(shape) or len(s) != len(shape):
        raise invalid(f"slice: begin {b} and size {s} need one entry per dimension of the "
                      f"input of shape {list(shape)}.")
    idx = []
    for i, (n, bi, si) in enumerate(zip(shape, b, s)):
        end = n if si == -1 else bi + si
        if not 0 <= bi <= n or si < -1 or end > n:
            raise invalid(f"slice: expected begin[{i}] in [0, {n}] and size[{i}] in "
                          f"[0, {n} - begin[{i}]] (or -1), got begin {b} and size {s} for an "
                          f"input of shape {list(shape)}.")
        idx.append(slice(bi, end))
    return x[tuple(idx)]
