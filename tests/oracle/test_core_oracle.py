"""Core TF1 behaviours compared with TensorFlow itself: names, shapes, dtypes, values, errors.

Each case is a function of the module ``tf`` (TensorFlow's compat.v1, or flowbook) that builds
a graph and returns what a user would see.
"""

import numpy as np
import pytest

import flowbook as fb

tf_real = pytest.importorskip("tensorflow.compat.v1")
tf_real.disable_v2_behavior()


def _run(case, tf):
    tf.reset_default_graph()
    try:
        out = case(tf)
    except Exception as e:  # noqa: BLE001 (we compare exception classes)
        return ("raised", type(e).__name__)
    return ("ok", out)


def names(tf):
    return [op.name for op in tf.get_default_graph().get_operations()]


def case_operator_names(tf):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    tf.add(x, 1.0)
    _ = x + 2.0
    _ = 1.0 / x
    _ = x < 1
    _ = -x
    _ = abs(x)
    _ = x @ tf.ones([3, 2])
    _ = x[0], x[:, 1:], x[..., None]
    return names(tf)


def case_scopes(tf):
    with tf.name_scope("a"):
        tf.constant(1, name="c")
        with tf.name_scope("b"):
            tf.constant(1, name="c")
    with tf.name_scope("a"):
        tf.constant(1, name="c")
    with tf.variable_scope("v"):
        tf.get_variable("w", [2], initializer=tf.zeros_initializer())
        tf.constant(1)
    with tf.variable_scope("v", reuse=True):
        tf.get_variable("w", [2])
        tf.constant(1)
    with tf.variable_scope(None, default_name="d"):
        tf.constant(1)
    with tf.variable_scope(None, default_name="d"):
        tf.constant(1)
    return names(tf)


def case_variables(tf):
    v = tf.Variable(1.0, name="v")
    w = tf.Variable(lambda: tf.ones([2]), name="w")
    tf.Variable(tf.zeros([2]) + 1.0)
    tf.global_variables_initializer()
    tf.global_variables_initializer()
    return names(tf), [v.name, w.name, str(v.dtype), str(v.shape)]


def case_shapes_dtypes(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    outs = [x + tf.ones([4, 1, 1]), tf.reduce_sum(x, 1, keepdims=True), tf.reduce_mean(x),
            tf.constant(1) / tf.constant(2), tf.constant([1, 2.5]), tf.constant(2 ** 40),
            tf.constant([[1, 2], [3, 4]])[:, None], x[::2, ..., 1], tf.reshape(x, [-1]),
            tf.stack([x, x], axis=1), tf.cast(x, tf.int32) // 2, tf.matmul(x, tf.ones([3, 5])),
            tf.zeros_like(x), tf.fill([2, 3], 1.5)]
    return [(str(t.shape), t.dtype.name) for t in outs]


def case_values(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    v = tf.Variable([1.0, 2.0, 3.0])
    y = tf.reduce_sum(x * v, 1) + tf.reduce_mean(x) - tf.cast(tf.constant(7) // 2,
                                                               tf.float32)
    g = tf.gradients(tf.reduce_sum(y * y), [x, v])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        xv = np.arange(6, dtype=np.float32).reshape(2, 3)
        r = s.run({"y": y, "g": g, "i": tf.constant([-7, 7]) // 2,
                   "m": tf.reduce_mean(tf.constant([-3, 4])),
                   "mod": tf.constant([-7.0, 7.0]) % 3.0,
                   "div": tf.div(tf.constant(-7), 2)}, {x: xv})
    return {k: np.asarray(v).round(4).tolist() for k, v in r.items() if k != "g"}, [
        np.round(a, 3).tolist() for a in r["g"]]


def case_error_missing_feed(tf):
    x = tf.placeholder(tf.float32)
    with tf.Session() as s:
        s.run(x + 1)


def case_error_uninitialized(tf):
    v = tf.Variable(1.0)
    with tf.Session() as s:
        s.run(v)


def case_error_feed_shape(tf):
    x = tf.placeholder(tf.float32, [2])
    with tf.Session() as s:
        s.run(x, {x: [1.0]})


def case_error_mixed_dtypes(tf):
    tf.add(tf.constant(1.0), tf.constant(1))


def case_error_python_first(tf):
    tf.add(1, tf.constant(1.0))


def case_error_empty_graph(tf):
    with tf.Session() as s:
        s.run([])


def case_error_fetch_none(tf):
    tf.constant(1)
    with tf.Session() as s:
        s.run(None)


def case_error_bad_fetch_name(tf):
    tf.constant(1)
    with tf.Session() as s:
        s.run("nope:0")


def case_error_lookup(tf):
    tf.get_default_graph().get_tensor_by_name("nope:0")


def case_error_get_variable_exists(tf):
    tf.get_variable("w", [1])
    tf.get_variable("w", [1])


def case_error_get_variable_missing(tf):
    with tf.variable_scope("s", reuse=True):
        tf.get_variable("w", [1])


def case_error_broadcast(tf):
    tf.ones([2, 3]) + tf.ones([4])


def case_error_finalized(tf):
    g = tf.Graph()
    g.finalize()
    with g.as_default():
        tf.constant(1)


def case_error_closed(tf):
    c = tf.constant(1)
    s = tf.Session()
    s.close()
    s.run(c)


def case_fetch_structures(tf):
    import collections
    a = tf.constant(1.0)
    P = collections.namedtuple("P", "x y")
    with tf.Session() as s:
        r = s.run({"a": [a, (a,)], "p": P(a, a.op), "o": collections.OrderedDict(z=a)})
    return repr(type(r["a"][1])), type(r["p"]).__name__, r["p"].y, list(r["o"])


CASES = [v for k, v in sorted(globals().items()) if k.startswith("case_")]


@pytest.mark.tf_oracle
@pytest.mark.parametrize("case", CASES, ids=[c.__name__[5:] for c in CASES])
def test_flowbook_matches_tensorflow(case):
    expected = _run(case, tf_real)
    got = _run(case, fb)
    assert got == expected
