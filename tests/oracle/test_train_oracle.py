"""Training, gradients and control flow compared with TensorFlow itself (tf.compat.v1):
optimizer trajectories regenerated live, graph names, control-flow values, gradients through
cond/while, clipping, schedules, error classes, and the seed 004 program from equal weights."""

import numpy as np
import pytest

import flowbook as fb
from tests.train import trajectories as T

tf_real = pytest.importorskip("tensorflow.compat.v1")
tf_real.disable_v2_behavior()
LIBS = {"tf": tf_real, "fb": fb}


@pytest.mark.parametrize("name", sorted(T.CONFIGS))
def test_optimizer_trajectories_live(name):
    data = T.problem()
    ref = T.run(tf_real, T.CONFIGS[name], data)
    got = T.run(fb, T.CONFIGS[name], data)
    f64 = T.CONFIGS[name][2] == "float64"
    tol = dict(rtol=1e-10, atol=1e-12) if f64 else dict(rtol=1e-4, atol=1e-5)
    for key in ("loss", "W", "b"):
        np.testing.assert_allclose(got[key], ref[key], err_msg=f"{name}: {key}", **tol)
    assert got["global_step"] == ref["global_step"]
    assert sorted(got["slots"]) == sorted(ref["slots"])


def _optimizer_graph(tf, make):
    g = tf.Graph()
    with g.as_default():
        w = tf.Variable([1.0, 2.0], name="w")
        b = tf.Variable(0.5, name="b")
        loss = tf.reduce_sum(w * w) + b * 3.0
        step = tf.train.get_or_create_global_step()
        opt = make(tf)
        n = len(g.get_operations())
        train = opt.minimize(loss, global_step=step)
        ops = [(o.name, o.type) for o in g.get_operations()[n:]
               if not o.name.startswith("gradients")]
        grads = opt.compute_gradients(loss)
        return (ops, (train.name, train.type), [v.name for v in opt.variables()],
                opt.get_slot_names(), [v.name for v in tf.global_variables()],
                [g_.name for g_, _ in grads])


@pytest.mark.parametrize("make", [
    lambda tf: tf.train.GradientDescentOptimizer(0.1),
    lambda tf: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
    lambda tf: tf.train.AdamOptimizer(0.1),
    lambda tf: tf.train.AdagradOptimizer(0.1),
    lambda tf: tf.train.RMSPropOptimizer(0.1, momentum=0.5, centered=True),
    lambda tf: tf.train.AdadeltaOptimizer(0.1),
], ids=["sgd", "nesterov", "adam", "adagrad", "rmsprop", "adadelta"])
def test_optimizer_graph_names(make):
    assert _optimizer_graph(fb, make) == _optimizer_graph(tf_real, make)


def _run_case(tf, case):
    g = tf.Graph()
    with g.as_default():
        try:
            fetches, feeds = case(tf)
        except Exception as e:  # noqa: BLE001 (we compare exception classes)
            return ("raised", type(e).__name__)
        with tf.Session(graph=g) as s:
            s.run(tf.global_variables_initializer())
            return ("ok", [s.run(fetches, f) for f in feeds])


def _cond_values(tf):
    x = tf.placeholder(tf.float32, [], name="x")
    p = tf.placeholder(tf.bool, [])
    v = tf.Variable(0.0)
    r = tf.cond(p, lambda: x * 2.0, lambda: tf.assign_add(v, 1.0) + x)
    return [r, v.read_value()], [{x: 3.0, p: True}, {x: 3.0, p: False}, {x: 1.0, p: False}]


def _nested_structures(tf):
    p = tf.placeholder(tf.bool, [])
    x = tf.constant(2.0)
    a = tf.cond(p, lambda: {"s": x, "t": (x, 1)}, lambda: {"s": -x, "t": (x * 3, 2)})
    b = tf.cond(p, lambda: [x], lambda: [x + 1])
    return [a, b], [{p: True}, {p: False}]


def _while_values(tf):
    i = tf.constant(0)
    x = tf.placeholder(tf.float32, [])
    r = tf.while_loop(lambda i: i < 10, lambda i: i + 1, [i])
    r2 = tf.while_loop(lambda i, j: i < 10, lambda i, j: [i + 1, j * x], [i, x],
                       maximum_iterations=3)
    r3 = tf.while_loop(lambda i, d: i < 4, lambda i, d: (i + 1, {"a": d["a"] + x}), (i, {"a": x}))
    return [r, r2, r3], [{x: 2.0}, {x: -1.5}]


