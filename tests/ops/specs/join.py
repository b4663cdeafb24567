"""Specs for concat, unstack, stack and split (flowbook/ops/join_ops.py)."""

import numpy as np

import flowbook as tf
from tests.opcheck import Arg, OpSpec
from tests.ops.specs.array import dyn

F = (np.float32, np.float64)
NUM = (np.float32, np.float64, np.int32, np.int64)
ALL = NUM + (np.bool_,)

SPECS = [
    OpSpec("concat", lambda a, b: tf.concat([a, b], 1), lambda a, b: np.concatenate([a, b], 1),
           [Arg([2, 3]), Arg([2, 1])], ["ConcatV2", "SplitV"], ALL),
    OpSpec("concat_three_negative_axis", lambda a, b, c: tf.concat([a, b, c], -1),
           lambda a, b, c: np.concatenate([a, b, c], -1),
           [Arg([2, 1, 2]), Arg([2, 1, 3]), Arg([2, 1, 1])], ["ConcatV2", "SplitV"], F),
    OpSpec("concat_empty_piece", lambda a, b: tf.concat([a, b], 0),
           lambda a, b: np.concatenate([a, b], 0), [Arg([0, 3]), Arg([2, 3])], ["ConcatV2"], F),
    OpSpec("concat_one_value", lambda a: tf.concat([a], 0), lambda a: a, [Arg([2, 3])],
           ["Identity"], F),
    dyn(OpSpec("concat_tensor_axis", lambda a, b, ax: tf.concat([a, b], ax),
               lambda a, b, ax: np.concatenate([a, b], int(ax)),
               [Arg([2, 3]), Arg([2, 2]), Arg([], "const:1", np.int32, differentiable=False)],
               ["ConcatV2", "SplitV", "Shape", "StridedSlice", "Pack"], F)),
    OpSpec("stack_unstack", lambda x: tf.stack(tf.unstack(x, num=3, axis=1), axis=0),
           lambda x: np.moveaxis(x, 1, 0), [Arg([2, 3, 2])], ["Unpack", "Pack"], ALL),
    OpSpec("unstack_negative_axis", lambda x: tf.unstack(x, num=3, axis=-1),
           lambda x: list(np.moveaxis(x, -1, 0)), [Arg([2, 3])], ["Unpack", "Pack"], F),
    OpSpec("unstack_one_used", lambda x: tf.unstack(x, 3)[1] * 2.0, lambda x: x[1] * 2,
           [Arg([3, 2])], ["Unpack", "ZerosLike"], F),
    OpSpec("stack_scalars", lambda a, b: tf.stack([a, b]), lambda a, b: np.stack([a, b]),
           [Arg([]), Arg([])], ["Pack", "Unpack"], NUM),
    OpSpec("split_equal", lambda x: tf.split(x, 3, axis=1),
           lambda x: np.split(x, 3, axis=1), [Arg([2, 6])], ["Split", "ConcatV2"], ALL),
    OpSpec("split_one_used", lambda x: tf.split(x, 2)[0], lambda x: np.split(x, 2)[0],
           [Arg([4, 3])], ["Split", "ConcatV2", "ZerosLike"], F),
    OpSpec("split_sizes", lambda x: tf.split(x, [1, 3, 0], axis=-1),
           lambda x: np.split(x, [1, 4], axis=-1), [Arg([2, 4])], ["SplitV", "ConcatV2"], NUM),
    OpSpec("split_sizes_minus_one", lambda x: tf.split(x, [2, -1], 0),
           lambda x: np.split(x, [2], 0), [Arg([5, 2])], ["SplitV", "ConcatV2"], F),
]

OTHER_TESTS = {}
