"""Specs for tf.nn activations, softmax, bias_add, l2_loss and ranking ops (nn_ops.py)."""

import numpy as np

import flowbook as tf
from flowbook.ops import nn_ops
from tests.opcheck import Arg, OpSpec

F = (np.float32, np.float64)
SCALE, ALPHA = nn_ops.SELU_SCALE, nn_ops.SELU_ALPHA


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis, keepdims=True))
    return e / e.sum(axis, keepdims=True)


def _log_softmax(x, axis=-1):
    z = x - x.max(axis, keepdims=True)
    return z - np.log(np.exp(z).sum(axis, keepdims=True))


def _elu(x):
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))


def _top_k_ref(k):
    def ref(x):
        idx = np.argsort(-x, axis=-1, kind="stable")[..., :k]
        return [np.take_along_axis(x, idx, -1), idx.astype(np.int32)]
    return ref


SPECS = [
    OpSpec("relu", tf.nn.relu, lambda x: np.maximum(x, 0), [Arg([3, 4], "nonzero")], ["Relu"],
           F + (np.int32,)),
    OpSpec("relu_grad_op", nn_ops.relu_grad, lambda dy, x: np.where(x > 0, dy, 0),
           [Arg([3, 4]), Arg([3, 4], "nonzero")], ["ReluGrad"], F),
    OpSpec("relu6", lambda x: tf.nn.relu6(x * 5.0), lambda x: np.clip(x * 5, 0, 6),
           [Arg([4, 5], "nonzero")], ["Relu6"], F),
    OpSpec("relu6_grad_op", lambda dy, x: nn_ops.relu6_grad(dy, x * 5.0),
           lambda dy, x: np.where((x * 5 > 0) & (x * 5 < 6), dy, 0),
           [Arg([4, 5]), Arg([4, 5], "nonzero")], ["Relu6Grad"], F),
    OpSpec("leaky_relu", lambda x: tf.nn.leaky_relu(x, alpha=0.1),
           lambda x: np.where(x > 0, x, 0.1 * x), [Arg([3, 4], "nonzero")], ["LeakyRelu"], F),
    OpSpec("leaky_relu_grad_op", lambda dy, x: nn_ops.leaky_relu_grad(dy, x, 0.3),
           lambda dy, x: np.where(x > 0, dy, 0.3 * dy), [Arg([5]), Arg([5], "nonzero")],
           ["LeakyReluGrad"], F),
    OpSpec("elu", tf.nn.elu, _elu, [Arg([3, 4], "nonzero")], ["Elu"], F),
    OpSpec("elu_grad_op", nn_ops.elu_grad, lambda dy, y: np.where(y > 0, dy, dy * (y + 1)),
           [Arg([6]), Arg([6], "nonzero")], ["EluGrad"], F),
    OpSpec("selu", tf.nn.selu, lambda x: SCALE * np.where(x > 0, x, ALPHA * np.expm1(
        np.minimum(x, 0))), [Arg([3, 4], "nonzero")], ["Selu"], F),
    OpSpec("selu_grad_op", nn_ops.selu_grad,
           lambda dy, y: np.where(y > 0, dy * SCALE, dy * (y + SCALE * ALPHA)),
           [Arg([6]), Arg([6], "nonzero")], ["SeluGrad"], F),
    OpSpec("softplus", lambda x: tf.nn.softplus(x * 3.0), lambda x: np.logaddexp(0, x * 3),
           [Arg([3, 4])], ["Softplus"], F),
    OpSpec("softplus_extremes", tf.nn.softplus, lambda x: np.logaddexp(0, x),
           [Arg([4], "const:[-100.0, -30.0, 30.0, 100.0]")], ["Softplus"], (np.float64,)),
    OpSpec("softplus_grad_op", nn_ops.softplus_grad, lambda dy, x: dy * _sigmoid(x),
           [Arg([5]), Arg([5])], ["SoftplusGrad"], F),
    OpSpec("softsign", tf.nn.softsign, lambda x: x / (1 + np.abs(x)), [Arg([3, 4], "nonzero")],
           ["Softsign"], F),
    OpSpec("softsign_grad_op", nn_ops.softsign_grad, lambda dy, x: dy / (1 + np.abs(x)) ** 2,
           [Arg([5]), Arg([5], "nonzero")], ["SoftsignGrad"], F),
    OpSpec("softmax", tf.nn.softmax, _softmax, [Arg([3, 5])], ["Softmax"], F),
    OpSpec("softmax_rank3", tf.nn.softmax, _softmax, [Arg([2, 3, 4])], ["Softmax"], F),
    OpSpec("softmax_large_logits", tf.nn.softmax, _softmax,
           [Arg([2, 3], "const:[[1000.0, 1001.0, 999.0], [-1000.0, -1002.0, -999.0]]")],
           ["Softmax"], F, grad=False),
    OpSpec("softmax_axis1", lambda x: tf.nn.softmax(x, axis=1), lambda x: _softmax(x, 1),
           [Arg([2, 3, 4])], ["Softmax", "Transpose"], F),
    OpSpec("log_softmax_legacy_dim0", lambda x: tf.nn.log_softmax(x, dim=0),
           lambda x: _log_softmax(x, 0), [Arg([3, 2])], ["LogSoftmax", "Transpose"], F),
    OpSpec("log_softmax", tf.nn.log_softmax, _log_softmax, [Arg([3, 5])], ["LogSoftmax"], F),
    OpSpec("log_softmax_large_logits", tf.nn.log_softmax, _log_softmax,
           [Arg([2, 3], "const:[[1000.0, 0.0, -1000.0], [50.0, 50.0, 50.0]]")],
           ["LogSoftmax"], F),
    OpSpec("bias_add", tf.nn.bias_add, lambda x, b: x + b, [Arg([2, 3, 4]), Arg([4])],
           ["BiasAdd", "BiasAddGrad"], F),
    OpSpec("bias_add_nchw", lambda x, b: tf.nn.bias_add(x, b, data_format="NCHW"),
           lambda x, b: x + b.reshape(1, -1, 1, 1), [Arg([2, 3, 2, 2]), Arg([3])],
           ["BiasAdd", "BiasAddGrad"], F),
    OpSpec("bias_add_grad_op", lambda g: nn_ops.apply_op1("BiasAddGrad", (g,),
                                                          {"data_format": "NHWC"}),
           lambda g: g.sum((0, 1)), [Arg([2, 3, 4])], ["BiasAddGrad"], F),
    OpSpec("xw_plus_b", tf.nn.xw_plus_b, lambda x, w, b: x @ w + b,
           [Arg([2, 3]), Arg([3, 4]), Arg([4])], ["MatMul", "BiasAdd"], F),
    OpSpec("l2_loss", tf.nn.l2_loss, lambda x: np.asarray((x ** 2).sum() / 2, x.dtype),
           [Arg([3, 4])], ["L2Loss"], F),
    OpSpec("in_top_k", lambda p, t: tf.nn.in_top_k(p, t, 2),
           lambda p, t: np.array([True, False, True, True, True, False]),
           [Arg([6, 3], "const:[[1, 2, 3], [1, 2, 3], [5, 5, 1], [9, 9, 9.5], [9, 9, 9], "
                        "[0, 1, 2]]", np.float32),
            Arg([6], "const:[1, 0, 1, 0, 0, 3]", np.int32)], ["InTopKV2"], (np.float32,),
           grad=False),
    OpSpec("top_k", lambda x: list(tf.nn.top_k(x, 2)), _top_k_ref(2), [Arg([3, 5])],
           ["TopKV2"], F + (np.int32,)),
    OpSpec("top_k_rank3", lambda x: list(tf.nn.top_k(x, 3)), _top_k_ref(3), [Arg([2, 2, 4])],
           ["TopKV2", "ScatterNd"], F),
    OpSpec("top_k_ties", lambda x: list(tf.nn.top_k(x, 3)), _top_k_ref(3),
           [Arg([4], "const:[2, 7, 2, 7]")], ["TopKV2"], (np.float32, np.int64), grad=False),
]


