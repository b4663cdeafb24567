"""Convolution and pooling against TensorFlow: values, gradients, SAME/VALID arithmetic."""

import numpy as np
import pytest

pytest.importorskip("tensorflow")

from tests.oracle._both import assert_same, node_names  # noqa: E402

pytestmark = pytest.mark.tf_oracle

CONV_CASES = [
    # (input NHWC, filter HWIO, strides, padding, dilations)
    ((2, 7, 9, 3), (3, 3, 3, 4), (1, 1), "SAME", (1, 1)),
    ((2, 7, 9, 3), (3, 3, 3, 4), (1, 1), "VALID", (1, 1)),
    ((1, 8, 8, 2), (5, 5, 2, 3), (2, 2), "SAME", (1, 1)),
    ((1, 9, 10, 2), (2, 4, 2, 3), (3, 2), "SAME", (1, 1)),
    ((1, 9, 10, 2), (2, 4, 2, 3), (3, 2), "VALID", (1, 1)),
    ((2, 6, 6, 1), (2, 2, 1, 2), (2, 2), "VALID", (1, 1)),
    ((1, 11, 9, 2), (3, 2, 2, 2), (1, 1), "SAME", (2, 3)),
    ((1, 11, 9, 2), (3, 2, 2, 2), (1, 1), "VALID", (2, 2)),
    ((3, 5, 5, 4), (1, 1, 4, 2), (1, 1), "SAME", (1, 1)),
    ((3, 5, 5, 4), (1, 1, 4, 2), (2, 2), "VALID", (1, 1)),
]


@pytest.mark.parametrize("xs,fs,strides,padding,dil", CONV_CASES)
def test_conv2d_and_its_gradients_match_tf(xs, fs, strides, padding, dil):
    rng = np.random.default_rng(1)
    x = rng.standard_normal(xs).astype(np.float32)
    f = rng.standard_normal(fs).astype(np.float32)
    assert_same(lambda tf, a, b: tf.nn.conv2d(a, b, strides=[1, *strides, 1], padding=padding,
                                              dilations=[1, *dil, 1]),
                x, f, grad_wrt=[0, 1], rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("xs,fs,strides,padding,dil", CONV_CASES[:6])
def test_conv2d_second_order_matches_tf(xs, fs, strides, padding, dil):
    rng = np.random.default_rng(2)
    x = rng.standard_normal(xs)
    f = rng.standard_normal(fs)

    def build(tf, a, b):
        y = tf.nn.conv2d(a, b, strides=[1, *strides, 1], padding=padding)
        ga, gb = tf.gradients(tf.reduce_sum(y * y), [a, b])
        return [ga, gb]

    assert_same(build, x, f, grad_wrt=[0, 1], rtol=1e-7, atol=1e-7)


@pytest.mark.parametrize("out_shape,fs,strides,padding", [
    ((2, 8, 8, 3), (3, 3, 3, 4), 2, "SAME"), ((1, 9, 9, 2), (3, 3, 2, 5), 2, "VALID")])
def test_conv2d_transpose_matches_tf(out_shape, fs, strides, padding):
    rng = np.random.default_rng(3)
    f = rng.standard_normal(fs).astype(np.float32)
    n, h, w, _ = out_shape
    oh = -(-h // strides) if padding == "SAME" else (h - fs[0]) // strides + 1
    ow = -(-w // strides) if padding == "SAME" else (w - fs[1]) // strides + 1
    v = rng.standard_normal((n, oh, ow, fs[3])).astype(np.float32)
    assert_same(lambda tf, a, b: tf.nn.conv2d_transpose(a, b, list(out_shape),
                                                        [1, strides, strides, 1], padding),
                v, f, grad_wrt=[0, 1], rtol=1e-4, atol=1e-4)


POOL_CASES = [
    ((2, 8, 8, 3), 2, 2, "SAME"), ((2, 8, 8, 3), 2, 2, "VALID"),
    ((1, 7, 9, 2), 2, 2, "SAME"), ((1, 7, 9, 2), 2, 2, "VALID"),
    ((1, 7, 9, 2), 3, 2, "SAME"), ((1, 7, 9, 2), 3, 2, "VALID"),
    ((2, 6, 5, 1), 3, 1, "SAME"), ((2, 6, 5, 1), 2, 3, "SAME"),
]


@pytest.mark.parametrize("op", ["max_pool", "avg_pool"])
@pytest.mark.parametrize("xs,k,s,padding", POOL_CASES)
def test_pooling_and_its_gradient_match_tf(op, xs, k, s, padding):
    x = np.random.default_rng(4).standard_normal(xs).astype(np.float32)
    assert_same(lambda tf, a: getattr(tf.nn, op)(a, [1, k, k, 1], [1, s, s, 1], padding),
                x, grad_wrt=[0])


@pytest.mark.parametrize("xs,k,s,padding", POOL_CASES[:4])
def test_pooling_second_order_matches_tf(xs, k, s, padding):
    x = np.random.default_rng(5).standard_normal(xs).astype(np.float32)

    def build(tf, a):
        m = tf.nn.max_pool(a, [1, k, k, 1], [1, s, s, 1], padding)
        v = tf.nn.avg_pool(a, [1, k, k, 1], [1, s, s, 1], padding)
        ga, = tf.gradients(tf.reduce_sum(m * m) + tf.reduce_sum(v * v), [a])
        return [ga]

    assert_same(build, x, grad_wrt=[0])


def test_conv_and_pool_node_names_match_tf():
    def build(tf, x, f):
        y = tf.nn.conv2d(x, f, strides=[1, 1, 1, 1], padding="SAME")
        p = tf.nn.max_pool(y, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
        a = tf.nn.avg_pool(y, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
        tf.gradients(tf.reduce_sum(p) + tf.reduce_sum(a), [x, f])

    ref, got = node_names(build, (2, 8, 8, 3), (5, 5, 3, 4))
    key = [n for n in ref if n[1] in ("Conv2D", "MaxPool", "AvgPool", "Conv2DBackpropInput",
                                      "Conv2DBackpropFilter", "MaxPoolGrad", "AvgPoolGrad")]
    assert key == [n for n in got if n in key or n[1] in {t for _, t in key}]
