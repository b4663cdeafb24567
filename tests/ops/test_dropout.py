"""tf.nn.dropout: TF1's construction and names, its statistics, seeds and noise_shape."""

import numpy as np
import pytest

import flowbook as tf


def test_keep_prob_builds_tf1_nodes():
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    y = tf.nn.dropout(x, 0.5)
    names = [op.name for op in tf.get_default_graph().get_operations()][1:]
    assert names == ["dropout/keep_prob", "dropout/Shape", "dropout/random_uniform/min",
                     "dropout/random_uniform/max", "dropout/random_uniform/RandomUniform",
                     "dropout/random_uniform/sub", "dropout/random_uniform/mul",
                     "dropout/random_uniform", "dropout/add", "dropout/Floor", "dropout/div",
                     "dropout/mul"]
    assert y.name == "dropout/mul:0" and y.shape.as_list() == [2, 3]


def test_rate_builds_the_tf113_nodes():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.nn.dropout(x, rate=0.25, name="drop")
    types = {op.name: op.type for op in tf.get_default_graph().get_operations()}
    assert types["drop/rate"] == "Const" and types["drop/sub"] == "Sub"
    assert types["drop/Floor"] == "Floor" and types["drop/truediv"] == "RealDiv"
    assert types["drop/Shape"] == "Shape" and y.name == "drop/mul:0"
    assert y.shape.as_list() == [None, 3]


@pytest.mark.parametrize("kw", [{"keep_prob": 0.3}, {"rate": 0.7}])
def test_dropout_keeps_the_expected_fraction_scaled(sess, kw):
    x = tf.ones([200, 500])
    y = sess.run(tf.nn.dropout(x, seed=1, **kw))
    kept = y != 0
    assert abs(kept.mean() - 0.3) < 0.01
    np.testing.assert_allclose(y[kept], 1 / 0.3, rtol=1e-6)
    assert abs(y.mean() - 1.0) < 0.03      # the expectation is preserved


def test_keep_prob_placeholder_fed_one_at_eval_time(sess):
    keep = tf.placeholder(tf.float32)
    x = tf.constant(np.arange(1.0, 7.0, dtype=np.float32).reshape(2, 3))
    y = tf.nn.dropout(x, keep)
    np.testing.assert_array_equal(sess.run(y, {keep: 1.0}), sess.run(x))
    half = sess.run(y, {keep: 0.5})
    assert np.all((half == 0) | np.isclose(half, 2 * sess.run(x)))
    with pytest.raises(ValueError, match="scalar"):
        tf.nn.dropout(x, tf.placeholder(tf.float32, [2]))


def test_constant_keep_prob_one_returns_x_itself():
    x = tf.placeholder(tf.float32, [2])
    assert tf.nn.dropout(x, 1.0) is x


def test_argument_errors():
    x = tf.placeholder(tf.float32, [2])
    with pytest.raises(ValueError, match=r"range \(0, 1\]"):
        tf.nn.dropout(x, 0.0)
    with pytest.raises(ValueError, match=r"range \[0, 1\)"):
        tf.nn.dropout(x, rate=1.0)
    with pytest.raises(ValueError, match="both"):
        tf.nn.dropout(x, 0.5, rate=0.5)
    with pytest.raises(ValueError, match="floating point"):
        tf.nn.dropout(tf.placeholder(tf.int32, [2]), 0.5)


def test_noise_shape_broadcasts_the_mask(sess):
    x = tf.ones([50, 8])
    y = sess.run(tf.nn.dropout(x, 0.5, noise_shape=[50, 1], seed=3))
    rows = y.sum(1)
    assert set(np.unique(rows).tolist()) <= {0.0, 16.0}
    assert 0 < (rows == 0).sum() < 50
    y2 = sess.run(tf.nn.dropout(tf.ones([4, 30]), 0.5, noise_shape=[None, 1]))
    assert all(len(set(r.tolist())) == 1 for r in y2)


def test_seeds_replay_per_session_and_unseeded_runs_differ():
    tf.set_random_seed(42)
    x = tf.ones([1000])
    a = tf.nn.dropout(x, 0.5)
    with tf.Session() as s1:
        r1, r1b = s1.run(a), s1.run(a)
    with tf.Session() as s2:
        r2 = s2.run(a)
    assert np.array_equal(r1, r2) and not np.array_equal(r1, r1b)
    with tf.Graph().as_default():
        b = tf.nn.dropout(tf.ones([1000]), 0.5)
        with tf.Session() as s3, tf.Session() as s4:
            assert not np.array_equal(s3.run(b), s4.run(b))


def test_gradient_is_the_scaled_mask(sess):
    x = tf.placeholder(tf.float32, [100])
    y = tf.nn.dropout(x, 0.25, seed=5)
    g, = tf.gradients(tf.reduce_sum(y), x)
    xv = np.linspace(1, 2, 100).astype(np.float32)
    yv, gv = sess.run([y, g], {x: xv})
    np.testing.assert_allclose(gv, np.where(yv != 0, 4.0, 0.0))
