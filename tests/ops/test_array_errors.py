"""Errors of the array and matrix ops: what can never run fails at build time with TF1's class
(ValueError / TypeError) and a message naming the shapes; what depends on values or unknown
dims fails at run time with InvalidArgumentError naming the node."""

import numpy as np
import pytest

import flowbook as tf

X = np.arange(24, dtype=np.float32).reshape(2, 3, 4)


@pytest.fixture
def x():
    return tf.placeholder(tf.float32, [2, 3, 4], name="x")


@pytest.fixture
def u():
    """The same tensor with nothing known about its shape at build time."""
    return tf.placeholder(tf.float32, None, name="u")


@pytest.mark.parametrize("build,match", [
    (lambda x: tf.transpose(x, [0, 0, 1]), r"\[0, 0, 1\] is not a permutation"),
    (lambda x: tf.transpose(x, [1, 0]), r"perm has 2 entries but the input has rank 3"),
    (lambda x: tf.concat([x, tf.ones([2, 4, 4])], 2),
     r"same shape except along axis 2.*\[2,3,4\].*\[2,4,4\].*dimension 1: 3 vs 4"),
    (lambda x: tf.concat([x, tf.ones([2, 4])], 1), r"same rank.*\[2,3,4\].*\[2,4\]"),
    (lambda x: tf.concat([x, x], 3), r"axis 3 is out of range for a tensor of rank 3"),
    (lambda x: tf.concat(1, [x, x]), r"tensors come first: write tf.concat\(\[t1, t2"),
    (lambda x: tf.split(x, 2, axis=1), r"size 3, which is not divisible into 2 equal parts"),
    (lambda x: tf.split(x, [1, 1], axis=1), r"\[1, 1\] add up to 2 but dimension 1 .* size 3"),
    (lambda x: tf.split(x, [2, 2, -1], axis=1), r"add up to 4, more than dimension 1"),
    (lambda x: tf.split(x, [-1, -1], axis=1), r"can only have one -1"),
    (lambda x: tf.squeeze(x, [1]), r"Can not squeeze dim\[1\], expected a dimension of 1, got 3"),
    (lambda x: tf.expand_dims(x, 4), r"axis 4 is out of range .* \[-4, 3\]"),
    (lambda x: tf.expand_dims(x), r"Must specify an axis"),
    (lambda x: tf.tile(x, [2, 2]), r"multiples has 2 entries but the input has rank 3"),
    (lambda x: tf.pad(x, [[1, 1], [0, 0]]), r"paddings must have shape \[rank, 2\]"),
    (lambda x: tf.pad(x, [[-1, 1], [0, 0], [0, 0]]), r"non-negative"),
    (lambda x: tf.pad(x, [[2, 0], [0, 0], [0, 0]], "REFLECT"), r"REFLECT padding of dimension"),
    (lambda x: tf.pad(x, [[0, 0]] * 3, "WRAP"), r"one of \"CONSTANT\", \"REFLECT\""),
    (lambda x: tf.slice(x, [0, 0, 0], [3, 1, 1]), r"reach past the end of dimension 0"),
    (lambda x: tf.slice(x, [-1, 0, 0], [1, 1, 1]), r"begin\[0\] = -1 must be >= 0"),
    (lambda x: tf.gather(x, [0], axis=3), r"axis 3 is out of range"),
    (lambda x: tf.gather(x, [0.5]), r"indices must be int32 or int64, got float32"),
    (lambda x: tf.gather_nd(x, [[0, 1, 2, 3]]), r"indices.shape\[-1\] = 4 must be <= the rank"),
    (lambda x: tf.scatter_nd([[0], [2]], tf.ones([2, 4]), [4, 3]),
     r"updates must have shape indices.shape\[:-1\] \+ shape\[1:\] = \(2, 3\)"),
    (lambda x: tf.reverse(x, [1, 1]), r"axis 1 specified more than once"),
    (lambda x: tf.reverse(x, [3]), r"axis 3 is out of range"),
    (lambda x: tf.unstack(x, num=3), r"num = 3 but dimension 0 of the input shape"),
    (lambda x: tf.unstack(tf.placeholder(tf.float32, [None])), r"Cannot infer argument `num`"),
    (lambda x: tf.one_hot([1, 2], 3, on_value=5., off_value=0), r"does not match dtype int32"),
    (lambda x: tf.one_hot([1, 2], 3, on_value=5., dtype=tf.int32),
     r"of on_value does not match dtype parameter int32"),
    (lambda x: tf.one_hot([1.0], 3), r"indices must be integers"),
    (lambda x: tf.one_hot([[1, 2]], 3, axis=-2), r"axis must be >= -1"),
    (lambda x: tf.linspace(0, 1, 5), r"linspace needs floating start and stop"),
    (lambda x: tf.matmul(x, tf.ones([2, 3, 6])),
     r"Dimensions must be equal, but are 4 and 3.*\[2,3,4\] and \[2,3,6\]"),
    (lambda x: tf.matmul(tf.ones([2, 3, 4]), tf.ones([3, 4, 6])), r"batch dimensions .* broadcast"),
    (lambda x: tf.matrix_inverse(tf.ones([2, 3])), r"needs square matrices, got shape \[2,3\]"),
    (lambda x: tf.matrix_inverse(tf.ones([2, 2], tf.int32)), r"float or complex tensor"),
    (lambda x: tf.matrix_determinant(tf.ones([3])), r"rank >= 2"),
    (lambda x: tf.diag_part(tf.ones([2, 3])), r"shape of the form s \+ s"),
    (lambda x: tf.matrix_set_diag(x, tf.ones([2, 4])), r"must have shape \[2,3\], got \[2,4\]"),
    (lambda x: tf.einsum("ij,jk->ik", tf.ones([2, 3]), tf.ones([4, 5])),
     r"subscript 'j' of einsum 'ij,jk->ik' names dimensions of different sizes"),
    (lambda x: tf.einsum("ij->ik", tf.ones([2, 3])), r"\['k'\] .* appear in no input"),
    (lambda x: tf.einsum("ij,j->i", x, tf.ones([4])), r"operand 0 has shape .* \(rank 3\)"),
    (lambda x: tf.tensordot(x, tf.ones([3, 2]), 1), r"axis 2 of a .* has size 4 but axis 0"),
    (lambda x: tf.boolean_mask(x, [True, False, True]), r"mask shape \(3,\) does not match dim"),
    (lambda x: tf.boolean_mask(x, True), r"mask cannot be scalar"),
    (lambda x: tf.reshape(x, [5, -1]), r"24 elements to shape \[5, -1\]"),
])
def test_build_time_errors_name_the_problem(x, build, match):
    with pytest.raises((ValueError, TypeError), match=match):
        build(x)


