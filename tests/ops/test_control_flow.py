"""tf.cond, tf.case, tf.switch_case, tf.while_loop: TF1 semantics and errors."""

import collections

import pytest

import flowbook as tf


def test_cond_runs_only_the_taken_branch(sess):
    x = tf.placeholder(tf.float32, [], name="x")
    v = tf.Variable(0.0, name="v")
    p = tf.placeholder(tf.bool, [])
    r = tf.cond(p, lambda: x * 2.0, lambda: tf.assign_add(v, 1.0) + x)
    sess.run(v.initializer)
    assert sess.run(r, {x: 3.0, p: True}) == 6.0 and sess.run(v) == 0.0
    assert sess.run(r, {x: 3.0, p: False}) == 4.0 and sess.run(v) == 1.0
    assert sess.run(r, {x: 3.0, p: True}) == 6.0 and sess.run(v) == 1.0


def test_cond_is_one_node_whose_branches_are_graphs():
    x = tf.placeholder(tf.float32, [], name="x")
    r = tf.cond(x > 0.0, lambda: x * 2.0, lambda: x * 3.0)
    g = tf.get_default_graph()
    assert [o.type for o in g.get_operations()] == ["Placeholder", "Const", "Greater", "If"]
    assert r.name == "cond:0" and r.op.name == "cond" and r.shape.as_list() == []
    from flowbook.ops.control_flow import branch_graphs
    bodies = branch_graphs(r.op)
    then_g, else_g = bodies["cond/then_branch"], bodies["cond/else_branch"]
    assert r.op.get_attr("then_branch") == "cond/then_branch" == then_g.name
    assert [o.name for o in then_g.get_operations() if o.type == "Mul"] == ["cond/mul"]
    assert [o.name for o in else_g.get_operations() if o.type == "Mul"] == ["cond/mul_1"]
    assert [t.name for t in r.op.inputs] == ["Greater:0", "x:0"]
    captured = [o for o in then_g.get_operations() if o.type == "Placeholder"]
    assert [(o.name, o.get_attr("_captured")) for o in captured] == [("cond/x", "x:0")]
    assert tf.cond(x > 0.0, lambda: x, lambda: x, name="mine").op.name == "mine"


def test_cond_structures_python_values_and_strict(sess):
    p = tf.placeholder(tf.bool, [])
    x = tf.constant(2.0)
    Pair = collections.namedtuple("Pair", "a b")
    out = tf.cond(p, lambda: {"s": x, "t": Pair(x, 1)}, lambda: {"s": -x, "t": Pair(x * 3, 2)})
    assert isinstance(out["t"], Pair)
    assert sess.run(out, {p: False}) == {"s": -2.0, "t": Pair(6.0, 2)}
    single = tf.cond(p, lambda: [x], lambda: [x + 1])
    assert isinstance(single, tf.Tensor) and sess.run(single, {p: False}) == 3.0
    strict = tf.cond(p, lambda: [x], lambda: [x + 1], strict=True)
    assert isinstance(strict, list) and sess.run(strict, {p: True}) == [2.0]
    assert sess.run(tf.cond(p, lambda: 1.0, lambda: 2.0), {p: True}) == 1.0
    varying = tf.cond(p, lambda: tf.zeros([2]), lambda: tf.zeros([3]))
    assert varying.shape.as_list() == [None]
    assert sess.run(varying, {p: False}).shape == (3,)


def test_cond_returning_an_op_gives_the_predicate(sess):
    v = tf.Variable(0, name="v")
    p = tf.placeholder(tf.bool, [])
    r = tf.cond(p, lambda: tf.assign_add(v, 1).op, lambda: tf.no_op())
    assert r.dtype == tf.bool
    sess.run(v.initializer)
    assert sess.run(r, {p: True}) and sess.run(v) == 1
    assert not sess.run(r, {p: False}) and sess.run(v) == 1


