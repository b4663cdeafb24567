"""tf.nn activations, softmax, cross entropies and ranking ops against TensorFlow."""

import numpy as np
import pytest

pytest.importorskip("tensorflow")

from tests.oracle._both import assert_same, node_names, run_both  # noqa: E402

pytestmark = pytest.mark.tf_oracle

X = np.random.default_rng(0).standard_normal((4, 5)) * 4

ACTIVATIONS = [
    lambda tf, x: tf.nn.relu(x), lambda tf, x: tf.nn.relu6(x), lambda tf, x: tf.nn.elu(x),
    lambda tf, x: tf.nn.selu(x), lambda tf, x: tf.nn.leaky_relu(x),
    lambda tf, x: tf.nn.leaky_relu(x, alpha=0.01), lambda tf, x: tf.nn.softplus(x),
    lambda tf, x: tf.nn.softsign(x), lambda tf, x: tf.nn.softmax(x),
    lambda tf, x: tf.nn.log_softmax(x), lambda tf, x: tf.nn.l2_loss(x),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("i", range(len(ACTIVATIONS)))
def test_activation_values_and_gradients_match_tf(i, dtype):
    assert_same(ACTIVATIONS[i], X.astype(dtype), grad_wrt=[0])


# TF has no gradient for SoftsignGrad (index 7); flowbook's is checked by finite differences.
@pytest.mark.parametrize("i", [i for i in range(len(ACTIVATIONS) - 1) if i != 7])
def test_activation_second_derivatives_match_tf(i):
    def build(tf, x):
        y = ACTIVATIONS[i](tf, x)
        g, = tf.gradients(tf.reduce_sum(y * y), x)
        return g
    assert_same(build, X, grad_wrt=[0], rtol=1e-6, atol=1e-6)


def test_extreme_logits_match_tf():
    big = np.array([[1e4, -1e4, 0.0], [88.0, 89.0, -100.0], [-1e30, 0.0, 1e30]], np.float32)
    assert_same(lambda tf, x: [tf.nn.softmax(x), tf.nn.log_softmax(x), tf.nn.softplus(x)],
                big, grad_wrt=[0])


def test_bias_add_and_xw_plus_b_match_tf():
    rng = np.random.default_rng(1)
    x, w, b = rng.standard_normal((3, 4)), rng.standard_normal((4, 2)), rng.standard_normal(2)
    assert_same(lambda tf, x, w, b: [tf.nn.bias_add(tf.matmul(x, w), b),
                                     tf.nn.xw_plus_b(x, w, b)], x, w, b, grad_wrt=[0, 1, 2])


def test_cross_entropies_match_tf():
    rng = np.random.default_rng(2)
    logits = (rng.standard_normal((4, 3)) * 3).astype(np.float32)
    soft = np.abs(rng.standard_normal((4, 3))).astype(np.float32)
    soft /= soft.sum(1, keepdims=True)
    ids = np.array([0, 2, 1, 2], np.int32)

    def build(tf, x, lab, ids):
        return [tf.nn.softmax_cross_entropy_with_logits(labels=lab, logits=x),
                tf.nn.softmax_cross_entropy_with_logits_v2(labels=lab, logits=x),
                tf.nn.sparse_softmax_cross_entropy_with_logits(labels=ids, logits=x)]

    assert_same(build, logits, soft, ids, grad_wrt=[0, 1])


def test_cross_entropy_rank3_matches_tf():
    rng = np.random.default_rng(3)
    logits = rng.standard_normal((2, 3, 4))
    soft = np.abs(rng.standard_normal((2, 3, 4)))
    soft /= soft.sum(-1, keepdims=True)
    ids = np.array([[0, 3, 1], [2, 2, 0]], np.int64)
    assert_same(lambda tf, x, lab, ids: [
        tf.nn.softmax_cross_entropy_with_logits_v2(labels=lab, logits=x),
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=ids, logits=x)],
        logits, soft, ids, grad_wrt=[0])


def test_ranking_ops_match_tf():
    p = np.array([[1, 3, 3, 0], [4, 4, 4, 4], [0, -1, 2, 2]], np.float32)
    t = np.array([2, 3, 1], np.int32)
    for k in (1, 2, 3):
        ref, got = run_both(lambda tf, p, t: [tf.nn.in_top_k(p, t, k), *tf.nn.top_k(p, k)],
                            p, t)
        for r, g in zip(ref, got):
            np.testing.assert_array_equal(g, r)


