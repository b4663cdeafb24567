"""Variables: creation forms, initialisation, per-session values, updates, scopes, reuse."""

import numpy as np
import pytest

import flowbook as tf


def test_initial_value_forms_and_properties(sess):
    a = tf.Variable(1.5)
    b = tf.Variable([[1, 2]], dtype=tf.float64)
    c = tf.Variable(np.zeros(3, np.float32))
    d = tf.Variable(lambda: tf.ones([2]))
    e = tf.Variable(tf.zeros([2, 2]) + 1.0, trainable=False, name="e")
    sess.run(tf.global_variables_initializer())
    assert sess.run(a) == 1.5 and sess.run(b).dtype == np.float64
    assert sess.run(c).tolist() == [0, 0, 0] and sess.run(d).tolist() == [1, 1]
    assert a.dtype == tf.float32._as_ref and a.shape.as_list() == []
    assert a.op.type == "VariableV2" and a.initializer.type == "Assign"
    assert a.value().name == "Variable/read:0" and a.initial_value.name == \
        "Variable/initial_value:0"
    assert e not in tf.trainable_variables() and e in tf.global_variables()
    assert repr(a) == "<tf.Variable 'Variable:0' shape=() dtype=float32_ref>"


def test_values_live_in_each_session_separately():
    v = tf.Variable(10)
    inc = v.assign_add(5)
    s1, s2 = tf.Session(), tf.Session()
    s1.run(v.initializer)
    s2.run(v.initializer)
    s1.run(inc)
    s1.run(inc)
    assert s1.run(v) == 20 and s2.run(v) == 10


def test_assign_family_returns_the_new_value(sess):
    v = tf.Variable([1.0, 2.0])
    sess.run(v.initializer)
    assert sess.run(v.assign([5.0, 6.0])).tolist() == [5, 6]
    assert sess.run(tf.assign_add(v, [1.0, 1.0])).tolist() == [6, 7]
    assert sess.run(v.assign_sub([1.0, 1.0])).tolist() == [5, 6]
    assert sess.run(tf.assign(v, [0.0, 0.0])).tolist() == [0, 0]
    assert v.assign(1.0 * np.ones(2), read_value=False).type == "Assign"
    with pytest.raises(ValueError, match="incompatible"):
        v.assign([1.0, 2.0, 3.0])


def test_variables_support_operators_and_eval(sess):
    v = tf.Variable(3.0)
    sess.run(v.initializer)
    with sess.as_default():
        assert (v * 2 + 1).eval() == 7.0 and v.eval() == 3.0 and (-v).eval() == -3.0
        v.load(8.0)
        assert v.eval() == 8.0


def test_uninitialized_variable_raises_failed_precondition(sess):
    v = tf.Variable(1.0, name="weights")
    with pytest.raises(tf.errors.FailedPreconditionError, match="weights") as e:
        sess.run(v + 1)
    assert "global_variables_initializer" in str(e.value)
    sess.run(tf.global_variables_initializer())   # the session stays usable
    assert sess.run(v + 1) == 2.0


def test_report_and_is_initialized(sess):
    v = tf.Variable(1.0, name="v")
    w = tf.Variable(2.0, name="w")
    assert sess.run(tf.report_uninitialized_variables()).tolist() == [b"v", b"w"]
    sess.run(v.initializer)
    assert sess.run(tf.report_uninitialized_variables()).tolist() == [b"w"]
    assert sess.run(tf.is_variable_initialized(v)) and not sess.run(
        tf.is_variable_initialized(w))


def test_initial_value_may_depend_on_another_variable(sess):
    a = tf.Variable(2.0)
    b = tf.Variable(a.initialized_value() * 3.0)
    c = tf.Variable(a * 2.0)
    sess.run(tf.global_variables_initializer())
    assert sess.run([a, b, c]) == [2.0, 6.0, 4.0]


def test_validate_shape_false_allows_reshaping(sess):
    v = tf.Variable([1, 2], validate_shape=False)
    sess.run(v.initializer)
    sess.run(tf.assign(v, [1, 2, 3], validate_shape=False))
    assert sess.run(v).tolist() == [1, 2, 3]


