"""tf.losses against TensorFlow: values and gradients for every loss, reduction and weighting,
plus the names of the returned tensors and the LOSSES collection."""

import numpy as np
import pytest

pytest.importorskip("tensorflow")

from tests.oracle._both import assert_same, run_both, tf1  # noqa: E402
import flowbook as fb  # noqa: E402

pytestmark = pytest.mark.tf_oracle

rng = np.random.default_rng(0)
LABELS = rng.random((4, 3)).astype(np.float32)
PREDS = rng.random((4, 3)).astype(np.float32) * 2 - 0.5
PROBS = rng.uniform(0.05, 0.95, (4, 3)).astype(np.float32)
BINARY = (rng.random((4, 3)) > 0.5).astype(np.float32)
ONEHOT = np.eye(3, dtype=np.float32)[[0, 2, 1, 2]]
IDS = np.array([0, 2, 1, 2], np.int32)
UNIT = PREDS / np.linalg.norm(PREDS, axis=1, keepdims=True)
UNIT_L = LABELS / np.linalg.norm(LABELS, axis=1, keepdims=True)

LOSSES = {
    "absolute_difference": (lambda tf, a, b, **kw: tf.losses.absolute_difference(a, b, **kw),
                            LABELS, PREDS),
    "mean_squared_error": (lambda tf, a, b, **kw: tf.losses.mean_squared_error(a, b, **kw),
                           LABELS, PREDS),
    "huber_loss": (lambda tf, a, b, **kw: tf.losses.huber_loss(a, b * 3, delta=0.8, **kw),
                   LABELS, PREDS),
    "log_loss": (lambda tf, a, b, **kw: tf.losses.log_loss(a, b, **kw), BINARY, PROBS),
    "hinge_loss": (lambda tf, a, b, **kw: tf.losses.hinge_loss(a, b * 2, **kw), BINARY, PREDS),
    "cosine_distance": (lambda tf, a, b, **kw: tf.losses.cosine_distance(a, b, axis=1, **kw),
                        UNIT_L, UNIT),
    "sigmoid_cross_entropy": (lambda tf, a, b, **kw: tf.losses.sigmoid_cross_entropy(
        a, b * 10, label_smoothing=0.1, **kw), BINARY, PREDS),
    "softmax_cross_entropy": (lambda tf, a, b, **kw: tf.losses.softmax_cross_entropy(
        a, b * 4, **kw), ONEHOT, PREDS),
    "softmax_cross_entropy_smoothed": (lambda tf, a, b, **kw: tf.losses.softmax_cross_entropy(
        a, b * 4, label_smoothing=0.2, **kw), ONEHOT, PREDS),
    "sparse_softmax_cross_entropy": (lambda tf, a, b, **kw:
                                     tf.losses.sparse_softmax_cross_entropy(a, b * 4, **kw),
                                     IDS, PREDS),
}
REDUCTIONS = ["none", "weighted_sum", "weighted_mean", "weighted_sum_over_batch_size",
              "weighted_sum_by_nonzero_weights"]
ROW_WEIGHTS = np.array([[1.0], [0.0], [2.5], [0.5]], np.float32)


def _weights(name, kind):
    if kind == "scalar":
        return 2.0
    rows = 4
    if kind == "rows":
        w = ROW_WEIGHTS
        return w[:, 0] if name.startswith("sparse") or name.startswith("softmax") else w
    full = np.where(rng.random((rows, 3)) > 0.3, rng.random((rows, 3)), 0).astype(np.float32)
    if name.startswith("sparse") or name.startswith("softmax"):
        return full[:, 0]
    if name == "cosine_distance":
        return full[:, :1]
    return full


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_values_and_gradients_match_tf(name, reduction):
    build, a, b = LOSSES[name]
    for kind in ("default", "scalar", "rows", "full"):
        kw = {"reduction": reduction}
        if kind != "default":
            kw["weights"] = _weights(name, kind)
        assert_same(lambda tf, x, y: build(tf, x, y, **kw), a, b, grad_wrt=[1],
                    rtol=2e-5, atol=2e-6)


def test_all_zero_weights_give_zero_not_nan():
    ref, got = run_both(lambda tf, a, b: [tf.losses.mean_squared_error(a, b, weights=0.0),
                                          tf.losses.log_loss(a, b, weights=np.zeros((4, 1)))],
                        BINARY, PROBS)
    assert [float(v) for v in got] == [float(v) for v in ref] == [0.0, 0.0]


def test_result_names_reductions_and_collections_match_tf():
    seen = []
    for lib in (tf1(), fb):
        with lib.Graph().as_default():
            a = lib.placeholder(lib.float32, [4, 3])
            b = lib.placeholder(lib.float32, [4, 3])
            ids = lib.placeholder(lib.int32, [4])
            outs = [lib.losses.mean_squared_error(a, b),
                    lib.losses.absolute_difference(a, b, reduction=lib.losses.Reduction.SUM),
                    lib.losses.huber_loss(a, b, reduction=lib.losses.Reduction.NONE,
                                         loss_collection=None),
                    lib.losses.log_loss(a, b, reduction=lib.losses.Reduction.MEAN),
                    lib.losses.hinge_loss(a, b, loss_collection=None),
                    lib.losses.sparse_softmax_cross_entropy(ids, b),
                    lib.losses.softmax_cross_entropy(a, b, scope="xent")]
            total = lib.losses.get_total_loss()
            seen.append(([t.name for t in outs], [t.name for t in lib.losses.get_losses()],
                         total.name, lib.losses.Reduction.all()))
    assert seen[1] == seen[0]
