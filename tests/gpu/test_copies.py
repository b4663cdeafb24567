"""Cross-device copies: explicit steps in the plan, counted once per tensor per destination,
visible in RunMetadata (copies and step stats); feeds go to the device that consumes them,
fetches come back as NumPy arrays, variables on a GPU keep their values there."""

import numpy as np
import pytest

import flowbook as tf

GPU0 = "/job:localhost/replica:0/task:0/device:GPU:0"
CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0"
TRACE = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)


def _copies(sess, fetches, feed=None):
    md = tf.RunMetadata()
    out = sess.run(fetches, feed, options=TRACE, run_metadata=md)
    return out, md


def test_feed_is_copied_once_to_the_gpu_that_consumes_it(gpu):
    x = tf.placeholder(tf.float32, [3], name="x")
    a = tf.multiply(x, 2.0, name="a")
    b = tf.add(x, 1.0, name="b")
    with tf.Session() as s:
        (ra, rb), md = _copies(s, [a, b], {x: [1.0, 2.0, 3.0]})
    assert type(ra) is np.ndarray and type(rb) is np.ndarray
    assert ra.tolist() == [2.0, 4.0, 6.0] and rb.tolist() == [2.0, 3.0, 4.0]
    feeds = [c for c in md.copies if c["kind"] == "feed"]
    assert len(feeds) == 1, md.copies
    assert feeds[0]["tensor"] == "x:0" and feeds[0]["dst_device"] == GPU0
    assert feeds[0]["consumers"] == ["a", "b"] and feeds[0]["bytes"] == 12
    fetches = sorted(c["tensor"] for c in md.copies if c["kind"] == "fetch")
    assert fetches == ["a:0", "b:0"]


def test_gpu_tensor_used_by_two_cpu_ops_crosses_once(gpu):
    x = tf.placeholder(tf.float32, [2], name="x")
    y = tf.multiply(x, 3.0, name="y")                 # GPU (default device)
    with tf.device("/cpu:0"):
        p = tf.add(y, 1.0, name="p")
        q = tf.subtract(y, 1.0, name="q")
    with tf.Session() as s:
        (rp, rq, ry), md = _copies(s, [p, q, y], {x: [1.0, 2.0]})
        assert s.placement_log()[-1].assigned == CPU0
    assert rp.tolist() == [4.0, 7.0] and rq.tolist() == [2.0, 5.0] and ry.tolist() == [3, 6]
    to_cpu = [c for c in md.copies if c["tensor"] == "y:0" and c["dst_device"] == CPU0]
    assert len(to_cpu) == 1, md.copies      # shared by p, q and the fetch of y
    assert to_cpu[0]["consumers"] == ["p", "q", "(fetch)"]
    # The copy is a step of its own in the step stats, on the destination device.
    stats = {n.node_name: d.device for d in md.step_stats.dev_stats for n in d.node_stats}
    assert stats[to_cpu[0]["name"]] == CPU0 and stats["y"] == GPU0


def test_constants_cross_once_at_compile_time(gpu):
    with tf.device("/cpu:0"):
        c = tf.constant([1.0, 2.0], name="c")
    y = tf.multiply(c, c, name="y")
    with tf.Session() as s:
        s.run(y)
        (r,), md = _copies(s, [y])
    assert r.tolist() == [1.0, 4.0]
    static = [x for x in md.copies if x["tensor"] == "c:0"]
    assert len(static) == 1 and static[0]["static"] and static[0]["dst_device"] == GPU0
    run_steps = [n.node_name for d in md.step_stats.dev_stats for n in d.node_stats]
    assert static[0]["name"] not in run_steps       # nothing moves per run


def test_untraced_runs_still_report_copies(gpu):
    x = tf.placeholder(tf.float32, [2], name="x")
    y = tf.multiply(x, 2.0, name="y")
    md = tf.RunMetadata()
    with tf.Session() as s:
        s.run(y, {x: [1.0, 2.0]}, run_metadata=md)
    assert sorted(c["kind"] for c in md.copies) == ["feed", "fetch"]


