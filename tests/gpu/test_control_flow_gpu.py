"""Control flow with a GPU: cond and while_loop (and their gradients) give the CPU's values;
the ops inside the bodies are placed on the GPU like any other op, the control-flow op itself
routes values on the host."""

import numpy as np

import flowbook as tf


def _train(config, steps=10):
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((16, 4)).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 4])
        train_mode = tf.placeholder(tf.bool, [])
        w = tf.Variable(tf.constant(rng.standard_normal((4, 4)).astype(np.float32) * 0.5))
        h = tf.cond(train_mode, lambda: tf.matmul(x, w) * 0.5, lambda: tf.matmul(x, w))
        _, h = tf.while_loop(lambda i, h: i < 3, lambda i, h: (i + 1, tf.tanh(tf.matmul(h, w))),
                             [0, h])
        loss = tf.reduce_mean(tf.square(h - 0.25))
        step = tf.train.AdamOptimizer(0.05).minimize(loss)
        with tf.Session(graph=g, config=config) as s:
            s.run(tf.global_variables_initializer())
            losses = [s.run([step, loss], {x: xs, train_mode: k % 2 == 0})[1]
                      for k in range(steps)]
            devices = {p.op_name: p.assigned for p in s.placement_log()}
            return np.array(losses), s.run(w), devices


def test_control_flow_training_matches_cpu(gpu):
    cpu_losses, cpu_w, _ = _train(tf.ConfigProto(device_count={"GPU": 0}))
    gpu_losses, gpu_w, devices = _train(None)
    assert devices["cond"].endswith("CPU:0") and devices["while"].endswith("CPU:0")
    assert devices["cond/MatMul"].endswith("GPU:0")       # an op inside the then-branch
    assert cpu_losses[-1] < cpu_losses[0]
    np.testing.assert_allclose(gpu_losses, cpu_losses, rtol=2e-4, atol=2e-5)
    np.testing.assert_allclose(gpu_w, cpu_w, rtol=2e-4, atol=2e-5)