def _bn(x, m, v, o, s, eps=1e-3):
    return (x - m) / np.sqrt(v + eps) * s + o


SPECS += [
    OpSpec("l2_normalize", lambda x: tf.nn.l2_normalize(x, axis=1),
           lambda x: x / np.sqrt((x ** 2).sum(1, keepdims=True)), [Arg([3, 4])],
           ["Square", "Rsqrt", "Maximum"], F),
    OpSpec("l2_normalize_epsilon_floor", lambda x: tf.nn.l2_normalize(x, dim=0, epsilon=0.5),
           lambda x: x / np.sqrt(np.maximum((x ** 2).sum(0, keepdims=True), 0.5)),
           [Arg([4, 2], "unit")], ["Rsqrt", "Maximum"], F),
    OpSpec("moments", lambda x: list(tf.nn.moments(x, [0, 1])),
           lambda x: [x.mean((0, 1)), x.var((0, 1))], [Arg([3, 4, 2])],
           ["Mean", "SquaredDifference", "Squeeze"], F),
    OpSpec("moments_keep_dims", lambda x: list(tf.nn.moments(x, [1], keep_dims=True)),
           lambda x: [x.mean(1, keepdims=True), x.var(1, keepdims=True)], [Arg([3, 4])],
           ["Mean", "SquaredDifference"], F),
    OpSpec("batch_normalization", lambda x, m, v, o, s: tf.nn.batch_normalization(
        x, m, v, o, s, 1e-3), _bn, [Arg([4, 3]), Arg([3]), Arg([3], "pos"), Arg([3]), Arg([3])],
        ["Rsqrt", "Mul", "Sub", "Add"], F),
    OpSpec("zero_fraction", lambda x: tf.nn.zero_fraction(tf.nn.relu(x)),
           lambda x: np.float32((x <= 0).mean()), [Arg([4, 5], "nonzero")],
           ["Equal", "Cast", "Mean"], F, grad=False),
    OpSpec("relu_layer", tf.nn.relu_layer, lambda x, w, b: np.maximum(x @ w + b, 0),
           [Arg([3, 4]), Arg([4, 2]), Arg([2])], ["Relu", "BiasAdd", "MatMul"], F),
]



