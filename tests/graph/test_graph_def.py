"""GraphDef export and tf.import_graph_def: every registered op round-trips exactly.

The walk builds a graph for every op spec row (with its gradient graph) and a representative
graph for the ops tested elsewhere, sends each through JSON and through protobuf bytes, imports
it into a new graph and checks node by node (name, op, inputs, device, attributes with their
Python types, output dtypes and shapes), then runs both graphs and compares values.
"""

import math

import numpy as np
import pytest

import flowbook as tf
from flowbook.graph.graph_def import GraphDef
from flowbook.ops.registry import registered_ops
from tests import opcheck
from tests.ops.specs import ALL_SPECS

try:
    import tensorboard.compat.proto.graph_pb2  # noqa: F401
    HAVE_PROTOBUF = True
except ImportError:  # the JSON path is still fully tested
    HAVE_PROTOBUF = False

SEEN_OPS = set()


def same(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return (a.dtype == b.dtype and a.shape == b.shape and not a.flags.writeable and
                not b.flags.writeable and (np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
                                           if a.dtype != object else list(a.flat) == list(
                                               b.flat)))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, tf.TensorShape):
        return a.ndims == b.ndims and (a.ndims is None or a.as_list() == b.as_list())
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def assert_same_graph(g1, g2):
    ops1, ops2 = g1.get_operations(), g2.get_operations()
    assert [o.name for o in ops1] == [o.name for o in ops2]
    for a, b in zip(ops1, ops2):
        where = f"node {a.name} ({a.type})"
        assert a.type == b.type, where
        assert [t.name for t in a.inputs] == [t.name for t in b.inputs], where
        assert [c.name for c in a.control_inputs] == [c.name for c in b.control_inputs], where
        assert a.device == b.device, where
        assert a._colocation == b._colocation, where
        assert same(a._attrs, b._attrs), f"{where}: {a._attrs} != {b._attrs}"
        for t1, t2 in zip(a.outputs, b.outputs):
            assert t1.dtype == t2.dtype, where
            assert same(t1.shape, t2.shape), f"{where}: {t1.shape} != {t2.shape}"
        SEEN_OPS.add(a.type)


def roundtrip(g, fetches=(), feeds=None, run=True):
    """Sends ``g`` through JSON and protobuf, imports each, compares nodes and values."""
    gd = g.as_graph_def(add_shapes=True)
    forms = [GraphDef.from_json(gd.to_json())]
    if HAVE_PROTOBUF:
        forms.append(GraphDef())
        forms[-1].ParseFromString(gd.SerializeToString())
    names = [f.name for f in fetches]
    feeds = feeds or {}
    if run and names:
        with tf.Session(graph=g) as s:
            expected = s.run(names, {k.name: v for k, v in feeds.items()})
    for form in forms:
        h = tf.Graph()
        with h.as_default():
            tf.import_graph_def(form, name="")
        assert_same_graph(g, h)
        if run and names:
            with tf.Session(graph=h) as s:
                got = s.run(names, {k.name: v for k, v in feeds.items()})
            for n, e, r in zip(names, expected, got):
                assert same_value(e, r), f"{n}: {e} != {r}"


def same_value(e, r):
    e, r = np.asarray(e), np.asarray(r)
    if e.dtype != r.dtype or e.shape != r.shape:
        return False
    if e.dtype == object:
        return list(e.flat) == list(r.flat)
    return np.array_equal(e, r, equal_nan=e.dtype.kind in "fc")


@pytest.mark.parametrize("spec", ALL_SPECS, ids=str)
def test_spec_graphs_roundtrip(spec):
    rng = np.random.default_rng(0)
    arrays = opcheck._inputs(spec, spec.dtypes[0], rng)
    with tf.Graph().as_default() as g:
        ts, feeds = opcheck._placeholders(spec, arrays, unknown=False)
        outs = opcheck._as_list(spec.build(*ts))
        fl = [o for o in outs if o.dtype.is_floating]
        xs = [t for t in ts if t.dtype.is_floating]
        if spec.grad and fl and xs:
            outs += [gr for gr in tf.gradients(tf.add_n([tf.reduce_sum(o) for o in fl]), xs)
                     if gr is not None]
    roundtrip(g, outs, feeds)


