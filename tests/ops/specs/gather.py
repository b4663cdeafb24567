"""Specs for gather, gather_nd, scatter_nd and boolean_mask (flowbook/ops/gather_ops.py)."""

import numpy as np

import flowbook as tf
from tests.opcheck import Arg, OpSpec
from tests.ops.specs.array import dyn

F = (np.float32, np.float64)
NUM = (np.float32, np.float64, np.int32, np.int64)
ALL = NUM + (np.bool_,)


def _idx(value, dtype=np.int32):
    return Arg(np.shape(value), f"const:{value}", dtype, differentiable=False)


def _np_scatter(idx, upd, shape):
    out = np.zeros(shape, upd.dtype)
    np.add.at(out, tuple(np.moveaxis(idx, -1, 0)), upd)
    return out


def _np_mask(x, m, axis=0):
    lead = x.shape[:axis]
    flat = x.reshape(lead + (-1,) + x.shape[axis + m.ndim:])
    return np.compress(m.reshape(-1), flat, axis=axis)


SPECS = [
    OpSpec("gather", lambda p, i: tf.gather(p, i), lambda p, i: p[i],
           [Arg([4, 3]), _idx([2, 0, 2])], ["GatherV2", "ScatterNd", "ExpandDims"], ALL),
    OpSpec("gather_axis1_matrix_indices", lambda p, i: tf.gather(p, i, axis=1),
           lambda p, i: np.take(p, i, axis=1), [Arg([2, 4, 3]), _idx([[3, 0], [1, 3]])],
           ["GatherV2", "ScatterNd", "Transpose"], NUM),
    OpSpec("gather_negative_axis_int64", lambda p, i: tf.gather(p, i, axis=-1),
           lambda p, i: np.take(p, i, axis=-1), [Arg([2, 3]), _idx([1, 1, 0], np.int64)],
           ["GatherV2", "ScatterNd", "Transpose", "Shape", "ConcatV2"], F),
    OpSpec("gather_scalar_index", lambda p, i: tf.gather(p, i, axis=1),
           lambda p, i: p[:, 2], [Arg([3, 4]), _idx(2)], ["GatherV2"], F),
    OpSpec("gather_empty_indices", lambda p, i: tf.gather(p, i),
           lambda p, i: p[i], [Arg([3, 2]), Arg([0], "int", np.int32, differentiable=False)],
           ["GatherV2"], F),
    dyn(OpSpec("gather_tensor_axis", lambda p, i, a: tf.gather(p, i, axis=a),
               lambda p, i, a: np.take(p, i, axis=int(a)),
               [Arg([2, 3, 2]), _idx([2, 2, 0]), _idx(1)],
               ["GatherV2", "ScatterNd", "Transpose", "Range", "FloorMod", "Rank"], F)),
    OpSpec("gather_nd", lambda p, i: tf.gather_nd(p, i), lambda p, i: p[i[..., 0], i[..., 1]],
           [Arg([3, 4, 2]), _idx([[0, 1], [2, 3], [0, 1]])],
           ["GatherNd", "ScatterNd"], ALL),
    OpSpec("gather_nd_full_coords", lambda p, i: tf.gather_nd(p, i),
           lambda p, i: p[tuple(np.moveaxis(i, -1, 0))],
           [Arg([3, 2]), _idx([[[2, 1]], [[0, 0]]], np.int64)], ["GatherNd", "ScatterNd"], F),
    OpSpec("scatter_nd", lambda i, u: tf.scatter_nd(i, u, [4, 3]),
           lambda i, u: _np_scatter(i, u, (4, 3)),
           [_idx([[1], [3], [1]]), Arg([3, 3])], ["ScatterNd", "GatherNd"], NUM),
    OpSpec("scatter_nd_elements", lambda i, u: tf.scatter_nd(i, u, [2, 3]),
           lambda i, u: _np_scatter(i, u, (2, 3)),
           [_idx([[0, 2], [1, 1], [0, 2]]), Arg([3])], ["ScatterNd", "GatherNd"], F),
    dyn(OpSpec("boolean_mask", lambda x, m: tf.boolean_mask(x, m), _np_mask,
               [Arg([3, 2, 2]), Arg([3, 2], "bool", np.bool_, differentiable=False)],
               ["GatherV2", "Where", "Squeeze", "Reshape", "ConcatV2"], ALL)),
    dyn(OpSpec("boolean_mask_axis", lambda x, m: tf.boolean_mask(x, m, axis=1),
               lambda x, m: _np_mask(x, m, 1),
               [Arg([2, 4, 3]), Arg([4], "const:[True, False, True, True]", np.bool_,
                                    differentiable=False)],
               ["GatherV2", "Where"], F)),
]

OTHER_TESTS = {}
