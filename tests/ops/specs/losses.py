"""Specs for tf.losses: values against NumPy formulas written out here, and gradients against
finite differences (every loss, with non-trivial weights and each reduction)."""

import numpy as np

import flowbook as tf
from tests.opcheck import Arg, OpSpec

F = (np.float32, np.float64)
W = np.array([[1.0], [0.0], [2.0]])               # per-row weights with a zero row
R = tf.losses.Reduction


def _reduce(losses, w, reduction):
    w = np.broadcast_to(w, losses.shape)
    wl = losses * w
    if reduction == R.NONE:
        return wl
    if reduction == R.SUM:
        return wl.sum()
    if reduction == R.MEAN:
        return wl.sum() / w.sum()
    if reduction == R.SUM_OVER_BATCH_SIZE:
        return wl.sum() / losses.size
    return wl.sum() / np.count_nonzero(w)


def _sigmoid_xent(z, x):
    return np.logaddexp(0, x) - x * z


def _log_softmax(x):
    z = x - x.max(-1, keepdims=True)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))


def _huber(e, d):
    a = np.abs(e)
    return np.where(a <= d, 0.5 * a * a, d * (a - 0.5 * d))


# name: (builder(labels, predictions, **kw), numpy elementwise losses, label Arg, pred Arg)
CASES = {
    "absolute_difference": (tf.losses.absolute_difference, lambda z, p: np.abs(p - z),
                            Arg([3, 4]), Arg([3, 4])),
    "mean_squared_error": (tf.losses.mean_squared_error, lambda z, p: (p - z) ** 2,
                           Arg([3, 4]), Arg([3, 4])),
    "huber_loss": (lambda z, p, **kw: tf.losses.huber_loss(z, p, delta=0.7, **kw),
                   lambda z, p: _huber(p - z, 0.7), Arg([3, 4]), Arg([3, 4])),
    "log_loss": (tf.losses.log_loss,
                 lambda z, p: -z * np.log(p + 1e-7) - (1 - z) * np.log(1 - p + 1e-7),
                 Arg([3, 4], "const:[[0, 1, 1, 0], [1, 0, 0, 1], [1, 1, 0, 0]]",
                     differentiable=False),
                 Arg([3, 4], "const:[[0.1, 0.8, 0.6, 0.3], [0.9, 0.2, 0.5, 0.7], "
                                    "[0.4, 0.55, 0.05, 0.95]]")),
    "hinge_loss": (tf.losses.hinge_loss, lambda z, x: np.maximum(0, 1 - (2 * z - 1) * x),
                   Arg([3, 4], "const:[[0, 1, 1, 0], [1, 0, 0, 1], [1, 1, 0, 0]]",
                       differentiable=False),
                   Arg([3, 4], "const:[[0.5, 0.2, 2.1, -3.0], [0.3, -0.4, 0.7, 1.6], "
                                      "[-0.5, 0.9, -2.0, 0.1]]")),
    "cosine_distance": (lambda z, p, **kw: tf.losses.cosine_distance(z, p, axis=1, **kw),
                        lambda z, p: 1 - (z * p).sum(1, keepdims=True), Arg([3, 4]),
                        Arg([3, 4])),
    "sigmoid_cross_entropy": (lambda z, x, **kw: tf.losses.sigmoid_cross_entropy(
        z, x, label_smoothing=0.2, **kw), lambda z, x: _sigmoid_xent(z * 0.8 + 0.1, x),
        Arg([3, 4], "unit", differentiable=False), Arg([3, 4])),
    "softmax_cross_entropy": (lambda z, x, **kw: tf.losses.softmax_cross_entropy(
        z, x, label_smoothing=0.3, **kw),
        lambda z, x: -((z * 0.7 + 0.3 / 4) * _log_softmax(x)).sum(1),
        Arg([3, 4], "const:[[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]]", differentiable=False),
        Arg([3, 4])),
    "sparse_softmax_cross_entropy": (
        tf.losses.sparse_softmax_cross_entropy,
        lambda z, x: -np.take_along_axis(_log_softmax(x), z[:, None], 1)[:, 0],
        Arg([3], "const:[3, 0, 1]", np.int32, differentiable=False), Arg([3, 4])),
}
_ROW_LOSSES = ("cosine_distance",)
_VECTOR_LOSSES = ("softmax_cross_entropy", "sparse_softmax_cross_entropy")


def _weights_for(name):
    return W[:, 0] if name in _VECTOR_LOSSES else W


def _spec(name, reduction):
    build, elementwise, zarg, parg = CASES[name]
    w = _weights_for(name)

    def fb(z, p):
        return build(z, p, weights=w, reduction=reduction, loss_collection=None)

    def ref(z, p):
        losses = elementwise(z if z.dtype.kind == "i" else z.astype(np.float64),
                             p.astype(np.float64))
        return np.asarray(_reduce(losses, w, reduction), dtype=p.dtype)

    return OpSpec(f"losses_{name}_{reduction}", fb, ref, [zarg, parg], [], F, rtol=2e-5,
                  atol=2e-6)


SPECS = [_spec(n, r) for n in CASES for r in (R.SUM_BY_NONZERO_WEIGHTS, R.NONE, R.MEAN)]
SPECS += [_spec(n, r) for n in ("mean_squared_error", "sparse_softmax_cross_entropy")
          for r in (R.SUM, R.SUM_OVER_BATCH_SIZE)]
