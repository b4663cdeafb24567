"""Intermediates are released after their last consumer, so a long chain's peak memory stays at
a few buffers rather than one per op (NumPy allocations are visible to tracemalloc)."""

import tracemalloc

import numpy as np

import flowbook as tf


def test_chain_keeps_only_a_few_buffers_alive(sess):
    n = 1 << 20                          # 4 MB of float32 per buffer
    x = tf.placeholder(tf.float32, [n])
    y = x
    for _ in range(30):
        y = y * 1.0001 + 0.5
    data = np.ones(n, np.float32)
    sess.run(y, {x: data})               # compile outside the measurement
    tracemalloc.start()
    try:
        out = sess.run(y, {x: data})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert out.shape == (n,)
    buffers = peak / data.nbytes
    assert buffers < 5, f"peak was {buffers:.1f} buffers for a 60-op chain"
