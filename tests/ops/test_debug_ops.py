"""Debugging ops: check_numerics, add_check_numerics_ops, Print, tf.print, Assert and the
assert_* family. Expected texts are TF's own output (checked with the TF oracle)."""

import sys

import numpy as np
import pytest

import flowbook as tf
from flowbook.backends.numpy_backend.debug_kernels import summarize_v1, summarize_v2


# --- check_numerics --------------------------------------------------------------------------
def test_check_numerics_names_the_message_the_kind_and_the_producer(sess):
    x = tf.placeholder(tf.float32, [None])
    c = tf.check_numerics(tf.log(x), "bad log")
    assert c.op.type == "CheckNumerics" and c.name == "CheckNumerics:0"
    assert sess.run(c, {x: [1.0, np.e]}).tolist() == pytest.approx([0.0, 1.0])
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        sess.run(c, {x: [1.0, 0.0]})
    msg = str(e.value)
    assert msg.startswith("bad log : Tensor had Inf values")
    assert "node 'Log' (Log)" in msg and "index [1]" in msg and "CheckNumerics" in msg
    with pytest.raises(tf.errors.InvalidArgumentError, match="Tensor had NaN values"):
        sess.run(c, {x: [-1.0, 1.0]})
    with pytest.raises(tf.errors.InvalidArgumentError, match="Tensor had Inf and NaN values"):
        sess.run(c, {x: [-1.0, 0.0]})


def test_check_numerics_checks_the_gradient_too(sess):
    x = tf.placeholder(tf.float64, [2])
    y = tf.sqrt(tf.check_numerics(x, "input x"))
    (g,) = tf.gradients(tf.reduce_sum(y), [x])
    assert g.op.type == "CheckNumerics"
    np.testing.assert_allclose(sess.run(g, {x: [1.0, 4.0]}), [0.5, 0.25])
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="detected in gradient. input x : Tensor had Inf values"):
        sess.run(g, {x: [0.0, 4.0]})


def test_check_numerics_rejects_integers():
    with pytest.raises(TypeError, match="integers cannot be NaN"):
        tf.check_numerics(tf.constant([1, 2]), "ints")


def test_add_check_numerics_ops_finds_the_first_bad_tensor(sess):
    a = tf.placeholder(tf.float32, [2], name="a")
    v = tf.Variable([1.0, 2.0], name="v")
    b = tf.log(a, name="b")
    c = tf.multiply(b, v, name="c")
    n = tf.size(c)                       # int32: not checked
    check = tf.add_check_numerics_ops()
    assert check.type == "NoOp"
    checked = [op.inputs[0].name for op in tf.get_default_graph().get_operations()
               if op.type == "CheckNumerics"]
    assert "b:0" in checked and "c:0" in checked and "a:0" in checked
    assert "v:0" not in checked and n.name not in checked    # variable refs, integers
    sess.run(v.initializer)
    sess.run([c, check], {a: [1.0, 2.0]})
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"^b:0 : Tensor had Inf values"):
        sess.run([c, check], {a: [1.0, 0.0]})


# --- Print -----------------------------------------------------------------------------------
def test_print_passes_through_and_writes_to_stderr(sess, capsys):
    x = tf.constant([1.5, -2.0, 3.0, 4.0, 1e10, 0.1])
    m = tf.constant([[1, 2, 3], [4, 5, 6]])
    p = tf.Print(x, [x, m, tf.constant([True, False]), tf.constant(["ab", "c"]),
                     tf.constant(7)], "msg: ")
    assert p.op.type == "Print" and p.dtype == tf.float32 and p.shape.as_list() == [6]
    np.testing.assert_array_equal(sess.run(p), sess.run(x))
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.count("msg: [1.5 -2 3...][[1 2 3]...][1 0][ab c][7]\n") == 1


def test_print_first_n_and_summarize(capsys):
    x = tf.constant([1.5, -2.0, 3.0, 4.0, 1e10, 0.1])
    m = tf.constant([[1, 2, 3], [4, 5, 6]])
    p = tf.Print(x, [x, m], "first_n: ", first_n=2, summarize=10)
    with tf.Session() as s:
        for _ in range(3):
            s.run(p)
    line = "first_n: [1.5 -2 3 4 1e+10 0.1][[1 2 3][4 5 6]]\n"
    assert capsys.readouterr().err == line * 2
    with tf.Session() as s:     # a new session has its own count
        s.run(p)
    assert capsys.readouterr().err == line


