"""tf.train optimizers: TF1's trajectories (golden data from the oracle), names, slots, errors."""

import json

import numpy as np
import pytest

import flowbook as tf
from tests.train import trajectories as T

with open(T.GOLDEN) as _f:
    GOLDEN = json.load(_f)
DATA = {k: np.array(v) for k, v in GOLDEN["data"].items()}


@pytest.mark.parametrize("name", sorted(T.CONFIGS))
def test_trajectory_matches_tf1(name):
    """60 steps of each optimizer follow TF1's recorded trajectory within 1e-4 relative."""
    exp = GOLDEN["trajectories"][name]
    assert GOLDEN["configs"][name]["optimizer"] == T.CONFIGS[name][0]
    got = T.run(tf, T.CONFIGS[name], DATA)
    f64 = T.CONFIGS[name][2] == "float64"
    tol = dict(rtol=1e-10, atol=1e-12) if f64 else dict(rtol=1e-4, atol=1e-5)
    assert len(got["loss"]) == GOLDEN["steps"] >= 50
    for key in ("loss", "W", "b"):
        np.testing.assert_allclose(got[key], exp[key], err_msg=f"{name}: {key}", **tol)
    assert got["global_step"] == exp["global_step"] == GOLDEN["steps"]
    assert sorted(got["slots"]) == sorted(exp["slots"])
    for slot, value in exp["slots"].items():
        np.testing.assert_allclose(got["slots"][slot], value, err_msg=f"{name}: {slot}", **tol)
    assert got["loss"][-1] < 0.7 * got["loss"][0]


def _model():
    w = tf.Variable([1.0, 2.0], name="w")
    b = tf.Variable(0.5, name="b")
    loss = tf.reduce_sum(w * w) + b * 3.0
    return w, b, loss


def _new_ops(before):
    return [(o.name, o.type) for o in tf.get_default_graph().get_operations()[before:]
            if not o.name.startswith("gradients")]


def test_adam_builds_tf1s_graph():
    """Op names and types of Adam's minimize, as TF1 builds them (checked with the oracle)."""
    w, b, loss = _model()
    step = tf.train.get_or_create_global_step()
    n = len(tf.get_default_graph().get_operations())
    opt = tf.train.AdamOptimizer(0.1)
    train = opt.minimize(loss, global_step=step)
    assert (train.name, train.type) == ("Adam", "AssignAdd")
    ops = _new_ops(n)
    assert ops[:8] == [("beta1_power/initial_value", "Const"), ("beta1_power", "VariableV2"),
                       ("beta1_power/Assign", "Assign"), ("beta1_power/read", "Identity"),
                       ("beta2_power/initial_value", "Const"), ("beta2_power", "VariableV2"),
                       ("beta2_power/Assign", "Assign"), ("beta2_power/read", "Identity")]
    assert ops[8:12] == [("w/Adam/Initializer/zeros", "Const"), ("w/Adam", "VariableV2"),
                         ("w/Adam/Assign", "Assign"), ("w/Adam/read", "Identity")]
    assert ops[-13:] == [
        ("Adam/learning_rate", "Const"), ("Adam/beta1", "Const"), ("Adam/beta2", "Const"),
        ("Adam/epsilon", "Const"), ("Adam/update_w/ApplyAdam", "ApplyAdam"),
        ("Adam/update_b/ApplyAdam", "ApplyAdam"), ("Adam/mul", "Mul"), ("Adam/Assign", "Assign"),
        ("Adam/mul_1", "Mul"), ("Adam/Assign_1", "Assign"), ("Adam/update", "NoOp"),
        ("Adam/value", "Const"), ("Adam", "AssignAdd")]
    assert [v.name for v in opt.variables()] == [
        "b/Adam:0", "b/Adam_1:0", "beta1_power:0", "beta2_power:0", "w/Adam:0", "w/Adam_1:0"]
    assert opt.get_slot_names() == ["m", "v"]
    assert opt.get_slot(w, "m").name == "w/Adam:0" and opt.get_slot(b, "v").name == "b/Adam_1:0"
    assert opt.get_slot(w, "nope") is None
    assert [v.name for v in tf.trainable_variables()] == ["w:0", "b:0"]
    assert "w/Adam:0" in [v.name for v in tf.global_variables()]
    assert tf.get_collection(tf.GraphKeys.TRAIN_OP) == [train]


