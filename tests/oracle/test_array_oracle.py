"""The array and matrix ops against TensorFlow itself: the same program built with
``tensorflow.compat.v1`` and with flowbook gives the same node names, op types, static shapes
(with known and with unknown input dims) and values. Skipped where TensorFlow is missing."""

import numpy as np
import pytest

import flowbook

tf1 = pytest.importorskip("tensorflow").compat.v1
tf1.disable_v2_behavior()

# TF 2.x builds newer versions of a few ops where TF 1.x (and flowbook) build the originals.
SAME_OP = {"BatchMatMulV2": "BatchMatMul", "MatrixDiagV3": "MatrixDiag",
           "MatrixDiagPartV3": "MatrixDiagPart", "MatrixSetDiagV3": "MatrixSetDiag"}

R = np.random.default_rng(0)
X = R.standard_normal((2, 3, 4)).astype(np.float32)
SQ = (np.eye(3) * 2 + 0.3 * R.standard_normal((2, 3, 3))).astype(np.float32)

PROGRAMS = {
    "transpose": lambda tf, x, sq: [tf.transpose(x), tf.transpose(x, [1, 0, 2]),
                                    tf.transpose(x, [2, 0, 1], name="t")],
    # (TF's own gradient of a negative perm fails in InvertPermutation; flowbook's works)
    "transpose_negative_perm": lambda tf, x, sq: [tf.transpose(x, [-1, 0, 1])],
    "expand_squeeze": lambda tf, x, sq: [tf.expand_dims(x, 1), tf.expand_dims(x, dim=-1),
                                         tf.squeeze(tf.expand_dims(x, 0)),
                                         tf.squeeze(x[:1], [0])],
    "concat": lambda tf, x, sq: [tf.concat([x, x], 1), tf.concat([x], 1),
                                 tf.concat([x, x * 2.0], -1)],
    "unstack_split": lambda tf, x, sq: (tf.unstack(x, axis=1) + tf.split(x, 2, axis=2) +
                                        tf.split(x, [1, -1], axis=1) + [tf.stack([x, x], 1)]),
    "tile_pad": lambda tf, x, sq: [tf.tile(x, [1, 2, 1]), tf.pad(x, [[1, 1], [0, 0], [0, 2]]),
                                   tf.pad(x, [[1, 0], [0, 0], [0, 0]], constant_values=2.0),
                                   tf.pad(x, [[1, 1], [2, 0], [0, 3]], "REFLECT"),
                                   tf.pad(x, [[1, 1], [2, 0], [0, 3]], "symmetric")],
    "slice": lambda tf, x, sq: [tf.slice(x, [0, 1, 0], [1, -1, 2]), x[1:, ::-2, ..., None],
                                tf.strided_slice(x, [0, 1], [2, 3], [1, 1]), x[-1, ..., 2]],
    "reverse": lambda tf, x, sq: [tf.reverse(x, [1]), tf.reverse_sequence(
        x, [1, 3], seq_axis=1, batch_axis=0)],
    "gather": lambda tf, x, sq: [tf.gather(x, [1, 0, 1]), tf.gather(x, [[0, 2]], axis=1),
                                 tf.gather(x, 3, axis=-1), tf.gather_nd(x, [[0, 1], [1, 2]]),
                                 tf.scatter_nd([[1], [3]], [1.0, 2.0], [5])],
    "masks": lambda tf, x, sq: [tf.boolean_mask(x, [True, False]),
                                tf.boolean_mask(x, [True, False, True], axis=1),
                                tf.sequence_mask([1, 3], 4), tf.sequence_mask([[2, 0]]),
                                tf.one_hot([1, 5, -1], 3), tf.one_hot([[0, 2]], 3, axis=0),
                                tf.one_hot([1, 2], 3, on_value=5, off_value=-1)],
    "matrices": lambda tf, x, sq: [tf.matmul(x, tf.ones([4, 2])),
                                   tf.matmul(x, x, transpose_b=True),
                                   tf.matrix_transpose(x), tf.trace(sq),
                                   tf.matrix_diag(x[0]), tf.matrix_diag_part(x),
                                   tf.matrix_set_diag(x, tf.zeros([2, 3])), tf.eye(3),
                                   tf.eye(2, 3), tf.diag([1.0, 2.0]), tf.diag_part(sq[0]),
                                   tf.matrix_inverse(sq), tf.matrix_determinant(sq),
                                   tf.linalg.inv(sq[0]), tf.linalg.det(sq[0])],
    "contractions": lambda tf, x, sq: [tf.einsum("ijk->kji", x), tf.einsum("ij,jk", sq[0], sq[1]),
                                       tf.einsum("...ij,...jk->...ik", x, tf.ones([4, 2])),
                                       tf.einsum("bii->b", sq),
                                       tf.tensordot(x, tf.ones([4, 2]), 1),
                                       tf.tensordot(x, x, [[0, 2], [0, 2]])],
}


def _run(tf, build, unknown):
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 3, None] if unknown else X.shape, name="x")
        sq = tf.placeholder(tf.float32, None if unknown else SQ.shape, name="sq")
        outs = build(tf, x, sq)
        with tf.Session(graph=g) as s:
            vals = s.run(outs, {x: X, sq: SQ})
        return [(t.name, SAME_OP.get(t.op.type, t.op.type),
                 None if t.shape.ndims is None else t.shape.as_list(), t.dtype.name, v)
                for t, v in zip(outs, vals)]


@pytest.mark.parametrize("unknown", [False, True], ids=["known", "unknown_dims"])
@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_same_names_types_shapes_and_values_as_tensorflow(program, unknown):
    want = _run(tf1, PROGRAMS[program], unknown)
    got = _run(flowbook, PROGRAMS[program], unknown)
    assert len(got) == len(want)
    for (gn, gt, gs, gd, gv), (wn, wt, ws, wd, wv) in zip(got, want):
        assert (gn, gt, gs, gd) == (wn, wt, ws, wd)
        np.testing.assert_allclose(gv, wv, rtol=1e-5, atol=1e-5, err_msg=gn)


def test_linspace_matches_tf1_lin_space():
    # TF 2.x builds tf.linspace as a composite; TF 1.x (and flowbook) as one LinSpace op.
    with tf1.Graph().as_default():
        want = tf1.Session().run(tf1.lin_space(0.0, 1.0, 5))
    with flowbook.Graph().as_default():
        t = flowbook.lin_space(0.0, 1.0, 5)
        assert (t.name, t.op.type) == ("LinSpace:0", "LinSpace")
        np.testing.assert_allclose(flowbook.Session().run(t), want)


@pytest.mark.parametrize("program", ["transpose", "concat", "tile_pad", "slice", "gather",
                                     "matrices", "contractions"])
def test_gradients_match_tensorflow(program):
    def grads(tf):
        with tf.Graph().as_default() as g:
            x = tf.placeholder(tf.float32, X.shape)
            sq = tf.placeholder(tf.float32, SQ.shape)
            outs = [o for o in PROGRAMS[program](tf, x, sq) if o.dtype.is_floating]
            loss = tf.add_n([tf.reduce_sum(o * o) for o in outs])
            gs = [gr for gr in tf.gradients(loss, [x, sq]) if gr is not None]
            with tf.Session(graph=g) as s:
                return s.run(gs, {x: X, sq: SQ})
    got_all, want_all = grads(flowbook), grads(tf1)
    assert len(got_all) == len(want_all)
    for got, want in zip(got_all, want_all):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)
