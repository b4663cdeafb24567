"""Kernels for activations, softmax, bias, L2 and ranking ops (flowbook/ops/nn_ops.py)."""

import numpy as np

from . import BACKEND
from ._util import quiet, invalid

SELU_SCALE = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717


def _wide(fn):
    """Runs ``fn`` in float32 for float16 inputs (NumPy's half transcendentals are coarse)."""
    def run(*arrays, **kw):
        if arrays and getattr(arrays[0], "dtype", None) == np.float16:
            out = fn(*(a.astype(np.float32) for a in arrays), **kw)
            return out.astype(np.float16)
        return fn(*arrays, **kw)
    run.__name__ = fn.__name__
    return quiet(run)


def _zero(x):
    return np.zeros((), dtype=x.dtype)


# --- activations and their backward ops -----------------------------------------------------
@BACKEND.kernel("Relu")
def relu(x):
    return np.maximum(x, _zero(x))


@BACKEND.kernel("ReluGrad")
def relu_grad(dy, x):
    return np.where(x > 0, dy, _zero(dy))


@BACKEND.kernel("Relu6")
def relu6(x):
    return np.minimum(np.maximum(x, _zero(x)), np.asarray(6, dtype=x.dtype))


@BACKEND.kernel("Relu6Grad")
def relu6_grad(dy, x):
    return np.where((x > 0) & (x < 6), dy, _zero(dy))


def _leaky_relu(x, alpha=0.2):
    return np.where(x > 0, x, x * np.asarray(alpha, dtype=x.dtype))


def _leaky_relu_grad(dy, x, alpha=0.2):
    return np.where(x > 0, dy, dy * np.asarray(alpha, dtype=dy.dtype))


BACKEND.kernel("LeakyRelu")(_leaky_relu)
BACKEND.kernel("LeakyReluGrad")(_leaky_relu_grad)


@BACKEND.kernel("Elu")
@_wide
def elu(x):
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))


@BACKEND.kernel("EluGrad")
def elu_grad(dy, y):
    return np.where(y > 0, dy, dy * (y + 1))


@BACKEND.kernel("Selu")
@_wide
def selu(x):
    s, a = x.dtype.type(SELU_SCALE), x.dtype.type(SELU_ALPHA)
    return np.where(x > 0, s * x, (s * a) * np.expm1(np.minimum(x, 0)))


@BACKEND.kernel("SeluGrad")
def selu_grad(dy, y):
    s, a = y.dtype.type(SELU_SCALE), y.dtype.type(SELU_ALPHA)
    return np.where(y > 0, dy * s, dy * (y + s * a))


def _sigmoid(x):
    # 0.5 * (1 + tanh(x / 2)) never overflows, unlike 1 / (1 + exp(-x)).
    half = x.dtype.type(0.5)
    return half + half * np.tanh(half * x)


@BACKEND.kernel("Softplus")
@_wide
def softplus(x):
    return np.logaddexp(_zero(x), x)


@BACKEND.kernel("SoftplusGrad")
@_wide
def softplus_grad(dy, x):
    return dy * _sigmoid(x)


@BACKEND.kernel("Softsign")
def softsign(x):
    return x / (1 + np.abs(x))


@BACKEND.kernel("SoftsignGrad")
def softsign_grad(dy, x):
    d = 1 + np.abs(x)
    return dy / (d * d)


# --- softmax ---------------------------------------------------------------------------------
@_wide
def softmax_last(x):
    z = x - np.max(x, axis=-1, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)


@_wide
def log_softmax_last(x):
    z = x - np.max(x, axis=-1, keepdims=True)
    return z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))


BACKEND.kernel("Softmax")(softmax_last)
BACKEND.kernel("LogSoftmax")(log_softmax_last)


# --- BiasAdd ---------------------------------------------------------------------------------
def _bias_shape(ndim, data_format):
    if data_format.startswith("NC") and ndim >= 3:
        return (1, -1) + (1,) * (ndim - 2)
    return None


def _bias_add(x, b, data_format="NHWC"):
    if x.shape[1 if data_format.startswith("NC") and x.ndim >= 3 else -1] != b.shape[0]:
        raise invalid(f"Must provide as many biases as the channel dimension of the input: "
                      f"bias has {b.shape[0]} entries, value has shape {list(x.shape)} "
                      f"({data_format}).")
    s = _bias_shape(x.ndim, data_format)
    return x + (b if s is None else b.reshape(s))


def _bias_add_grad(dy, data_format="NHWC"):
    ax = 1 if data_format.startswith("NC") and dy.ndim >= 3 else dy.ndim - 1
    axes = tuple(i for i in range(dy.ndim) if i != ax)
    return np.sum(dy, axis=axes, dtype=dy.dtype)


