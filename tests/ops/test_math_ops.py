"""Math-library behaviour the spec table does not show: TF's names, dtype rules, tie-breaking
gradients, stability at extreme values, quiet kernels, clear errors, and hypothesis checks of
the broadcasting and reduction rules. Expected names and values were checked against TF."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import flowbook as tf


# --- names as TF1 gives them -----------------------------------------------------------------
def test_composites_are_named_as_in_tf():
    x = tf.placeholder(tf.float32, [None, 3])
    assert tf.clip_by_value(x, 0.0, 1.0).name == "clip_by_value:0"
    lse = tf.reduce_logsumexp(x, 1)
    assert lse.name == "ReduceLogSumExp:0" and lse.shape.as_list() == [None]
    assert tf.count_nonzero(x).name == "count_nonzero/Sum:0"
    assert tf.saturate_cast(x, tf.uint8).name == "saturate_cast:0"
    ops = {op.name: op.type for op in tf.get_default_graph().get_operations()}
    assert ops["clip_by_value/Minimum"] == "Minimum" and ops["clip_by_value"] == "Maximum"
    assert ops["ReduceLogSumExp/Max"] == "Max" and ops["ReduceLogSumExp/StopGradient"] == \
        "StopGradient"
    assert ops["saturate_cast/Maximum"] == "Maximum" and ops["saturate_cast/Minimum"] == \
        "Minimum"


def test_primitive_names_and_dtypes():
    x = tf.placeholder(tf.float32, [None, 3])
    for fn, name in [(tf.square, "Square"), (tf.sqrt, "Sqrt"), (tf.rsqrt, "Rsqrt"),
                     (tf.exp, "Exp"), (tf.sigmoid, "Sigmoid"), (tf.tanh, "Tanh"),
                     (tf.erf, "Erf"), (tf.round, "Round"), (tf.is_nan, "IsNan"),
                     (tf.reduce_max, "Max"), (tf.reduce_prod, "Prod"), (tf.cumsum, "Cumsum"),
                     (tf.argmax, "ArgMax"), (tf.where, "Where"), (tf.negative, "Neg")]:
        t = fn(x)
        assert t.name == f"{name}:0", (fn.__name__, t.name)
    assert tf.where(x > 0).dtype == tf.int64 and tf.where(x > 0).shape.as_list() == [None, 2]
    assert tf.argmax(x, 1).dtype == tf.int64
    assert tf.argmax(x, 1, output_type=tf.int32).dtype == tf.int32
    assert tf.mul(x, x).op.type == "Mul" and tf.sub(x, x).op.type == "Sub"
    assert tf.neg(x).op.type == "Neg" and tf.scalar_mul(2.0, x).op.type == "Mul"


# --- dtype rules -----------------------------------------------------------------------------
def test_python_values_take_tf_dtypes():
    assert tf.constant(1.5).dtype == tf.float32 and tf.constant(3).dtype == tf.int32
    assert tf.constant(np.array([1.0])).dtype == tf.float64
    assert tf.constant(2 ** 40).dtype == tf.int64
    assert tf.exp(1.0).dtype == tf.float32
    assert tf.maximum(tf.constant([1.0], tf.float64), 0.0).dtype == tf.float64


def test_no_silent_promotion():
    f32, f64, i32 = tf.constant(1.0), tf.constant(1.0, tf.float64), tf.constant(1)
    with pytest.raises(TypeError, match="float32 but .* is int32"):
        tf.add(f32, i32)
    with pytest.raises(TypeError, match="float64"):
        f32 + f64
    with pytest.raises(TypeError):
        tf.maximum(f32, f64)
    with pytest.raises(TypeError):
        tf.squared_difference(f32, i32)


def test_division_rules(sess):
    i8 = tf.constant([7, -7], tf.int8)
    i32 = tf.constant([7, -7])
    assert (i8 / tf.constant([2, 2], tf.int8)).dtype == tf.float32
    assert (i32 / 2).dtype == tf.float64
    assert sess.run(i32 / 2).tolist() == [3.5, -3.5]
    assert sess.run(i32 // 2).tolist() == [3, -4]
    assert sess.run(tf.div(i32, 2)).tolist() == [3, -4]      # floors, as TF1's div on ints
    assert sess.run(tf.div(tf.constant([7.0]), 2.0)).tolist() == [3.5]
    assert sess.run(tf.floormod(i32, 3)).tolist() == [1, 2]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Integer division by zero"):
        sess.run(i32 // 0)


def test_casts(sess):
    x = tf.constant([1.0, 2.0])
    assert tf.to_float(x) is x                      # already float32: no op, as TF
    assert tf.to_double(x).name == "ToDouble:0" and tf.to_int64(x).dtype == tf.int64
    assert sess.run(tf.saturate_cast(tf.constant([300.0, -5.0, 3e10]), tf.int32)).tolist() \
        == [300, -5, 2147483520]
    assert sess.run(tf.saturate_cast(tf.constant([300, -5]), tf.uint8)).tolist() == [255, 0]


# --- gradients at ties and extremes ----------------------------------------------------------
def test_maximum_minimum_ties_go_to_x_as_in_tf(sess):
    x = tf.constant([1.0, 2.0, 3.0])
    y = tf.constant([1.0, 1.0, 5.0])
    gx, gy = sess.run(tf.gradients(tf.maximum(x, y), [x, y]))
    assert gx.tolist() == [1, 1, 0] and gy.tolist() == [0, 0, 1]
    gx, gy = sess.run(tf.gradients(tf.minimum(x, y), [x, y]))
    assert gx.tolist() == [1, 0, 1] and gy.tolist() == [0, 1, 0]


def test_reduce_max_min_split_the_gradient_among_ties(sess):
    z = tf.constant([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]])
    assert sess.run(tf.gradients(tf.reduce_max(z, 1), z)[0]).tolist() == \
        [[0, 0.5, 0.5], [0.5, 0.5, 0]]
    assert sess.run(tf.gradients(tf.reduce_min(z), z)[0]).tolist() == [[0, 0, 0], [0, 0, 1]]


def test_reduce_prod_gradient_with_zeros_matches_tf(sess):
    p = tf.constant([[0.0, 3.0, 0.0], [2.0, 0.0, 4.0], [1.0, 2.0, 3.0]])
    assert sess.run(tf.gradients(tf.reduce_prod(p, 1), p)[0]).tolist() == \
        [[0, 0, 0], [0, 8, 0], [6, 3, 2]]


def test_gradient_of_reductions_with_unknown_shapes(sess):
    x = tf.placeholder(tf.float64, None)
    v = np.array([[1.0, 5.0, 5.0], [0.0, 2.0, 3.0]])
    gmax, gprod = tf.gradients(tf.reduce_max(x, 1), x)[0], tf.gradients(
        tf.reduce_prod(x, 0), x)[0]
    rmax, rprod = sess.run([gmax, gprod], {x: v})
    assert rmax.tolist() == [[0, 0.5, 0.5], [0, 0, 1]]
    assert rprod.tolist() == [[0, 2, 3], [1, 5, 5]]


def test_piecewise_constant_gradients_follow_tf(sess):
    x = tf.constant([-1.5, 0.0, 2.5])
    assert sess.run(tf.gradients(tf.sign(x), x)[0]).tolist() == [0, 0, 0]   # zeros, as TF
    assert tf.gradients(tf.round(x), x) == [None] and tf.gradients(tf.floor(x), x) == [None]
    assert tf.gradients(tf.argmax(x), x) == [None]


def test_saturating_functions_have_finite_gradients(sess):
    x = tf.constant([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    g_sig, g_tanh = sess.run([tf.gradients(tf.sigmoid(x), x)[0], tf.gradients(tf.tanh(x), x)[0]])
    assert np.all(np.isfinite(g_sig)) and np.all(np.isfinite(g_tanh))
    assert g_sig[2] == pytest.approx(0.25) and g_tanh[2] == pytest.approx(1.0)
    assert g_sig[0] == 0 and g_tanh[-1] == 0


def test_reduce_logsumexp_is_stable_and_its_gradient_is_softmax(sess):
    x = tf.constant([[1000.0, 1000.0, 990.0], [-1e30, 0.0, -np.inf]], tf.float64)
    y = tf.reduce_logsumexp(x, 1)
    r, g = sess.run([y, tf.gradients(y, x)[0]])
    e = np.exp(-10.0)
    np.testing.assert_allclose(r, [1000 + np.log(2 + e), 0.0])
    np.testing.assert_allclose(g, [[1 / (2 + e), 1 / (2 + e), e / (2 + e)], [0, 1, 0]],
                               atol=1e-12)
    assert sess.run(tf.reduce_logsumexp(tf.constant([-np.inf, -np.inf]))) == -np.inf


def test_cumprod_gradient_follows_tf_at_zeros(sess):
    c = tf.constant([0.0, 2.0, 3.0])
    # TF divides by x (div_no_nan): the entry at a zero gets 0, not the true 1 + 2 + 6.
    assert sess.run(tf.gradients(tf.cumprod(c), c)[0]).tolist() == [0, 0, 0]


# --- values TF gives at the edges ------------------------------------------------------------
def test_edge_values(sess):
    nan = np.nan
    mx, mn = sess.run([tf.maximum([nan, 1.0], [1.0, nan]), tf.minimum([nan, 1.0], [1.0, nan])])
    assert np.isnan(mx).all() and np.isnan(mn).all()              # NaN propagates
    assert sess.run(tf.round([0.5, 1.5, 2.5, -0.5, -1.5])).tolist() == [0, 2, 2, -0, -2]
    assert sess.run(tf.reduce_max(tf.zeros([0]))) == -np.inf
    assert sess.run(tf.reduce_min(tf.zeros([0], tf.int32))) == np.iinfo(np.int32).max
    assert sess.run(tf.reduce_prod(tf.zeros([0]))) == 1
    assert sess.run(tf.reduce_mean(tf.constant([-3, -4, 2]))) == -1   # truncates
    assert sess.run(tf.where([[True, False], [False, True]])).tolist() == [[0, 0], [1, 1]]
    assert sess.run(tf.argmax([[1, 5], [7, 2]], 1)).tolist() == [1, 0]
    assert sess.run(tf.cumprod([1.0, 2.0, 3.0], exclusive=True, reverse=True)).tolist() == \
        [6, 3, 1]
    assert sess.run(tf.count_nonzero([[0, 1], [2, 0]], 1)).tolist() == [1, 1]


def test_kernels_are_quiet_where_tf_is(sess):
    # (Add, Sub and Mul are left unguarded on purpose: np.errstate would double their cost.)
    x = tf.constant([0.0, -1.0, 1e30, 100.0])
    big = tf.constant([1e30, -1e30, np.inf, 0.0])
    zero = tf.zeros([4])
    outs = [tf.log(x), tf.sqrt(x), tf.rsqrt(x), tf.reciprocal(x), tf.exp(big), tf.square(big),
            tf.log1p(tf.negative(big)), tf.acos(x), tf.atanh(x), tf.tan(big), tf.cosh(x),
            tf.sigmoid(tf.negative(big)), x / zero, tf.div_no_nan(x, zero),
            tf.squared_difference(big, tf.negative(big)), tf.reduce_prod(big), tf.cumprod(big),
            tf.pow(x, big), tf.floormod(x, zero), tf.erf(big), tf.expm1(big), tf.sinh(big),
            tf.reduce_logsumexp(big), tf.reduce_mean(big)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sess.run(outs)


# --- errors ----------------------------------------------------------------------------------
def test_broadcasting_errors_name_both_shapes():
    with pytest.raises(ValueError, match=r"\[2\] and \[3\].*\n.*node 'Maximum' \(op Maximum\)"):
        tf.maximum(tf.zeros([2]), tf.zeros([3]))


def test_run_time_broadcasting_error_is_clear(sess):
    p = tf.placeholder(tf.float32, [None])
    q = tf.placeholder(tf.float32, [None])
    for t in (p + q, tf.maximum(p, q), tf.squared_difference(p, q), tf.less(p, q)):
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            sess.run(t, {p: [1, 2], q: [1, 2, 3]})
        msg = str(e.value)
        assert msg.startswith("Incompatible shapes: [2] vs. [3].")
        assert f"node '{t.op.name}' ({t.op.type})" in msg


def test_argument_errors():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(ValueError, match="Cannot specify both 'axis' and 'dimension'"):
        tf.argmax(x, 0, dimension=0)
    with pytest.raises(ValueError, match=r"range \[-2, 2\)"):
        tf.argmax(x, 2)
    with pytest.raises(ValueError, match="Invalid reduction dimension 2"):
        tf.reduce_max(x, 2)
    with pytest.raises(ValueError, match="Can not specify both 'axis' and 'reduction_indices'"):
        tf.reduce_prod(x, 0, reduction_indices=0)
    with pytest.raises(TypeError, match="takes bool tensors"):
        tf.reduce_any(tf.constant([1, 2]))
    with pytest.raises(TypeError, match="takes floating or complex tensors"):
        tf.sqrt(tf.constant([1, 2]))
    with pytest.raises(ValueError, match="out of range"):
        tf.cumsum(tf.constant([1.0, 2.0]), 1)
    with pytest.raises(ValueError, match="both be non-None"):
        tf.where(x > 0, x)
    with pytest.raises(ValueError, match="one entry per row"):
        tf.where(tf.constant([True, False]), tf.zeros([3, 2]), tf.zeros([3, 2]))
    with pytest.raises(ValueError, match="must have the same shape"):
        tf.where(tf.constant(True), tf.zeros([3]), tf.zeros([2]))
    with pytest.raises(ValueError, match="would broadcast t"):
        tf.clip_by_value(tf.constant([1.0, 2.0]), [[0.0], [0.0], [0.0]], 1.0)
    with pytest.raises(ValueError, match="Only scalar multiply"):
        tf.scalar_mul([1.0, 2.0], x)


def test_math_namespace_has_the_tf_math_names():
    for n in ("log", "exp", "sigmoid", "reduce_logsumexp", "cumsum", "argmax", "is_nan",
              "squared_difference", "divide_no_nan", "maximum", "erf", "count_nonzero"):
        assert hasattr(tf.math, n), n


# --- hypothesis: broadcasting and reduction rules of the new ops -----------------------------
shapes = st.lists(st.integers(1, 3), min_size=0, max_size=3)


@settings(max_examples=30, deadline=None)
@given(shapes, shapes)
def test_binary_broadcasting_rule_matches_numpy(sa, sb):
    try:
        expected = np.broadcast_shapes(tuple(sa), tuple(sb))
    except ValueError:
        expected = None
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float64, sa)
        b = tf.placeholder(tf.float64, sb)
        if expected is None:
            for fn in (tf.maximum, tf.minimum, tf.squared_difference):
                with pytest.raises(ValueError):
                    fn(a, b)
            return
        ua = tf.placeholder(tf.float64, [None] * len(sa))
        ub = tf.placeholder(tf.float64, [None] * len(sb))
        x = np.arange(np.prod(sa), dtype=np.float64).reshape(sa) - 2
        y = np.ones(sb) * 0.5
        outs = [tf.maximum(a, b), tf.minimum(ua, ub), tf.squared_difference(a, ub)]
        for o in outs:
            assert o.shape.is_compatible_with(expected)
        assert tuple(outs[0].shape.as_list()) == expected
        with tf.Session() as s:
            r = s.run(outs, {a: x, b: y, ua: x, ub: y})
    np.testing.assert_allclose(r[0], np.maximum(x, y))
    np.testing.assert_allclose(r[1], np.minimum(x, y))
    np.testing.assert_allclose(r[2], (x - y) ** 2)


_REDUCTIONS = [
    (tf.reduce_max, np.max), (tf.reduce_min, np.min), (tf.reduce_prod, np.prod),
    (tf.reduce_logsumexp, lambda x, axis, keepdims: np.log(np.sum(
        np.exp(x), axis=axis, keepdims=keepdims))),
]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=4), st.data(), st.booleans(),
       st.sampled_from(range(len(_REDUCTIONS))), st.booleans())
def test_new_reductions_match_numpy(shape, data, keepdims, which, unknown):
    axes = data.draw(st.lists(st.integers(-len(shape), len(shape) - 1), max_size=3,
                              unique_by=lambda a: a % len(shape)))
    fn, ref = _REDUCTIONS[which]
    x = np.random.default_rng(len(shape)).uniform(0.5, 1.5, shape)
    with tf.Graph().as_default():
        p = tf.placeholder(tf.float64, [None] * len(shape) if unknown else shape)
        out = fn(p, axes or None, keepdims=keepdims)
        with tf.Session() as s:
            r = s.run(out, {p: x})
    ax = tuple(a % len(shape) for a in axes) if axes else None
    e = ref(x, axis=ax, keepdims=keepdims)
    np.testing.assert_allclose(r, e, rtol=1e-12)
    assert out.shape.is_compatible_with(np.shape(e))
    if not unknown:
        assert tuple(out.shape.as_list()) == np.shape(e)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=3), st.data(), st.booleans())
def test_bool_reductions_and_arg_reductions_match_numpy(shape, data, keepdims):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    rng = np.random.default_rng(sum(shape))
    b = rng.random(shape) > 0.5
    x = rng.integers(0, 3, shape).astype(np.float32)     # small ints: ties are common
    with tf.Graph().as_default():
        pb = tf.placeholder(tf.bool, [None] * len(shape))
        px = tf.placeholder(tf.float32, shape)
        outs = [tf.reduce_any(pb, axis, keepdims=keepdims), tf.reduce_all(pb, keepdims=keepdims),
                tf.argmax(px, axis), tf.argmin(px, axis), tf.count_nonzero(px, axis)]
        with tf.Session() as s:
            r = s.run(outs, {pb: b, px: x})
    assert np.array_equal(r[0], b.any(axis, keepdims=keepdims))
    assert np.array_equal(r[1], b.all(keepdims=keepdims))
    assert np.array_equal(r[2], x.argmax(axis)) and np.array_equal(r[3], x.argmin(axis))
    assert np.array_equal(r[4], np.count_nonzero(x, axis))
    assert tuple(outs[2].shape.as_list()) == x.argmax(axis).shape


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=3), st.data(), st.booleans(),
       st.booleans())
def test_cumulative_ops_match_numpy(shape, data, exclusive, reverse):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = np.random.default_rng(len(shape)).integers(-3, 4, shape).astype(np.int64)
    a = axis % len(shape)

    def ref(fn, identity):
        y = np.flip(x, a) if reverse else x
        out = fn(y, axis=a)
        if exclusive:
            pad = np.full_like(np.take(out, [0], axis=a), identity)
            out = np.concatenate([pad, np.delete(out, -1, axis=a)], axis=a)
        return np.flip(out, a) if reverse else out

    with tf.Graph().as_default():
        p = tf.placeholder(tf.int64, [None] * len(shape))
        outs = [tf.cumsum(p, axis, exclusive, reverse), tf.cumprod(p, axis, exclusive, reverse)]
        with tf.Session() as s:
            r = s.run(outs, {p: x})
    assert np.array_equal(r[0], ref(np.cumsum, 0))
    assert np.array_equal(r[1], ref(np.cumprod, 1))
