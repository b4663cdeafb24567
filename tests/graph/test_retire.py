"""Graph._retire_ops: the graph-layer mechanism behind re-running a %%flow cell.

Retired ops leave lookups, collections and the variable store; their names are free again;
ops built on them are reported (stale) and can no longer run; cached plans recompile.
"""

import numpy as np
import pytest

import flowbook as tf
from flowbook.runtime import placement


def _cell(g, build):
    """Runs ``build`` on ``g`` and returns the ops it created (a 'cell')."""
    before = g.version
    with g.as_default():
        out = build()
    return [op for op in g.get_operations() if op._id >= before], out


def test_names_are_reused_by_the_replacement():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [], name="x")
    ops, _ = _cell(g, lambda: tf.add(x, 1.0) * 2.0)
    names = [op.name for op in ops]
    assert names == ["Add/y", "Add", "mul/y", "mul"]
    assert g._retire_ops(ops) == []
    ops2, _ = _cell(g, lambda: tf.add(x, 1.0) * 2.0)
    assert [op.name for op in ops2] == names
    assert g.get_operation_by_name("Add") is ops2[1]


def test_numbered_names_skip_those_other_cells_still_use():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [], name="x")
    a, _ = _cell(g, lambda: tf.identity(x, name="y"))          # y
    b, _ = _cell(g, lambda: tf.identity(x, name="y"))          # y_1 (another cell)
    assert [op.name for op in b] == ["y_1"]
    g._retire_ops(a)
    a2, _ = _cell(g, lambda: [tf.identity(x, name="y"), tf.identity(x, name="y")])
    assert [op.name for op in a2] == ["y", "y_2"]


def test_scope_names_passed_along_are_freed():
    g = tf.Graph()

    def build():
        with tf.name_scope("layer"):
            return tf.constant(1.0, name="c")
    ops, _ = _cell(g, build)
    g._retire_ops(ops, names=["layer"])
    ops2, _ = _cell(g, build)
    assert [op.name for op in ops2] == ["layer/c"]


def test_variables_leave_collections_and_the_store():
    g = tf.Graph()

    def build():
        return tf.get_variable("w", [2], initializer=tf.zeros_initializer())
    ops, w = _cell(g, build)
    with g.as_default():
        assert tf.global_variables() == [w] and tf.trainable_variables() == [w]
    g._retire_ops(ops)
    with g.as_default():
        assert tf.global_variables() == [] and tf.trainable_variables() == []
    ops2, w2 = _cell(g, build)          # no "Variable w already exists"
    assert w2.name == "w:0"
    with g.as_default():
        assert tf.global_variables() == [w2]


def test_consumers_of_retired_ops_are_stale_and_cannot_run():
    g = tf.Graph()
    ops, x = _cell(g, lambda: tf.constant(2.0, name="x"))
    with g.as_default():
        y = tf.multiply(x, 3.0, name="y")
        z = tf.add(y, 1.0, name="z")
        other = tf.constant(5.0, name="other")
    sess = tf.Session(graph=g)
    assert sess.run(z) == 7.0
    stale = g._retire_ops(ops, reason="cell [2] ran again")
    assert [op.name for op in stale] == ["y", "z"]
    assert x.consumers() == [] or all(c in stale for c in x.consumers())
    with pytest.raises(tf.errors.FailedPreconditionError, match=r"cell \[2\] ran again"):
        sess.run(z)                     # the cached plan was dropped (epoch bumped)
    assert sess.run(other) == 5.0
    with pytest.raises(KeyError):
        g.get_operation_by_name("x")


def test_ids_stay_unique_and_version_only_grows():
    g = tf.Graph()
    ops, _ = _cell(g, lambda: tf.constant(1.0))
    v = g.version
    g._retire_ops(ops)
    assert g.version == v and g.get_operations() == []
    ops2, _ = _cell(g, lambda: tf.constant(1.0))
    assert ops2[0]._id == v and g.version == v + 1


def test_survivors_forget_retired_consumers():
    g = tf.Graph()
    with g.as_default():
        x = tf.constant(1.0, name="x")
    ops, _ = _cell(g, lambda: tf.identity(x, name="y"))
    assert x.consumers() == ops
    g._retire_ops(ops)
    assert x.consumers() == []
    assert tf.Session(graph=g).run(x) == 1.0


def test_compile_observers_hear_every_new_plan():
    g = tf.Graph()
    with g.as_default():
        a = tf.placeholder(tf.float32, [])
        b = a * 2.0
    seen = []
    g._compile_observers.append(lambda sess, plan: seen.append([op.name for op in plan.ops]))
    s = tf.Session(graph=g)
    s.run(b, {a: 1.0})
    s.run(b, {a: 2.0})                 # cached: no new plan
    assert seen == [["mul/y", "mul"]]


def test_placement_log_can_go_to_a_notebook_logger(capsys):
    got = []
    placement.set_placement_logger(got.append)
    try:
        g = tf.Graph()
        with g.as_default():
            c = tf.constant(np.float32(1.0), name="c")
        tf.Session(graph=g, config=tf.ConfigProto(log_device_placement=True)).run(c)
    finally:
        placement.set_placement_logger(None)
    assert [p.op_name for p in got[0]] == ["c"]
    assert capsys.readouterr().err == ""
