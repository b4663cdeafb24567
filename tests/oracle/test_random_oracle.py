"""Random ops against TensorFlow: node names, output shapes and dtypes, seed attributes."""

import numpy as np
import pytest

pytest.importorskip("tensorflow")

import flowbook as fb  # noqa: E402
from tests.oracle._both import tf1  # noqa: E402

pytestmark = pytest.mark.tf_oracle

BUILDERS = [
    lambda tf: tf.random_shuffle(tf.constant(np.arange(6.0).reshape(3, 2))),
    lambda tf: tf.multinomial(tf.constant([[0.0, 1.0], [2.0, 0.0]]), 5),
    lambda tf: tf.random.categorical(tf.constant([[0.0, 1.0]]), 4, dtype=tf.int32),
    lambda tf: tf.random_poisson(tf.constant([1.0, 2.0]), [3]),
    lambda tf: tf.random_poisson(3.0, [4], dtype=tf.int64, seed=3),
    lambda tf: tf.random_gamma([3], tf.constant([1.0, 2.0]), seed=5),
]


@pytest.mark.parametrize("graph_seed", [None, 9])
@pytest.mark.parametrize("i", range(len(BUILDERS)))
def test_random_op_signature_matches_tf(i, graph_seed):
    seen = []
    for lib in (tf1(), fb):
        with lib.Graph().as_default() as g:
            if graph_seed is not None:
                lib.set_random_seed(graph_seed)
            t = BUILDERS[i](lib)
            ops = [op for op in g.get_operations() if op.type in (
                "RandomShuffle", "Multinomial", "RandomPoissonV2", "RandomGamma")]
            # With a graph seed and no op seed, seed2 is an op counter (TF 2's compat graphs
            # count differently from TF 1's), so only the graph-level seed is compared then.
            seen.append((t.shape.as_list(), t.dtype.name, [
                (op.name, op.type, op.get_attr("seed"),
                 op.get_attr("seed2") if graph_seed is None else None) for op in ops]))
    assert seen[1] == seen[0]


def test_random_crop_nodes_match_tf():
    names = []
    for lib in (tf1(), fb):
        with lib.Graph().as_default() as g:
            lib.random_crop(lib.placeholder(lib.float32, [8, 8, 3]), [4, 4, 3], seed=1)
            names.append([(op.name, op.type) for op in g.get_operations()
                          if op.type in ("Slice", "FloorMod", "RandomUniformInt", "Assert")])
    assert names[1] == names[0]
