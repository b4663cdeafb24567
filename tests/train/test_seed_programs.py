"""Training programs from the seed tutorials run under ``import flowbook as tf`` and learn what
an independent NumPy implementation of the same maths learns from the same initial weights."""

import os
import runpy

import numpy as np
import pytest

import flowbook as tf

SEED_004 = os.path.join(os.path.dirname(__file__), "seed004_program.py")


def _seed004_data():
    rdm = np.random.RandomState(1)
    X = rdm.rand(128, 2)
    Y = np.array([int(x1 + x2 < 1) for (x1, x2) in X])
    return X, Y.reshape([-1, 1])


def _numpy_seed004(w1, w2, X, Y, steps=1000, batch=8, lr=0.001, b1=0.9, b2=0.999, eps=1e-8):
    """Seed 004's model, loss and Adam (TF1's update) written out in float64 NumPy.

    loss matrix L = -mean(y_ log clip(y)) + (1 - y) log clip(1 - y)  (shape [N, 1]; the
    optimizer minimises its sum), y = sigmoid(x @ w1 @ w2).
    """
    def forward(x, yt, w1, w2):
        a = x @ w1
        y = 1.0 / (1.0 + np.exp(-(a @ w2)))
        c1, c2 = np.clip(y, 1e-10, 1.0), np.clip(1 - y, 1e-10, 1.0)
        loss = -np.mean(yt * np.log(c1)) + (1 - y) * np.log(c2)
        return a, y, c1, c2, loss

    def grads(x, yt, w1, w2):
        a, y, c1, c2, _ = forward(x, yt, w1, w2)
        m1 = (y >= 1e-10) & (y <= 1.0)
        m2 = ((1 - y) >= 1e-10) & ((1 - y) <= 1.0)
        # d sum(L) / dy: the mean term appears in all N rows, so its 1/N cancels
        dy = -yt / c1 * m1 - np.log(c2) - (1 - y) / c2 * m2
        dz = dy * y * (1 - y)
        return x.T @ (dz @ w2.T), a.T @ dz

    params = [w1.astype(np.float64), w2.astype(np.float64)]
    ms = [np.zeros_like(p) for p in params]
    vs = [np.zeros_like(p) for p in params]
    p1 = p2 = 1.0
    losses = []
    for i in range(steps):
        start = (i * batch) % len(X)
        end = min(start + batch, len(X))
        gs = grads(X[start:end], Y[start:end], *params)
        p1, p2 = p1 * b1, p2 * b2
        alpha = lr * np.sqrt(1 - p2) / (1 - p1)
        for k, g in enumerate(gs):
            ms[k] = ms[k] + (g - ms[k]) * (1 - b1)
            vs[k] = vs[k] + (g * g - vs[k]) * (1 - b2)
            params[k] = params[k] - ms[k] * alpha / (np.sqrt(vs[k]) + eps)
        if i % 50 == 0:
            losses.append(forward(X, Y, *params)[-1])
    return losses, params


def test_seed_004_trains_like_numpy_from_the_same_weights():
    ns = runpy.run_path(SEED_004, run_name="seed004")      # builds the graph only
    g, w1, w2 = ns["graph_1"], ns["w1"], ns["w2"]
    x, y_, loss, train = ns["x"], ns["y_"], ns["cross_entropy"], ns["train_step"]
    X, Y = _seed004_data()
    with g.as_default():
        init = tf.global_variables_initializer()
    with tf.Session(graph=g) as sess:
        sess.run(init)
        w1_0, w2_0 = sess.run([w1, w2])
        got = []
        for i in range(1000):
            start = (i * 8) % 128
            sess.run(train, {x: X[start:start + 8], y_: Y[start:start + 8]})
            if i % 50 == 0:
                got.append(sess.run(loss, {x: X, y_: Y}))
        final = sess.run([w1, w2])
    expected, params = _numpy_seed004(w1_0, w2_0, X, Y)
    assert len(got) == 20 and got[0].shape == (128, 1)
    for k, (a, e) in enumerate(zip(got, expected)):
        np.testing.assert_allclose(a, e, rtol=1e-4, atol=1e-5, err_msg=f"check {k}")
    np.testing.assert_allclose(final[0], params[0], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(final[1], params[1], rtol=1e-4, atol=1e-5)
    means = [a.mean() for a in got]
    assert all(b < a for a, b in zip(means, means[1:])), means    # the loss decreases


def test_seed_004_runs_as_a_script(capsys):
    runpy.run_path(SEED_004, run_name="__main__")
    out = capsys.readouterr().out
    assert out.count("The loss is [[") == 20
    assert "weights after training" in out


def test_linear_regression_converges_to_the_true_line(sess):
    """The classic first TF program: fit y = 0.1 x + 0.3 with GradientDescentOptimizer(0.5)."""
    x_data = np.random.RandomState(0).rand(100).astype(np.float32)
    y_data = x_data * 0.1 + 0.3
    W = tf.Variable(tf.random_uniform([1], -1.0, 1.0))
    b = tf.Variable(tf.zeros([1]))
    y = W * x_data + b
    loss = tf.reduce_mean(tf.square(y - y_data))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    sess.run(tf.global_variables_initializer())
    for _ in range(201):
        sess.run(train)
    assert sess.run(W)[0] == pytest.approx(0.1, abs=1e-4)
    assert sess.run(b)[0] == pytest.approx(0.3, abs=1e-4)
    assert sess.run(loss) < 1e-8