def _representative_graph():
    """Ops that no spec row builds: constants of every dtype, state, random, control, I/O."""
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(7)
        consts = [tf.constant(np.array(v, dtype=d)) for v, d in [
            (1.5, np.float16), ([1.0, np.nan, -np.inf], np.float32), ([[1e300]], np.float64),
            ([-8], np.int8), ([300], np.int16), ([2 ** 40], np.int64), ([255], np.uint8),
            ([65535], np.uint16), ([2 ** 32 - 1], np.uint32), ([2 ** 64 - 1], np.uint64),
            ([True, False], np.bool_), ([1 + 2j], np.complex64), ([3 - 1j], np.complex128),
            (np.zeros([0, 3]), np.float32)]]
        consts.append(tf.constant(["a", "b\x00c", "\u00e9"]))
        x = tf.placeholder(tf.float32, None, name="any_rank")
        dyn = [tf.size(x), tf.rank(x), tf.shape(x)]
        y = tf.placeholder_with_default(tf.constant([[1.0, 2.0]]), [None, 2], name="pwd")
        with tf.device("/cpu:0"):
            v = tf.Variable([1.0, 2.0], name="v")
        with tf.variable_scope("scope"):
            w = tf.get_variable("w", [2], initializer=tf.zeros_initializer())
        upd = [tf.assign_add(v, [1.0, 1.0]), tf.assign_sub(w, [1.0, 1.0]),
               tf.is_variable_initialized(v), v.initialized_value(),
               tf.report_uninitialized_variables()]
        p = tf.Variable(np.ones(2, np.float32), name="opt_target")
        opt_loss = tf.reduce_sum(p * p)
        train_ops = [opt(0.1).minimize(opt_loss) for opt in (
            tf.train.GradientDescentOptimizer, tf.train.AdagradOptimizer,
            tf.train.AdadeltaOptimizer, tf.train.AdamOptimizer,
            lambda lr: tf.train.MomentumOptimizer(lr, 0.9),
            tf.train.RMSPropOptimizer, lambda lr: tf.train.RMSPropOptimizer(lr, centered=True))]
        init = tf.global_variables_initializer()
        rnd = [tf.random_uniform([2], seed=1), tf.random_normal([2]),
               tf.truncated_normal([2], seed=3), tf.random_uniform([3], 0, 9, tf.int32),
               tf.random_gamma([2], 2.0, seed=4), tf.random_poisson(3.0, [2], seed=5),
               tf.random_shuffle(tf.constant([1, 2, 3]), seed=6),
               tf.multinomial(tf.constant([[0.0, 1.0]]), 3, seed=7)]
        with g.gradient_override_map({"Identity": "StopGradient"}):
            ident = tf.identity(y, name="overridden")
        u = tf.placeholder(tf.float32, [None, None])
        gu, = tf.gradients(tf.reduce_sum(u * tf.reduce_sum(u, axis=1, keepdims=True)), [u])
        with tf.control_dependencies([init]):
            after = tf.identity(v.value(), name="after_init")
        cf_p = tf.placeholder_with_default(True, [], name="cf_pred")
        cf = [tf.cond(cf_p, lambda: y * p[0], lambda: y - 1.0),
              tf.switch_case(tf.constant(1), [lambda: p * 2.0, lambda: p + 1.0]),
              tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * p[1]), [0, p[0]])[1]]
        cf += tf.gradients(tf.reduce_sum(cf[0]) + tf.reduce_sum(cf[1]) + cf[2], [p])
        tf.train.Saver()
        checks = [tf.Assert(tf.reduce_all(y > -1.0), [y]), tf.print("y:", y),
                  tf.invert_permutation(tf.constant([2, 0, 1]))]
        summaries = []
        if HAVE_PROTOBUF:
            with tf.name_scope("logs"):
                summaries = [tf.summary.scalar("s", tf.reduce_sum(y)),
                             tf.summary.histogram("h", y),
                             tf.summary.image("i", tf.ones([1, 2, 2, 1])),
                             tf.summary.audio("a", tf.zeros([1, 10]), 8000.0),
                             tf.summary.text("t", tf.constant("hi"))]
                summaries.append(tf.summary.merge_all())
    fetches = consts + dyn + [y, ident, after] + upd + rnd + [gu] + summaries + checks
    fetches += cf
    fetches += [tf.group(*train_ops)]
    feeds = {x: 1.0, u: np.ones([2, 3], np.float32)}
    return g, fetches, feeds


def test_representative_graph_roundtrips():
    g, fetches, feeds = _representative_graph()
    roundtrip(g, fetches, feeds)


def test_every_registered_op_roundtrips():
    for spec in ALL_SPECS:
        test_spec_graphs_roundtrip(spec)
    test_representative_graph_roundtrips()
    # Ops that tests themselves register (e.g. TestInterrupt) are not part of flowbook.
    required = {d.type for d in registered_ops() if not (
        getattr(d.infer, "__module__", "") or "").startswith("tests.")}
    if not HAVE_PROTOBUF:    # summary ops need the tensorboard extra to be built at all
        required -= {"ScalarSummary", "HistogramSummary", "ImageSummary", "AudioSummaryV2",
                     "TensorSummaryV2", "MergeSummary"}
    missing = sorted(required - SEEN_OPS)
    assert missing == [], (f"ops never round-tripped through GraphDef: {missing}; add them to "
                           "_representative_graph in tests/graph/test_graph_def.py")