def test_local_variables_and_initializers(sess):
    l = tf.Variable(0, collections=[tf.GraphKeys.LOCAL_VARIABLES], name="l")
    g = tf.Variable(0, name="g")
    assert tf.local_variables() == [l] and tf.global_variables() == [g]
    sess.run(tf.local_variables_initializer())
    assert sess.run(l) == 0
    with pytest.raises(tf.errors.FailedPreconditionError):
        sess.run(g)
    sess.run(tf.initialize_all_variables())
    assert sess.run(g) == 0


def test_get_variable_reuse_rules():
    with tf.variable_scope("s"):
        v = tf.get_variable("v", [2], initializer=tf.zeros_initializer())
        with pytest.raises(ValueError, match="already exists, disallowed"):
            tf.get_variable("v", [2])
    with tf.variable_scope("s", reuse=True):
        assert tf.get_variable("v", [2]) is v
        with pytest.raises(ValueError, match="does not exist"):
            tf.get_variable("w", [2])
        with pytest.raises(ValueError, match="specified shape"):
            tf.get_variable("v", [3])
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
        assert tf.get_variable("v", [2]) is v
        w = tf.get_variable("w", [1])
    assert w.name == "s/w:0"
    with tf.variable_scope("t") as scope:
        a = tf.get_variable("a", [1])
        scope.reuse_variables()
        assert tf.get_variable("a") is a
    with tf.variable_scope(scope, reuse=True):
        assert tf.get_variable("a") is a
    with pytest.raises(ValueError, match="must be fully defined"):
        tf.get_variable("nope")


def test_get_variable_initializers_and_dtypes(sess):
    with tf.variable_scope("init", initializer=tf.constant_initializer(0.5)):
        a = tf.get_variable("a", [2])
        b = tf.get_variable("b", initializer=tf.constant([1, 2]))
        e = tf.get_variable("e", [2], initializer=tf.ones_initializer())
        with pytest.raises(TypeError, match="Expected int32"):   # as TF1: 0.5 is no int
            tf.get_variable("bad", [3], dtype=tf.int32)
    c = tf.get_variable("c", [3], dtype=tf.int32)   # ints default to zeros
    d = tf.get_variable("d", [100, 50])             # floats default to glorot uniform
    sess.run(tf.global_variables_initializer())
    assert sess.run(a).tolist() == [0.5, 0.5] and sess.run(b).tolist() == [1, 2]
    assert sess.run(c).tolist() == [0, 0, 0] and sess.run(e).tolist() == [1, 1]
    dv = sess.run(d)
    limit = np.sqrt(6 / 150)
    assert np.abs(dv).max() <= limit and dv.std() > limit / 3


def test_default_scope_names_are_unique():
    with tf.variable_scope(None, default_name="layer"):
        a = tf.get_variable("w", [1])
    with tf.variable_scope(None, default_name="layer"):
        b = tf.get_variable("w", [1])
    assert (a.name, b.name) == ("layer/w:0", "layer_1/w:0")
    assert tf.get_variable_scope().name == ""


def test_regularizer_adds_to_collection():
    with tf.variable_scope("r", regularizer=lambda v: tf.reduce_sum(v) * 0.1):
        tf.get_variable("w", [2])
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert len(losses) == 1 and losses[0].name.startswith("r/w/Regularizer/")


def test_seeded_initializers_replay_per_session():
    tf.set_random_seed(42)
    v = tf.Variable(tf.random_normal([5]))
    w = tf.Variable(tf.random_uniform([5], seed=3))
    init = tf.global_variables_initializer()
    vals = []
    for _ in range(2):
        with tf.Session() as s:
            s.run(init)
            vals.append(s.run([v, w]))
    assert np.array_equal(vals[0][0], vals[1][0]) and np.array_equal(vals[0][1], vals[1][1])
    assert not np.array_equal(vals[0][0], vals[0][1])


def test_unseeded_random_differs_between_runs(sess):
    r = tf.random_uniform([8])
    assert not np.array_equal(sess.run(r), sess.run(r))
