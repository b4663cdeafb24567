"""The math and debugging op library compared with TensorFlow itself: names, shapes, dtypes,
values, gradients, exception classes and what Print writes.

Each case is a function of the module ``tf`` (TensorFlow's compat.v1, or flowbook) that builds
a graph and returns what a user would see. (Where TF 2's compat.v1 builds a newer op type than
TF1 did, e.g. AddV2 for Add, cases compare names and values rather than op types.)
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


def _desc(ts):
    return [(t.name, t.op.type, t.dtype.name, str(t.shape)) for t in ts]


def _vals(tf, fetches, feed=None):
    with tf.Session() as s:
        r = s.run(fetches, feed)
    # NaN != NaN, so NaNs are compared by name
    return [np.where(np.isnan(a), "nan", a.round(4).astype(str)).tolist()
            for a in (np.asarray(v).astype(np.float64) for v in r)]


def case_unary_names(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    return _desc([f(x) for f in (tf.square, tf.sqrt, tf.rsqrt, tf.reciprocal, tf.exp, tf.expm1,
                                 tf.log, tf.log1p, tf.sin, tf.cos, tf.tan, tf.asin, tf.acos,
                                 tf.atan, tf.sinh, tf.cosh, tf.tanh, tf.asinh, tf.acosh,
                                 tf.atanh, tf.sigmoid, tf.erf, tf.round, tf.floor, tf.ceil,
                                 tf.is_nan, tf.is_inf, tf.is_finite, tf.negative, tf.abs,
                                 tf.sign)])


def case_binary_names(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.placeholder(tf.float32, [3])
    return _desc([tf.maximum(x, y), tf.minimum(x, 1.0), tf.squared_difference(x, y),
                  tf.div_no_nan(x, y), tf.floormod(x, y), tf.pow(x, 2.0),
                  tf.clip_by_value(x, 0.0, 1.0), tf.scalar_mul(2.0, x), tf.where(x > 0, x, x),
                  tf.to_double(x), tf.to_int32(x), tf.to_int64(x)])


def case_reduction_names(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    b = tf.placeholder(tf.bool, [2, None])
    return _desc([tf.reduce_max(x), tf.reduce_min(x, 1), tf.reduce_prod(x, 0, keepdims=True),
                  tf.reduce_any(b, 1), tf.reduce_all(b, keep_dims=True),
                  tf.argmax(x, 1), tf.argmin(x),
                  tf.argmax(x, dimension=1, output_type=tf.int32), tf.count_nonzero(x),
                  tf.count_nonzero(x, 1, dtype=tf.int32), tf.cumsum(x, 1),
                  tf.cumprod(x, exclusive=True), tf.where(x > 0)])


def case_logsumexp_name(tf):
    # (its last op is AddV2 in TF 2's compat.v1, Add in TF1 and flowbook)
    t = tf.reduce_logsumexp(tf.placeholder(tf.float32, [None, 3]), 1)
    return t.name, t.dtype.name, str(t.shape)


def case_composite_op_names(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    tf.clip_by_value(x, 0.0, 1.0)
    tf.count_nonzero(x)
    tf.math.reduce_variance(x, 1)
    tf.math.reduce_std(x, keepdims=True)
    return [op.name for op in tf.get_default_graph().get_operations()]


def case_values(tf):
    x = tf.constant([[0.5, -1.5, 2.5], [3.0, -0.25, 0.0]])
    b = tf.constant([[True, False], [True, True]])
    return _vals(tf, [
        tf.round(x), tf.floor(x), tf.ceil(x), tf.sign(x), tf.sigmoid(x), tf.tanh(x),
        tf.erf(x), tf.expm1(x), tf.atan(x), tf.sinh(x), tf.asinh(x), tf.square(x),
        tf.maximum(x, 0.0), tf.minimum(x, [1.0, -1.0, 0.0]), tf.squared_difference(x, 1.0),
        tf.div_no_nan(x, tf.constant([0.0, 2.0, -4.0])), tf.clip_by_value(x, -1.0, 1.0),
        tf.reduce_max(x, 1), tf.reduce_min(x), tf.reduce_prod(x, 0),
        tf.reduce_logsumexp(x, 1), tf.reduce_logsumexp(x * 1000.0),
        tf.math.reduce_variance(x, 0), tf.math.reduce_std(x),
        tf.reduce_any(b, 0), tf.reduce_all(b, 1), tf.argmax(x, 1), tf.argmin(x, 0),
        tf.count_nonzero(x, 1), tf.cumsum(x, 1), tf.cumsum(x, 1, exclusive=True, reverse=True),
        tf.cumprod(x, 0, reverse=True), tf.cumprod(x, 1, exclusive=True),
        tf.where(b), tf.where(b, b, tf.logical_not(b)),
        tf.saturate_cast(x * 100.0, tf.int8), tf.to_int32(x), tf.reduce_mean(
            tf.constant([-3, -4, 2])), tf.truediv(tf.constant([7], tf.int16), 2),
        tf.floordiv(tf.constant([-7.0, 7.0]), 2.0), tf.div(tf.constant([-7, 7]), 2)])


def case_edge_values(tf):
    nan, inf = np.nan, np.inf
    z = tf.constant([nan, 1.0, -inf, inf, 0.0])
    return _vals(tf, [tf.maximum(z, 0.5), tf.minimum(z, 0.5), tf.reduce_max(z),
                      tf.is_nan(z), tf.is_finite(z), tf.sign(z), tf.sigmoid(z), tf.tanh(z),
                      tf.reduce_max(tf.zeros([0])), tf.reduce_min(tf.zeros([0], tf.int32)),
                      tf.reduce_prod(tf.zeros([0])), tf.reduce_logsumexp([-inf, -inf]),
                      tf.exp(tf.constant([100.0])), tf.log(tf.constant([0.0, -1.0]))])


def case_gradients(tf):
    x = tf.constant([[1.0, 3.0, 3.0], [2.0, 0.0, 2.0]])
    y = tf.constant([[1.0, 1.0, 5.0], [2.0, -1.0, 0.0]])
    p = tf.constant([[0.0, 3.0, 0.0], [2.0, 0.0, 4.0], [1.5, 2.0, 3.0]])
    c = tf.constant([0.5, 2.0, 3.0])
    outs = [tf.maximum(x, y), tf.minimum(x, y), tf.reduce_max(x, 1), tf.reduce_min(x),
            tf.squared_difference(x, y), tf.clip_by_value(x, 1.0, 2.5), tf.sigmoid(x),
            tf.tanh(x), tf.erf(x), tf.sqrt(x + 1.0), tf.rsqrt(x + 1.0), tf.reciprocal(x + 1.0),
            tf.exp(x), tf.expm1(x), tf.log1p(x), tf.sin(x), tf.cos(x), tf.tan(x * 0.3),
            tf.asin(x * 0.2), tf.acos(x * 0.2), tf.atan(x), tf.sinh(x), tf.cosh(x),
            tf.reduce_logsumexp(x, 1), tf.div_no_nan(x, y), tf.math.reduce_std(x, 0),
            tf.sign(x), tf.round(x), tf.floordiv(x, y + 3.0), tf.abs(x - 1.5)]
    grads = []
    for o in outs:
        grads += tf.gradients(o, [x, y])
    grads += tf.gradients(tf.reduce_prod(p, 1), p) + tf.gradients(tf.reduce_prod(p), p)
    grads += tf.gradients(tf.cumsum(c, exclusive=True, reverse=True), c)
    grads += tf.gradients(tf.cumprod(c, exclusive=True), c)
    return _vals(tf, [g if g is not None else tf.constant(-99.0) for g in grads])


def case_error_maximum_dtypes(tf):
    tf.maximum(tf.constant(1.0), tf.constant(1))


def case_error_sqrt_int(tf):
    tf.sqrt(tf.constant([1, 2]))


def case_error_argmax_axis(tf):
    tf.argmax(tf.ones([2, 2]), 2)


def case_error_reduce_axis(tf):
    tf.reduce_max(tf.ones([2, 2]), 2)


def case_error_reduce_any_int(tf):
    tf.reduce_any(tf.constant([1, 2]))


def case_error_where_one_of_xy(tf):
    tf.where(tf.constant([True]), tf.constant([1.0]))


def case_error_where_shapes(tf):
    tf.where(tf.constant([True, False]), tf.ones([3, 2]), tf.ones([3, 2]))


def case_error_clip_enlarges(tf):
    tf.clip_by_value(tf.ones([2]), tf.zeros([3, 1]), 1.0)


def case_error_runtime_broadcast(tf):
    p = tf.placeholder(tf.float32, [None])
    with tf.Session() as s:
        s.run(tf.maximum(p, p[1:]), {p: [1.0, 2.0, 3.0]})


def case_error_int_div_by_zero(tf):
    with tf.Session() as s:
        s.run(tf.constant([1, 2]) // tf.constant([1, 0]))


def case_check_numerics(tf):
    x = tf.placeholder(tf.float32, [None])
    c = tf.check_numerics(tf.log(x), "bad log")
    with tf.Session() as s:
        ok = s.run(c, {x: [1.0]}).tolist()
        try:
            s.run(c, {x: [0.0]})
        except tf.errors.InvalidArgumentError as e:
            first = e.message.split("\n")
            return c.name, ok, [m for m in first if m.startswith("bad log")][0]


def case_add_check_numerics_ops(tf):
    a = tf.placeholder(tf.float32, [2], name="a")
    b = tf.log(a, name="b")
    tf.multiply(b, 2.0, name="c")
    check = tf.add_check_numerics_ops()
    with tf.Session() as s:
        s.run(check, {a: [1.0, 2.0]})
        try:
            s.run(check, {a: [0.0, 2.0]})
        except tf.errors.InvalidArgumentError as e:
            return check.type, [m for m in e.message.split("\n") if "Tensor had" in m][0]


def case_assert_names(tf):
    x = tf.placeholder(tf.int32, [None])
    ops = [tf.Assert(tf.reduce_all(x > 0), [x, "s"]), tf.assert_equal(x, x),
           tf.assert_positive(x), tf.assert_rank(x, 1), tf.assert_type(x, tf.int32),
           tf.assert_integer(x), tf.assert_rank(tf.placeholder(tf.int32), 1)]
    return [(o.name, o.type) for o in ops]


def case_assert_runtime(tf):
    x = tf.placeholder(tf.int32, [None])
    a = tf.Assert(tf.reduce_all(x > 0), [x, "hello"], summarize=2)
    with tf.Session() as s:
        s.run(a, {x: [1, 2]})
        try:
            s.run(a, {x: [1, -2, 3]})
        except tf.errors.InvalidArgumentError as e:
            return [m for m in e.message.split("\n") if m.startswith("assertion failed")][0]


def case_error_assert_equal_static(tf):
    tf.assert_equal(tf.constant([1, 2]), tf.constant([1, 3]))


def case_error_assert_rank_static(tf):
    tf.assert_rank(tf.placeholder(tf.float32, [None]), 2)


def case_error_assert_type(tf):
    tf.assert_type(tf.constant(1.0), tf.int32)


def case_error_assert_scalar(tf):
    tf.assert_scalar(tf.placeholder(tf.float32, [None]))


def case_tf_print_op(tf):
    op = tf.print("x", tf.constant([1, 2]))
    return op.type, op.name


CASES = [v for k, v in sorted(globals().items()) if k.startswith("case_")]


@pytest.mark.tf_oracle
@pytest.mark.parametrize("case", CASES, ids=[c.__name__[5:] for c in CASES])
def test_flowbook_matches_tensorflow(case):
    expected = _run(case, tf_real)
    got = _run(case, fb)
    assert got == expected


def _print_program(tf):
    tf.reset_default_graph()
    x = tf.constant([1.5, -2.0, 3.0, 4.0, 1e10, 0.1])
    m = tf.constant([[1, 2, 3], [4, 5, 6]])
    p = tf.Print(x, [x, m, tf.constant([True, False]), tf.constant(["ab", "c"]),
                     tf.constant(1 / 3)], "msg: ")
    q = tf.Print(x, [m, x], "first_n: ", first_n=2, summarize=10)
    with tf.Session() as s:
        s.run(p)
        for _ in range(3):
            s.run(q)


def _tf_print_program(tf):
    import sys
    tf.reset_default_graph()
    x = tf.constant([1.5, -2.0, 3.0, 4.0, 1e10, 0.1])
    big = tf.range(20)
    ops = [tf.print("hello", x, tf.constant([[1, 2, 3], [4, 5, 6]]), {"a": x}, [1, 2],
                    output_stream=sys.stdout),
           tf.print(big, tf.reshape(big, [4, 5]), summarize=2, sep="|", end="<END>\n",
                    output_stream=sys.stdout),
           tf.print(tf.constant("hi"), tf.constant(1 / 3), tf.constant(1 / 3, tf.float64),
                    tf.reshape(tf.range(12), [2, 3, 2]), output_stream=sys.stdout)]
    with tf.Session() as s:
        for op in ops:
            s.run(op)
            sys.stdout.flush()


@pytest.mark.tf_oracle
def test_print_writes_what_tf_writes(capfd):
    _print_program(tf_real)
    expected = [ln for ln in capfd.readouterr().err.splitlines() if ln.startswith(("msg",
                                                                                   "first"))]
    _print_program(fb)
    got = capfd.readouterr().err.splitlines()
    assert got == expected and len(expected) == 3


@pytest.mark.tf_oracle
def test_tf_print_writes_what_tf_writes(capfd):
    _tf_print_program(tf_real)
    expected = capfd.readouterr().out
    _tf_print_program(fb)
    assert capfd.readouterr().out == expected