def test_build_time_error_classes_follow_tf1(x):
    with pytest.raises(TypeError):       # TF1: dtype mismatches are TypeErrors
        tf.concat([x, tf.ones([2, 3, 4], tf.float64)], 0)
    with pytest.raises(TypeError):
        tf.one_hot([1], 3, on_value=1.0, dtype=tf.int32)
    with pytest.raises(ValueError):      # shape problems are ValueErrors
        tf.split(x, [1, 1], axis=1)
    with pytest.raises(ValueError):
        tf.constant([1, 2, 3], shape=[2, 1])


def test_build_errors_name_the_node(x):
    with pytest.raises(ValueError, match=r"while building node 'my_concat' \(op ConcatV2\)"):
        tf.concat([x, tf.ones([1, 1, 1])], 0, name="my_concat")


@pytest.mark.parametrize("build,match", [
    (lambda u: tf.transpose(u, [1, 0]), r"permutation of the 3 dimensions"),
    (lambda u: tf.concat([u, tf.ones([2, 4, 5])], 1), r"same shape except along axis 1"),
    (lambda u: tf.split(u, [1, 1], 1), r"size_splits \[1, 1\] do not fit dimension 1"),
    (lambda u: tf.split(u, 2, 1), r"size 3, which is not divisible into 2"),
    (lambda u: tf.squeeze(u, [1]), r"Can not squeeze dim\[1\]"),
    (lambda u: tf.tile(u, [1, 2]), r"one non-negative entry per dimension"),
    (lambda u: tf.unstack(u, num=3), r"num = 3 but dimension 0 .* is 2"),
    (lambda u: tf.expand_dims(u, 5), r"axis 5 is out of range"),
    (lambda u: tf.gather(u, [2]), r"indices\[0\] = 2 is not in \[0, 2\)"),
    (lambda u: tf.gather(u, [0, -1]), r"indices\[1\] = -1 is not in \[0, 2\)"),
    (lambda u: tf.gather_nd(u, [[1, 3]]), r"indices\[0\] = \[1, 3\] does not index"),
    (lambda u: tf.scatter_nd([[3]], tf.ones([1]), [2]), r"does not index into shape \[2\]"),
    (lambda u: tf.slice(u, [0, 0, 0], [3, 1, 1]), r"expected begin\[0\] in \[0, 2\]"),
    (lambda u: tf.pad(u, [[2, 0], [0, 0], [0, 0]], "REFLECT"), r"too large for size 2"),
    (lambda u: tf.reverse_sequence(u, [4, 1], seq_axis=1), r"lengths in \[0, 3\]"),
    (lambda u: tf.matmul(u, tf.ones([2, 5, 6])), r"cannot multiply matrices of shapes"),
    (lambda u: tf.matrix_inverse(u), r"needs square matrices, got shape \[2, 3, 4\]"),
    (lambda u: tf.matrix_inverse(u[:, :2, :2] * 0.0), r"not invertible"),
    (lambda u: tf.einsum("ij,jk->ik", u[0], tf.ones([5, 5])), r"subscript 'j' names dim"),
    (lambda u: tf.diag_part(u[0]), r"shape s \+ s"),
    (lambda u: tf.reshape(u, [5, -1]), r"24 values, but the requested shape"),
])
def test_run_time_errors_are_invalid_argument(u, build, match):
    t = build(u)
    with tf.Session() as s:
        with pytest.raises(tf.errors.InvalidArgumentError, match=match) as info:
            s.run(t, {u: X})
    assert info.value.op is not None     # the failing node is named


def test_runtime_concat_error_names_the_node(u):
    t = tf.concat([u, tf.ones([2, 4, 5])], 1, name="joined")
    with tf.Session() as s:
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"joined.*ConcatV2"):
            s.run(t, {u: X})
