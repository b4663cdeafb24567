"""Core ops not covered by the spec table: defaults, random statistics, hypothesis rules."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import flowbook as tf


def test_placeholder_with_default(sess):
    d = tf.placeholder_with_default(tf.constant([1.0, 2.0]), shape=[None])
    assert sess.run(d).tolist() == [1, 2]
    assert sess.run(d, {d: [5.0, 6.0, 7.0]}).tolist() == [5, 6, 7]


def test_zeros_ones_names_and_big_shapes(sess):
    z = tf.zeros([2, 3])
    big = tf.ones([100, 100], dtype=tf.int32)
    assert z.op.type == "Const" and z.op.name == "zeros"
    assert big.op.type == "Fill" and sess.run(big).sum() == 10000
    n = tf.placeholder(tf.int32, [])
    dyn = tf.zeros(tf.stack([n, 2]))
    assert sess.run(dyn, {n: 3}).shape == (3, 2)


@pytest.mark.parametrize("dtype", [tf.float32, tf.float64, tf.float16])
def test_random_statistics(sess, dtype):
    u = tf.random_uniform([20000], -2.0, 6.0, dtype=dtype, seed=1)
    n = tf.random_normal([20000], mean=3.0, stddev=2.0, dtype=dtype, seed=2)
    t = tf.truncated_normal([20000], stddev=2.0, dtype=dtype, seed=3)
    uv, nv, tv = (x.astype(np.float64) for x in sess.run([u, n, t]))
    assert uv.dtype == np.float64 and sess.run(u).dtype == dtype.as_numpy_dtype
    top = 6 if dtype != tf.float16 else 6.01     # float16 arithmetic may round up to 6
    assert uv.min() >= -2 and uv.max() < top and abs(uv.mean() - 2) < 0.1
    assert abs(nv.mean() - 3) < 0.1 and abs(nv.std() - 2) < 0.1
    assert np.abs(tv).max() <= 4.01 and 1.5 < tv.std() < 1.9


def test_random_int(sess):
    r = sess.run(tf.random_uniform([1000], 3, 7, dtype=tf.int64, seed=5))
    assert r.dtype == np.int64 and set(r.tolist()) == {3, 4, 5, 6}
    with pytest.raises(ValueError, match="maxval"):
        tf.random_uniform([2], dtype=tf.int32)


def test_op_seed_without_graph_seed_replays_per_session():
    r = tf.random_normal([3], seed=7)
    with tf.Session() as s1, tf.Session() as s2:
        a, b = s1.run(r), s2.run(r)
        assert np.array_equal(a, b) and not np.array_equal(a, s1.run(r))


shapes = st.lists(st.integers(1, 3), min_size=0, max_size=3)


@settings(max_examples=40, deadline=None)
@given(shapes, shapes, st.data())
def test_broadcasting_rule_matches_numpy(sa, sb, data):
    try:
        expected = np.broadcast_shapes(tuple(sa), tuple(sb))
    except ValueError:
        expected = None
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float32, sa)
        b = tf.placeholder(tf.float32, sb)
        if expected is None:
            with pytest.raises(ValueError):
                tf.add(a, b)
            return
        c = tf.add(a, b)
        assert tuple(c.shape.as_list()) == expected
        # With unknown dims the static rule stays compatible with the run-time result.
        ua = tf.placeholder(tf.float32, [None] * len(sa))
        ub = tf.placeholder(tf.float32, [None] * len(sb))
        cu = ua * ub
        x = np.ones(sa, np.float32)
        y = np.ones(sb, np.float32)
        with tf.Session() as s:
            r = s.run(cu, {ua: x, ub: y})
        assert r.shape == expected and cu.shape.is_compatible_with(r.shape)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=4), st.data(), st.booleans())
def test_reduction_shapes_match_numpy(shape, data, keepdims):
    axes = data.draw(st.lists(st.integers(-len(shape), len(shape) - 1), max_size=3,
                              unique_by=lambda a: a % len(shape)))
    x = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    with tf.Graph().as_default():
        p = tf.placeholder(tf.float64, shape)
        s_ = tf.reduce_sum(p, axes, keepdims=keepdims)
        m = tf.reduce_mean(p, axes or None, keepdims=keepdims)
        with tf.Session() as s:
            rs, rm = s.run([s_, m], {p: x})
    es = x.sum(tuple(axes), keepdims=keepdims)
    em = x.mean(tuple(axes) if axes else None, keepdims=keepdims)
    np.testing.assert_allclose(rs, es)
    np.testing.assert_allclose(rm, em)
    assert tuple(s_.shape.as_list()) == np.shape(es)
    assert tuple(m.shape.as_list()) == np.shape(em)


def test_matmul_of_unknown_rank_batches_like_tf1(sess):
    a = tf.placeholder(tf.float32)            # rank unknown: TF1 builds BatchMatMul
    b = tf.placeholder(tf.float32, [3, 2])
    c = tf.matmul(a, b)
    assert c.op.type == "BatchMatMul"
    x = np.arange(12, dtype=np.float32).reshape(2, 2, 3)
    y = np.ones((3, 2), np.float32)
    np.testing.assert_allclose(sess.run(c, {a: x, b: y}), x @ y)
    g, = tf.gradients(tf.reduce_sum(c), [a])
    np.testing.assert_allclose(sess.run(g, {a: x, b: y}), np.full((2, 2, 3), 2.0))
