"""Session.run: fetch structures, feeds, pruning, run-once semantics, plan reuse, defaults."""

import collections

import numpy as np
import pytest

import flowbook as tf


def test_fetch_structures_are_preserved(sess):
    a = tf.constant(1.0, name="a")
    b = tf.constant([2, 3], name="b")
    Pair = collections.namedtuple("Pair", "x y")
    out = sess.run({"a": a, "rest": [b, (a, "b:0"), Pair(a, b.op)],
                    "od": collections.OrderedDict([("z", a), ("y", b)])})
    assert out["a"] == 1.0 and isinstance(out["a"], np.float32)
    assert out["rest"][0].tolist() == [2, 3]
    assert isinstance(out["rest"][1], tuple) and out["rest"][1][1].tolist() == [2, 3]
    assert isinstance(out["rest"][2], Pair) and out["rest"][2].y is None
    assert list(out["od"]) == ["z", "y"] and isinstance(out["od"], collections.OrderedDict)
    assert sess.run([]) == [] and sess.run(()) == ()


def test_running_an_empty_graph_is_an_error():
    with tf.Session() as s, pytest.raises(RuntimeError, match="graph is empty"):
        s.run([])


def test_fetching_ops_names_and_variables(sess):
    v = tf.Variable(3.0, name="vv")
    sess.run(tf.global_variables_initializer())
    assert sess.run(v) == 3.0 and sess.run("vv:0") == 3.0
    assert sess.run("vv") is None and sess.run(v.initializer) is None


def test_scalars_come_back_as_numpy_scalars_and_arrays_are_fresh(sess):
    c = tf.constant([1.0, 2.0])
    r1 = sess.run(c)
    r1[0] = 100.0                 # the caller owns the result …
    assert sess.run(c)[0] == 1.0  # … and cannot corrupt the graph's constant
    assert type(sess.run(tf.constant(2))) is np.int32


def test_feeds_any_tensor_by_tensor_or_name(sess):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    y = x * 2.0
    z = y + 1.0
    assert sess.run(z, {x: [[1, 2]]}).tolist() == [[3, 5]]
    assert sess.run(z, {"x:0": [[1, 2]]}).tolist() == [[3, 5]]
    # Feeding an intermediate cuts off its producer: x need not be fed.
    assert sess.run(z, {y: [[10, 10]]}).tolist() == [[11, 11]]
    # Fetching a fed tensor returns the fed value.
    assert sess.run(y, {y: [[7, 7]]}).tolist() == [[7, 7]]


def test_feed_values_convert_to_the_tensor_dtype(sess):
    x = tf.placeholder(tf.float32, [2])
    r = sess.run(x, {x: [1, 2]})
    assert r.dtype == np.float32
    i = tf.placeholder(tf.int32, [])
    assert sess.run(i, {i: 1.9}) == 1
    with pytest.raises(TypeError, match="larger type"):
        sess.run(i, {i: 2 ** 40})


def test_feed_errors(sess):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with pytest.raises(ValueError, match=r"Cannot feed value of shape \(2,\) for Tensor x:0, "
                                         r"which has shape \(\?, 3\)"):
        sess.run(x * 2, {x: [1, 2]})
    with pytest.raises(TypeError, match="cannot be a tf.Tensor"):
        sess.run(x * 2, {x: x})
    with pytest.raises(TypeError, match="Cannot interpret feed_dict key"):
        sess.run(x * 2, {"nope:0": 1})
    g = tf.get_default_graph()
    c = tf.constant(1.0)
    g.prevent_feeding(c)
    with pytest.raises(ValueError, match="may not be fed"):
        sess.run(c, {c: 2.0})


def test_missing_feed_names_the_placeholder_and_what_needs_it(sess):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.reduce_sum(x, name="total")
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        sess.run(y)
    msg = str(e.value)
    assert "placeholder tensor 'x'" in msg and "total:0" in msg and "(?, 3)" in msg
    assert e.value.op is x.op
    assert sess.run(y, {x: [[1, 2, 3]]}) == 6.0     # still usable