def test_cond_errors_match_tf1():
    x = tf.constant(2.0)
    p = tf.placeholder(tf.bool, [])
    with pytest.raises(TypeError, match="must not be a Python bool"):
        tf.cond(True, lambda: x, lambda: x)
    with pytest.raises(TypeError, match="bool"):
        tf.cond(tf.constant(1), lambda: x, lambda: x)
    with pytest.raises(ValueError, match="rank 0"):
        tf.cond(tf.constant([True, False]), lambda: x, lambda: x)
    with pytest.raises(TypeError, match="'true_fn' must be callable"):
        tf.cond(p, x, lambda: x)
    with pytest.raises(ValueError, match="same nested structure"):
        tf.cond(p, lambda: (x, x), lambda: x)
    with pytest.raises(TypeError, match="same nested structure"):
        tf.cond(p, lambda: [x, x], lambda: (x, x))
    with pytest.raises(ValueError, match="must have the same type.*float32.*int32"):
        tf.cond(p, lambda: x, lambda: tf.constant(1))
    with pytest.raises(ValueError, match="'true_fn' must have a return value"):
        tf.cond(p, lambda: None, lambda: None)


def test_nested_conds_capture_through_levels(sess):
    x = tf.placeholder(tf.float32, [])
    y = tf.placeholder(tf.float32, [])
    r = tf.cond(x > 0, lambda: tf.cond(y > 0, lambda: x + y, lambda: x - y), lambda: -x * y)
    assert [sess.run(r, {x: a, y: b}) for a, b in ((1, 2), (1, -2), (-1, 2))] == [3, 3, 2]


def test_outer_control_dependencies_inside_a_branch(sess):
    v = tf.Variable(1.0)
    p = tf.placeholder(tf.bool, [])
    bump = tf.assign_add(v, 10.0)

    def then():
        with tf.control_dependencies([bump]):
            return tf.identity(v.read_value())
    r = tf.cond(p, then, lambda: tf.constant(0.0))
    assert bump.op in r.op.control_inputs
    sess.run(v.initializer)
    assert sess.run(r, {p: True}) == 11.0


def test_switch_case(sess):
    i = tf.placeholder(tf.int32, [])
    c = tf.switch_case(i, [lambda: tf.constant(10), lambda: tf.constant(20)],
                       default=lambda: tf.constant(-1))
    d = tf.switch_case(i, {1: lambda: tf.constant(1.0), 0: lambda: tf.constant(0.0)})
    assert c.op.type == "Case"
    assert [sess.run(c, {i: k}) for k in (-1, 0, 1, 2, 7)] == [-1, 10, 20, -1, -1]
    assert [sess.run(d, {i: k}) for k in (0, 1, 5)] == [0.0, 1.0, 1.0]
    with pytest.raises(TypeError, match="integer Tensor"):
        tf.switch_case(tf.constant(1.0), [lambda: i])
    with pytest.raises(ValueError, match="contiguous range"):
        tf.switch_case(i, {0: lambda: i, 2: lambda: i})


def test_case_first_true_pred_wins_and_tf1_assertions(sess):
    i = tf.placeholder(tf.int32, [])
    k = tf.case([(tf.equal(i, 1), lambda: tf.constant(1.0)),
                 (tf.greater(i, 0), lambda: tf.constant(2.0))], default=lambda: tf.constant(-1.0))
    assert [sess.run(k, {i: j}) for j in (0, 1, 3)] == [-1.0, 1.0, 2.0]
    ex = tf.case([(tf.equal(i, 1), lambda: tf.constant(1.0)),
                  (tf.greater(i, 0), lambda: tf.constant(2.0))],
                 default=lambda: tf.constant(-1.0), exclusive=True)
    assert sess.run(ex, {i: 3}) == 2.0
    with pytest.raises(tf.errors.InvalidArgumentError, match="exclusive=True"):
        sess.run(ex, {i: 1})
    no_default = tf.case([(tf.equal(i, 1), lambda: tf.constant(1.0)),
                          (tf.equal(i, 2), lambda: tf.constant(2.0))])
    assert sess.run(no_default, {i: 2}) == 2.0
    with pytest.raises(tf.errors.InvalidArgumentError, match="None of conditions"):
        sess.run(no_default, {i: 5})
    with pytest.raises(TypeError, match="pred must be Tensor of type bool"):
        tf.case([(i, lambda: i)])
    with pytest.raises(TypeError, match="2-tuple"):
        tf.case([tf.equal(i, 1)])


