"""Specs for the shape-manipulation ops: transpose, expand_dims, squeeze, tile, reverse, pad,
slice (flowbook/ops/manip_ops.py, pad_ops.py)."""

import numpy as np

import flowbook as tf
from tests.opcheck import Arg, OpSpec

F = (np.float32, np.float64)
NUM = (np.float32, np.float64, np.int32, np.int64)
ALL = NUM + (np.bool_,)


def dyn(spec):
    """A row whose output shape is known only at run time: its gradient is checked by
    tests/autodiff/test_array_grads.py instead of the table's static-shape check."""
    spec.grad = False
    spec.dynamic_grad = True
    return spec


def _np_mirror(mode):
    return lambda x: np.pad(x, [[1, 2], [0, 1]], mode=mode)


def _np_revseq(x, lens):
    out = x.copy()
    for b, n in enumerate(lens):
        out[b, :n] = x[b, :n][::-1]
    return out


SPECS = [
    # Transpose
    OpSpec("transpose_default", tf.transpose, np.transpose, [Arg([2, 3, 4])], ["Transpose"],
           ALL),
    OpSpec("transpose_perm", lambda x: tf.transpose(x, [1, 0, 2]),
           lambda x: np.transpose(x, [1, 0, 2]), [Arg([2, 3, 4])], ["Transpose"], NUM),
    OpSpec("transpose_negative_perm", lambda x: tf.transpose(x, [-1, 0, 1]),
           lambda x: np.transpose(x, [2, 0, 1]), [Arg([2, 3, 4])], ["Transpose"], F),
    OpSpec("transpose_empty", lambda x: tf.transpose(x), lambda x: x.T, [Arg([0, 3])],
           ["Transpose"], F),
    OpSpec("transpose_scalar", tf.transpose, np.transpose, [Arg([])], ["Transpose"], F),
    dyn(OpSpec("transpose_tensor_perm", lambda x, p: tf.transpose(x, p),
           lambda x, p: np.transpose(x, p),
           [Arg([2, 3, 4]), Arg([3], "const:[2, 0, 1]", np.int32, differentiable=False)],
           ["Transpose", "InvertPermutation"], F)),
    OpSpec("conjugate_transpose", lambda x: tf.transpose(x, conjugate=True),
           lambda x: np.conj(x.T), [Arg([2, 3])], ["ConjugateTranspose"], (np.complex128,),
           grad=False),
    # ExpandDims, Squeeze
    OpSpec("expand_dims", lambda x: tf.expand_dims(x, 1), lambda x: np.expand_dims(x, 1),
           [Arg([2, 3])], ["ExpandDims"], ALL),
    OpSpec("expand_dims_negative", lambda x: tf.expand_dims(x, -1),
           lambda x: np.expand_dims(x, -1), [Arg([2, 3])], ["ExpandDims"], F),
    OpSpec("expand_dims_legacy_dim", lambda x: tf.expand_dims(x, dim=0),
           lambda x: x[None], [Arg([3])], ["ExpandDims"], F),
    OpSpec("expand_dims_scalar", lambda x: tf.expand_dims(x, 0), lambda x: x.reshape(1),
           [Arg([])], ["ExpandDims"], F),
    OpSpec("squeeze_all", tf.squeeze, np.squeeze, [Arg([1, 3, 1, 2])], ["Squeeze"], ALL),
    OpSpec("squeeze_axis", lambda x: tf.squeeze(x, [-2]), lambda x: np.squeeze(x, -2),
           [Arg([1, 3, 1, 2])], ["Squeeze"], F),
    OpSpec("squeeze_legacy_dims", lambda x: tf.squeeze(x, squeeze_dims=[0]),
           lambda x: x[0], [Arg([1, 3])], ["Squeeze"], F),
    OpSpec("squeeze_to_scalar", tf.squeeze, np.squeeze, [Arg([1, 1])], ["Squeeze"], F),
    # Tile
    OpSpec("tile", lambda x: tf.tile(x, [2, 1, 3]), lambda x: np.tile(x, [2, 1, 3]),
           [Arg([2, 3, 1])], ["Tile"], ALL),
    OpSpec("tile_zero", lambda x: tf.tile(x, [0, 2]), lambda x: np.tile(x, [0, 2]),
           [Arg([2, 3])], ["Tile"], F),
    dyn(OpSpec("tile_tensor_multiples", lambda x, m: tf.tile(x, m), np.tile,
           [Arg([2, 3]), Arg([2], "const:[3, 2]", np.int32, differentiable=False)],
           ["Tile", "Pack", "Transpose", "Range", "Size"], F)),
    # ReverseV2, ReverseSequence
    OpSpec("reverse", lambda x: tf.reverse(x, [0, -1]), lambda x: x[::-1, :, ::-1],
           [Arg([2, 3, 4])], ["ReverseV2"], ALL),
    OpSpec("reverse_none", lambda x: tf.reverse_v2(x, []), lambda x: x, [Arg([2, 3])],
           ["ReverseV2"], F),
    OpSpec("reverse_sequence", lambda x, n: tf.reverse_sequence(x, n, seq_axis=1),
           _np_revseq, [Arg([3, 4, 2]), Arg([3], "const:[0, 4, 2]", np.int64,
                                             differentiable=False)],
           ["ReverseSequence"], NUM),
    OpSpec("reverse_sequence_batch_last", lambda x: tf.reverse_sequence(
        x, [2, 1, 3], seq_axis=0, batch_axis=1),
        lambda x: _np_revseq(x.swapaxes(0, 1), [2, 1, 3]).swapaxes(0, 1), [Arg([4, 3])],
        ["ReverseSequence"], F),
    # Pad, PadV2, MirrorPad
    OpSpec("pad", lambda x: tf.pad(x, [[1, 2], [0, 1]]),
           lambda x: np.pad(x, [[1, 2], [0, 1]]), [Arg([2, 3])], ["Pad", "Slice"], ALL),
    OpSpec("pad_constant_values", lambda x: tf.pad(x, [[0, 1], [2, 0]], constant_values=3),
           lambda x: np.pad(x, [[0, 1], [2, 0]], constant_values=3), [Arg([2, 3])],
           ["PadV2"], NUM),
    OpSpec("pad_empty", lambda x: tf.pad(x, [[1, 1], [0, 0]]),
           lambda x: np.pad(x, [[1, 1], [0, 0]]), [Arg([0, 2])], ["Pad"], F),
    dyn(OpSpec("pad_tensor_paddings", lambda x, p: tf.pad(x, p), np.pad,
           [Arg([2, 3]), Arg([2, 2], "const:[[1, 0], [2, 1]]", np.int32, differentiable=False)],
           ["Pad", "StridedSlice"], F)),
    OpSpec("pad_reflect", lambda x: tf.pad(x, [[1, 2], [0, 1]], "REFLECT"),
           _np_mirror("reflect"), [Arg([4, 3])], ["MirrorPad", "MirrorPadGrad"], NUM),
    OpSpec("pad_symmetric", lambda x: tf.pad(x, [[1, 2], [0, 1]], mode="symmetric"),
           _np_mirror("symmetric"), [Arg([2, 3])], ["MirrorPad", "MirrorPadGrad"], NUM),
    # Slice
    OpSpec("slice", lambda x: tf.slice(x, [1, 0, 2], [1, -1, 2]),
           lambda x: x[1:2, :, 2:4], [Arg([2, 3, 4])], ["Slice", "Pad"], ALL),
    OpSpec("slice_empty", lambda x: tf.slice(x, [1, 0], [0, 2]), lambda x: x[1:1, 0:2],
           [Arg([2, 3])], ["Slice"], F),
    dyn(OpSpec("slice_tensor_begin", lambda x, b: tf.slice(x, b, [1, 2]),
           lambda x, b: x[b[0]:b[0] + 1, b[1]:b[1] + 2],
           [Arg([3, 4]), Arg([2], "const:[1, 2]", np.int32, differentiable=False)],
           ["Slice", "Pad", "Pack", "Shape", "Sub"], F)),
    # StridedSlice (tensor[...] and tf.strided_slice)
    OpSpec("strided_slice_clamped", lambda x: x[..., 1:3], lambda x: x[..., 1:3],
           [Arg([3, 2])], ["StridedSlice", "StridedSliceGrad"], F),
    OpSpec("strided_slice_masks", lambda x: tf.strided_slice(
        x, [1, 0, 2], [0, 2, 3], [1, 1, -1], begin_mask=2, end_mask=1, shrink_axis_mask=4),
        lambda x: x[1:, :2, 2], [Arg([3, 4, 5])], ["StridedSlice", "StridedSliceGrad"], NUM),
    OpSpec("strided_slice_default_strides", lambda x: tf.strided_slice(x, [0, 1], [2, -1]),
           lambda x: x[0:2, 1:-1], [Arg([3, 4])], ["StridedSlice"], F),
    OpSpec("getitem_mixed", lambda x: x[1, None, ::-2, ..., -1],
           lambda x: x[1, None, ::-2, ..., -1], [Arg([2, 5, 3, 4])], ["StridedSlice"], ALL),
]

OTHER_TESTS = {}