def _mod_table(*shards):
    """The full table that "mod" sharding splits: row i is shards[i % n][i // n]."""
    n = len(shards)
    total = sum(len(s) for s in shards)
    return np.stack([shards[i % n][i // n] for i in range(total)])


_IDS = Arg([4], "const:[0, 4, 4, 2]", np.int32, differentiable=False)
SPECS += [
    OpSpec("embedding_lookup", tf.nn.embedding_lookup, lambda p, i: p[i], [Arg([5, 3]), _IDS],
           ["GatherV2", "Identity"], F),
    OpSpec("embedding_lookup_2d_ids", tf.nn.embedding_lookup, lambda p, i: p[i],
           [Arg([5, 2]), Arg([2, 2], "const:[[1, 0], [3, 3]]", np.int64, differentiable=False)],
           ["GatherV2"], F),
    OpSpec("embedding_lookup_mod_shards",
           lambda a, b, i: tf.nn.embedding_lookup([a, b], i),
           lambda a, b, i: _mod_table(a, b)[i], [Arg([3, 2]), Arg([2, 2]), _IDS],
           ["GatherV2", "ConcatV2"], F),
    OpSpec("embedding_lookup_div_shards",
           lambda a, b, i: tf.nn.embedding_lookup([a, b], i, partition_strategy="div"),
           lambda a, b, i: np.concatenate([a, b])[i], [Arg([3, 2]), Arg([2, 2]), _IDS],
           ["GatherV2", "ConcatV2"], F),
    OpSpec("embedding_lookup_max_norm", lambda p, i: tf.nn.embedding_lookup(p, i, max_norm=1.0),
           lambda p, i: p[i] / np.maximum(np.linalg.norm(p[i], axis=1, keepdims=True), 1.0),
           [Arg([5, 3]), _IDS], ["GatherV2", "Sqrt", "Maximum"], F),
]


def _lrn_ref(x, r, bias, alpha, beta):
    out = np.empty_like(x)
    c = x.shape[-1]
    for k in range(c):
        sq = (x[..., max(k - r, 0):k + r + 1] ** 2).sum(-1)
        out[..., k] = x[..., k] / (bias + alpha * sq) ** beta
    return out


SPECS += [
    OpSpec("lrn", lambda x: tf.nn.lrn(x, 2, 1.0, 0.3, 0.75),
           lambda x: _lrn_ref(x, 2, 1.0, 0.3, 0.75), [Arg([2, 2, 3, 6])], ["LRN", "LRNGrad"], F),
    OpSpec("local_response_normalization_defaults", tf.nn.local_response_normalization,
           lambda x: _lrn_ref(x, 5, 1.0, 1.0, 0.5), [Arg([1, 2, 2, 4])], ["LRN", "LRNGrad"], F),
]
