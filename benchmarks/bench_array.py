"""Array and matrix ops: Session.run of the hot ones against the NumPy code a user would write."""

import numpy as np

import flowbook as tf
from .harness import per_call


def _session_fn(build, feeds_np):
    """A zero-argument callable running ``build``'s fetches with placeholders fed."""
    g = tf.Graph()
    with g.as_default():
        phs = [tf.placeholder(tf.as_dtype(v.dtype), v.shape) for v in feeds_np]
        fetches = build(*phs)
    s = tf.Session(graph=g)
    feed = dict(zip(phs, feeds_np))
    return lambda: s.run(fetches, feed)


def gather_embedding():
    rng = np.random.default_rng(0)
    emb = rng.standard_normal((20_000, 64)).astype(np.float32)
    ids = rng.integers(0, 20_000, 4096).astype(np.int32)
    fwd = per_call(_session_fn(lambda p, i: tf.gather(p, i), [emb, ids]))
    ref = per_call(lambda: np.take(emb, ids, axis=0))

    def grad(p, i):
        return tf.gradients(tf.reduce_sum(tf.gather(p, i)), p)[0]
    bwd = per_call(_session_fn(grad, [emb, ids]))

    def np_grad():
        out = np.zeros_like(emb)
        np.add.at(out, ids, np.ones((len(ids), 64), np.float32))
        return out
    ref_bwd = per_call(np_grad)
    return [("gather 4096 rows of a 20000x64 table", fwd, ref, "≤ 1.5x NumPy"),
            ("its dense gradient (ScatterNd)", bwd, ref_bwd, "≤ 1.5x NumPy")]


def concat_split_transpose():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((256, 512)).astype(np.float32)
    b = rng.standard_normal((256, 512)).astype(np.float32)
    cat = per_call(_session_fn(lambda x, y: tf.concat([x, y], 1), [a, b]))
    ref = per_call(lambda: np.concatenate([a, b], 1))
    x = rng.standard_normal((64, 128, 32)).astype(np.float32)
    tr = per_call(_session_fn(lambda t: tf.transpose(t, [0, 2, 1]) + 1.0, [x]))
    ref_tr = per_call(lambda: np.transpose(x, [0, 2, 1]) + np.float32(1.0))
    return [("concat two 256x512 along axis 1", cat, ref, "≤ 1.5x NumPy"),
            ("transpose 64x128x32 (+1)", tr, ref_tr, "≤ 1.5x NumPy")]


def batched_matmul_einsum():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((32, 64, 128)).astype(np.float32)
    y = rng.standard_normal((32, 128, 64)).astype(np.float32)
    bmm = per_call(_session_fn(tf.matmul, [x, y]))
    ref = per_call(lambda: np.matmul(x, y))
    ein = per_call(_session_fn(lambda a, b: tf.einsum("bij,bjk->bik", a, b), [x, y]))
    ref_ein = per_call(lambda: np.einsum("bij,bjk->bik", x, y, optimize=True))
    return [("batched matmul 32x(64x128 @ 128x64)", bmm, ref, "≤ 1.2x NumPy"),
            ("the same as einsum", ein, ref_ein, "≤ 1.5x NumPy")]


def one_hot_labels():
    labels = np.random.default_rng(3).integers(0, 10, 10_000).astype(np.int32)
    fb = per_call(_session_fn(lambda i: tf.one_hot(i, 10), [labels]))
    ref = per_call(lambda: (labels[:, None] == np.arange(10)).astype(np.float32))
    return [("one_hot of 10000 labels, depth 10", fb, ref, "≤ 1.5x NumPy")]


WORKLOADS = [gather_embedding, concat_split_transpose, batched_matmul_einsum, one_hot_labels]