def test_print_gradient_flows_to_its_input(sess):
    x = tf.placeholder(tf.float64, [3])
    y = tf.Print(x, [x], "x=")
    (g,) = tf.gradients(tf.reduce_sum(y * y), [x])
    np.testing.assert_allclose(sess.run(g, {x: [1.0, 2.0, 3.0]}), [2, 4, 6])


# --- tf.print --------------------------------------------------------------------------------
def test_tf_print_returns_an_op_and_writes_to_stderr_when_run(sess, capsys):
    x = tf.constant([1.5, -2.0, 3.0, 4.0, 1e10, 0.1])
    m = tf.constant([[1, 2, 3], [4, 5, 6]])
    op = tf.print("hello", x, m, {"a": x}, [1, 2])
    assert isinstance(op, tf.Operation) and op.type == "PrintV2"
    assert capsys.readouterr().err == ""             # nothing until it runs
    assert sess.run(op) is None
    assert capsys.readouterr().err == ("hello [1.5 -2 3 4 1e+10 0.1] [[1 2 3]\n [4 5 6]] "
                                       "{'a': [1.5 -2 3 4 1e+10 0.1]} [1, 2]\n")


def test_tf_print_options(sess, capsys):
    big = tf.range(20)
    sess.run(tf.print(big, tf.reshape(big, [4, 5]), summarize=2, sep="|", end="<END>\n",
                      output_stream=sys.stdout))
    assert capsys.readouterr().out == ("[0 1 ... 18 19]|[[0 1 ... 3 4]\n [5 6 ... 8 9]\n "
                                       "[10 11 ... 13 14]\n [15 16 ... 18 19]]<END>\n")
    sess.run(tf.print(tf.constant("hi"), tf.constant(["a", "b"]), ["x", tf.constant(1)],
                      "plain", tf.reshape(tf.range(12), [2, 3, 2]), output_stream=sys.stdout))
    assert capsys.readouterr().out == ('"hi" ["a" "b"] [\'x\', 1] plain [[[0 1]\n  [2 3]\n  '
                                       '[4 5]]\n\n [[6 7]\n  [8 9]\n  [10 11]]]\n')
    sess.run(tf.print(tf.range(10), summarize=-1, output_stream=sys.stdout))
    assert capsys.readouterr().out == "[0 1 2 3 4 5 6 7 8 9]\n"


def test_tf_print_in_control_dependencies_and_to_a_file(sess, tmp_path):
    path = tmp_path / "log.txt"
    x = tf.placeholder(tf.float32, [])
    with tf.control_dependencies([tf.print("x is", x, output_stream=f"file://{path}")]):
        y = tf.identity(x * 2)
    assert sess.run(y, {x: 1.5}) == 3.0
    assert sess.run(y, {x: 2.0}) == 4.0
    assert path.read_text() == "x is 1.5\nx is 2\n"


def test_tf_print_rejects_unknown_streams():
    with pytest.raises(ValueError, match="Unsupported output stream"):
        tf.print(tf.constant(1), output_stream=object())


def test_element_formats_match_tf():
    assert summarize_v2(np.float32(1 / 3), 3) == "0.333333343"
    assert summarize_v2(np.float64(1 / 3), 3) == "0.33333333333333331"
    assert summarize_v2(np.array([0.1, 1e-8, 123456789.0], np.float32), 3) == \
        "[0.1 1e-08 123456792]"
    assert summarize_v2(np.array([1.5, 2.0]), 3) == "[1.5 2]"
    assert summarize_v1(np.array([np.nan, np.inf, -np.inf], np.float32), 3) == "nan inf -inf"
    assert summarize_v1(np.array([b"a\nb"], object), 3) == "a\\nb"
    assert summarize_v1(np.arange(8).reshape(2, 2, 2), 3) == "[[0 1][2...]]..."
    assert summarize_v1(np.zeros((0,)), 3) == ""


