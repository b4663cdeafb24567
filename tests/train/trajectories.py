"""Optimizer trajectories on one fixed small problem, computed the same way by TF1 and flowbook.

The problem: a linear least-squares fit with a cubic term, pred = X @ W + b + 0.1 * (X @ W)^3,
loss = mean((pred - Y)^2), from fixed data and fixed initial values (stored in the golden file).
``run(tf, config)`` builds and trains it with whichever ``tf`` module it is given (flowbook,
or TensorFlow's compat.v1), returning the loss and the variables after every step.

Run this file with TensorFlow installed (``/work/tfenv/bin/python tests/train/trajectories.py``)
to regenerate tests/train/data/optimizer_trajectories.json, the golden data that
tests/train/test_optimizers.py checks flowbook against.
"""

import json
import os

import numpy as np

STEPS = 60
GOLDEN = os.path.join(os.path.dirname(__file__), "data", "optimizer_trajectories.json")

# name -> (optimizer class name, keyword arguments, dtype)
CONFIGS = {
    "sgd": ("GradientDescentOptimizer", {"learning_rate": 0.1}, "float32"),
    "sgd_f64": ("GradientDescentOptimizer", {"learning_rate": 0.1}, "float64"),
    "momentum": ("MomentumOptimizer", {"learning_rate": 0.05, "momentum": 0.9}, "float32"),
    "nesterov": ("MomentumOptimizer", {"learning_rate": 0.05, "momentum": 0.9,
                                       "use_nesterov": True}, "float32"),
    "adam": ("AdamOptimizer", {"learning_rate": 0.05}, "float32"),
    "adam_f64": ("AdamOptimizer", {"learning_rate": 0.05}, "float64"),
    "adam_tuned": ("AdamOptimizer", {"learning_rate": 0.02, "beta1": 0.5, "beta2": 0.9,
                                     "epsilon": 1e-3}, "float32"),
    "adagrad": ("AdagradOptimizer", {"learning_rate": 0.2, "initial_accumulator_value": 0.5},
                "float32"),
    "rmsprop": ("RMSPropOptimizer", {"learning_rate": 0.01}, "float32"),
    "rmsprop_momentum": ("RMSPropOptimizer", {"learning_rate": 0.01, "decay": 0.8,
                                              "momentum": 0.5, "epsilon": 1e-6}, "float32"),
    "rmsprop_centered": ("RMSPropOptimizer", {"learning_rate": 0.005, "momentum": 0.3,
                                              "centered": True}, "float32"),
    "adadelta": ("AdadeltaOptimizer", {"learning_rate": 1.0, "rho": 0.9, "epsilon": 1e-6},
                 "float32"),
}


def problem():
    """The fixed data and initial values (float64 arrays)."""
    rng = np.random.RandomState(1234)
    x = rng.uniform(-1, 1, (16, 3))
    w_true = np.array([[0.5, -1.0], [1.5, 0.25], [-0.75, 1.0]])
    y = x @ w_true + np.array([0.3, -0.2]) + 0.05 * rng.standard_normal((16, 2))
    w0 = rng.standard_normal((3, 2)) * 0.5
    b0 = np.zeros(2)
    return {"x": x, "y": y, "w0": w0, "b0": b0}


def run(tf, config, data, steps=STEPS):
    """Trains the problem with optimizer ``config`` (a CONFIGS value); returns a dict of
    per-step losses (before each step), W and b (after each step), the global step, and the
    final values of the optimizer's variables by name."""
    cls, kwargs, dtype = config
    dt = getattr(tf, dtype)
    npdt = np.dtype(dtype)
    g = tf.Graph()
    with g.as_default():
        x = tf.constant(np.asarray(data["x"], npdt))
        y = tf.constant(np.asarray(data["y"], npdt))
        w = tf.Variable(np.asarray(data["w0"], npdt), name="W")
        b = tf.Variable(np.asarray(data["b0"], npdt), name="b")
        xw = tf.matmul(x, w)
        pred = xw + b + 0.1 * xw * xw * xw
        err = pred - y
        loss = tf.reduce_mean(err * err)
        step = tf.train.get_or_create_global_step()
        opt = getattr(tf.train, cls)(**kwargs)
        train = opt.minimize(loss, global_step=step)
        assert loss.dtype == dt
        out = {"loss": [], "W": [], "b": []}
        with tf.Session(graph=g) as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(steps):
                out["loss"].append(float(sess.run(loss)))
                sess.run(train)
                wv, bv = sess.run([w, b])
                out["W"].append(wv.tolist())
                out["b"].append(bv.tolist())
            out["global_step"] = int(sess.run(step))
            out["slots"] = {v.op.name: np.asarray(sess.run(v)).tolist()
                            for v in opt.variables()}
    return out


def generate(tf):
    data = problem()
    return {"about": "Made by tests/train/trajectories.py with TensorFlow "
                     f"{tf.__version__ if hasattr(tf, '__version__') else '?'} (compat.v1).",
            "steps": STEPS,
            "data": {k: v.tolist() for k, v in data.items()},
            "configs": {name: {"optimizer": c[0], "kwargs": c[1], "dtype": c[2]}
                        for name, c in CONFIGS.items()},
            "trajectories": {name: run(tf, c, data) for name, c in CONFIGS.items()}}


if __name__ == "__main__":
    import tensorflow as real_tf
    tf1 = real_tf.compat.v1
    tf1.disable_v2_behavior()
    tf1.__version__ = real_tf.__version__
    golden = generate(tf1)
    with open(GOLDEN, "w") as f:
        json.dump(golden, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {GOLDEN}")
