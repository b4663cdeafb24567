"""Gradients through tf.cond, tf.switch_case and tf.while_loop, against finite differences."""

import numpy as np
import pytest

import flowbook as tf


def _numeric(f, x0, eps=1e-6):
    x0 = np.array(x0, dtype=np.float64)
    out = np.zeros_like(x0)
    for k in np.ndindex(x0.shape):
        xp, xm = x0.copy(), x0.copy()
        xp[k] += eps
        xm[k] -= eps
        out[k] = (f(xp) - f(xm)) / (2 * eps)
    return out


def _check(sess, loss, wrt, feeds, values):
    """tf.gradients of ``loss`` w.r.t. placeholders ``wrt`` equals finite differences."""
    grads = tf.gradients(loss, wrt)
    got = sess.run(grads, {**feeds, **dict(zip(wrt, values))})
    for k, (p, v) in enumerate(zip(wrt, values)):
        def f(x, k=k):
            vals = list(values)
            vals[k] = x
            return sess.run(loss, {**feeds, **dict(zip(wrt, vals))})
        np.testing.assert_allclose(got[k], _numeric(f, v), rtol=1e-6, atol=1e-8,
                                   err_msg=f"gradient of {p.name}")
    return got


@pytest.mark.parametrize("take", [True, False])
def test_cond_gradients_match_finite_differences(sess, take):
    x = tf.placeholder(tf.float64, [3], name="x")
    w = tf.placeholder(tf.float64, [3], name="w")
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: x * x * w, lambda: tf.reduce_sum(x) * w + 1.0)
    loss = tf.reduce_sum(y * y)
    got = _check(sess, loss, [x, w], {p: take}, [np.array([1.0, -2.0, 0.5]),
                                                 np.array([0.3, 0.7, -1.1])])
    assert got[0].shape == (3,)


def test_cond_gradient_of_an_input_one_branch_ignores(sess):
    x = tf.placeholder(tf.float64, [], name="x")
    z = tf.placeholder(tf.float64, [], name="z")
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: x * 3.0, lambda: z * z)
    gx, gz = tf.gradients(y, [x, z])
    assert sess.run([gx, gz], {x: 1.0, z: 2.0, p: True}) == [3.0, 0.0]
    assert sess.run([gx, gz], {x: 1.0, z: 2.0, p: False}) == [0.0, 4.0]


def test_cond_gradient_reuses_the_forward_random_values(sess):
    """Dropout-like randomness in a branch: the gradient sees the mask the forward pass drew."""
    x = tf.placeholder(tf.float64, [50], name="x")
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: x * tf.cast(tf.random_uniform([50], dtype=tf.float64) > 0.5,
                                       tf.float64), lambda: x)
    g, = tf.gradients(tf.reduce_sum(y), x)
    yv, gv = sess.run([y, g], {x: np.ones(50), p: True})
    assert 0 < gv.sum() < 50
    np.testing.assert_array_equal(gv, yv)
    assert sess.run(g, {x: np.ones(50), p: False}).tolist() == [1.0] * 50


def test_switch_case_gradient(sess):
    x = tf.placeholder(tf.float64, [], name="x")
    i = tf.placeholder(tf.int32, [])
    y = tf.switch_case(i, [lambda: x * 2.0, lambda: x * x, lambda: tf.constant(5.0, tf.float64)])
    g, = tf.gradients(y, x)
    assert [sess.run(g, {x: 3.0, i: k}) for k in (0, 1, 2, 9)] == [2.0, 6.0, 0.0, 0.0]


def test_variables_in_a_branch_get_gradients_and_train(sess):
    w = tf.Variable(1.0, name="w")
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: (w - 3.0) * (w - 3.0), lambda: (w + 1.0) * (w + 1.0))
    train = tf.train.GradientDescentOptimizer(0.25).minimize(y)
    sess.run(w.initializer)
    for _ in range(20):
        sess.run(train, {p: True})
    assert abs(sess.run(w) - 3.0) < 1e-4
    for _ in range(20):
        sess.run(train, {p: False})
    assert abs(sess.run(w) + 1.0) < 1e-4


