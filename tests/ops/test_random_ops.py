"""Random ops beyond uniform/normal: gamma, Poisson, shuffle, categorical (statistics, supports,
shapes, TF1 seed semantics and names)."""

import numpy as np
import pytest

import flowbook as tf


@pytest.mark.parametrize("dtype", [tf.float32, tf.float64, tf.float16])
def test_random_gamma_moments(sess, dtype):
    g = tf.random_gamma([20000], alpha=[0.5, 2.0, 9.0], beta=[1.0, 2.0, 3.0], dtype=dtype,
                        seed=1)
    assert g.shape.as_list() == [20000, 3] and g.dtype == dtype
    v = sess.run(g).astype(np.float64)
    alpha, beta = np.array([0.5, 2.0, 9.0]), np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(v.mean(0), alpha / beta, rtol=0.05)
    np.testing.assert_allclose(v.var(0), alpha / beta ** 2, rtol=0.1)
    assert v.min() > 0


def test_random_gamma_shapes_and_scale(sess):
    alpha = tf.placeholder(tf.float32, [None])
    g = tf.random_gamma([5, 2], alpha)
    assert g.shape.as_list() == [5, 2, None]
    assert sess.run(g, {alpha: [1.0, 2.0, 3.0]}).shape == (5, 2, 3)
    scalar = tf.random_gamma([4000], 3.0, seed=2)        # beta defaults to 1
    assert abs(sess.run(scalar).mean() - 3.0) < 0.15


@pytest.mark.parametrize("dtype", [tf.float32, tf.int32, tf.int64])
def test_random_poisson_moments_and_support(sess, dtype):
    p = tf.random_poisson([0.5, 4.0, 30.0], [20000], dtype=dtype, seed=3)
    assert p.shape.as_list() == [20000, 3] and p.dtype == dtype
    v = sess.run(p)
    assert np.all(v >= 0) and np.all(v == np.round(v))
    np.testing.assert_allclose(v.mean(0), [0.5, 4.0, 30.0], rtol=0.05)
    np.testing.assert_allclose(v.var(0), [0.5, 4.0, 30.0], rtol=0.1)
    assert tf.random.poisson(lam=2.0, shape=[3]).shape.as_list() == [3]


def test_random_shuffle_permutes_rows(sess):
    x = np.arange(40).reshape(20, 2)
    s = tf.random_shuffle(x, seed=4)
    assert s.op.type == "RandomShuffle" and s.shape.as_list() == [20, 2]
    a, b = sess.run(s), sess.run(s)
    assert sorted(map(tuple, a.tolist())) == sorted(map(tuple, x.tolist()))
    assert np.all(a[:, 1] == a[:, 0] + 1)          # rows move as a whole
    assert not np.array_equal(a, b) and not np.array_equal(a, x)


@pytest.mark.parametrize("fn", [tf.multinomial, tf.random.categorical])
def test_categorical_frequencies_and_support(sess, fn):
    probs = np.array([[0.1, 0.2, 0.7], [0.5, 0.0, 0.5]])
    with np.errstate(divide="ignore"):
        logits = np.log(probs).astype(np.float32)
    s = fn(logits, 20000, seed=5)
    assert s.dtype == tf.int64 and s.shape.as_list() == [2, 20000]
    v = sess.run(s)
    freq = np.stack([np.bincount(r, minlength=3) for r in v]) / 20000
    np.testing.assert_allclose(freq, probs, atol=0.015)
    assert (v[1] == 1).sum() == 0                  # a -inf logit is never drawn


def test_categorical_dtype_and_dynamic_shapes(sess):
    logits = tf.placeholder(tf.float32, [None, 4])
    n = tf.placeholder(tf.int32, [])
    s = tf.random.categorical(logits, n, dtype=tf.int32)
    assert s.dtype == tf.int32 and s.shape.as_list() == [None, None]
    v = sess.run(s, {logits: np.zeros((3, 4)), n: 7})
    assert v.shape == (3, 7) and v.min() >= 0 and v.max() <= 3
    with pytest.raises(TypeError, match="int32 or int64"):
        tf.multinomial(logits, 2, output_dtype=tf.float32)


OPS = [lambda: tf.random_gamma([50], 2.0), lambda: tf.random_poisson(3.0, [50]),
       lambda: tf.random_shuffle(tf.range(50)), lambda: tf.multinomial([[0.0, 0.0]], 50)]


@pytest.mark.parametrize("make", OPS)
def test_graph_seed_replays_in_each_new_session(make):
    tf.set_random_seed(7)
    t = make()
    with tf.Session() as s1:
        first, second = s1.run(t), s1.run(t)
    with tf.Session() as s2:
        again = s2.run(t)
    assert np.array_equal(first, again)
    assert not np.array_equal(first, second)       # the stream moves on within a session


@pytest.mark.parametrize("make", OPS)
def test_unseeded_ops_differ_between_sessions(make):
    t = make()
    with tf.Session() as s1, tf.Session() as s2:
        assert not np.array_equal(s1.run(t), s2.run(t))


def test_op_seeds_give_reproducible_independent_streams():
    a = tf.random_gamma([100], 1.0, seed=11)
    b = tf.random_gamma([100], 1.0, seed=11)
    c = tf.random_gamma([100], 1.0, seed=12)
    with tf.Session() as s:
        va, vb, vc = s.run([a, b, c])
    assert np.array_equal(va, vb) and not np.array_equal(va, vc)


def test_names_and_namespaces():
    assert tf.random_gamma([2], 1.0).name == "random_gamma/Maximum:0"
    assert tf.random.gamma is tf.random_gamma and tf.random.shuffle is tf.random_shuffle
    assert tf.multinomial([[0.0]], 1).name == "multinomial/Multinomial:0"
    assert tf.random.categorical([[0.0]], 1).name == "categorical/Multinomial:0"
    assert tf.random_poisson(1.0, [2]).name == "random_poisson/RandomPoissonV2:0"
    g = tf.get_default_graph()
    assert g.get_operation_by_name("random_gamma/RandomGamma").get_attr("seed2") == 0


def test_random_crop_takes_a_window_of_the_input(sess):
    x = np.arange(8 * 9 * 3).reshape(8, 9, 3).astype(np.float32)
    c = tf.random_crop(x, [4, 5, 3], seed=1)
    assert c.shape.as_list() == [4, 5, 3] and tf.image.random_crop is tf.random_crop
    corners = set()
    for _ in range(30):
        v = sess.run(c)
        i, j = divmod(int(v[0, 0, 0]) // 3, 9)
        np.testing.assert_array_equal(v, x[i:i + 4, j:j + 5])
        corners.add((i, j))
    assert len(corners) > 5 and all(i <= 4 and j <= 4 for i, j in corners)
    with pytest.raises(ValueError, match="value.shape >= size"):
        tf.random_crop(x, [9, 2, 3])
    p = tf.placeholder(tf.float32, [None, None, 3])
    with pytest.raises(tf.errors.InvalidArgumentError, match="value.shape >= size"):
        sess.run(tf.random_crop(p, [4, 4, 3]), {p: np.zeros((3, 6, 3))})