BACKEND.kernel("BiasAdd")(_bias_add)
BACKEND.kernel("BiasAddGrad")(_bias_add_grad)


@BACKEND.kernel("L2Loss")
def l2_loss(t):
    return np.asarray(np.sum(np.square(t), dtype=t.dtype) / 2, dtype=t.dtype)


# --- ranking ---------------------------------------------------------------------------------
@BACKEND.kernel("InTopKV2")
def in_top_k(pred, targets, k):
    n, c = pred.shape
    if targets.shape != (n,):
        raise invalid(f"targets must have shape [{n}] to match predictions {list(pred.shape)}, "
                      f"got {list(targets.shape)}.")
    ok = (targets >= 0) & (targets < c)
    t = np.where(ok, targets, 0)
    pt = pred[np.arange(n), t]
    # TF: in the top k when fewer than k entries are strictly larger (ties count as in);
    # out-of-range targets and non-finite predictions are never in.
    larger = np.sum(pred > pt[:, None], axis=1)
    finite = np.all(np.isfinite(pred), axis=1)
    return ok & finite & (larger < int(k))


@BACKEND.kernel("TopKV2")
def top_k(x, k, sorted=True):  # noqa: A002 (TF's attr name)
    k = int(k)
    if k < 0:
        raise invalid(f"k must be non-negative, got {k}")
    n = x.shape[-1]
    if k > n:
        raise invalid(f"input must have at least k={k} columns, had {n}")
    # A stable sort of -x puts larger values first and, among ties, lower indices first.
    key = -x if x.dtype.kind == "f" else -(x.astype(np.int64))
    idx = np.argsort(key, axis=-1, kind="stable")[..., :k]
    return np.take_along_axis(x, idx, axis=-1), idx.astype(np.int32)


# --- fused cross entropies -------------------------------------------------------------------
@_wide
def _xent(x, labels):
    z = x - np.max(x, axis=1, keepdims=True)
    log_p = z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))
    # 0 * log(0) is 0 here (TF's kernel gives the same for labels that are exactly 0).
    loss = -np.sum(np.where(labels == 0, 0, labels * log_p), axis=1)
    return loss, np.exp(log_p) - labels


@BACKEND.kernel("SoftmaxCrossEntropyWithLogits")
def softmax_xent(x, labels):
    if x.shape != labels.shape:
        raise invalid(f"logits and labels must be the same size: logits_size={list(x.shape)} "
                      f"labels_size={list(labels.shape)}")
    return _xent(x, labels)


@BACKEND.kernel("SparseSoftmaxCrossEntropyWithLogits")
def sparse_softmax_xent(x, labels):
    n, c = x.shape
    if labels.shape != (n,):
        raise invalid(f"labels must have shape [{n}] to match logits {list(x.shape)}, got "
                      f"{list(labels.shape)}.")
    bad = (labels < 0) | (labels >= c)
    if bad.any():
        raise invalid(f"Received a label value of {labels[bad][0]} which is outside the valid "
                      f"range of [0, {c}). Labels must be class indices 0 .. {c - 1} for "
                      f"logits with {c} columns. Label values: "
                      f"{' '.join(str(v) for v in labels[:20].tolist())}")
    onehot = np.zeros(x.shape, dtype=x.dtype)
    onehot[np.arange(n), labels] = 1
    return _xent(x, onehot)


# --- LRN -------------------------------------------------------------------------------------
def _window_sum(v, r):
    """sum of v over channels c - r .. c + r (clipped at the edges), for every channel c."""
    c = v.shape[-1]
    cs = np.concatenate([np.zeros(v.shape[:-1] + (1,), v.dtype), np.cumsum(v, axis=-1)], -1)
    hi = np.minimum(np.arange(c) + r + 1, c)
    lo = np.maximum(np.arange(c) - r, 0)
    return cs[..., hi] - cs[..., lo]


def _lrn_norm(x, depth_radius, bias, alpha):
    return bias + alpha * _window_sum(x * x, depth_radius)


@BACKEND.kernel("LRN")
@_wide
def lrn(x, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5):
    return x * _lrn_norm(x, depth_radius, bias, alpha) ** -beta


@BACKEND.kernel("LRNGrad")
@_wide
def lrn_grad(dy, x, y, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5):
    n = _lrn_norm(x, depth_radius, bias, alpha)
    return dy * n ** -beta - (2 * alpha * beta) * x * _window_sum(dy * y / n, depth_radius)
