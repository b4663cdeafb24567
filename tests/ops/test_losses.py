"""tf.losses: collections, total loss, reductions' edge cases, argument errors."""

import numpy as np
import pytest

import flowbook as tf


def test_losses_register_in_the_losses_collection(sess):
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    b = tf.constant([[1.5, 2.0], [2.0, 4.0]])
    mse = tf.losses.mean_squared_error(a, b)
    mae = tf.losses.absolute_difference(a, b, reduction=tf.losses.Reduction.SUM)
    tf.losses.huber_loss(a, b, loss_collection=None)
    tf.losses.log_loss(a / 5, b / 5, loss_collection="mine")
    assert tf.losses.get_losses() == [mse, mae]
    assert tf.get_collection(tf.GraphKeys.LOSSES) == [mse, mae]
    assert len(tf.losses.get_losses(loss_collection="mine")) == 1
    assert sess.run(mse) == pytest.approx((0.25 + 1.0) / 4)
    assert sess.run(mae) == pytest.approx(1.5)
    total = tf.losses.get_total_loss()
    assert total.name == "total_loss:0"
    assert sess.run(total) == pytest.approx(1.5 + 1.25 / 4)


def test_total_loss_adds_regularization_losses(sess):
    w = tf.Variable([3.0, 4.0])
    tf.add_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, 0.1 * tf.nn.l2_loss(w))
    data = tf.losses.mean_squared_error([1.0, 1.0], w)
    sess.run(tf.global_variables_initializer())
    assert sess.run(tf.losses.get_regularization_loss()) == pytest.approx(1.25)
    assert len(tf.losses.get_regularization_losses()) == 1
    assert sess.run(tf.losses.get_total_loss()) == pytest.approx(1.25 + (4 + 9) / 2)
    assert sess.run(tf.losses.get_total_loss(add_regularization_losses=False)) == \
        pytest.approx(6.5)
    g, = tf.gradients(tf.losses.get_total_loss(), w)
    np.testing.assert_allclose(sess.run(g), [0.1 * 3 + 2, 0.1 * 4 + 3])
    assert data in tf.losses.get_losses()


def test_get_total_loss_without_losses_says_what_to_do():
    with pytest.raises(ValueError, match="add_loss"):
        tf.losses.get_total_loss()
    with tf.Session() as s:
        assert s.run(tf.losses.get_regularization_loss()) == 0.0


def test_add_loss_and_scope_filtering(sess):
    with tf.name_scope("tower_0"):
        first = tf.losses.mean_squared_error([0.0], [2.0])
    with tf.name_scope("tower_1"):
        second = tf.reduce_sum(tf.constant([1.0, 2.0]))
        tf.losses.add_loss(second)
    assert tf.losses.get_losses(scope="tower_0") == [first]
    assert tf.losses.get_losses(scope="tower_1") == [second]
    assert sess.run(tf.losses.get_total_loss(scope="tower_1")) == 3.0


def test_nonzero_weights_reduction_ignores_zero_weighted_rows(sess):
    labels = np.zeros((3, 2), np.float32)
    preds = np.array([[1, 1], [10, 10], [3, 3]], np.float32)
    w = np.array([[1.0], [0.0], [2.0]], np.float32)
    R = tf.losses.Reduction
    got = sess.run({r: tf.losses.mean_squared_error(labels, preds, weights=w, reduction=r)
                    for r in (R.SUM_BY_NONZERO_WEIGHTS, R.MEAN, R.SUM, R.SUM_OVER_BATCH_SIZE)})
    weighted = (preds ** 2 * w).sum()
    assert got[R.SUM_BY_NONZERO_WEIGHTS] == pytest.approx(weighted / 4)
    assert got[R.MEAN] == pytest.approx(weighted / 6)
    assert got[R.SUM] == pytest.approx(weighted)
    assert got[R.SUM_OVER_BATCH_SIZE] == pytest.approx(weighted / 6)
    assert R.SUM_OVER_NONZERO_WEIGHTS == R.SUM_BY_NONZERO_WEIGHTS
    none = sess.run(tf.losses.mean_squared_error(labels, preds, weights=w,
                                                 reduction=R.NONE))
    np.testing.assert_allclose(none, preds ** 2 * w)


def test_dtypes_follow_the_inputs(sess):
    x64 = np.array([0.1, 0.2], np.float64)
    loss = tf.losses.mean_squared_error(x64, x64 + 1e-9)
    assert loss.dtype == tf.float64 and sess.run(loss) == pytest.approx(1e-18, rel=1e-6)
    ints = tf.losses.absolute_difference(tf.constant([1, 2]), tf.constant([1.5, 2.0]))
    assert ints.dtype == tf.float32 and sess.run(ints) == pytest.approx(0.25)


def test_sparse_softmax_accepts_column_labels_and_weights(sess):
    logits = np.log(np.array([[0.2, 0.8], [0.6, 0.4]], np.float32))
    loss = tf.losses.sparse_softmax_cross_entropy(np.array([[1], [0]]), logits,
                                                  weights=np.array([[1.0], [3.0]]))
    assert sess.run(loss) == pytest.approx(-(np.log(0.8) + 3 * np.log(0.6)) / 2, rel=1e-5)


def test_argument_errors():
    a = tf.placeholder(tf.float32, [2, 3])
    with pytest.raises(ValueError, match="Invalid Reduction Key"):
        tf.losses.mean_squared_error(a, a, reduction="avg")
    with pytest.raises(ValueError, match="incompatible"):
        tf.losses.mean_squared_error(a, tf.placeholder(tf.float32, [2, 4]))
    with pytest.raises(ValueError, match="can not be broadcast"):
        tf.losses.mean_squared_error(a, a, weights=np.ones(3))
    with pytest.raises(ValueError, match="can not be broadcast"):
        tf.losses.mean_squared_error(a, a, weights=np.ones((2, 2)))
    with pytest.raises(ValueError, match="axis"):
        tf.losses.cosine_distance(a, a)
    with pytest.raises(ValueError, match="labels must not be None"):
        tf.losses.absolute_difference(None, a)
