"""Specs for linspace, one_hot and sequence_mask (flowbook/ops/creation_ops.py)."""

import numpy as np

import flowbook as tf
from tests.opcheck import Arg, OpSpec

F = (np.float32, np.float64)


def _np_one_hot(i, depth, axis=-1, on=1.0, off=0.0, dtype=np.float32):
    out = np.where(i[..., None] == np.arange(depth), on, off).astype(dtype)
    return np.moveaxis(out, -1, axis)


SPECS = [
    OpSpec("linspace", lambda a, b: tf.linspace(a, b, 5),
           lambda a, b: np.linspace(a, b, 5, dtype=a.dtype), [Arg([]), Arg([])], ["LinSpace"],
           F, grad=False),
    OpSpec("linspace_one", lambda a, b: tf.lin_space(a, b, 1),
           lambda a, b: np.linspace(a, b, 1, dtype=a.dtype), [Arg([]), Arg([])], ["LinSpace"],
           F, grad=False),
    OpSpec("one_hot", lambda i: tf.one_hot(i, 4), lambda i: _np_one_hot(i, 4),
           [Arg([2, 3], "const:[[0, 3, -1], [4, 1, 1]]")], ["OneHot"], (np.int32, np.int64),
           grad=False),
    OpSpec("one_hot_axis0_values", lambda i: tf.one_hot(i, 3, on_value=5, off_value=-2, axis=0),
           lambda i: _np_one_hot(i, 3, 0, 5, -2, np.int32), [Arg([2], "const:[2, 0]")],
           ["OneHot"], (np.int32, np.uint8), grad=False),
    OpSpec("one_hot_dtype", lambda i: tf.one_hot(i, 2, dtype=tf.float64, axis=1),
           lambda i: _np_one_hot(i, 2, 1, dtype=np.float64), [Arg([2, 2], "small_int")],
           ["OneHot"], (np.int64,), grad=False),
    OpSpec("one_hot_empty", lambda i: tf.one_hot(i, 3), lambda i: _np_one_hot(i, 3),
           [Arg([0], "int")], ["OneHot"], (np.int32,), grad=False),
    OpSpec("sequence_mask", lambda n: tf.sequence_mask(n, 4),
           lambda n: np.arange(4) < n[..., None], [Arg([3], "const:[0, 2, 4]")],
           ["Range", "Less", "Cast", "ExpandDims"], (np.int32, np.int64), grad=False),
    OpSpec("sequence_mask_maxlen_float", lambda n: tf.sequence_mask(n, dtype=tf.float32),
           lambda n: (np.arange(n.max()) < n[..., None]).astype(np.float32),
           [Arg([2, 2], "const:[[1, 3], [2, 0]]")], ["Max", "Maximum", "Range", "Less", "Cast"],
           (np.int32,), grad=False),
]

OTHER_TESTS = {}
