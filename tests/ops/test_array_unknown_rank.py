"""The array and matrix ops on placeholders of unknown rank (``tf.placeholder(tf.float32)``,
common in course code): they build, their static shapes agree with the run-time shapes, and
values and gradients equal those of the same program with fully known shapes."""

import numpy as np
import pytest

import flowbook as tf

X = np.arange(24, dtype=np.float64).reshape(2, 3, 4) / 7.0
SQ = np.eye(3) * 2 + 0.1 * np.arange(9).reshape(3, 3)
ONES42 = np.ones((4, 2))

PROGRAMS = {
    "transpose": lambda x, s: tf.transpose(x),
    "transpose_perm": lambda x, s: tf.transpose(x, [2, 0, 1]),
    "expand_dims": lambda x, s: tf.expand_dims(x, -1),
    "squeeze": lambda x, s: tf.squeeze(tf.expand_dims(x, 0), [0]),
    "squeeze_all": lambda x, s: tf.squeeze(tf.expand_dims(x, 0)),
    "concat": lambda x, s: tf.concat([x, x * 2.0], -1),
    "unstack": lambda x, s: tf.unstack(x, num=2)[1],
    "split": lambda x, s: tf.split(x, 2, axis=-1)[0],
    "split_sizes": lambda x, s: tf.split(x, [1, -1], axis=1)[1],
    "tile": lambda x, s: tf.tile(x, [1, 2, 1]),
    "pad": lambda x, s: tf.pad(x, [[1, 0], [0, 1], [2, 2]]),
    "mirror_pad": lambda x, s: tf.pad(x, [[1, 0], [0, 1], [2, 2]], "REFLECT"),
    "slice": lambda x, s: tf.slice(x, [1, 0, 1], [1, -1, 2]),
    "gather": lambda x, s: tf.gather(x, [1, 0, 1], axis=1),
    "gather_negative_axis": lambda x, s: tf.gather(x, [[1, 0]], axis=-1),
    "gather_nd": lambda x, s: tf.gather_nd(x, [[1, 2], [0, 0]]),
    "reverse": lambda x, s: tf.reverse(x, [-1]),
    "reverse_sequence": lambda x, s: tf.reverse_sequence(x, [2, 3], seq_axis=1),
    "boolean_mask": lambda x, s: tf.boolean_mask(
        x, tf.constant([[True, False, True], [False, False, True]])),
    "einsum": lambda x, s: tf.einsum("ijk,kl->ijl", x, ONES42),
    "tensordot": lambda x, s: tf.tensordot(x, ONES42, 1),
    "matrix_transpose": lambda x, s: tf.matrix_transpose(x),
    "matrix_diag_part": lambda x, s: tf.matrix_diag_part(x),
    "matrix_set_diag": lambda x, s: tf.matrix_set_diag(x, tf.zeros([2, 3], tf.float64)),
    "matrix_diag": lambda x, s: tf.matrix_diag(x),
    "matrix_inverse": lambda x, s: tf.matrix_inverse(s),
    "matrix_determinant": lambda x, s: tf.matrix_determinant(s),
    "trace": lambda x, s: tf.trace(s),
    "diag_part": lambda x, s: tf.diag_part(s),
    "diag": lambda x, s: tf.diag(x[0]),
    "getitem": lambda x, s: x[1:, ::-1, ..., None, 2],
}


def _run(build, unknown):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, None if unknown else X.shape)
        s = tf.placeholder(tf.float64, None if unknown else SQ.shape)
        y = build(x, s)
        grads = [g for g in tf.gradients(tf.reduce_sum(y * y), [x, s]) if g is not None]
        fetch = [y] + grads
        with tf.Session() as sess:
            out = sess.run(fetch, {x: X, s: SQ})
    for t, v in zip(fetch, out):
        assert t.shape.is_compatible_with(np.shape(v)), f"static {t.shape} vs {np.shape(v)}"
    return out


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_unknown_rank_gives_the_known_rank_results(name):
    known, unknown = _run(PROGRAMS[name], False), _run(PROGRAMS[name], True)
    assert len(known) == len(unknown) >= 2
    for a, b in zip(known, unknown):
        np.testing.assert_allclose(b, a, rtol=1e-12)
