"""GPU kernels for activations, cross entropies and losses (flowbook/ops/nn_ops.py,
xent_ops.py), written against ``xp`` with the NumPy kernels' formulas (same values within
float tolerance). float16 inputs are computed in float32, as on the CPU."""

import numpy as np

from ...errors import InvalidArgumentError


def _wide(fn):
    def run(*arrays, **kw):
        if arrays and arrays[0].dtype == np.float16:
            out = fn(*(a.astype(np.float32) for a in arrays), **kw)
            return tuple(o.astype(np.float16) for o in out) if isinstance(out, tuple) else \
                out.astype(np.float16)
        return fn(*arrays, **kw)
    return run


def register(B, xp):
    def zero(x):
        return xp.zeros((), dtype=x.dtype)

    def const(v, dtype):
        return xp.asarray(np.asarray(v, dtype=dtype))

    B.kernel_for("Relu", lambda x: xp.maximum(x, zero(x)))
    B.kernel_for("ReluGrad", lambda dy, x: xp.where(x > 0, dy, zero(dy)))
    B.kernel_for("Relu6", lambda x: xp.minimum(xp.maximum(x, zero(x)), const(6, x.dtype)))
    B.kernel_for("Relu6Grad", lambda dy, x: xp.where((x > 0) & (x < 6), dy, zero(dy)))
    B.kernel_for("LeakyRelu", lambda x, alpha=0.2: xp.where(x > 0, x,
                                                            x * const(alpha, x.dtype)))
    B.kernel_for("LeakyReluGrad", lambda dy, x, alpha=0.2: xp.where(
        x > 0, dy, dy * const(alpha, dy.dtype)))

    def sigmoid(x):
        half = x.dtype.type(0.5)
        return half + half * xp.tanh(half * x)
    B.kernel_for("Softplus", _wide(lambda x: xp.logaddexp(zero(x), x)))
    B.kernel_for("SoftplusGrad", _wide(lambda dy, x: dy * sigmoid(x)))

    def l2_loss(t):
        return (xp.sum(xp.square(t), dtype=t.dtype) / 2).astype(t.dtype)
    B.kernel_for("L2Loss", l2_loss)

    @_wide
    def xent(x, labels):
        z = x - xp.max(x, axis=1, keepdims=True)
        log_p = z - xp.log(xp.sum(xp.exp(z), axis=1, keepdims=True))
        loss = -xp.sum(xp.where(labels == 0, zero(log_p), labels * log_p), axis=1)
        return loss, xp.exp(log_p) - labels

    def softmax_xent(x, labels):
        if x.shape != labels.shape:
            raise InvalidArgumentError(
                None, None, f"logits and labels must be the same size: logits_size="
                f"{list(x.shape)} labels_size={list(labels.shape)}")
        return xent(x, labels)
    B.kernel_for("SoftmaxCrossEntropyWithLogits", softmax_xent)

    def sparse_softmax_xent(x, labels):
        n, c = x.shape
        if labels.shape != (n,):
            raise InvalidArgumentError(
                None, None, f"labels must have shape [{n}] to match logits {list(x.shape)}, "
                f"got {list(labels.shape)}.")
        bad = (labels < 0) | (labels >= c)
        if bool(bad.any()):          # one device sync: TF checks labels on the CPU too
            first = int(labels[bad][0])
            raise InvalidArgumentError(
                None, None, f"Received a label value of {first} which is outside the valid "
                f"range of [0, {c}). Labels must be class indices 0 .. {c - 1} for logits "
                f"with {c} columns.")
        onehot = xp.zeros(x.shape, dtype=x.dtype)
        onehot[xp.arange(n), labels] = 1
        return xent(x, onehot)
    B.kernel_for("SparseSoftmaxCrossEntropyWithLogits", sparse_softmax_xent)
