"""tf.gradients behaviour: scopes, fan-out sums, None for unconnected, stop gradients,
grad_ys, second derivatives, unknown shapes, and errors."""

import numpy as np
import pytest

import flowbook as tf


def test_gradient_ops_live_under_the_gradients_scope(sess):
    x = tf.placeholder(tf.float32, [], name="x")
    y = x * x
    g, = tf.gradients(y, x)
    assert g.name.startswith("gradients/")
    names = [o.name for o in tf.get_default_graph().get_operations()]
    # TF1's names for the default grad_ys (ones shaped like y).
    assert names[2:5] == ["gradients/Shape", "gradients/grad_ys_0/Const", "gradients/grad_ys_0"]
    assert any(n.startswith("gradients/mul_grad/") for n in names)
    assert sess.run(g, {x: 3.0}) == 6.0
    g2, = tf.gradients(y, x)
    assert g2.name.startswith("gradients_1/")


def test_fan_out_contributions_are_summed(sess):
    x = tf.constant(2.0)
    y = x * x + 3.0 * x + x / (x + 1.0)
    g, = tf.gradients(y, x)
    expected = 2 * 2.0 + 3.0 + 1.0 / 9.0
    assert abs(sess.run(g) - expected) < 1e-5
    assert g.op.type == "AddN"


def test_unconnected_gradients(sess):
    x = tf.constant(1.0)
    z = tf.constant(2.0)
    y = x * 2.0
    assert tf.gradients(y, [z]) == [None]
    gz, = tf.gradients(y, [z], unconnected_gradients="zero")
    assert sess.run(gz) == 0.0
    i = tf.constant(1)
    assert tf.gradients(tf.cast(i, tf.float32) * x, [i]) == [None]


def test_stop_gradient_and_stop_gradients(sess):
    x = tf.constant(3.0)
    y = x * x
    a, = tf.gradients(tf.stop_gradient(y) * x, x)
    assert sess.run(a) == 9.0
    b, = tf.gradients(y * x, x, stop_gradients=[y])
    assert sess.run(b) == 9.0
    c, = tf.gradients(y * x, x)
    assert sess.run(c) == 27.0


def test_grad_ys_and_lists_of_ys(sess):
    x = tf.constant([1.0, 2.0])
    y1 = x * 2.0
    y2 = x * x
    g, = tf.gradients([y1, y2], x, grad_ys=[tf.constant([1.0, 0.0]), tf.constant([0.0, 1.0])])
    assert sess.run(g).tolist() == [2.0, 4.0]
    with pytest.raises(ValueError):
        tf.gradients(y1, x, grad_ys=[tf.constant([1.0, 2.0, 3.0])])


def test_second_derivatives(sess):
    x = tf.placeholder(tf.float64, [])
    y = x * x * x
    g, = tf.gradients(y, x)
    h, = tf.gradients(g, x)
    assert sess.run([g, h], {x: 2.0}) == [12.0, 12.0]
    v = tf.constant([1.0, 2.0], tf.float64)
    hess, = tf.hessians(tf.reduce_sum(v * v * v), v)
    assert sess.run(hess).tolist() == [[6.0, 0.0], [0.0, 12.0]]


def test_gradients_through_variables_read_by_several_ops(sess):
    w = tf.Variable([1.0, 2.0])
    loss = tf.reduce_sum(w * w) + tf.reduce_sum(w * 3.0)
    g, = tf.gradients(loss, w)
    sess.run(w.initializer)
    assert sess.run(g).tolist() == [5.0, 7.0]


def test_broadcasting_and_reductions_with_unknown_shapes(sess):
    x = tf.placeholder(tf.float32, [None, None])
    b = tf.placeholder(tf.float32, [None])
    axis = tf.placeholder(tf.int32, [])
    y = tf.reduce_sum(tf.reduce_mean(x + b, axis) * 2.0)
    gx, gb = tf.gradients(y, [x, b])
    xv = np.ones((2, 3), np.float32)
    bv = np.ones(3, np.float32)
    rx, rb = sess.run([gx, gb], {x: xv, b: bv, axis: 0})
    np.testing.assert_allclose(rx, np.full((2, 3), 1.0))
    np.testing.assert_allclose(rb, np.full(3, 2.0))


def test_missing_gradient_rule_names_the_op():
    from flowbook.ops.registry import register_op, apply_op1
    from flowbook.backends import get_backend
    register_op("TestNoGrad", inputs=("x",), infer=lambda i, a: (i[0].dtype, i[0].shape),
                doc="y = x without a gradient rule (tests only)")
    get_backend("numpy").kernel("TestNoGrad")(lambda x: x)
    try:
        x = tf.constant(1.0)
        y = apply_op1("TestNoGrad", (x,), name="mystery")
        with pytest.raises(LookupError, match="mystery.*TestNoGrad"):
            tf.gradients(y, x)
    finally:
        from flowbook.ops import registry
        del registry._REGISTRY["TestNoGrad"]
        del get_backend("numpy").kernels["TestNoGrad"]


def test_custom_gradient_through_override_map(sess):
    @tf.RegisterGradient("TimesTen")
    def _times_ten(op, g):
        return (g * 10.0,)

    x = tf.constant(2.0)
    with tf.get_default_graph().gradient_override_map({"Identity": "TimesTen"}):
        y = tf.identity(x)
    g, = tf.gradients(y * 1.0, x)
    assert sess.run(g) == 10.0


