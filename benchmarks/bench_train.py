"""Training: an MLP step with Adam against hand-written NumPy; building and first-running the
gradient of a 1,000-op graph with respect to 100 variables."""

import statistics
import time

import numpy as np

import flowbook as tf
from .harness import once


def _interleaved(fns, rounds=15, calls=3):
    """Median seconds per call of each of ``fns``, measured in alternating rounds so that
    load from other processes falls on all of them alike."""
    for fn in fns:
        fn()
    samples = [[] for _ in fns]
    for _ in range(rounds):
        for fn, out in zip(fns, samples):
            t0 = time.perf_counter()
            for _ in range(calls):
                fn()
            out.append((time.perf_counter() - t0) / calls)
    return [statistics.median(s) for s in samples]

BATCH = 256
SIZES = (784, 512, 512, 10)


def _data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((BATCH, SIZES[0])).astype(np.float32)
    labels = np.eye(SIZES[-1], dtype=np.float32)[rng.integers(0, SIZES[-1], BATCH)]
    ws = [(rng.standard_normal((a, b)) * np.sqrt(2.0 / a)).astype(np.float32)
          for a, b in zip(SIZES[:-1], SIZES[1:])]
    bs = [np.zeros(b, np.float32) for b in SIZES[1:]]
    return x, labels, ws, bs


class NumpyMLP:
    """The same network, loss and Adam step (TF1's formulas), written directly in NumPy."""

    def __init__(self, ws, bs, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8):
        self.params = [p.copy() for pair in zip(ws, bs) for p in pair]
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.lr, self.b1, self.b2, self.eps = lr, b1, b2, eps
        self.p1 = self.p2 = np.float32(1.0)

    def step(self, x, labels):
        w1, b1, w2, b2, w3, b3 = self.params
        h1 = np.maximum(x @ w1 + b1, 0)
        h2 = np.maximum(h1 @ w2 + b2, 0)
        logits = h2 @ w3 + b3
        z = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(z)
        p = e / e.sum(axis=1, keepdims=True)
        loss = -(labels * (z - np.log(e.sum(axis=1, keepdims=True)))).sum(axis=1).mean()
        d3 = (p - labels) / np.float32(len(x))
        d2 = (d3 @ w3.T) * (h2 > 0)
        d1 = (d2 @ w2.T) * (h1 > 0)
        grads = [x.T @ d1, d1.sum(0), h1.T @ d2, d2.sum(0), h2.T @ d3, d3.sum(0)]
        self.p1 *= np.float32(self.b1)
        self.p2 *= np.float32(self.b2)
        alpha = np.float32(self.lr * np.sqrt(1 - self.p2) / (1 - self.p1))
        for p_, m, v, g in zip(self.params, self.m, self.v, grads):
            m += (g - m) * np.float32(1 - self.b1)
            v += (g * g - v) * np.float32(1 - self.b2)
            p_ -= m * alpha / (np.sqrt(v) + np.float32(self.eps))
        return loss


def mlp_adam_step():
    x, labels, ws, bs = _data()
    g = tf.Graph()
    with g.as_default():
        xp = tf.placeholder(tf.float32, [None, SIZES[0]])
        yp = tf.placeholder(tf.float32, [None, SIZES[-1]])
        h = xp
        for k, (w, b) in enumerate(zip(ws, bs)):
            h = tf.matmul(h, tf.Variable(w, name=f"w{k}")) + tf.Variable(b, name=f"b{k}")
            if k < len(ws) - 1:
                h = tf.nn.relu(h)
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=yp, logits=h))
        train = tf.train.AdamOptimizer(1e-3).minimize(loss)
        init = tf.global_variables_initializer()
    sess = tf.Session(graph=g)
    sess.run(init)
    feed = {xp: x, yp: labels}
    ref_model = NumpyMLP(ws, bs)
    fb, ref = _interleaved([lambda: sess.run(train, feed), lambda: ref_model.step(x, labels)])
    return [("MLP 784-512-512-10 Adam step (batch 256, f32)", fb, ref,
             "≤ 0.95x NumPy (TF1 0.98x)")]


def _graph_1000(n_vars=100, n_ops=1000):
    g = tf.Graph()
    with g.as_default():
        vs = [tf.Variable(np.full([16], 0.01 * (k + 1), np.float32), name=f"v{k}")
              for k in range(n_vars)]
        x = tf.placeholder(tf.float32, [16])
        h = x
        start = len(g.get_operations())
        i = 0
        while len(g.get_operations()) - start < n_ops:
            v = vs[i % n_vars]
            h = h * v + v if i % 2 else h - tf.tanh(v) * h
            i += 1
        loss = tf.reduce_sum(h * h)
        init = tf.global_variables_initializer()
    return g, vs, x, loss, init


def gradient_build_and_first_run():
    def setup():
        return _graph_1000()

    def build(state):
        g, vs, x, loss, init = state
        with g.as_default():
            tf.gradients(loss, vs)

    build_t = once(build, setup=setup)

    def setup_run():
        g, vs, x, loss, init = _graph_1000()
        with g.as_default():
            grads = tf.gradients(loss, vs)
        sess = tf.Session(graph=g)
        sess.run(init)
        return sess, grads, x

    def first(state):
        sess, grads, x = state
        sess.run(grads, {x: np.ones(16, np.float32)})

    first_t = once(first, setup=setup_run)
    return [("tf.gradients of a 1,000-op graph w.r.t. 100 variables", build_t, None,
             "≤ 0.05 s (TF1 0.56 s)"),
            ("first run of those gradients (plan compile)", first_t, None,
             "≤ 0.05 s (TF1 0.63 s)")]


WORKLOADS = [mlp_adam_step, gradient_build_and_first_run]
