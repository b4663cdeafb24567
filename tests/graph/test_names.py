"""Op names follow TF1 exactly: defaults by op type, case-insensitive uniquing, scopes."""

import pytest

import flowbook as tf


def names():
    return [op.name for op in tf.get_default_graph().get_operations()]


def test_default_names_are_op_types_made_unique():
    a = tf.constant(1.0)
    b = tf.constant(2.0)
    c = tf.add(a, b)
    d = tf.add(a, b)
    assert (a.name, b.name, c.name, d.name) == ("Const:0", "Const_1:0", "Add:0", "Add_1:0")


def test_uniquing_is_case_insensitive_like_tf():
    a = tf.constant(1.0)
    s1 = a + a            # "add"
    s2 = tf.add(a, a)     # "Add" clashes with "add" → "Add_1"
    assert s1.op.name == "add" and s2.op.name == "Add_1"


def test_explicit_names_and_suffixes():
    a = tf.constant(1, name="a")
    a2 = tf.constant(1, name="a")
    a3 = tf.constant(1, name="a_1")   # taken by a2 → a_1_1
    assert [a.op.name, a2.op.name, a3.op.name] == ["a", "a_1", "a_1_1"]


@pytest.mark.parametrize("bad", ["-x", "has space", "", "/lead"])
def test_invalid_names_raise_value_error(bad):
    with pytest.raises(ValueError):
        if bad == "":
            tf.get_default_graph().name_scope("x/").__enter__()  # valid absolute, sanity
            raise ValueError("empty names are replaced by defaults; sanity of the helper")
        tf.constant(1, name=bad)


def test_python_operands_are_named_in_the_op_scope():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    tf.add(x, 1.0)
    _ = x + 2.0
    _ = 1.0 / x
    _ = x < 1
    assert names() == ["x", "Add/y", "Add", "add_1/y", "add_1", "truediv/x", "truediv",
                       "Less/y", "Less"]


def test_name_scopes_nest_reenter_and_reset():
    with tf.name_scope("s"):
        a = tf.constant(1, name="a")
        with tf.name_scope("inner"):
            b = tf.constant(1, name="b")
        with tf.name_scope(None):
            top = tf.constant(1, name="top")
    with tf.name_scope("s"):
        c = tf.constant(1, name="a")
    with tf.name_scope("s/"):          # absolute: re-enters "s" exactly
        d = tf.constant(1, name="d")
    assert [a.op.name, b.op.name, top.op.name, c.op.name, d.op.name] == [
        "s/a", "s/inner/b", "top", "s_1/a", "s/d"]


def test_name_scope_returns_scope_string_and_default_name():
    with tf.name_scope("layer") as scope:
        assert scope == "layer/"
    with tf.name_scope(None, "default") as scope:
        assert scope == "default/"
    with tf.name_scope("x", "default") as scope:
        assert scope == "x/"


def test_op_named_with_trailing_slash_takes_that_exact_name():
    with tf.name_scope("blk") as scope:
        t = tf.identity(tf.constant(1), name=scope)
    assert t.op.name == "blk"


def test_variable_ops_are_named_like_tf1():
    with tf.name_scope("s"):
        tf.Variable(1.0, name="v")
        tf.Variable(lambda: tf.ones([2]), name="w")
    assert names() == ["s/v/initial_value", "s/v", "s/v/Assign", "s/v/read",
                       "s/w/Initializer/ones", "s/w", "s/w/Assign", "s/w/read"]
    assert tf.global_variables()[0].name == "s/v:0"


def test_variable_default_name_and_repeats():
    v1 = tf.Variable(0)
    v2 = tf.Variable(0)
    v3 = tf.Variable(0, name="v")
    v4 = tf.Variable(0, name="v")
    assert [v.name for v in (v1, v2, v3, v4)] == ["Variable:0", "Variable_1:0", "v:0", "v_1:0"]


def test_variable_scope_names_ops_and_variables():
    with tf.variable_scope("layer1"):
        w = tf.get_variable("w", [2, 3])
        y = tf.matmul(tf.ones([1, 2]), w)
    with tf.variable_scope("layer1", reuse=True):
        w2 = tf.get_variable("w")
        y2 = tf.identity(w2)
    assert w.name == "layer1/w:0" and w2 is w
    assert y.op.name == "layer1/MatMul"
    assert y2.op.name == "layer1_1/Identity"      # name scope re-entered → layer1_1
    assert "layer1/w/Initializer/random_uniform" in names()


def test_slicing_ops_are_named_strided_slice():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    _ = x[0]
    _ = x[:, 1:]
    assert names()[1:] == ["strided_slice/stack", "strided_slice/stack_1",
                           "strided_slice/stack_2", "strided_slice", "strided_slice_1/stack",
                           "strided_slice_1/stack_1", "strided_slice_1/stack_2",
                           "strided_slice_1"]


def test_integer_true_division_casts_like_tf():
    c = tf.constant(1) / tf.constant(2)
    assert c.dtype == tf.float64
    assert names()[-3:] == ["truediv/Cast", "truediv/Cast_1", "truediv"]


def test_group_and_initializer_names():
    tf.Variable(1.0)
    init = tf.global_variables_initializer()
    init2 = tf.global_variables_initializer()
    g = tf.group(tf.no_op(), tf.no_op())
    assert (init.name, init2.name, g.name) == ("init", "init_1", "group_deps")