# --- while_loop ------------------------------------------------------------------------------
def test_while_loop_structures(sess):
    i = tf.constant(0)
    x = tf.constant(2.0)
    r = tf.while_loop(lambda i: i < 10, lambda i: i + 1, [i])
    assert isinstance(r, tf.Tensor) and r.op.type == "While" and r.name == "while:0"
    same = tf.while_loop(lambda i: i < 10, lambda i: i + 1, [i], return_same_structure=True)
    single = tf.while_loop(lambda i: i < 3, lambda i: i + 1, i)
    pair = tf.while_loop(lambda i, j: i < 10, lambda i, j: (i + 1, j), (i, x))
    nested = tf.while_loop(lambda i, d: i < 4,
                           lambda i, d: (i + 1, {"a": d["a"] + 1.0, "b": (d["b"][0] * 2.0,)}),
                           (i, {"a": x, "b": (x,)}))
    assert isinstance(same, list) and isinstance(pair, tuple)
    assert sess.run([r, same, single, pair]) == [10, [10], 3, (10, 2.0)]
    assert sess.run(nested) == (4, {"a": 6.0, "b": (32.0,)})


def test_while_loop_maximum_iterations_and_captures(sess):
    i = tf.constant(0)
    x = tf.placeholder(tf.float32, [])
    r = tf.while_loop(lambda i: i < 10, lambda i: i + 1, [i], maximum_iterations=4)
    r2 = tf.while_loop(lambda i, j: i < 10, lambda i, j: [i + 1, j * x], [i, x],
                       maximum_iterations=tf.constant(3))
    assert sess.run([r, r2], {x: 2.0}) == [4, [3, 16.0]]


def test_while_loop_shape_invariants(sess):
    v = tf.constant([1])
    with pytest.raises(ValueError, match=r"enters the loop with shape \(1,\), but has shape "
                                         r"\(2,\) after one iteration"):
        tf.while_loop(lambda v: tf.reduce_sum(v) < 10, lambda v: tf.stack([v[0], v[0]]), [v])
    grow = tf.while_loop(lambda v: tf.size(v) < 8, lambda v: tf.reshape(tf.stack([v, v]), [-1]),
                         [v], shape_invariants=[tf.TensorShape([None])])
    assert grow.shape.as_list() == [None] and sess.run(grow).tolist() == [1] * 8
    with pytest.raises(ValueError, match="not compatible with the initial shape"):
        tf.while_loop(lambda i: i < 10, lambda i: i + 1, [tf.constant(0)],
                      shape_invariants=[tf.TensorShape([2])])
    # an invariant with an unknown rank lets the value's rank change; run-time checks hold
    p = tf.placeholder(tf.int32, [None])
    lie = tf.while_loop(lambda v: tf.size(v) < 4, lambda v: tf.reshape(tf.stack([v, v]), [-1]),
                        [p], shape_invariants=[tf.TensorShape([None])])
    assert sess.run(lie, {p: [1, 2]}).tolist() == [1, 2, 1, 2]