# --- Assert ----------------------------------------------------------------------------------
def test_assert_raises_with_its_data_when_false(sess):
    x = tf.placeholder(tf.float32, [None])
    a = tf.Assert(tf.reduce_all(x > 0), [x, "hello"], name="myassert")
    assert isinstance(a, tf.Operation) and a.type == "Assert" and a.name == "myassert/Assert"
    sess.run(a, {x: [1.0, 2.0]})
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        sess.run(a, {x: [1.0, -2.0]})
    assert str(e.value).startswith("assertion failed: [1 -2] [hello]")
    assert "myassert/Assert" in str(e.value)


def test_assert_as_control_dependency_guards_a_computation(sess):
    x = tf.placeholder(tf.float32, [None])
    with tf.control_dependencies([tf.Assert(tf.reduce_all(x >= 0), [x], summarize=2)]):
        r = tf.sqrt(x)
    np.testing.assert_allclose(sess.run(r, {x: [4.0]}), [2.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"assertion failed: \[4 -1\.\.\.\]"):
        sess.run(r, {x: [4.0, -1.0, 3.0]})


def test_assert_condition_must_be_scalar(sess):
    x = tf.placeholder(tf.float32, [None])
    a = tf.Assert(x > 0, [x])
    with pytest.raises(tf.errors.InvalidArgumentError, match="must be a scalar"):
        sess.run(a, {x: [1.0, 2.0]})


# --- assert_* --------------------------------------------------------------------------------
def test_assert_equal_of_known_values_fails_at_build_time():
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        tf.assert_equal(tf.constant([1, 2]), tf.constant([1, 3]), message="custom")
    assert str(e.value) == ("custom\nCondition x == y did not hold element-wise:\n"
                            "x (Const:0) = \n[1 2]\ny (Const_1:0) = \n[1 3]")
    with pytest.raises(tf.errors.InvalidArgumentError, match="x != y"):
        tf.assert_none_equal(tf.constant([1, 2]), tf.constant([1, 3]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="x < 0"):
        tf.assert_negative(tf.constant([1, -2]))


def test_assert_equal_of_known_equal_values_builds_a_passing_op(sess):
    op = tf.assert_equal(tf.constant([1, 2]), [1, 2])
    assert op.type == "Assert" and op.name == "assert_equal/Assert/Assert"
    sess.run(op)


@pytest.mark.parametrize("fn,ok,bad", [
    (tf.assert_less, ([1.0], [2.0]), ([2.0], [2.0])),
    (tf.assert_less_equal, ([2.0], [2.0]), ([3.0], [2.0])),
    (tf.assert_greater, ([3.0], [2.0]), ([2.0], [2.0])),
    (tf.assert_greater_equal, ([2.0], [2.0]), ([1.0], [2.0])),
    (tf.assert_equal, ([2.0], [2.0]), ([1.0], [2.0])),
    (tf.assert_none_equal, ([1.0], [2.0]), ([2.0], [2.0])),
])
def test_binary_asserts_at_run_time(sess, fn, ok, bad):
    x = tf.placeholder(tf.float32, [None])
    y = tf.placeholder(tf.float32, [None])
    a = fn(x, y, message="mm")
    sess.run(a, {x: ok[0], y: ok[1]})
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"assertion failed: \[mm\] \[Condition x .* y did not hold"):
        sess.run(a, {x: bad[0], y: bad[1]})


@pytest.mark.parametrize("fn,ok,bad,text", [
    (tf.assert_positive, [1.0, 2.0], [1.0, 0.0], "x > 0"),
    (tf.assert_negative, [-1.0], [-1.0, 0.0], "x < 0"),
    (tf.assert_non_negative, [0.0, 2.0], [-1.0], "x >= 0"),
    (tf.assert_non_positive, [0.0, -2.0], [0.5], "x <= 0"),
])
def test_sign_asserts_at_run_time(sess, fn, ok, bad, text):
    x = tf.placeholder(tf.float32, [None])
    a = fn(x)
    assert a.name.startswith(fn.__name__ + "/assert_less")
    sess.run(a, {x: ok})
    with pytest.raises(tf.errors.InvalidArgumentError, match=f"Condition {text} did not hold"):
        sess.run(a, {x: bad})


def test_assert_rank_static_and_dynamic(sess):
    x = tf.placeholder(tf.float32, [None])
    with pytest.raises(ValueError, match=r"Tensor Placeholder:0 must have rank 2\.  "
                                         r"Received rank 1, shape \(\?,\)"):
        tf.assert_rank(x, 2)
    ok = tf.assert_rank(x, 1)
    assert ok.type == "NoOp" and ok.name == "assert_rank_1/static_checks_determined_all_ok"
    with pytest.raises(ValueError, match="hi.  Tensor .* must have rank at least 2"):
        tf.assert_rank_at_least(x, 2, message="hi")
    assert tf.assert_rank_at_least(x, 0).type == "NoOp"
    u = tf.placeholder(tf.float32)
    dyn = tf.assert_rank(u, 1)
    assert dyn.type == "Assert"
    sess.run(dyn, {u: [1.0, 2.0]})
    with pytest.raises(tf.errors.InvalidArgumentError, match="must have rank"):
        sess.run(dyn, {u: [[1.0]]})
    dyn2 = tf.assert_rank_at_least(u, 2)
    sess.run(dyn2, {u: [[1.0]]})
    with pytest.raises(tf.errors.InvalidArgumentError):
        sess.run(dyn2, {u: [1.0]})


def test_assert_type_integer_scalar():
    x = tf.placeholder(tf.float32, [None])
    with pytest.raises(TypeError, match="Placeholder:0 must be of type tf.int32; got tf.float32"):
        tf.assert_type(x, tf.int32)
    assert tf.assert_type(x, tf.float32).name == "assert_type_1/statically_determined_correct_type"
    with pytest.raises(TypeError, match='Expected "x" to be integer type'):
        tf.assert_integer(x)
    assert tf.assert_integer(tf.constant([1])).type == "NoOp"
    with pytest.raises(ValueError, match=r"Expected scalar shape for Placeholder:0, saw shape"):
        tf.assert_scalar(x)
    c = tf.constant(1.0)
    assert tf.assert_scalar(c) is c


def test_assert_near(sess):
    x = tf.placeholder(tf.float32, [None])
    y = tf.placeholder(tf.float32, [None])
    a = tf.assert_near(x, y, rtol=0.01)
    sess.run(a, {x: [1.0, 100.5], y: [1.0, 100.0]})
    with pytest.raises(tf.errors.InvalidArgumentError, match="not equal to tolerance"):
        sess.run(a, {x: [1.0, 5.0], y: [1.0, 3.0]})
    strict = tf.assert_near(x, y, rtol=0.0, atol=0.0)     # TF compares with a strict <
    with pytest.raises(tf.errors.InvalidArgumentError):
        sess.run(strict, {x: [1.0], y: [1.0]})


def test_assert_all_finite_returns_the_tensor_checked(sess):
    x = tf.placeholder(tf.float32, [None])
    t = tf.debugging.assert_all_finite(x, "bad")
    assert t.name == "VerifyFinite/control_dependency:0"
    np.testing.assert_array_equal(sess.run(t, {x: [1.0, 2.0]}), [1.0, 2.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="bad : Tensor had Inf values"):
        sess.run(t, {x: [1.0, np.inf]})


def test_debugging_namespace():
    for n in ("Assert", "check_numerics", "assert_equal", "assert_rank", "assert_near",
              "assert_all_finite", "is_nan", "is_inf", "is_finite"):
        assert hasattr(tf.debugging, n), n
    assert tf.debugging.is_numeric_tensor(tf.constant(1.0))
    assert not tf.debugging.is_numeric_tensor(tf.constant("a"))


def test_tf_print_to_a_logging_function(sess, caplog):
    op = tf.print("loss:", tf.constant(0.25), output_stream=tf.logging.info)
    with caplog.at_level("INFO", logger="flowbook"):
        sess.run(op)
    assert [r.getMessage() for r in caplog.records] == ["loss: 0.25"]