def test_cpu_only_sessions_have_no_copy_steps(fake_gpu):
    x = tf.placeholder(tf.float32, [2], name="x")
    y = tf.multiply(x, 2.0, name="y")
    md = tf.RunMetadata()
    with tf.Session(config=tf.ConfigProto(device_count={"GPU": 0})) as s:
        s.run(y, {x: [1.0, 2.0]}, options=TRACE, run_metadata=md)
    assert md.copies == []


def test_variable_on_gpu_keeps_its_value_there(gpu):
    v = tf.Variable(np.arange(4, dtype=np.float32), name="v")
    inc = tf.assign_add(v, tf.ones([4]), name="inc")
    with tf.Session() as s:
        s.run(v.initializer)
        # Fetching both the update and the variable: the variable is read after the update.
        r_inc, r_v = s.run([inc, v])
        cell = s._resources.cells[v.op]
        assert isinstance(cell.value, gpu.ndarray)
        assert type(r_v) is np.ndarray and r_v.tolist() == [1.0, 2.0, 3.0, 4.0]
        assert r_inc.tolist() == [1.0, 2.0, 3.0, 4.0]
        # A CPU consumer of the variable gets a copy read when it runs.
        with tf.device("/cpu:0"):
            total = tf.reduce_sum(v, name="total")
        assert s.run(total) == 10.0
        assert isinstance(s._resources.cells[v.op].value, gpu.ndarray)


def test_cpu_variable_assigned_from_gpu_value(gpu):
    with tf.device("/cpu:0"):
        v = tf.Variable([0.0, 0.0], name="v")
    x = tf.placeholder(tf.float32, [2])
    up = tf.assign(v, tf.multiply(x, 10.0, name="gpu_mul"), name="up")
    with tf.Session() as s:
        s.run(v.initializer)
        assert s.run(up, {x: [1.0, 2.0]}).tolist() == [10.0, 20.0]
        assert type(s._resources.cells[v.op].value) is np.ndarray
        log = {p.op_name: p.assigned for p in s.placement_log()}
    assert log["gpu_mul"] == GPU0 and log["up"] == CPU0


def test_fetched_values_are_numpy_scalars_and_arrays(gpu):
    a = tf.constant([[1, 2], [3, 4]], dtype=tf.int32)
    with tf.Session() as s:
        total, mat, shape = s.run([tf.reduce_sum(a), tf.matmul(a, a), tf.shape(a)])
    assert isinstance(total, np.integer) and total == 10
    assert type(mat) is np.ndarray and mat.tolist() == [[7, 10], [15, 22]]
    assert type(shape) is np.ndarray and shape.tolist() == [2, 2]


def test_missing_copy_would_be_caught(fake_gpu):
    """The fake refuses NumPy arrays where CuPy does: proof that the tests above would fail if
    a copy step were missing."""
    with pytest.raises(TypeError, match="Unsupported type"):
        fake_gpu.add(fake_gpu.asarray([1.0]), np.array([1.0]))
    with pytest.raises(TypeError, match="Implicit conversion"):
        np.asarray(fake_gpu.asarray([1.0]))


def test_two_gpus_copy_between_devices(fake_gpus):
    fake_gpus(2)
    x = tf.placeholder(tf.float32, [2], name="x")
    with tf.device("/gpu:0"):
        a = tf.multiply(x, 2.0, name="a")
    with tf.device("/gpu:1"):
        b = tf.add(a, 1.0, name="b")
        v = tf.Variable([1.0, 1.0], name="v")
        up = tf.assign_add(v, b, name="up")
    with tf.Session() as s:
        s.run(v.initializer)
        md = tf.RunMetadata()
        r = s.run(up, {x: [1.0, 2.0]}, options=TRACE, run_metadata=md)
        assert r.tolist() == [4.0, 6.0]
        assert s._resources.cells[v.op].value.device.id == 1
    between = [c for c in md.copies if c["tensor"] == "a:0"]
    assert len(between) == 1 and between[0]["dst_device"].endswith("GPU:1")
    assert between[0]["src_device"] == GPU0