@pytest.mark.parametrize("make, slots, update", [
    (lambda: tf.train.GradientDescentOptimizer(0.1), [], "ApplyGradientDescent"),
    (lambda: tf.train.MomentumOptimizer(0.1, 0.9), ["w/Momentum"], "ApplyMomentum"),
    (lambda: tf.train.AdagradOptimizer(0.1), ["w/Adagrad"], "ApplyAdagrad"),
    (lambda: tf.train.RMSPropOptimizer(0.1), ["w/RMSProp", "w/RMSProp_1"], "ApplyRMSProp"),
    (lambda: tf.train.RMSPropOptimizer(0.1, centered=True),
     ["w/RMSProp", "w/RMSProp_1", "w/RMSProp_2"], "ApplyCenteredRMSProp"),
    (lambda: tf.train.AdadeltaOptimizer(0.1), ["w/Adadelta", "w/Adadelta_1"], "ApplyAdadelta"),
])
def test_slot_names_and_update_ops(make, slots, update):
    w = tf.Variable([1.0, 2.0], name="w")
    opt = make()
    train = opt.minimize(tf.reduce_sum(w * w))
    assert train.type == "NoOp" and train.name == opt.get_name()
    assert [v.op.name for v in opt.variables()] == slots
    apply = tf.get_default_graph().get_operation_by_name(f"{opt.get_name()}/update_w/{update}")
    assert apply.inputs[0].name == "w:0" and apply.outputs[0].dtype == tf.float32._as_ref


def test_rmsprop_slot_initial_values(sess):
    w = tf.Variable([1.0, 2.0], name="w")
    opt = tf.train.RMSPropOptimizer(0.1, centered=True)
    opt.minimize(tf.reduce_sum(w * w))
    sess.run(tf.global_variables_initializer())
    assert sess.run(opt.get_slot(w, "rms")).tolist() == [1, 1]
    assert sess.run(opt.get_slot(w, "mg")).tolist() == [0, 0]
    adagrad = tf.train.AdagradOptimizer(0.1, initial_accumulator_value=0.25)
    adagrad.minimize(tf.reduce_sum(w * w))
    sess.run(tf.global_variables_initializer())
    assert sess.run(adagrad.get_slot(w, "accumulator")).tolist() == [0.25, 0.25]


def test_names_under_scopes_and_a_second_optimizer():
    with tf.variable_scope("layer"):
        w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
    loss = tf.reduce_sum(w * w)
    with tf.name_scope("train"):
        first = tf.train.AdamOptimizer(0.1).minimize(loss)
    second = tf.train.AdamOptimizer(0.1).minimize(loss, name="second")
    assert first.name == "train/Adam" and second.name == "second"
    assert [v.name for v in tf.global_variables()] == [
        "layer/w:0", "train/beta1_power:0", "train/beta2_power:0", "layer/w/Adam:0",
        "layer/w/Adam_1:0", "beta1_power:0", "beta2_power:0", "layer/w/Adam_2:0",
        "layer/w/Adam_3:0"]
    g = tf.get_default_graph()
    g.get_operation_by_name("train/Adam/update_layer/w/ApplyAdam")
    g.get_operation_by_name("second/update_layer/w/ApplyAdam")


