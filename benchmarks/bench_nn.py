"""tf.nn: a conv2d layer and a training step of the classic MNIST CNN, against hand-written
NumPy doing the same arithmetic (sliding windows + tensordot, backward pass by hand)."""

import statistics
import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

import flowbook as tf
from .harness import per_call

BATCH = 50


def paired(fa, fb, rounds=9):
    """Median seconds of fa and of fb, called alternately so both see the same machine load
    (these calls take milliseconds; a busy shared machine otherwise skews the ratio)."""
    fa(), fb()
    ta, tb = [], []
    for _ in range(rounds):
        for f, out in ((fa, ta), (fb, tb)):
            t0 = time.perf_counter()
            f()
            out.append(time.perf_counter() - t0)
    return statistics.median(ta), statistics.median(tb)


# --- hand-written NumPy ----------------------------------------------------------------------
def np_conv_same(x, w):
    """SAME 2-D convolution, stride 1, odd kernel: windows view + one tensordot."""
    kh, kw = w.shape[:2]
    xp = np.pad(x, ((0, 0), (kh // 2, kh // 2), (kw // 2, kw // 2), (0, 0)))
    win = sliding_window_view(xp, (kh, kw), axis=(1, 2))          # n, h, w, c, kh, kw
    return np.tensordot(win, w, axes=([4, 5, 3], [0, 1, 2]))


def np_conv_grads(x, w, dy):
    kh, kw = w.shape[:2]
    xp = np.pad(x, ((0, 0), (kh // 2, kh // 2), (kw // 2, kw // 2), (0, 0)))
    win = sliding_window_view(xp, (kh, kw), axis=(1, 2))
    dw = np.tensordot(win, dy, axes=([0, 1, 2], [0, 1, 2])).transpose(1, 2, 0, 3)
    dyp = np.pad(dy, ((0, 0), (kh // 2, kh // 2), (kw // 2, kw // 2), (0, 0)))
    dwin = sliding_window_view(dyp, (kh, kw), axis=(1, 2))          # n, h, w, co, kh, kw
    dx = np.tensordot(dwin, w[::-1, ::-1], axes=([4, 5, 3], [0, 1, 3]))
    return dx, dw


def np_pool(x):
    n, h, w, c = x.shape
    t = x.reshape(n, h // 2, 2, w // 2, 2, c)
    y = t.max(axis=(2, 4))
    mask = t == y[:, :, None, :, None, :]
    return y, mask


def np_unpool(dy, mask):
    n, h, _, w, _, c = mask.shape
    return (mask * dy[:, :, None, :, None, :]).reshape(n, h * 2, w * 2, c)


def np_train_step(p, x, labels, rng, lr=1e-4):
    """Forward, backward and a plain SGD update of the MNIST CNN (the same FLOPs as Adam's
    gradient; Adam's few extra elementwise passes are cheap next to the convolutions)."""
    w1, b1, w2, b2, w3, b3, w4, b4 = p
    a1 = np_conv_same(x.reshape(-1, 28, 28, 1), w1) + b1
    r1 = np.maximum(a1, 0)
    h1, m1 = np_pool(r1)
    a2 = np_conv_same(h1, w2) + b2
    r2 = np.maximum(a2, 0)
    h2, m2 = np_pool(r2)
    f = h2.reshape(len(x), -1)
    a3 = f @ w3 + b3
    r3 = np.maximum(a3, 0)
    keep = (rng.random(r3.shape, dtype=np.float32) < 0.5) / np.float32(0.5)
    d = r3 * keep
    logits = d @ w4 + b4
    z = logits - logits.max(1, keepdims=True)
    sm = np.exp(z)
    sm /= sm.sum(1, keepdims=True)
    loss = -(labels * np.log(sm)).sum(1).mean()
    g4 = (sm - labels) / len(x)
    dw4, db4 = d.T @ g4, g4.sum(0)
    g3 = (g4 @ w4.T) * keep * (a3 > 0)
    dw3, db3 = f.T @ g3, g3.sum(0)
    g2 = np_unpool((g3 @ w3.T).reshape(h2.shape), m2) * (a2 > 0)
    dh1, dw2 = np_conv_grads(h1, w2, g2)
    g1 = np_unpool(dh1, m1) * (a1 > 0)
    _, dw1 = np_conv_grads(x.reshape(-1, 28, 28, 1), w1, g1)
    grads = (dw1, g1.sum((0, 1, 2)), dw2, g2.sum((0, 1, 2)), dw3, db3, dw4, db4)
    for v, gr in zip(p, grads):
        v -= lr * gr
    return loss


# --- flowbook --------------------------------------------------------------------------------
def build_cnn(optimizer):
    """The classic TF1 tutorial network: conv5x5x32-pool-conv5x5x64-pool-fc1024-dropout-fc10."""
    def weight(shape):
        return tf.Variable(tf.truncated_normal(shape, stddev=0.1))

    def bias(shape):
        return tf.Variable(tf.constant(0.1, shape=shape))

    def conv_pool(h, w, b):
        a = tf.nn.relu(tf.nn.conv2d(h, w, strides=[1, 1, 1, 1], padding="SAME") + b)
        return tf.nn.max_pool(a, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")

    x = tf.placeholder(tf.float32, [None, 784])
    y_ = tf.placeholder(tf.float32, [None, 10])
    keep_prob = tf.placeholder(tf.float32)
    h1 = conv_pool(tf.reshape(x, [-1, 28, 28, 1]), weight([5, 5, 1, 32]), bias([32]))
    h2 = conv_pool(h1, weight([5, 5, 32, 64]), bias([64]))
    fc = tf.nn.relu(tf.matmul(tf.reshape(h2, [-1, 7 * 7 * 64]), weight([3136, 1024])) +
                    bias([1024]))
    y = tf.matmul(tf.nn.dropout(fc, keep_prob), weight([1024, 10])) + bias([10])
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=y))
    return x, y_, keep_prob, loss, optimizer.minimize(loss)


def _batch(rng):
    x = rng.random((BATCH, 784), dtype=np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, BATCH)]
    return x, y


def conv_layer():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((BATCH, 14, 14, 32)).astype(np.float32)
    w = (rng.standard_normal((5, 5, 32, 64)) * 0.1).astype(np.float32)
    dy = rng.standard_normal((BATCH, 14, 14, 64)).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        xp = tf.placeholder(tf.float32, x.shape)
        wp = tf.placeholder(tf.float32, w.shape)
        y = tf.nn.conv2d(xp, wp, [1, 1, 1, 1], "SAME")
        gx, gw = tf.gradients(y, [xp, wp], grad_ys=dy)
    s = tf.Session(graph=g)
    fwd, ref_fwd = paired(lambda: s.run(y, {xp: x, wp: w}), lambda: np_conv_same(x, w))
    bwd, ref_bwd = paired(lambda: s.run([gx, gw], {xp: x, wp: w}),
                          lambda: np_conv_grads(x, w, dy))
    return [(f"conv2d 5x5 32->64 on [{BATCH},14,14,32] SAME, forward", fwd, ref_fwd,
             "≤ 1.2x NumPy"),
            ("  its input + filter gradients", bwd, ref_bwd, "≤ 1.2x NumPy")]


def train_step():
    rng = np.random.default_rng(1)
    x, labels = _batch(rng)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(0)
        xp, yp, keep, loss, train = build_cnn(tf.train.AdamOptimizer(1e-4))
        init = tf.global_variables_initializer()
    s = tf.Session(graph=g)
    s.run(init)
    feed = {xp: x, yp: labels, keep: 0.5}
    params = [(rng.standard_normal(sh) * 0.1).astype(np.float32) for sh in (
        (5, 5, 1, 32), (32,), (5, 5, 32, 64), (64,), (3136, 1024), (1024,), (1024, 10), (10,))]
    step, ref = paired(lambda: s.run(train, feed), lambda: np_train_step(params, x, labels, rng))
    infer = per_call(lambda: s.run(loss, {xp: x, yp: labels, keep: 1.0}), min_time=0.5,
                     repeats=5)
    return [(f"MNIST CNN train step (Adam, batch {BATCH})", step, ref, "≤ 1.3x hand NumPy"),
            (f"  its forward pass (loss, batch {BATCH})", infer, None, "")]


WORKLOADS = [conv_layer, train_step]
