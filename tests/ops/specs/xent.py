"""Specs for the fused cross-entropy ops (xent_ops.py) against NumPy formulas."""

import numpy as np

import flowbook as tf
from flowbook.ops.registry import apply_op
from tests.opcheck import Arg, OpSpec

F = (np.float32, np.float64)


def _log_softmax(x, axis=-1):
    z = x - x.max(axis, keepdims=True)
    return z - np.log(np.exp(z).sum(axis, keepdims=True))


def _soft(x, axis=-1):
    return np.exp(_log_softmax(x, axis))


def _xent(labels_raw, logits, axis=-1):
    return -(_soft(labels_raw, axis) * _log_softmax(logits, axis)).sum(axis)


def _both_outputs(op_type):
    return lambda x, l: list(apply_op(op_type, (x, l))._outputs)


def _xent_both_outputs(x, raw):
    # Labels that sum to 1 per row: the fused op's gradient assumes it (as TF's does).
    return _both_outputs("SoftmaxCrossEntropyWithLogits")(x, tf.nn.softmax(raw))


def _sparse_ref(x, labels):
    onehot = np.eye(x.shape[1], dtype=x.dtype)[labels]
    return [-(onehot * _log_softmax(x)).sum(1), _soft(x) - onehot]


LABELS = "const:[2, 0, 3]"
SPECS = [
    OpSpec("softmax_xent_v2", lambda l, x: tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=tf.nn.softmax(l), logits=x), _xent, [Arg([3, 4]), Arg([3, 4])],
        ["SoftmaxCrossEntropyWithLogits", "Softmax", "LogSoftmax"], F),
    OpSpec("softmax_xent_v1_stops_label_gradient",
           lambda l, x: tf.nn.softmax_cross_entropy_with_logits(labels=tf.nn.softmax(l),
                                                                logits=x),
           _xent, [Arg([3, 4], differentiable=False), Arg([3, 4])],
           ["SoftmaxCrossEntropyWithLogits", "StopGradient"], F),
    OpSpec("softmax_xent_rank3", lambda l, x: tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=tf.nn.softmax(l), logits=x), _xent, [Arg([2, 3, 4]), Arg([2, 3, 4])],
        ["SoftmaxCrossEntropyWithLogits", "Reshape"], F),
    OpSpec("softmax_xent_axis1", lambda l, x: tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=tf.nn.softmax(l, axis=1), logits=x, axis=1), lambda l, x: _xent(l, x, 1),
        [Arg([2, 3, 4]), Arg([2, 3, 4])], ["SoftmaxCrossEntropyWithLogits", "Transpose"], F),
    OpSpec("softmax_xent_rank1", lambda l, x: tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=tf.nn.softmax(l), logits=x), _xent, [Arg([5]), Arg([5])],
        ["SoftmaxCrossEntropyWithLogits", "Reshape"], F),
    OpSpec("softmax_xent_large_logits",
           lambda x: tf.nn.softmax_cross_entropy_with_logits_v2(
               labels=[[0.0, 1.0, 0.0], [0.5, 0.5, 0.0]], logits=x),
           lambda x: -(np.array([[0, 1, 0], [0.5, 0.5, 0]]) * _log_softmax(x)).sum(1),
           [Arg([2, 3], "const:[[1000.0, -1000.0, 0.0], [-500.0, 500.0, 1e4]]")],
           ["SoftmaxCrossEntropyWithLogits"], F),
    OpSpec("softmax_xent_op_both_outputs", _xent_both_outputs,
           lambda x, r: [-(_soft(r) * _log_softmax(x)).sum(1), _soft(x) - _soft(r)],
           [Arg([3, 4]), Arg([3, 4])], ["SoftmaxCrossEntropyWithLogits"], F),
    OpSpec("sparse_xent", lambda x, l: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=l, logits=x), lambda x, l: _sparse_ref(x, l)[0],
        [Arg([3, 5]), Arg([3], LABELS, np.int32, differentiable=False)],
        ["SparseSoftmaxCrossEntropyWithLogits"], F),
    OpSpec("sparse_xent_int64_rank3", lambda x, l: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=l, logits=x), lambda x, l: -np.take_along_axis(
            _log_softmax(x), l[..., None], -1)[..., 0],
        [Arg([2, 3, 4]), Arg([2, 3], "const:[[0, 1, 3], [2, 2, 0]]", np.int64,
                             differentiable=False)],
        ["SparseSoftmaxCrossEntropyWithLogits", "Reshape"], F),
    OpSpec("sparse_xent_op_both_outputs", _both_outputs("SparseSoftmaxCrossEntropyWithLogits"),
           _sparse_ref, [Arg([3, 4]), Arg([3], LABELS, np.int64, differentiable=False)],
           ["SparseSoftmaxCrossEntropyWithLogits"], F),
]


def _logistic(x, z):
    # -z log(sigmoid(x)) - (1 - z) log(1 - sigmoid(x)) = log(1 + e^x) - x z, in float64.
    x = x.astype(np.float64)
    return np.logaddexp(0, x) - x * z


def _weighted(z, x, q):
    x = x.astype(np.float64)
    return (1 - z) * x + (1 + (q - 1) * z) * (np.log1p(np.exp(-np.abs(x))) + np.maximum(-x, 0))


SPECS += [
    OpSpec("sigmoid_xent", lambda z, x: tf.nn.sigmoid_cross_entropy_with_logits(
        labels=z, logits=x), lambda z, x: _logistic(x, z), [Arg([3, 4], "unit"), Arg([3, 4])],
        ["Exp", "Log1p", "Select", "GreaterEqual"], F),
    OpSpec("sigmoid_xent_extreme_logits", lambda z, x: tf.nn.sigmoid_cross_entropy_with_logits(
        labels=z, logits=x), lambda z, x: _logistic(x, z),
        [Arg([6], "const:[0.0, 1.0, 0.3, 1.0, 0.0, 0.5]"),
         Arg([6], "const:[30.0, -30.0, 100.0, 1e4, -1e4, 88.7]")],
        ["Exp", "Log1p", "Select"], F),
    OpSpec("weighted_xent", lambda z, x: tf.nn.weighted_cross_entropy_with_logits(
        labels=z, logits=x, pos_weight=2.5), lambda z, x: _weighted(z, x, 2.5),
        [Arg([3, 4], "unit"), Arg([3, 4], "nonzero")], ["Exp", "Log1p", "Relu", "Abs"], F),
    OpSpec("weighted_xent_extreme_logits", lambda z, x: tf.nn.weighted_cross_entropy_with_logits(
        targets=z, logits=x, pos_weight=0.5), lambda z, x: _weighted(z, x, 0.5),
        [Arg([4], "const:[0.0, 1.0, 1.0, 0.0]"), Arg([4], "const:[40.0, -40.0, 1e4, -1e4]")],
        ["Exp", "Log1p"], F),
]
