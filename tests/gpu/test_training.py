"""Training on the GPU agrees with training on the CPU: an MLP classifier with each TF1
optimizer, run once with GPUs hidden (NumPy) and once on the GPU, same losses and weights
within float32 tolerance."""

import numpy as np
import pytest

import flowbook as tf

OPTIMIZERS = {
    "sgd": lambda: tf.train.GradientDescentOptimizer(0.5),
    "momentum": lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
    "adam": lambda: tf.train.AdamOptimizer(0.01),
    "adagrad": lambda: tf.train.AdagradOptimizer(0.1),
    "rmsprop": lambda: tf.train.RMSPropOptimizer(0.01, centered=True),
    "adadelta": lambda: tf.train.AdadeltaOptimizer(1.0),
}


def _train(make_opt, config, steps=15):
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((64, 10)).astype(np.float32)
    ys = (xs[:, :3].sum(axis=1) > 0).astype(np.int32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(1)
        x = tf.placeholder(tf.float32, [None, 10])
        y = tf.placeholder(tf.int32, [None])
        w1 = tf.Variable(tf.constant(rng.standard_normal((10, 32)).astype(np.float32) * 0.3))
        b1 = tf.Variable(tf.zeros([32]))
        w2 = tf.Variable(tf.constant(rng.standard_normal((32, 2)).astype(np.float32) * 0.3))
        b2 = tf.Variable(tf.zeros([2]))
        h = tf.nn.relu(tf.nn.bias_add(tf.matmul(x, w1), b1))
        logits = tf.matmul(h, w2) + b2
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        step = make_opt().minimize(loss)
        with tf.Session(graph=g, config=config) as s:
            s.run(tf.global_variables_initializer())
            losses = [s.run([step, loss], {x: xs, y: ys})[1] for _ in range(steps)]
            devices = {p.op_type: p.assigned for p in s.placement_log()}
            return np.array(losses), s.run(w1), devices


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_mlp_training_matches_cpu(gpu, name):
    cpu_losses, cpu_w, cpu_devs = _train(OPTIMIZERS[name],
                                         tf.ConfigProto(device_count={"GPU": 0}))
    gpu_losses, gpu_w, gpu_devs = _train(OPTIMIZERS[name], None)
    assert all(d.endswith("CPU:0") for d in cpu_devs.values())
    for t in ("MatMul", "Relu", "SparseSoftmaxCrossEntropyWithLogits", "BiasAddGrad"):
        assert gpu_devs[t].endswith("GPU:0"), (t, gpu_devs[t])
    assert any(t.startswith("Apply") and d.endswith("GPU:0") for t, d in gpu_devs.items())
    assert cpu_losses[-1] < cpu_losses[0]        # it learns
    np.testing.assert_allclose(gpu_losses, cpu_losses, rtol=2e-4, atol=2e-5)
    np.testing.assert_allclose(gpu_w, cpu_w, rtol=2e-4, atol=2e-5)


def test_gpu_benchmark_code_runs_and_agrees(fake_gpu):
    """benchmarks/bench_gpu.py (GPU only) at toy size on the fake: the flowbook step and the
    hand-written CuPy step compute the same training trajectory (timings are not tested)."""
    from benchmarks import bench_gpu
    fb = bench_gpu.flowbook_step(fake_gpu, batch=32, width=16, classes=4)
    hand = bench_gpu.cupy_step(fake_gpu, batch=32, width=16, classes=4)
    first = fb.loss()
    for _ in range(3):
        fb()
        hand()
    assert fb.loss() < first
    variables = fb.session.graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)
    for v, (w, b) in zip(variables[::2], hand.params):
        np.testing.assert_allclose(fb.session.run(v), w.get(), rtol=1e-4, atol=1e-6)
    fb.session.close()
