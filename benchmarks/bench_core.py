"""Core engine: Session.run latency and building/compiling a 10,000-op chain."""

import numpy as np

import flowbook as tf
from .harness import once, per_call


def run_latency():
    g = tf.Graph()
    with g.as_default():
        a = tf.placeholder(tf.float32, [])
        b = tf.placeholder(tf.float32, [])
        c = a + b
    s = tf.Session(graph=g)
    feed = {a: 1.0, b: 2.0}
    fb = per_call(lambda: s.run(c, feed))
    x, y = np.float32(1.0), np.float32(2.0)
    ref = per_call(lambda: np.add(x, y))
    return [("Session.run c = a + b (fed f32 scalars)", fb, ref, "≤ 3 µs")]


def chain_10k():
    n = 10_000

    def build(_=None):
        g = tf.Graph()
        with g.as_default():
            x0 = tf.placeholder(tf.float32, [])
            y = tf.constant(1.0)
            x = x0
            for _ in range(n):
                x = tf.add(x, y)
        return g, x0, x

    build_t = once(build)

    def first(state):
        g, x0, x = state
        tf.Session(graph=g).run(x, {x0: 0.0})

    first_t = once(first, setup=build)
    g, x0, x = build()
    s = tf.Session(graph=g)
    s.run(x, {x0: 0.0})
    steady = per_call(lambda: s.run(x, {x0: 0.0}), min_time=0.5)

    def np_chain():
        v = np.float32(0.0)
        one = np.float32(1.0)
        for _ in range(n):
            v = np.add(v, one)
        return v

    ref = per_call(np_chain, min_time=0.5)
    return [("build 10,000-op add chain", build_t, None, "≤ 0.05 s (TF1 2.4 s)"),
            ("first run of it (plan compile)", first_t, None, "≤ 0.05 s (TF1 2.8 s)"),
            ("steady run of it", steady, ref, "≤ 1.0x NumPy")]


WORKLOADS = [run_latency, chain_10k]
