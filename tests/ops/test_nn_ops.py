"""tf.nn behaviour the spec table does not show: names, errors, fetch structures."""

import numpy as np
import pytest

import flowbook as tf


def test_builders_use_tf1_node_names():
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    b = tf.placeholder(tf.float32, [3], name="b")
    w = tf.placeholder(tf.float32, [3, 3], name="w")
    assert tf.nn.relu(x).name == "Relu:0"
    assert tf.nn.relu6(x).name == "Relu6:0"
    assert tf.nn.leaky_relu(x).op.get_attr("alpha") == pytest.approx(0.2)
    assert tf.nn.softmax(x).name == "Softmax:0"
    assert tf.nn.bias_add(x, b).name == "BiasAdd:0"
    assert tf.nn.xw_plus_b(x, w, b).name == "xw_plus_b:0"
    assert tf.nn.in_top_k(x, [0, 1], 1).name == "in_top_k/InTopKV2:0"
    y = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 2], logits=x)
    assert y.name == ("SparseSoftmaxCrossEntropyWithLogits/"
                      "SparseSoftmaxCrossEntropyWithLogits:0")
    img = tf.placeholder(tf.float32, [1, 4, 4, 1])
    f = tf.placeholder(tf.float32, [2, 2, 1, 1])
    c = tf.nn.conv2d(img, f, [1, 1, 1, 1], "SAME")
    gi, gf = tf.gradients(c, [img, f])
    assert (c.name, gi.op.type, gf.op.type) == ("Conv2D:0", "Conv2DBackpropInput",
                                                 "Conv2DBackpropFilter")
    assert gi.name == "gradients/Conv2D_grad/Conv2DBackpropInput:0"


def test_sparse_labels_out_of_range_raise_a_clear_error(sess):
    logits = tf.constant([[1.0, 2.0, 3.0], [1.0, 0.0, 0.0]])
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1, 3], logits=logits)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"label value of 3 .*\[0, 3\)"):
        sess.run(loss)
    neg = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[-1, 0], logits=logits)
    with pytest.raises(tf.errors.InvalidArgumentError, match="-1"):
        sess.run(neg)


def test_cross_entropy_argument_errors():
    x = tf.placeholder(tf.float32, [2, 3])
    with pytest.raises(ValueError, match="named arguments"):
        tf.nn.softmax_cross_entropy_with_logits(x, x)
    with pytest.raises(TypeError, match="int32 or int64"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.zeros([2]), logits=x)
    with pytest.raises(ValueError, match="Rank mismatch"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[[0, 1]], logits=x)
    with pytest.raises(ValueError, match="same shape"):
        tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.zeros([2, 4]), logits=x)


def test_soft_labels_and_float16(sess):
    logits = np.array([[2.0, 1.0, 0.1]], np.float16)
    labels = np.array([[0.7, 0.2, 0.1]], np.float16)
    loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    assert loss.dtype == tf.float16
    z = logits.astype(np.float64)
    expected = -(labels * (z - np.log(np.exp(z).sum()))).sum()
    assert sess.run(loss)[0] == pytest.approx(expected, rel=1e-3)


def test_conv_and_pool_shape_errors_name_the_shapes():
    x = tf.placeholder(tf.float32, [1, 8, 8, 3])
    with pytest.raises(ValueError, match=r"Depth of input \(3\).*in_channels \(2\)"):
        tf.nn.conv2d(x, tf.zeros([3, 3, 2, 4]), [1, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="upper case"):
        tf.nn.conv2d(x, tf.zeros([3, 3, 3, 4]), [1, 1, 1, 1], "same")
    with pytest.raises(ValueError, match="batch and channel"):
        tf.nn.max_pool(x, [2, 2, 2, 1], [1, 2, 2, 1], "SAME")
    with pytest.raises(ValueError, match="does not fit"):
        tf.nn.max_pool(tf.placeholder(tf.float32, [1, 2, 2, 1]), [1, 3, 3, 1], [1, 1, 1, 1],
                       "VALID")
    with pytest.raises(TypeError, match="floating"):
        tf.nn.conv2d(tf.zeros([1, 4, 4, 1], tf.int32), tf.zeros([2, 2, 1, 1], tf.int32),
                     [1, 1, 1, 1], "SAME")


def test_conv_strides_accept_ints_and_pairs(sess):
    x = np.random.default_rng(0).standard_normal((1, 6, 6, 2)).astype(np.float32)
    f = np.random.default_rng(1).standard_normal((3, 3, 2, 2)).astype(np.float32)
    a = tf.nn.conv2d(x, f, strides=2, padding="SAME")
    b = tf.nn.conv2d(x, f, strides=[2, 2], padding="SAME")
    c = tf.nn.conv2d(x, f, strides=[1, 2, 2, 1], padding="SAME")
    assert a.shape.as_list() == [1, 3, 3, 2]
    ra, rb, rc = sess.run([a, b, c])
    assert np.array_equal(ra, rc) and np.array_equal(rb, rc)


def test_unknown_batch_and_spatial_dims_resolve_at_run_time(sess):
    x = tf.placeholder(tf.float32, [None, None, None, 1])
    y = tf.nn.max_pool(tf.nn.conv2d(x, tf.ones([3, 3, 1, 4]), [1, 1, 1, 1], "SAME"),
                       [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    assert y.shape.as_list() == [None, None, None, 4]
    assert sess.run(y, {x: np.ones((3, 7, 5, 1))}).shape == (3, 4, 3, 4)


def test_top_k_returns_a_named_pair(sess):
    r = tf.nn.top_k([[1.0, 5.0, 3.0]], k=2)
    assert r.values is r[0] and r.indices.dtype == tf.int32
    out = sess.run(r)
    assert out.values.tolist() == [[5.0, 3.0]] and out.indices.tolist() == [[1, 2]]


def test_max_pool_gradient_goes_to_the_first_maximum_only(sess):
    x = tf.constant([[[[1.0], [1.0]], [[1.0], [0.0]]]])
    g, = tf.gradients(tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID"), x)
    assert sess.run(g).reshape(-1).tolist() == [1.0, 0.0, 0.0, 0.0]


def test_softmax_is_stable_and_its_gradient_too(sess):
    x = tf.constant([[1000.0, 0.0, -1000.0]])
    y = tf.nn.softmax(x)
    ls = tf.nn.log_softmax(x)
    g1, = tf.gradients(y[0, 0], x)
    g2, = tf.gradients(ls[0, 2], x)
    vals = sess.run([y, ls, g1, g2])
    assert all(np.isfinite(v).all() for v in vals)
    np.testing.assert_allclose(vals[0], [[1, 0, 0]])
    np.testing.assert_allclose(vals[3], [[-1, 0, 1]])
