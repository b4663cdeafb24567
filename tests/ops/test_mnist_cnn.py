"""The classic TF1 MNIST CNN tutorial, end to end on synthetic digits: it builds with TF1's
shapes, its gradients agree with finite differences, and a few Adam steps learn a batch."""

import numpy as np
import pytest

import flowbook as tf


def build_cnn(dtype=tf.float32, seed=0):
    """conv 5x5x32 - pool - conv 5x5x64 - pool - fc 1024 - dropout - fc 10, as the tutorial."""
    tf.set_random_seed(seed)

    def weight(shape):
        return tf.Variable(tf.truncated_normal(shape, stddev=0.1, dtype=dtype))

    def bias(shape):
        return tf.Variable(tf.constant(0.1, shape=shape, dtype=dtype))

    def conv2d(x, w):
        return tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding="SAME")

    def max_pool_2x2(x):
        return tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")

    x = tf.placeholder(dtype, [None, 784], name="x")
    y_ = tf.placeholder(dtype, [None, 10], name="y_")
    keep_prob = tf.placeholder(dtype, name="keep_prob")
    x_image = tf.reshape(x, [-1, 28, 28, 1])
    w1, b1 = weight([5, 5, 1, 32]), bias([32])
    h_pool1 = max_pool_2x2(tf.nn.relu(conv2d(x_image, w1) + b1))
    w2, b2 = weight([5, 5, 32, 64]), bias([64])
    h_pool2 = max_pool_2x2(tf.nn.relu(conv2d(h_pool1, w2) + b2))
    w3, b3 = weight([7 * 7 * 64, 1024]), bias([1024])
    h_fc1 = tf.nn.relu(tf.matmul(tf.reshape(h_pool2, [-1, 7 * 7 * 64]), w3) + b3)
    h_drop = tf.nn.dropout(h_fc1, keep_prob)
    w4, b4 = weight([1024, 10]), bias([10])
    logits = tf.matmul(h_drop, w4) + b4
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=logits))
    correct = tf.equal(tf.argmax(logits, 1), tf.argmax(y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    return dict(x=x, y_=y_, keep_prob=keep_prob, h_pool1=h_pool1, h_pool2=h_pool2,
                logits=logits, loss=loss, accuracy=accuracy, params=[w1, b1, w2, b2, w3, b3,
                                                                     w4, b4])


def synthetic_digits(n, seed=0):
    """Ten fixed random strokes images, one per class, plus pixel noise."""
    rng = np.random.default_rng(seed)
    templates = (rng.random((10, 784)) < 0.15).astype(np.float32)
    labels = rng.integers(0, 10, n)
    images = np.clip(templates[labels] + rng.normal(0, 0.2, (n, 784)), 0, 1)
    return images.astype(np.float32), np.eye(10, dtype=np.float32)[labels]


def test_the_tutorial_graph_has_tf1_shapes_and_names():
    m = build_cnn()
    assert m["h_pool1"].shape.as_list() == [None, 14, 14, 32]
    assert m["h_pool2"].shape.as_list() == [None, 7, 7, 64]
    assert m["logits"].shape.as_list() == [None, 10]
    types = [op.type for op in tf.get_default_graph().get_operations()]
    assert types.count("Conv2D") == 2 and types.count("MaxPool") == 2
    assert m["loss"].op.type == "Mean"
    grads = tf.gradients(m["loss"], m["params"])
    assert [g.shape.as_list() for g in grads] == [p.shape.as_list() for p in m["params"]]
    assert grads[0].op.type == "Conv2DBackpropFilter"
    names = [op.type for op in tf.get_default_graph().get_operations()]
    assert "Conv2DBackpropInput" in names and "MaxPoolGrad" in names


def test_gradients_agree_with_finite_differences_end_to_end():
    m = build_cnn(dtype=tf.float64, seed=3)
    images, labels = synthetic_digits(3, seed=1)
    feed = {m["x"]: images.astype(np.float64), m["y_"]: labels.astype(np.float64),
            m["keep_prob"]: 1.0}
    w1, _, w2, _, w3 = m["params"][:5]
    grads = tf.gradients(m["loss"], [w1, w2, w3])
    rng = np.random.default_rng(2)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        sym = s.run(grads, feed)
        for var, g in zip([w1, w2, w3], sym):
            value = s.run(var)
            # Entries with a large gradient: finite differences are then well conditioned.
            flat = np.argsort(-np.abs(g).ravel())[:3].tolist() + rng.integers(
                0, g.size, 2).tolist()
            for k in flat:
                idx = np.unravel_index(k, g.shape)
                num = []
                for sign in (1, -1):
                    v = value.copy()
                    v[idx] += sign * 1e-5
                    var.load(v, s)
                    num.append(s.run(m["loss"], feed))
                var.load(value, s)
                fd = (num[0] - num[1]) / 2e-5
                assert fd == pytest.approx(g[idx], rel=1e-4, abs=1e-7), (var.name, idx)


def test_a_few_adam_steps_learn_a_batch():
    m = build_cnn(seed=1)
    train = tf.train.AdamOptimizer(1e-3).minimize(m["loss"])
    images, labels = synthetic_digits(10, seed=4)
    feed = {m["x"]: images, m["y_"]: labels}
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        first = s.run(m["loss"], {**feed, m["keep_prob"]: 1.0})
        for _ in range(15):
            s.run(train, {**feed, m["keep_prob"]: 0.5})
        last, acc = s.run([m["loss"], m["accuracy"]], {**feed, m["keep_prob"]: 1.0})
    assert np.isfinite(first) and last < 0.2 * first
    assert acc >= 0.9
