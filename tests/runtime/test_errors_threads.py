"""Errors keep TF1's classes and explain themselves; sessions survive them, threads and
interrupts included."""

import threading

import numpy as np
import pytest

import flowbook as tf
from flowbook.backends import get_backend
from flowbook.ops.registry import register_op, apply_op1


def test_error_classes_are_tf1s():
    assert issubclass(tf.errors.InvalidArgumentError, tf.errors.OpError)
    e = tf.errors.NotFoundError(None, None, "gone")
    assert e.error_code == tf.errors.NOT_FOUND and e.message == "gone" and str(e) == "gone"


def test_fetch_errors(sess):
    tf.constant(0)
    with pytest.raises(ValueError, match="cannot be interpreted as a Tensor"):
        sess.run("nope:0")
    with pytest.raises(TypeError, match="invalid type"):
        sess.run(1)
    with pytest.raises(TypeError, match="Cannot be None"):
        sess.run(None)
    other = tf.Graph()
    with other.as_default():
        z = tf.constant(1)
    with pytest.raises(ValueError, match="not an element of this graph"):
        sess.run(z)
    with pytest.raises(ValueError, match="must be from the same graph"):
        tf.add(z, tf.constant(1))
    assert sess.run(tf.constant(3)) == 3


def test_runtime_failure_names_node_op_and_inputs(sess):
    x = tf.placeholder(tf.float32, [None])
    r = tf.reshape(x, [2, 2], name="make_square")
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        sess.run(r, {x: [1, 2, 3]})
    assert "make_square" in str(e.value) and "Reshape" in str(e.value)
    assert e.value.op is r.op
    assert sess.run(r, {x: [1, 2, 3, 4]}).shape == (2, 2)


def test_integer_division_by_zero_is_invalid_argument(sess):
    a = tf.placeholder(tf.int32, [])
    with pytest.raises(tf.errors.InvalidArgumentError, match="division by zero"):
        sess.run(tf.constant(4) // a, {a: 0})


register_op("TestInterrupt", inputs=("x",), infer=lambda i, a: (i[0].dtype, i[0].shape),
            not_differentiable="test op", doc="raises KeyboardInterrupt (tests only)")


@get_backend("numpy").kernel("TestInterrupt")
def _interrupt(x):
    raise KeyboardInterrupt


def test_keyboard_interrupt_leaves_session_usable(sess):
    v = tf.Variable(0)
    x = tf.identity(v.read_value() + 1)
    boom = apply_op1("TestInterrupt", (x,))
    sess.run(v.initializer)
    with pytest.raises(KeyboardInterrupt):
        sess.run(boom)
    assert sess.run(x) == 1 and sess.run(v.assign_add(2)) == 2


def test_concurrent_runs_are_exact_and_lose_no_update(sess):
    counter = tf.Variable(0, dtype=tf.int64)
    inc = tf.assign_add(counter, tf.constant(1, dtype=tf.int64))
    x = tf.placeholder(tf.float64, [100])
    y = tf.reduce_sum(x * 2.0)
    sess.run(counter.initializer)
    errors = []

    def work(seed):
        rng = np.random.default_rng(seed)
        for _ in range(200):
            v = rng.random(100)
            if sess.run(y, {x: v}) != (v * 2.0).sum():
                errors.append(seed)
            sess.run(inc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and sess.run(counter) == 8 * 200


def test_soft_placement_and_placement_log(capfd):
    with tf.device("/gpu:0"):
        c = tf.matmul(tf.ones([2, 2]), tf.ones([2, 2]), name="mm")
    with tf.Session() as s, pytest.raises(tf.errors.InvalidArgumentError,
                                          match="Cannot assign a device for operation"):
        s.run(c)
    cfg = tf.ConfigProto(allow_soft_placement=True, log_device_placement=True)
    with tf.Session(config=cfg) as s:
        assert s.run(c).tolist() == [[2, 2], [2, 2]]
        log = {p.op_name: p for p in s.placement_log()}
    assert log["mm"].requested == "/device:GPU:0" and log["mm"].assigned.endswith("CPU:0")
    assert "soft placement" in log["mm"].reason
    err = capfd.readouterr().err
    assert "mm: (MatMul): /job:localhost/replica:0/task:0/device:CPU:0" in err


def test_config_proto_fields():
    cfg = tf.ConfigProto(allow_soft_placement=True, intra_op_parallelism_threads=2,
                         gpu_options=tf.GPUOptions(per_process_gpu_memory_fraction=0.5))
    cfg.gpu_options.allow_growth = True
    assert cfg.gpu_options.allow_growth and cfg.allow_soft_placement
    with pytest.raises(ValueError):
        tf.ConfigProto(no_such_field=1)
    with pytest.raises(AttributeError):
        cfg.no_such_field = 1
