"""Math library: per-op overhead of elementwise chains, and large reductions, against the
same computation written in NumPy by hand (measured in the same run)."""

import numpy as np

import flowbook as tf
from .harness import per_call


def elementwise_chain():
    """A 40-op chain of unary/binary math ops on a small vector: per-op overhead dominates."""
    n = 10
    x0 = np.linspace(-2, 2, 64).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        p = tf.placeholder(tf.float32, [64])
        x = p
        for _ in range(n):
            x = tf.tanh(tf.maximum(tf.sigmoid(x) * 2.0, tf.square(x) - 1.0))
    s = tf.Session(graph=g)
    fb = per_call(lambda: s.run(x, {p: x0}))

    def by_hand():
        v = x0
        two, one = np.float32(2), np.float32(1)
        for _ in range(n):
            v = np.tanh(np.maximum(1 / (1 + np.exp(-v)) * two, np.square(v) - one))
        return v

    return [("40-op elementwise chain on f32[64]", fb, per_call(by_hand), "≤ 1.5x NumPy")]


def big_reductions():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((512, 1000)).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        p = tf.placeholder(tf.float32, [None, 1000])
        lse = tf.reduce_logsumexp(p, 1)
        am = tf.argmax(p, 1)
        mx = tf.reduce_max(p, 1)
    s = tf.Session(graph=g)

    def np_lse():
        m = a.max(1, keepdims=True)
        return np.log(np.exp(a - m).sum(1)) + m[:, 0]

    rows = [("reduce_logsumexp over f32[512, 1000] axis 1", per_call(lambda: s.run(lse, {p: a})),
             per_call(np_lse), "≤ 1.2x NumPy"),
            ("reduce_max + argmax over f32[512, 1000]",
             per_call(lambda: s.run([mx, am], {p: a})),
             per_call(lambda: (a.max(1), a.argmax(1))), "≤ 1.2x NumPy")]
    return rows


WORKLOADS = [elementwise_chain, big_reductions]