def _case_values(tf):
    i = tf.placeholder(tf.int32, [])
    c = tf.case([(tf.equal(i, 1), lambda: tf.constant(1.0)),
                 (tf.greater(i, 0), lambda: tf.constant(2.0))], default=lambda: tf.constant(-1.0))
    s = tf.switch_case(i, [lambda: tf.constant(10), lambda: tf.constant(20)],
                       default=lambda: tf.constant(-1))
    return [c, s], [{i: k} for k in (-1, 0, 1, 2, 5)]


def _grads_through_control_flow(tf):
    x = tf.placeholder(tf.float64, [2], name="x")
    w = tf.Variable(np.array([[0.5, -0.2], [0.3, 0.8]]), name="w")
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: tf.reduce_sum(tf.matmul(tf.reshape(x, [1, 2]), w) ** 2),
                lambda: tf.reduce_sum(x * x * 3.0))
    _, h = tf.while_loop(lambda k, h: k < 3,
                         lambda k, h: (k + 1, tf.tanh(tf.matmul(tf.reshape(h, [1, 2]), w)[0])),
                         [0, x])
    loss = y + tf.reduce_sum(h * h)
    return tf.gradients(loss, [x, w]), [{x: [0.4, -1.2], p: True}, {x: [0.4, -1.2], p: False}]


def _clip_and_schedules(tf):
    a = tf.placeholder(tf.float32, [2, 3])
    s = tf.placeholder(tf.int64, [])
    clipped, norm = tf.clip_by_global_norm([a, a * 2.0], 2.0)
    out = [tf.clip_by_norm(a, 1.5), tf.clip_by_norm(a, 1.5, axes=[1]), norm, clipped,
           tf.clip_by_average_norm(a, 0.1),
           tf.train.exponential_decay(0.1, s, 10, 0.5, staircase=True),
           tf.train.polynomial_decay(0.1, s, 20, 0.01, power=2.0, cycle=True),
           tf.train.inverse_time_decay(0.1, s, 10, 0.5), tf.train.natural_exp_decay(0.1, s, 7, 0.3),
           tf.train.cosine_decay(0.1, s, 20, alpha=0.1),
           tf.train.piecewise_constant(s, [5, 15], [1.0, 0.5, 0.1])]
    av = np.array([[1.0, 2, 3], [0, 0, 0.5]], np.float32)
    return out, [{a: av, s: k} for k in (0, 5, 12, 30)]


def _errors(kind):
    def case(tf):
        x = tf.constant(2.0)
        i = tf.constant(0)
        p = tf.placeholder(tf.bool, [])
        {"py_bool": lambda: tf.cond(True, lambda: x, lambda: x),
         "int_pred": lambda: tf.cond(tf.constant(1), lambda: x, lambda: x),
         "not_callable": lambda: tf.cond(p, x, lambda: x),
         "structure": lambda: tf.cond(p, lambda: (x, x), lambda: x),
         "list_vs_tuple": lambda: tf.cond(p, lambda: [x, x], lambda: (x, x)),
         "dtypes": lambda: tf.cond(p, lambda: x, lambda: tf.constant(1)),
         "no_return": lambda: tf.cond(p, lambda: None, lambda: None),
         "while_shape": lambda: tf.while_loop(lambda v: tf.reduce_sum(v) < 10,
                                              lambda v: tf.concat([v, v], 0),
                                              [tf.constant([1])]),
         "while_invariant": lambda: tf.while_loop(lambda i: i < 10, lambda i: i + 1, [i],
                                                  shape_invariants=[tf.TensorShape([2])]),
         "while_structure": lambda: tf.while_loop(lambda i, j: i < 10, lambda i, j: i + 1,
                                                  [i, x]),
         "while_bool": lambda: tf.while_loop(lambda i: i, lambda i: i + 1, [i]),
         "while_par": lambda: tf.while_loop(lambda i: i < 3, lambda i: i + 1, [i],
                                            parallel_iterations=0),
         "case_pred": lambda: tf.case([(i, lambda: x)]),
         "no_grads": lambda: tf.train.GradientDescentOptimizer(0.1).minimize(
             x * 2.0, var_list=[tf.Variable(1.0)]),
         "no_vars": lambda: tf.train.GradientDescentOptimizer(0.1).minimize(x * 2.0),
         "gate": lambda: tf.train.AdamOptimizer().compute_gradients(x, gate_gradients=5),
         "global_norm": lambda: tf.global_norm(x)}[kind]()
        return x, []
    return case