def test_second_derivative_through_cond(sess):
    x = tf.placeholder(tf.float64, [], name="x")
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: x * x * x, lambda: x * x)
    g, = tf.gradients(y, x)
    h, = tf.gradients(g, x)
    assert sess.run([g, h], {x: 2.0, p: True}) == [12.0, 12.0]
    assert sess.run([g, h], {x: 2.0, p: False}) == [4.0, 2.0]


def test_gradients_taken_twice_through_cond_and_while(sess):
    x = tf.placeholder(tf.float64, [], name="x")
    y = tf.cond(x > 0, lambda: x * x, lambda: -x)
    _, z = tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * x), [0, y])
    g1, = tf.gradients(z, x)
    g2, = tf.gradients(z * 2.0, x)
    # z = x^2 * x^3 = x^5 for x > 0
    assert sess.run([g1, g2], {x: 2.0}) == [80.0, 160.0]
    # z = -x * x^3 for x < 0: dz/dx = -4 x^3
    assert sess.run([g1, g2], {x: -2.0}) == [32.0, 64.0]


def test_while_gradients_match_finite_differences(sess):
    h0 = tf.placeholder(tf.float64, [2], name="h0")
    w = tf.placeholder(tf.float64, [2, 2], name="w")
    n = tf.placeholder(tf.int32, [])

    def body(i, h):
        return i + 1, tf.matmul(tf.reshape(h, [1, 2]), w)[0] * h + 0.1
    _, hn = tf.while_loop(lambda i, h: i < n, body, [0, h0])
    loss = tf.reduce_sum(hn * hn)
    values = [np.array([0.6, -0.4]), np.array([[0.5, 0.1], [-0.2, 0.3]])]
    for steps in (3, 1):
        _check(sess, loss, [h0, w], {n: steps}, values)
    g_h, g_w = sess.run(tf.gradients(loss, [h0, w]), {n: 0, h0: values[0], w: values[1]})
    assert g_h.tolist() == (2 * values[0]).tolist() and g_w.tolist() == [[0, 0], [0, 0]]


def test_while_gradient_with_maximum_iterations_and_a_cond_in_the_body(sess):
    x = tf.placeholder(tf.float64, [], name="x")

    def body(i, v):
        return i + 1, tf.cond(tf.equal(i % 2, 0), lambda: v * x, lambda: v + x)
    _, v = tf.while_loop(lambda i, v: i < 100, body, [0, tf.constant(1.0, tf.float64)],
                         maximum_iterations=4)
    _check(sess, v, [x], {}, [np.array(1.5)])


def test_training_through_a_while_loop(sess):
    """An RNN-like loop: the captured weight gets the sum of its per-step gradients."""
    w = tf.Variable(0.5, dtype=tf.float64, name="w")
    _, h = tf.while_loop(lambda i, h: i < 4, lambda i, h: (i + 1, h * w + 1.0),
                         [0, tf.constant(0.0, tf.float64)])
    loss = (h - 10.0) * (h - 10.0)
    g, = tf.gradients(loss, w)
    train = tf.train.AdamOptimizer(0.05).minimize(loss)
    sess.run(tf.global_variables_initializer())

    def f(wv):
        hv = 0.0
        for _ in range(4):
            hv = hv * wv + 1.0
        return (hv - 10.0) ** 2
    assert sess.run(g) == pytest.approx(_numeric(f, 0.5), rel=1e-6)
    first = sess.run(loss)
    for _ in range(200):
        sess.run(train)
    assert sess.run(loss) < 1e-3 < first


def test_back_prop_false_stops_gradients():
    x = tf.placeholder(tf.float32, [])
    _, v = tf.while_loop(lambda i, v: i < 2, lambda i, v: (i + 1, v * x), [0, x],
                         back_prop=False)
    assert tf.gradients(v, x) == [None]