def test_gate_gradients_groups_each_ops_input_gradients(sess):
    x = tf.placeholder(tf.float32, [2], name="x")
    w = tf.Variable([3.0, 4.0], name="w")
    y = tf.reduce_sum(x * w)
    gx, gw = tf.gradients(y, [x, w], gate_gradients=True)
    # TF1's names: each op's gradients pass through tuple/control_dependency identities.
    assert gx.name == "gradients/mul_grad/tuple/control_dependency:0"
    assert gw.name == "gradients/mul_grad/tuple/control_dependency_1:0"
    assert gx.op.control_inputs[0].name == "gradients/mul_grad/tuple/group_deps"
    sess.run(w.initializer)
    rx, rw = sess.run([gx, gw], {x: [1.0, 2.0]})
    assert rx.tolist() == [3.0, 4.0] and rw.tolist() == [1.0, 2.0]


@pytest.mark.parametrize("method", [tf.AggregationMethod.ADD_N, tf.AggregationMethod.DEFAULT,
                                    tf.AggregationMethod.EXPERIMENTAL_TREE,
                                    tf.AggregationMethod.EXPERIMENTAL_ACCUMULATE_N])
def test_aggregation_methods_agree(sess, method):
    w = tf.Variable([1.0, 2.0], name="w")
    loss = tf.reduce_sum(w * w) + tf.reduce_sum(w * 3.0)
    g, = tf.gradients(loss, w, aggregation_method=method)
    sess.run(w.initializer)
    assert sess.run(g).tolist() == [5.0, 7.0]
    if method in (tf.AggregationMethod.EXPERIMENTAL_TREE,
                  tf.AggregationMethod.EXPERIMENTAL_ACCUMULATE_N):
        assert g.name == "gradients/w/read_gradient_sum/AddN_1:0"   # pairwise sums, as TF1
    else:
        assert g.name == "gradients/AddN:0"


def test_invalid_aggregation_method():
    x = tf.constant(1.0)
    with pytest.raises(ValueError, match="Invalid aggregation_method"):
        tf.gradients(x * x, x, aggregation_method=7)


def test_colocate_gradients_with_ops():
    x = tf.placeholder(tf.float32, [], name="x")
    y = tf.multiply(x, x, name="square")
    g, = tf.gradients(y, x, colocate_gradients_with_ops=True)
    # the two contributions of x are summed beside x; each product beside the forward op
    assert g.op.type == "AddN" and g.op.colocation_groups() == [b"loc:@x"]
    assert g.op.inputs[0].op.colocation_groups() == [b"loc:@square"]
    ops = tf.get_default_graph().get_operations()
    assert ops[2].name == "gradients/Shape" and ops[2].colocation_groups() == [b"loc:@square"]
    g2, = tf.gradients(y, x)
    assert g2.op.colocation_groups() == [f"loc:@{g2.op.name}".encode()]


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_softmax_family_gradients_are_stable_at_extreme_logits(sess):
    """Gradients of softmax, log_softmax and logsumexp stay finite and exact where a naive
    exp() would overflow (logits of +-1000)."""
    z = np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]])
    w = np.random.RandomState(0).standard_normal((2, 3))
    x = tf.placeholder(tf.float64, [2, 3])
    sm, lsm = tf.nn.softmax(x), tf.nn.log_softmax(x)
    lse = tf.reduce_logsumexp(x, axis=1)
    g_sm, = tf.gradients(tf.reduce_sum(sm * w), x)
    g_lsm, = tf.gradients(tf.reduce_sum(lsm * w), x)
    g_lse, = tf.gradients(tf.reduce_sum(lse * w[:, 0]), x)
    got = sess.run([g_sm, g_lsm, g_lse], {x: z})
    p = _softmax(z)
    expect_sm = p * (w - (w * p).sum(axis=1, keepdims=True))
    expect_lsm = w - p * w.sum(axis=1, keepdims=True)
    expect_lse = p * w[:, :1]
    for g, e in zip(got, (expect_sm, expect_lsm, expect_lse)):
        assert np.isfinite(g).all()
        np.testing.assert_allclose(g, e, rtol=1e-10, atol=1e-12)


def test_softmax_cross_entropy_trains_a_classifier(sess):
    x = tf.constant([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    labels = tf.constant([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    w = tf.Variable(tf.zeros([2, 2]))
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels,
                                                                      logits=tf.matmul(x, w)))
    g, = tf.gradients(loss, w)
    train = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
    sess.run(w.initializer)
    # d loss / d logits = (softmax - labels) / 3; at w = 0 softmax is uniform
    d = (np.full((3, 2), 0.5) - np.array([[1, 0], [0, 1], [0.5, 0.5]])) / 3
    np.testing.assert_allclose(sess.run(g), np.array([[1, 0], [0, 1], [1, 1]]).T @ d, atol=1e-7)
    first = sess.run(loss)
    for _ in range(50):
        sess.run(train)
    assert sess.run(loss) < 0.5 * first


def test_gather_gradient_sums_repeated_rows(sess):
    params = tf.Variable(np.arange(12.0).reshape(4, 3), name="embeddings")
    rows = tf.gather(params, [0, 2, 2])
    g, = tf.gradients(tf.reduce_sum(rows * rows), params)
    sess.run(params.initializer)
    expect = np.zeros((4, 3))
    expect[0] = 2 * np.arange(3.0)
    expect[2] = 2 * 2 * np.arange(6.0, 9.0)
    np.testing.assert_allclose(sess.run(g), expect)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(rows))
    sess.run(train)
    after = sess.run(params)
    np.testing.assert_allclose(after[[1, 3]], np.arange(12.0).reshape(4, 3)[[1, 3]])
    np.testing.assert_allclose(after[2] - np.arange(6.0, 9.0), [-0.2] * 3)
