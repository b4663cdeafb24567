"""Behaviour of the array and matrix op builders beyond values: TF1's default node names and
op types (recorded from TensorFlow, checked live by tests/oracle/test_array_oracle.py), TF1's
argument forms, and static shapes that stay known through shape arithmetic."""

import numpy as np
import pytest

import flowbook as tf


def test_default_names_and_op_types_are_tf1s():
    x = tf.placeholder(tf.float32, [2, 3, 4], name="x")
    got = [(t.name, t.op.type) for t in [
        tf.transpose(x), tf.expand_dims(x, 1), tf.squeeze(x[:1]), tf.concat([x, x], 1),
        tf.unstack(x)[0], tf.split(x, 2, axis=2)[1], tf.split(x, [1, -1], axis=1)[1],
        tf.tile(x, [1, 2, 1]), tf.pad(x, [[1, 1], [0, 0], [0, 0]]),
        tf.pad(x, [[1, 1], [0, 0], [0, 0]], constant_values=2.0),
        tf.pad(x, [[1, 1], [0, 0], [0, 0]], "REFLECT"), tf.slice(x, [0, 0, 0], [1, -1, 2]),
        tf.gather(x, [0, 1]), tf.gather_nd(x, [[0, 1]]), tf.reverse(x, [1]),
        tf.one_hot([1, 2], 3), tf.eye(3), tf.eye(2, 3), tf.lin_space(0., 1., 5),
        tf.matmul(x, tf.ones([4, 2])), tf.tensordot(x, tf.ones([4, 2]), 1),
        tf.matrix_transpose(x), tf.trace(x), tf.einsum("ijk->kji", x),
        tf.matrix_inverse(tf.ones([3, 3])), tf.matrix_determinant(tf.ones([3, 3])),
        tf.boolean_mask(x, [True, False]), tf.sequence_mask([1, 2]),
        tf.scatter_nd([[1]], [1.0], [3])]]
    assert got == [
        ("transpose:0", "Transpose"), ("ExpandDims:0", "ExpandDims"), ("Squeeze:0", "Squeeze"),
        ("concat:0", "ConcatV2"), ("unstack:0", "Unpack"), ("split:1", "Split"),
        ("split_1:1", "SplitV"), ("Tile:0", "Tile"), ("Pad:0", "Pad"), ("PadV2:0", "PadV2"),
        ("MirrorPad:0", "MirrorPad"), ("Slice:0", "Slice"), ("GatherV2:0", "GatherV2"),
        ("GatherNd:0", "GatherNd"), ("ReverseV2:0", "ReverseV2"), ("one_hot:0", "OneHot"),
        ("eye/diag:0", "MatrixDiag"), ("eye_1/set_diag:0", "MatrixSetDiag"),
        ("LinSpace:0", "LinSpace"), ("MatMul:0", "BatchMatMul"), ("Tensordot:0", "Reshape"),
        ("matrix_transpose/transpose:0", "Transpose"), ("Trace:0", "Sum"),
        ("einsum/Einsum:0", "Einsum"), ("MatrixInverse:0", "MatrixInverse"),
        ("MatrixDeterminant:0", "MatrixDeterminant"), ("boolean_mask/GatherV2:0", "GatherV2"),
        ("SequenceMask/Less:0", "Less"), ("ScatterNd:0", "ScatterNd")]
    assert [i.name for i in tf.get_default_graph().get_operation_by_name("concat").inputs] == [
        "x:0", "x:0", "concat/axis:0"]


def test_concat_of_one_value_is_an_identity_and_stack_of_constants_one_const():
    x = tf.placeholder(tf.float32, [2])
    assert (tf.concat([x], 0).name, tf.concat(x, 0).op.type) == ("concat/concat:0", "Identity")
    c = tf.stack([1, 2])
    assert (c.name, c.op.type) == ("stack:0", "Const")
    p = tf.stack([[1, 2], [3, 4]], axis=1)     # TF converts values[0] first: "stack_1"
    assert (p.name, p.op.type) == ("stack_2:0", "Pack")
    with tf.Session() as s:
        np.testing.assert_array_equal(s.run(p), [[1, 3], [2, 4]])


def test_shape_dimensions_work_as_ints_in_shape_arguments():
    x = tf.placeholder(tf.float32, [2, 6])
    assert tf.reshape(x, [-1, x.shape[1]]).shape.as_list() == [2, 6]
    assert [t.shape.as_list() for t in tf.split(x, x.shape[0])] == [[1, 6], [1, 6]]
    assert tf.zeros([x.get_shape()[0], 3]).shape.as_list() == [2, 3]
    with pytest.raises(ValueError, match="unknown Dimension"):
        tf.reshape(x, [tf.placeholder(tf.float32, [None]).shape[0]])


def test_legacy_argument_names():
    x = tf.placeholder(tf.float32, [1, 3])
    assert tf.expand_dims(x, dim=0).shape.as_list() == [1, 1, 3]
    assert tf.squeeze(x, squeeze_dims=[0]).shape.as_list() == [3]
    assert tf.reverse_sequence(x, [2], seq_dim=1, batch_dim=0).shape.as_list() == [1, 3]
    assert tf.reverse_v2(x, [1]).op.type == "ReverseV2"
    assert tf.linalg.inv(tf.eye(2)).op.type == "MatrixInverse"
    assert tf.linalg.transpose(tf.ones([2, 3])).shape.as_list() == [3, 2]


def test_known_dims_stay_known_through_shape_arithmetic():
    x = tf.placeholder(tf.float32, [None, 3, 4])
    y = tf.placeholder(tf.float32, [5, None])
    assert tf.reshape(y, tf.shape(x)).shape.as_list() == [None, 3, 4]
    assert tf.reshape(x, [tf.shape(x)[0], -1]).shape.as_list() == [None, 12]
    assert tf.reshape(tf.ones([6]), tf.stack([tf.placeholder(tf.int32, []), 3])
                      ).shape.as_list() == [2, 3]
    assert tf.fill(tf.shape(x)[1:], 0.0).shape.as_list() == [3, 4]
    assert tf.range(tf.reduce_max([3, 5])).shape.as_list() == [5]
    assert tf.sequence_mask([[2, 0]]).shape.as_list() == [1, 2, 2]
    assert tf.zeros(tf.shape(tf.ones([2, 3]))[1:] + 1).shape.as_list() == [4]
    assert tf.gather(x, [0, 2], axis=1).shape.as_list() == [None, 2, 4]
    assert tf.matrix_set_diag(tf.placeholder(tf.float32, [None, 3, 3]),
                              tf.ones([2, 3])).shape.as_list() == [2, 3, 3]


def test_static_shape_of_a_slice_on_unknown_dims_stays_unknown():
    # x[..., 1:3] has 1 element when the last dim turns out to be 2: TF leaves it unknown.
    x = tf.placeholder(tf.float32, [None, None])
    y = x[..., 1:3]
    assert y.shape.as_list() == [None, None]
    with tf.Session() as s:
        assert s.run(y, {x: np.ones((3, 2))}).shape == (3, 1)


def test_gather_batch_dims_is_refused_clearly():
    with pytest.raises(NotImplementedError, match="batch_dims"):
        tf.gather(tf.ones([2, 3]), [[0], [1]], batch_dims=1)
