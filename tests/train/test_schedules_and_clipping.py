"""Learning-rate schedules and gradient clipping: TF1's formulas, names and edge cases."""

import math

import numpy as np
import pytest

import flowbook as tf


STEPS = [0, 3, 5, 10, 15, 16, 25, 45]


def _schedule_values(sess, lr, step):
    return [float(sess.run(lr, {step: s})) for s in STEPS]


def test_schedules_follow_tf1_formulas(sess):
    s = tf.placeholder(tf.int64, [])
    cases = {
        "exp": (tf.train.exponential_decay(0.1, s, 10, 0.5), lambda t: 0.1 * 0.5 ** (t / 10)),
        "exp_stair": (tf.train.exponential_decay(0.1, s, 10, 0.5, staircase=True),
                      lambda t: 0.1 * 0.5 ** (t // 10)),
        "natural": (tf.train.natural_exp_decay(0.1, s, 10, 0.5),
                    lambda t: 0.1 * math.exp(-0.5 * t / 10)),
        "inverse": (tf.train.inverse_time_decay(0.1, s, 10, 0.5, staircase=True),
                    lambda t: 0.1 / (1 + 0.5 * (t // 10))),
        "poly": (tf.train.polynomial_decay(0.1, s, 20, 0.01, power=2.0),
                 lambda t: (0.1 - 0.01) * (1 - min(t, 20) / 20) ** 2 + 0.01),
        "poly_cycle": (tf.train.polynomial_decay(0.1, s, 20, 0.01, cycle=True),
                       lambda t: (0.1 - 0.01) * (1 - t / (20 * max(1, math.ceil(t / 20))))
                       + 0.01),
        "cosine": (tf.train.cosine_decay(0.1, s, 20, alpha=0.1),
                   lambda t: 0.1 * (0.9 * 0.5 * (1 + math.cos(math.pi * min(t, 20) / 20)) + 0.1)),
        "piecewise": (tf.train.piecewise_constant(s, [5, 15], [1.0, 0.5, 0.1]),
                      lambda t: 1.0 if t <= 5 else 0.5 if t <= 15 else 0.1),
    }
    for label, (lr, formula) in cases.items():
        np.testing.assert_allclose(_schedule_values(sess, lr, s), [formula(t) for t in STEPS],
                                   rtol=1e-5, err_msg=label)
        assert lr.dtype == tf.float32
    assert cases["exp"][0].name == "ExponentialDecay:0"
    assert cases["piecewise"][0].op.type == "If"


def test_schedule_with_the_global_step_drives_training(sess):
    step = tf.train.get_or_create_global_step()
    lr = tf.train.exponential_decay(1.0, step, 1, 0.5, staircase=True, name="lr")
    w = tf.Variable(0.0)
    train = tf.train.GradientDescentOptimizer(lr).minimize(-w, global_step=step)
    sess.run(tf.global_variables_initializer())
    for _ in range(4):
        sess.run(train)
    assert lr.name == "lr:0" and sess.run(step) == 4
    assert sess.run(w) == pytest.approx(1 + 0.5 + 0.25 + 0.125)


def test_schedule_errors():
    s = tf.placeholder(tf.int64, [])
    with pytest.raises(ValueError, match="global_step is required"):
        tf.train.exponential_decay(0.1, None, 10, 0.5)
    with pytest.raises(ValueError, match="1 less than"):
        tf.train.piecewise_constant(s, [5, 15], [1.0, 0.5])
    with pytest.raises(ValueError, match="same dtype as x"):
        tf.train.piecewise_constant(s, [5.0], [1.0, 0.5])


def test_global_step_helpers():
    assert tf.train.get_global_step() is None
    step = tf.train.get_or_create_global_step()
    assert step.name == "global_step:0" and step.dtype == tf.int64._as_ref
    assert step not in tf.trainable_variables()
    assert tf.get_collection(tf.GraphKeys.GLOBAL_STEP) == [step]
    assert tf.train.get_or_create_global_step() is step
    with pytest.raises(ValueError, match='"global_step" already exists'):
        tf.train.create_global_step()
    g = tf.Graph()
    with g.as_default():
        tf.Variable(1.0, name="global_step")
        with pytest.raises(TypeError, match="does not have integer type"):
            tf.train.get_global_step()
    with tf.Graph().as_default():
        plain = tf.Variable(0, name="global_step")
        assert tf.train.get_global_step().name == plain.name


def test_clip_by_norm(sess):
    a = tf.placeholder(tf.float32, [2, 3])
    av = np.array([[1.0, 2, 3], [0, 0, 0.5]], np.float32)
    whole = tf.clip_by_norm(a, 1.5)
    rows = tf.clip_by_norm(a, 1.5, axes=[1])
    small = tf.clip_by_norm(a, 100.0)
    assert whole.name == "clip_by_norm:0"
    r_whole, r_rows, r_small = sess.run([whole, rows, small], {a: av})
    np.testing.assert_allclose(r_whole, av * 1.5 / np.linalg.norm(av), rtol=1e-6)
    np.testing.assert_allclose(r_rows[0], av[0] * 1.5 / np.linalg.norm(av[0]), rtol=1e-6)
    np.testing.assert_allclose(r_rows[1], av[1], rtol=1e-6)
    np.testing.assert_allclose(r_small, av)
    g, = tf.gradients(tf.reduce_sum(whole), a)
    assert sess.run(g, {a: np.zeros((2, 3))}).tolist() == [[1.0] * 3] * 2   # finite at 0


def test_global_norm_and_clip_by_global_norm(sess):
    a = tf.placeholder(tf.float32, [2, 3])
    b = tf.placeholder(tf.float32, [3])
    av = np.array([[1.0, 2, 3], [0, 0, 0.5]], np.float32)
    bv = np.array([0.1, -2, 1], np.float32)
    norm = tf.global_norm([a, None, b])
    clipped, used = tf.clip_by_global_norm([a, None, b], 2.0)
    assert norm.name == "global_norm/global_norm:0" and clipped[1] is None
    assert clipped[0].name == "clip_by_global_norm/clip_by_global_norm/_0:0"
    expect = np.sqrt((av ** 2).sum() + (bv ** 2).sum())
    rn, ra, rb, ru = sess.run([norm, clipped[0], clipped[2], used], {a: av, b: bv})
    assert rn == pytest.approx(expect, rel=1e-6) and ru == pytest.approx(expect, rel=1e-6)
    np.testing.assert_allclose(ra, av * 2.0 / expect, rtol=1e-6)
    np.testing.assert_allclose(rb, bv * 2.0 / expect, rtol=1e-6)
    inf = tf.clip_by_global_norm([tf.constant([np.inf, 1.0])], 1.0)[0][0]
    assert np.isnan(sess.run(inf)).all()            # TF1: an infinite norm gives NaN
    with pytest.raises(TypeError, match="should be a sequence"):
        tf.global_norm(a)


def test_clip_by_average_norm(sess):
    a = tf.placeholder(tf.float32, [2, 3])
    av = np.array([[1.0, 2, 3], [0, 0, 0.5]], np.float32)
    out = sess.run(tf.clip_by_average_norm(a, 0.1), {a: av})
    avg = np.linalg.norm(av) / av.size
    np.testing.assert_allclose(out, av * 0.1 / max(avg, 0.1), rtol=1e-6)


def test_clipping_in_a_training_step(sess):
    w = tf.Variable([3.0, 4.0])
    opt = tf.train.GradientDescentOptimizer(1.0)
    grads_and_vars = opt.compute_gradients(tf.reduce_sum(w * w) / 2.0)
    grads, norm = tf.clip_by_global_norm([g for g, _ in grads_and_vars], 1.0)
    train = opt.apply_gradients(zip(grads, [v for _, v in grads_and_vars]))
    sess.run(tf.global_variables_initializer())
    sess.run(train)
    np.testing.assert_allclose(sess.run(w), [3.0 - 0.6, 4.0 - 0.8], rtol=1e-6)