def test_minimize_steps_and_global_step(sess):
    w, b, loss = _model()
    step = tf.train.get_or_create_global_step()
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
    sess.run(tf.global_variables_initializer())
    for _ in range(3):
        sess.run(train)
    np.testing.assert_allclose(sess.run(w), [1.0 * 0.8 ** 3, 2.0 * 0.8 ** 3], rtol=1e-6)
    np.testing.assert_allclose(sess.run(b), 0.5 - 3 * 0.3, rtol=1e-6)
    assert tf.train.global_step(sess, step) == 3 and sess.run(step).dtype == np.int64


def test_var_list_and_none_gradients_are_skipped(sess):
    w, b, loss = _model()
    unused = tf.Variable(7.0, name="unused")
    opt = tf.train.GradientDescentOptimizer(0.5)
    gv = opt.compute_gradients(loss)
    assert [v.name for g, v in gv] == ["w:0", "b:0", "unused:0"]
    assert gv[2][0] is None and gv[0][0] is not None
    train = opt.apply_gradients(gv)
    only_b = opt.minimize(loss, var_list=[b])
    sess.run(tf.global_variables_initializer())
    sess.run(train)
    assert sess.run(unused) == 7.0 and sess.run(w).tolist() == [0.0, 0.0]
    sess.run(only_b)
    assert sess.run(w).tolist() == [0.0, 0.0] and sess.run(b) == pytest.approx(-2.5)


def test_apply_gradients_with_hand_made_gradients(sess):
    w = tf.Variable([1.0, 2.0], name="w")
    opt = tf.train.MomentumOptimizer(1.0, 0.5, use_nesterov=True)
    train = opt.apply_gradients([(tf.constant([1.0, -1.0]), w)])
    sess.run(tf.global_variables_initializer())
    sess.run(train)
    # accum = g; var -= g*lr + accum*momentum*lr
    np.testing.assert_allclose(sess.run(w), [1.0 - 1.5, 2.0 + 1.5])
    sess.run(train)
    # accum = 0.5*g + g = 1.5g; var -= g + 0.75g
    np.testing.assert_allclose(sess.run(w), [-0.5 - 1.75, 3.5 + 1.75])


def test_errors_match_tf1():
    w, b, loss = _model()
    opt = tf.train.GradientDescentOptimizer(0.1)
    with pytest.raises(ValueError, match="No gradients provided for any variable, check your"):
        opt.minimize(tf.constant(1.0) * 2.0, var_list=[w])
    with pytest.raises(ValueError, match=r"No gradients provided for any variable: \["):
        opt.apply_gradients([(None, w)])
    with pytest.raises(ValueError, match="No variables to optimize"):
        opt.minimize(loss, var_list=[])
    with pytest.raises(ValueError, match="No variables provided"):
        opt.apply_gradients([])
    with pytest.raises(ValueError, match="gate_gradients must be one of"):
        opt.compute_gradients(loss, gate_gradients=7)
    with pytest.raises(ValueError, match="Invalid type int32"):
        opt.minimize(tf.constant(3))
    with pytest.raises(NotImplementedError, match="unsupported type"):
        opt.minimize(loss, var_list=[w.value()])
    with pytest.raises(ValueError, match="initial_accumulator_value must be positive"):
        tf.train.AdagradOptimizer(0.1, initial_accumulator_value=0.0)
    i = tf.Variable(1, name="iv")
    with pytest.raises(ValueError, match="iv"):
        opt.minimize(tf.cast(i, tf.float32) * 2.0, var_list=[i])


def test_gate_gradients_modes_give_the_same_step(sess):
    trains = []
    for gate in (tf.train.Optimizer.GATE_NONE, tf.train.Optimizer.GATE_OP,
                 tf.train.Optimizer.GATE_GRAPH):
        w = tf.Variable([1.0, 2.0])
        trains.append((w, tf.train.GradientDescentOptimizer(0.25).minimize(
            tf.reduce_sum(w * w * w), gate_gradients=gate)))
    sess.run(tf.global_variables_initializer())
    for w, t in trains:
        sess.run(t)
        np.testing.assert_allclose(sess.run(w), [1 - 0.75, 2 - 3.0])