def test_pruning_runs_only_what_the_fetch_needs(sess):
    counter = tf.Variable(0, name="counter")
    bump = tf.assign_add(counter, 1)
    a = tf.constant(1.0)
    b = a + 1.0
    unused = tf.placeholder(tf.float32, name="never_fed") * 2.0   # would fail if it ran
    sess.run(counter.initializer)
    assert sess.run(b) == 2.0
    assert sess.run(counter) == 0           # bump did not run
    meta = tf.RunMetadata()
    sess.run(b, options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
             run_metadata=meta)
    ran = {s.node_name for d in meta.step_stats.dev_stats for s in d.node_stats}
    assert ran == {"Const", "add/y", "add"}
    assert unused.op.name not in ran and bump.op.name not in ran


def test_each_op_runs_once_per_run(sess):
    v = tf.Variable(0, name="v")
    inc = tf.assign_add(v, 1)
    sess.run(v.initializer)
    r = sess.run([inc, inc, inc + 0])
    assert r[0] == r[1] == r[2] == 1 and sess.run(v) == 1


def test_control_dependencies_are_honoured(sess):
    v = tf.Variable(1.0)
    upd = tf.assign(v, 5.0)
    with tf.control_dependencies([upd]):
        out = tf.identity(v.read_value())
    sess.run(v.initializer)
    assert sess.run(out) == 5.0


def test_plan_is_compiled_once_and_recompiled_after_graph_mutation(sess):
    x = tf.placeholder(tf.float32)
    y = x + 1.0
    sess.run(y, {x: 1.0})
    plans = dict(sess._plans)
    sess.run(y, {x: 2.0})
    assert sess._plans == plans
    tf.constant(1.0)              # appending ops keeps plans valid
    sess.run(y, {x: 2.0})
    assert sess._plans == plans
    x.set_shape([])               # a mutation of an existing op recompiles
    sess.run(y, {x: 2.0})
    assert list(sess._plans.values())[0] is not list(plans.values())[0]


def test_closed_session_raises_runtime_error():
    c = tf.constant(1)
    s = tf.Session()
    s.close()
    with pytest.raises(RuntimeError, match="closed Session"):
        s.run(c)


def test_with_block_makes_default_session_and_graph_then_closes():
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(2.0) * 3.0
    with tf.Session(graph=g) as s:
        assert tf.get_default_session() is s and tf.get_default_graph() is g
        assert c.eval() == 6.0
        c.op.run()
    assert tf.get_default_session() is None
    with pytest.raises(RuntimeError):
        s.run(c)


def test_eval_without_default_session_or_with_wrong_graph():
    c = tf.constant(1)
    with pytest.raises(ValueError, match="No default session"):
        c.eval()
    other = tf.Session(graph=tf.Graph())
    with pytest.raises(ValueError, match="graph is different"):
        c.eval(session=other)


def test_interactive_session_installs_itself():
    c = tf.constant(4) + 1
    s = tf.InteractiveSession()
    try:
        assert c.eval() == 5
    finally:
        s.close()
    assert tf.get_default_session() is None


def test_make_callable(sess):
    x = tf.placeholder(tf.float32)
    f = sess.make_callable(x * 3.0, [x])
    assert f(2.0) == 6.0 and f(3.0) == 9.0


def test_run_metadata_step_stats(sess):
    x = tf.placeholder(tf.float32, [2, 3])
    y = tf.matmul(x, tf.ones([3, 4]), name="mm")
    meta = tf.RunMetadata()
    sess.run(y, {x: np.ones((2, 3))},
             options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE), run_metadata=meta)
    stats = {s.node_name: s for d in meta.step_stats.dev_stats for s in d.node_stats}
    mm = stats["mm"]
    assert meta.step_stats.dev_stats[0].device.endswith("device:CPU:0")
    assert mm.op_type == "MatMul" and mm.op_end_rel_micros >= 0 and mm.all_start_micros > 0
    out = mm.output[0].tensor_description
    assert out.shape == (2, 4) and out.allocation_description.requested_bytes == 32
    assert "mm = MatMul(" in mm.timeline_label
