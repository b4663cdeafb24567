"""The Graph object: default graphs, lookups, finalize, observers, collections, control
dependencies, device scopes."""

import threading

import pytest

import flowbook as tf


def test_as_default_nests_and_graphs_are_independent():
    g1, g2 = tf.Graph(), tf.Graph()
    with g1.as_default():
        a = tf.constant(1, name="a")
        with g2.as_default():
            b = tf.constant(1, name="a")
            assert tf.get_default_graph() is g2
        assert tf.get_default_graph() is g1
    assert a.graph is g1 and b.graph is g2
    assert [o.name for o in g1.get_operations()] == ["a"]
    assert [o.name for o in g2.get_operations()] == ["a"]


def test_default_graph_is_per_thread_inside_as_default():
    g = tf.Graph()
    seen = []
    with g.as_default():
        t = threading.Thread(target=lambda: seen.append(tf.get_default_graph()))
        t.start()
        t.join()
    assert seen[0] is not g


def test_reset_default_graph():
    g = tf.get_default_graph()
    tf.constant(1)
    tf.reset_default_graph()
    assert tf.get_default_graph() is not g
    assert tf.get_default_graph().get_operations() == []
    with tf.Graph().as_default():
        with pytest.raises(AssertionError):
            tf.reset_default_graph()


def test_ops_built_from_another_graphs_tensors_go_to_that_graph():
    g = tf.Graph()
    with g.as_default():
        a = tf.constant(1.0)
    b = a * 2.0                 # default graph is another one, TF builds in a's graph
    assert b.graph is g


def test_lookups_and_their_errors():
    g = tf.get_default_graph()
    a = tf.constant(1.0, name="a")
    assert g.get_operation_by_name("a") is a.op
    assert g.get_tensor_by_name("a:0") is a
    assert g.as_graph_element("a") is a.op and g.as_graph_element("a:0") is a
    with pytest.raises(KeyError, match="does not exist"):
        g.get_tensor_by_name("nope:0")
    with pytest.raises(KeyError, match="only has 1 outputs"):
        g.get_tensor_by_name("a:3")
    with pytest.raises(KeyError):
        g.get_operation_by_name("nope")
    with pytest.raises(ValueError, match="refers to an Operation, not a Tensor"):
        g.get_tensor_by_name("a")
    with pytest.raises(TypeError):
        g.get_tensor_by_name(3)
    other = tf.Graph()
    with pytest.raises(ValueError, match="not an element of this graph"):
        other.as_graph_element(a)


def test_finalize_makes_graph_read_only():
    g = tf.Graph()
    with g.as_default():
        tf.constant(1)
    g.finalize()
    assert g.finalized
    with g.as_default(), pytest.raises(RuntimeError, match="finalized"):
        tf.constant(2)


def test_version_counts_ops_and_observers_hear_each_op():
    g = tf.Graph()
    heard = []
    g.add_observer(heard.append)
    with g.as_default():
        v0 = g.version
        a = tf.constant(1.0)
        b = a + 1.0
    assert g.version == v0 + 3
    assert [op.name for op in heard] == ["Const", "add/y", "add"]
    assert heard[-1] is b.op
    g.remove_observer(heard.append)
    with g.as_default():
        tf.constant(3)
    assert len(heard) == 3


def test_operation_and_tensor_attributes():
    a = tf.constant([[1.0, 2.0]], name="a")
    m = tf.matmul(a, a, transpose_b=True, name="m")
    op = m.op
    assert op.name == "m" and op.type == "MatMul"
    assert list(op.inputs) == [a, a] and op.outputs == [m]
    assert op.get_attr("transpose_b") is True and op.graph is a.graph
    with pytest.raises(ValueError, match="no attr named"):
        op.get_attr("nope")
    nd = op.node_def
    assert nd.name == "m" and nd.op == "MatMul" and nd.input == ["a", "a"]
    assert m.name == "m:0" and m.value_index == 0 and m.op is op
    assert m.dtype == tf.float32 and m.shape.as_list() == [1, 1]
    assert a.consumers() == [op, op]
    assert repr(m) == "<tf.Tensor 'm:0' shape=(1, 1) dtype=float32>"
    assert str(m) == 'Tensor("m:0", shape=(1, 1), dtype=float32)'
    assert repr(op) == "<tf.Operation 'm' type=MatMul>"


def test_tensor_is_hashable_but_not_a_bool_or_iterable():
    a = tf.constant([1, 2])
    assert {a: 1}[a] == 1
    with pytest.raises(TypeError, match="bool"):
        bool(a)
    with pytest.raises(TypeError):
        iter(a)
    with pytest.raises(TypeError):
        len(a)


def test_set_shape_refines_and_rejects():
    x = tf.placeholder(tf.float32, [None, 3])
    x.set_shape([2, 3])
    assert x.shape.as_list() == [2, 3]
    with pytest.raises(ValueError, match="incompatible"):
        x.set_shape([4, 3])


def test_collections():
    g = tf.get_default_graph()
    tf.add_to_collection("things", 1)
    tf.add_to_collections(["things", "more"], 2)
    assert tf.get_collection("things") == [1, 2] and tf.get_collection("more") == [2]
    ref = tf.get_collection_ref("things")
    ref.append(3)
    assert tf.get_collection("things") == [1, 2, 3]
    copy = tf.get_collection("things")
    copy.append(4)
    assert len(tf.get_collection("things")) == 3
    with tf.variable_scope("a"):
        va = tf.get_variable("v", [1])
    with tf.variable_scope("b"):
        vb = tf.get_variable("v", [1], trainable=False)
    assert tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="a") == [va]
    assert tf.global_variables() == [va, vb]
    assert tf.trainable_variables() == [va]
    assert "things" in g.get_all_collection_keys()
    g.clear_collection("things")
    assert tf.get_collection("things") == []


def test_control_dependencies_nest_clear_and_skip_dominated():
    a = tf.constant(1, name="a")
    b = tf.constant(2, name="b")
    with tf.control_dependencies([a]):
        c = tf.identity(b, name="c")
        with tf.control_dependencies([b.op]):
            d = tf.identity(b, name="d")
            e = tf.identity(c, name="e")       # c is built under [a]: a is not repeated
        with tf.control_dependencies(None):
            f = tf.identity(b, name="f")
    assert c.op.control_inputs == [a.op]
    assert d.op.control_inputs == [a.op]        # b is already a data input
    assert e.op.control_inputs == [b.op]
    assert f.op.control_inputs == []
    assert c.op.node_def.input == ["b", "^a"]


def test_device_scopes_merge_and_reset():
    with tf.device("/job:ps"):
        with tf.device("/gpu:1"):
            a = tf.constant(1)
        with tf.device(None):
            b = tf.constant(1)
    with tf.device("/device:GPU:0"):
        with tf.device("/cpu:0"):
            c = tf.constant(1)
    with tf.device(lambda op: "/cpu:0" if op.type == "Const" else "/gpu:0"):
        d = tf.constant(1.0)
        e = d + d
    assert a.device == "/job:ps/device:GPU:1"
    assert b.device == ""
    assert c.device == "/device:CPU:0"
    assert (d.device, e.device) == ("/device:CPU:0", "/device:GPU:0")
    with pytest.raises(ValueError, match="device specification"):
        with tf.device("/banana:3"):
            pass


def test_colocate_with_uses_the_ops_device():
    with tf.device("/cpu:0"):
        v = tf.Variable(1.0)
    with tf.device("/gpu:0"):
        with tf.colocate_with(v):
            x = tf.identity(v)
    assert x.device == "/device:CPU:0"
    assert x.op.colocation_groups() == [b"loc:@Variable"]