def test_node_names_match_tf():
    def build(tf, x, b):
        tf.nn.relu(x)
        tf.nn.relu6(x)
        tf.nn.leaky_relu(x)
        tf.nn.elu(x)
        tf.nn.selu(x)
        tf.nn.softplus(x)
        tf.nn.softsign(x)
        tf.nn.softmax(x)
        tf.nn.log_softmax(x)
        tf.nn.bias_add(x, b)
        tf.nn.l2_loss(x)
        tf.nn.top_k(x, 2)

    ref, got = node_names(build, (2, 3), (3,))
    assert got == ref

    def sparse(tf, x):
        return tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.constant([0, 1], name="ids"), logits=x)

    ref, got = node_names(sparse, (2, 3))
    assert [n for n in got if n[1] == "SparseSoftmaxCrossEntropyWithLogits"] == \
        [n for n in ref if n[1] == "SparseSoftmaxCrossEntropyWithLogits"]


def test_composites_match_tf():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((4, 3))
    z = rng.random((4, 3))
    x[0] = [0.0, 40.0, -40.0]
    x[1] = [1e3, -1e3, 0.0]

    def build(tf, x, z, m, v):
        mean, var = tf.nn.moments(x, [0])
        mk, vk = tf.nn.moments(x, [0, 1], keep_dims=True)
        return [tf.nn.l2_normalize(x, axis=1), tf.nn.l2_normalize(x, dim=0, epsilon=1e-3),
                mean, var, mk, vk,
                tf.nn.batch_normalization(x, m, v, 0.5, 2.0, 1e-3),
                tf.nn.batch_normalization(x, m, v, None, None, 1e-3),
                tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x),
                tf.nn.weighted_cross_entropy_with_logits(z, x, 3.0),
                tf.nn.zero_fraction(tf.nn.relu(x)),
                tf.nn.relu_layer(x, tf.transpose(x[:3]), m)]

    m, v = rng.standard_normal(3), rng.random(3) + 0.5
    assert_same(build, x, z, m, v, grad_wrt=[0, 1, 2, 3], rtol=1e-6, atol=1e-6)


def test_conv1d_matches_tf():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((2, 9, 3)).astype(np.float32)
    f = rng.standard_normal((3, 3, 4)).astype(np.float32)
    assert_same(lambda tf, x, f: [tf.nn.conv1d(x, f, 2, "SAME"),
                                  tf.nn.conv1d(x, f, 1, "VALID")], x, f, grad_wrt=[0, 1],
                rtol=1e-4, atol=1e-4)


def test_composite_node_names_match_tf():
    def build(tf, x, z):
        tf.nn.l2_normalize(x, axis=1)
        tf.nn.moments(x, [0])
        tf.nn.batch_normalization(x, z, z, z, z, 1e-3)
        tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x)
        tf.nn.weighted_cross_entropy_with_logits(labels=z, logits=x, pos_weight=2.0)

    ref, got = node_names(build, (2, 3), (2, 3))
    assert [n for n, _ in got] == [n for n, _ in ref]


@pytest.mark.parametrize("strategy", ["mod", "div"])
def test_embedding_lookup_matches_tf(strategy):
    rng = np.random.default_rng(6)
    a, b, c = rng.standard_normal((3, 2)), rng.standard_normal((3, 2)), rng.standard_normal(
        (2, 2))
    ids = np.array([[0, 7], [4, 4], [2, 5]], np.int32)
    assert_same(lambda tf, a, b, c, i: [
        tf.nn.embedding_lookup([a, b, c], i, partition_strategy=strategy),
        tf.nn.embedding_lookup(a, i[:, :1] % 3, max_norm=0.5)], a, b, c, ids, grad_wrt=[0, 1, 2])


def test_top_k_gradient_matches_tf():
    x = np.random.default_rng(7).standard_normal((2, 3, 5))
    assert_same(lambda tf, x: tf.nn.top_k(x, 3).values, x, grad_wrt=[0])


def test_lrn_matches_tf():
    x = np.random.default_rng(8).standard_normal((2, 3, 3, 7)).astype(np.float32)
    assert_same(lambda tf, x: [tf.nn.lrn(x, 2, 1.0, 0.001 / 9.0, 0.75),
                               tf.nn.local_response_normalization(x)], x, grad_wrt=[0])