def test_while_loop_errors_match_tf1():
    i = tf.constant(0)
    with pytest.raises(TypeError, match="'cond' must be callable"):
        tf.while_loop(3, lambda i: i + 1, [i])
    with pytest.raises(TypeError, match="'parallel_iterations' must be a positive integer"):
        tf.while_loop(lambda i: i < 10, lambda i: i + 1, [i], parallel_iterations=0)
    with pytest.raises(ValueError, match="'loop_vars' must be provided"):
        tf.while_loop(lambda: True, lambda: [], [])
    with pytest.raises(ValueError, match="same nested structure"):
        tf.while_loop(lambda i, j: i < 10, lambda i, j: i + 1, [i, tf.constant(1.0)])
    with pytest.raises(TypeError, match="bool"):
        tf.while_loop(lambda i: i, lambda i: i + 1, [i])
    with pytest.raises(TypeError, match="enters the loop with type int32, but has type "
                                        "float32"):
        tf.while_loop(lambda i: i < 10, lambda i: tf.cast(i, tf.float32), [i])


def test_while_body_side_effects_run_once_per_iteration(sess):
    v = tf.Variable(0, name="counter")
    n = tf.placeholder(tf.int32, [])

    def body(i):
        with tf.control_dependencies([tf.assign_add(v, 1)]):
            return i + 1
    r = tf.while_loop(lambda i: i < n, body, [tf.constant(0)])
    sess.run(v.initializer)
    assert sess.run(r, {n: 5}) == 5 and sess.run(v) == 5
    assert sess.run(r, {n: 0}) == 0 and sess.run(v) == 5


def test_get_variable_inside_a_loop_body_is_an_ordinary_variable(sess):
    def body(i, h):
        with tf.variable_scope("cell", reuse=tf.AUTO_REUSE):
            w = tf.get_variable("w", [], initializer=tf.constant_initializer(2.0))
        return i + 1, h * w
    _, h = tf.while_loop(lambda i, h: i < 3, body, [tf.constant(0), tf.constant(1.0)])
    assert [v.name for v in tf.global_variables()] == ["cell/w:0"]
    assert tf.get_default_graph().get_operation_by_name("cell/w").type == "VariableV2"
    sess.run(tf.global_variables_initializer())
    assert sess.run(h) == 8.0


def test_cond_inside_while_and_while_inside_cond(sess):
    n = tf.placeholder(tf.int32, [])

    def body(i, acc):
        return i + 1, tf.cond(tf.equal(i % 2, 0), lambda: acc + i, lambda: acc - i)
    _, alt = tf.while_loop(lambda i, acc: i < n, body, [tf.constant(0), tf.constant(0)])
    inner = tf.cond(n > 2, lambda: tf.while_loop(lambda k: k < n, lambda k: k + 2, [0]),
                    lambda: tf.constant(-1))
    assert sess.run([alt, inner], {n: 5}) == [0 - 1 + 2 - 3 + 4, 6]
    assert sess.run([alt, inner], {n: 2}) == [-1, -1]


def test_variables_created_in_a_branch(sess):
    p = tf.placeholder(tf.bool, [])

    def from_tensor():
        return tf.Variable(tf.zeros([2]), name="bad") + 1.0
    with pytest.raises(ValueError, match="use a lambda as the initializer"):
        tf.cond(p, from_tensor, lambda: tf.ones([2]))

    made = []

    def from_lambda():
        made.append(tf.Variable(lambda: tf.fill([2], 3.0), name="good"))
        return made[-1] * 2.0
    r = tf.cond(p, from_lambda, lambda: tf.ones([2]))
    assert made[0].op.graph is tf.get_default_graph() and made[0] in tf.global_variables()
    sess.run(made[0].initializer)
    assert sess.run(r, {p: True}).tolist() == [6.0, 6.0]


def test_names_resolve_in_the_enclosing_graph_inside_a_branch(sess):
    x = tf.placeholder(tf.float32, [], name="x")
    r = tf.cond(x > 0, lambda: tf.get_default_graph().get_tensor_by_name("x:0") * 2.0,
                lambda: x)
    assert sess.run(r, {x: 2.0}) == 4.0