# --- TF's layout, for TensorBoard and Netron ---------------------------------------------------
@pytest.mark.skipif(not HAVE_PROTOBUF, reason="needs the tensorboard package (protobuf)")
def test_exported_nodes_use_tf_layout():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(np.ones([3, 2], np.float32), name="w")
    y = tf.matmul(x, w, transpose_b=False)
    s = tf.reduce_sum(y, axis=1)
    tf.cast(s, tf.int32)
    tf.reshape(y, [-1])
    with tf.control_dependencies([s]):
        tf.no_op(name="after")
    proto = tf.get_default_graph().as_graph_def(add_shapes=True).to_proto()
    nodes = {n.name: n for n in proto.node}
    mm = nodes["MatMul"]
    assert list(mm.input) == ["x", "w/read"]
    assert mm.attr["T"].type == 1 and mm.attr["transpose_a"].b is False
    assert [d.size for d in nodes["x"].attr["shape"].shape.dim] == [-1, 3]
    const = nodes["w/initial_value"].attr["value"].tensor
    assert const.dtype == 1 and [d.size for d in const.tensor_shape.dim] == [3, 2]
    assert np.frombuffer(const.tensor_content, np.float32).tolist() == [1.0] * 6
    assert set(nodes["w"].attr) >= {"shape", "dtype", "container", "shared_name"}
    assert nodes["w/Assign"].attr["T"].type == 1
    assert list(nodes["w/read"].attr["_class"].list.s) == [b"loc:@w"]
    assert nodes["Sum"].attr["Tidx"].type == 3 and nodes["Sum"].attr["keep_dims"].b is False
    assert (nodes["Cast"].attr["SrcT"].type, nodes["Cast"].attr["DstT"].type) == (1, 3)
    assert nodes["Reshape"].attr["Tshape"].type == 3
    assert list(nodes["after"].input) == ["^Sum"]
    assert [d.size for d in mm.attr["_output_shapes"].list.shape[0].dim] == [-1, 2]
    # TF's private attributes only where flowbook needed one (none in this graph).
    assert not any("_flowbook_py" in n.attr for n in proto.node)


# --- the import API ------------------------------------------------------------------------
def test_import_prefix_input_map_and_return_elements():
    with tf.Graph().as_default() as g1:
        x = tf.placeholder(tf.float32, [None], name="x")
        tf.multiply(x, 2.0, name="double")
    gd = g1.as_graph_def()
    with tf.Graph().as_default() as g2:
        seven = tf.constant([7.0], name="seven")
        d, op = tf.import_graph_def(gd, input_map={"x:0": seven},
                                    return_elements=["double:0", "double"])
        d2, = tf.import_graph_def(gd, return_elements=["double:0"])
        assert d.name == "import/double:0" and op.name == "import/double"
        assert d2.name == "import_1/double:0"
        assert d.op.inputs[0] is seven
        with tf.Session() as s:
            assert s.run(d).tolist() == [14.0]
            assert s.run(d2, {"import_1/x:0": [1.0]}).tolist() == [2.0]
        with pytest.raises(ValueError, match="not found in graph_def"):
            tf.import_graph_def(gd, input_map={"nope:0": seven})
        with pytest.raises(ValueError, match="not found"):
            tf.import_graph_def(gd, return_elements=["missing"])
        tf.import_graph_def(gd, name="")
        with pytest.raises(ValueError, match="already has an op"):
            tf.import_graph_def(gd, name="")
        # names used by the import are taken: a new op does not collide with them
        assert tf.multiply(seven, 1.0, name="double").name == "double_1:0"


def test_import_rejects_unknown_ops_and_non_graphdefs():
    d = {"node": [{"name": "a", "op": "NoSuchOp"}]}
    with pytest.raises(ValueError, match="NoSuchOp"):
        tf.import_graph_def(d)
    with pytest.raises(TypeError):
        tf.import_graph_def(42)


def test_graph_def_node_list_and_session_graph_def():
    tf.constant(1.0, name="c")
    with tf.Session() as s:
        gd = s.graph_def
    assert [n.name for n in gd.node] == ["c"] and gd.node[0].op == "Const"
    assert isinstance(gd.node[0].attr["value"], np.ndarray)


@pytest.mark.skipif(not HAVE_PROTOBUF, reason="needs the tensorboard package (protobuf)")
def test_write_graph_text_binary_and_json(tmp_path):
    tf.add(tf.constant(1.0, name="a"), 2.0, name="out")
    g = tf.get_default_graph()
    p_txt = tf.train.write_graph(g, str(tmp_path), "g.pbtxt")
    p_bin = tf.train.write_graph(g.as_graph_def(), str(tmp_path), "g.pb", as_text=False)
    p_json = tf.train.write_graph(g, str(tmp_path), "g.json")
    assert 'name: "out"' in open(p_txt).read() and 'op: "Add"' in open(p_txt).read()
    from google.protobuf import text_format
    from tensorboard.compat.proto import graph_pb2
    parsed = text_format.Parse(open(p_txt).read(), graph_pb2.GraphDef())
    assert [n.name for n in parsed.node] == ["a", "out/y", "out"]
    for p in (p_bin, p_json):
        gd = GraphDef()
        gd.ParseFromString(open(p, "rb").read())
        with tf.Graph().as_default():
            out, = tf.import_graph_def(gd, return_elements=["out:0"])
            with tf.Session() as s:
                assert s.run(out) == 3.0