CASES = {"cond_values": _cond_values, "nested_structures": _nested_structures,
         "while_values": _while_values, "case_values": _case_values,
         "grads_through_control_flow": _grads_through_control_flow,
         "clip_and_schedules": _clip_and_schedules}
CASES.update({f"error_{k}": _errors(k) for k in (
    "py_bool", "int_pred", "not_callable", "structure", "list_vs_tuple", "dtypes",
    "no_return", "while_shape", "while_invariant", "while_structure", "while_bool",
    "while_par", "case_pred", "no_grads", "no_vars", "gate", "global_norm")})


def _close(a, b, path="result"):
    if isinstance(a, dict):
        assert isinstance(b, dict) and sorted(a) == sorted(b), path
        for k in a:
            _close(a[k], b[k], f"{path}[{k!r}]")
    elif isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b), f"{path}: {a!r} vs {b!r}"
        for k, (x, y) in enumerate(zip(a, b)):
            _close(x, y, f"{path}[{k}]")
    else:
        a, b = np.asarray(a), np.asarray(b)
        assert a.shape == b.shape and a.dtype == b.dtype, f"{path}: {a!r} vs {b!r}"
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=1e-6, err_msg=path)


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_matches_tensorflow(name):
    ref = _run_case(tf_real, CASES[name])
    got = _run_case(fb, CASES[name])
    assert got[0] == ref[0], f"{name}: flowbook {got} vs TF {ref}"
    if ref[0] == "raised":
        assert got[1] == ref[1], f"{name}: flowbook raised {got[1]}, TF raised {ref[1]}"
    else:
        _close(ref[1], got[1])


def test_gradient_names_with_gating():
    def names(tf):
        g = tf.Graph()
        with g.as_default():
            x = tf.placeholder(tf.float32, [None, 3], name="x")
            w = tf.Variable(np.ones((3, 2), np.float32), name="w")
            y = tf.matmul(x, w)
            out = tf.gradients(y, [x, w], gate_gradients=True)
            out += tf.gradients(tf.reduce_sum(w) + tf.reduce_sum(w * 2.0), w,
                                aggregation_method=tf.AggregationMethod.EXPERIMENTAL_TREE)
            return [t.name for t in out]
    assert names(fb) == names(tf_real)


def test_seed_004_program_from_equal_weights():
    """Seed 004's network, loss and Adam trained from the same initial weights in TF and
    flowbook (their random_normal streams differ, so flowbook's weights are loaded into TF)."""
    rdm = np.random.RandomState(1)
    X = rdm.rand(128, 2)
    Y = np.array([int(x1 + x2 < 1) for (x1, x2) in X]).reshape([-1, 1])
    weights = None
    losses = {}
    for key in ("fb", "tf"):
        tf = LIBS[key]
        g = tf.Graph()
        with g.as_default():
            w1 = tf.Variable(tf.random_normal(shape=[2, 3], stddev=1, dtype=tf.float32, seed=1))
            w2 = tf.Variable(tf.random_normal(shape=[3, 1], stddev=1, dtype=tf.float32, seed=1))
            x = tf.placeholder(dtype=tf.float32, shape=[None, 2], name='x-input')
            y_ = tf.placeholder(dtype=tf.float32, shape=[None, 1], name='y-input')
            y = tf.sigmoid(tf.matmul(tf.matmul(x, w1), w2))
            cross_entropy = -tf.reduce_mean(y_ * tf.log(tf.clip_by_value(y, 1e-10, 1))) + \
                (1 - y) * tf.log(tf.clip_by_value(1 - y, 1e-10, 1.0))
            train_step = tf.train.AdamOptimizer(learning_rate=0.001).minimize(cross_entropy)
            init = tf.global_variables_initializer()
        with tf.Session(graph=g) as sess:
            sess.run(init)
            if weights is None:
                weights = sess.run([w1, w2])
            w1.load(weights[0], sess)
            w2.load(weights[1], sess)
            out = []
            for i in range(1000):
                start = (i * 8) % 128
                sess.run(train_step, {x: X[start:start + 8], y_: Y[start:start + 8]})
                if i % 50 == 0:
                    out.append(sess.run(cross_entropy, {x: X, y_: Y}))
            losses[key] = out
    np.testing.assert_allclose(losses["fb"], losses["tf"], rtol=1e-4, atol=1e-5)