def test_learning_rate_tensor_and_callable(sess):
    w = tf.Variable(1.0)
    lr = tf.placeholder(tf.float32, [])
    train = tf.train.GradientDescentOptimizer(lr).minimize(w * 2.0)
    w2 = tf.Variable(1.0)
    train2 = tf.train.GradientDescentOptimizer(lambda: 0.25).minimize(w2 * 2.0)
    sess.run(tf.global_variables_initializer())
    sess.run(train, {lr: 0.5})
    sess.run(train2)
    assert sess.run(w) == 0.0 and sess.run(w2) == 0.5


def test_float64_variables_cast_the_hyper_parameters(sess):
    w = tf.Variable(np.array([1.0, -1.0]), name="w")
    train = tf.train.AdamOptimizer(0.1).minimize(tf.reduce_sum(w * w))
    g = tf.get_default_graph()
    assert g.get_operation_by_name("Adam/update_w/Cast").type == "Cast"
    sess.run(tf.global_variables_initializer())
    sess.run(train)
    assert sess.run(w).dtype == np.float64
    np.testing.assert_allclose(sess.run(w), [0.9, -0.9], rtol=1e-6)


def test_constraint_is_applied_after_the_update(sess):
    w = tf.Variable([1.0, -1.0], constraint=lambda v: v * 0.5)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(w * w))
    sess.run(tf.global_variables_initializer())
    sess.run(train)
    np.testing.assert_allclose(sess.run(w), [0.4, -0.4])


def test_update_keeps_fetched_values_unchanged(sess):
    """Updates write in place only into arrays nobody else holds: a value fetched before or
    in the same run as a step stays what it was when it was read."""
    w = tf.Variable([1.0, 2.0])
    train = tf.train.AdamOptimizer(0.1).minimize(tf.reduce_sum(w * w))
    sess.run(tf.global_variables_initializer())
    before = sess.run(w)
    for _ in range(3):
        read, _ = sess.run([w.value(), train])
        assert read.tolist() == before.tolist()     # read before this run's update
        before = sess.run(w)
        assert before.tolist() != read.tolist()
    assert before.tolist() == sess.run(w).tolist()


def test_fused_op_checks_its_inputs(sess):
    from flowbook.ops import training_ops
    w = tf.Variable([1.0, 2.0])
    with pytest.raises(TypeError, match="must be a variable"):
        training_ops.apply_gradient_descent(w.value(), 0.1, [1.0, 1.0])
    with pytest.raises(ValueError, match="shape"):
        training_ops.apply_gradient_descent(w, 0.1, [1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="scalar"):
        training_ops.apply_gradient_descent(w, [0.1, 0.2], [1.0, 1.0])
    g = tf.placeholder(tf.float32, [None])
    upd = training_ops.apply_gradient_descent(w, 0.5, g)
    sess.run(w.initializer)
    assert sess.run(upd, {g: [2.0, 2.0]}).tolist() == [0.0, 1.0]
    with pytest.raises(tf.errors.InvalidArgumentError, match="shape"):
        sess.run(upd, {g: [1.0, 1.0, 1.0]})
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(tf.errors.FailedPreconditionError):
        sess.run(training_ops.apply_gradient_descent(v, 0.5, [1.0, 1.0]))


@pytest.mark.parametrize("name", sorted(T.CONFIGS))
def test_scalar_variables_train(sess, name):
    """Every optimizer (and dtype) also updates 0-d variables."""
    cls, kwargs, dtype = T.CONFIGS[name]
    w = tf.Variable(np.array(2.0, dtype=dtype), name="w")
    loss = (w - 0.5) * (w - 0.5)
    train = getattr(tf.train, cls)(**kwargs).minimize(loss)
    sess.run(tf.global_variables_initializer())
    first = sess.run(loss)
    for _ in range(5):
        sess.run(train)
    assert sess.run(w).shape == () and sess.run(loss) < first
