"""The placer: TF1's device strings and rules, colocation groups, soft placement, and the
placement table. GPUs come from the strict fake CuPy (tests/gpu/fake_cupy.py), so every rule
is checked on this CPU-only machine; tests/gpu runs the same machinery on real GPUs."""

import io

import numpy as np
import pytest

import flowbook as tf
from flowbook.runtime.placement import CPU0, available_devices
from flowbook.runtime.placement_log import PlacementLog, log_placements

GPU0 = "/job:localhost/replica:0/task:0/device:GPU:0"
GPU1 = "/job:localhost/replica:0/task:0/device:GPU:1"
SOFT = tf.ConfigProto(allow_soft_placement=True)


def _log(sess):
    return {p.op_name: p for p in sess.placement_log()}


def test_without_a_gpu_only_the_cpu_is_listed():
    assert available_devices() == [CPU0]
    with tf.Session() as s:
        assert [d.device_type for d in s.list_devices()] == ["CPU"]


def test_gpus_are_listed_and_can_be_hidden(fake_gpus):
    fake_gpus(2)
    assert available_devices() == [CPU0, GPU0, GPU1]
    with tf.Session() as s:
        devs = s.list_devices()
        assert [d.device_type for d in devs] == ["CPU", "GPU", "GPU"]
        assert devs[1].memory_limit_bytes == 1 << 30
    hidden = tf.ConfigProto(device_count={"GPU": 0})
    assert available_devices(hidden) == [CPU0]
    assert available_devices(tf.ConfigProto(device_count={"GPU": 1})) == [CPU0, GPU0]
    c = tf.constant(1.0, name="c") * 2.0
    with tf.Session(config=hidden) as s:
        assert s.run(c) == 2.0
        assert _log(s)["c"].assigned == CPU0


@pytest.mark.parametrize("spec", ["/gpu:0", "/device:GPU:0", "/GPU:0", "gpu:0",
                                  "/job:localhost/replica:0/task:0/device:GPU:0",
                                  "/job:localhost/task:0/gpu:0", "/device:GPU:*"])
def test_tf1_device_strings_reach_the_gpu(fake_gpu, spec):
    with tf.device(spec):
        y = tf.add(tf.ones([2]), 1.0, name="y")
    with tf.Session() as s:
        assert s.run(y).tolist() == [2.0, 2.0]
        p = _log(s)["y"]
    assert p.assigned == GPU0 and p.reason == "requested"


def test_explicit_cpu_request_is_honoured_with_a_gpu_present(fake_gpu):
    with tf.device("/cpu:0"):
        a = tf.constant([1.0, 2.0], name="a")
    b = tf.multiply(a, 3.0, name="b")
    with tf.Session() as s:
        assert s.run(b).tolist() == [3.0, 6.0]
        log = _log(s)
    assert log["a"].assigned == CPU0 and log["a"].reason == "requested"
    # Ops with no request go to the GPU first, as in TF.
    assert log["b"].assigned == GPU0 and "no device requested" in log["b"].reason


def test_nested_scopes_and_device_functions(fake_gpus):
    fake_gpus(2)
    with tf.device("/gpu:1"):
        with tf.device("/cpu:0"):
            a = tf.constant(1.0, name="a")
        b = tf.add(a, 1.0, name="b")
        with tf.device(None):
            c = tf.add(b, 1.0, name="c")
    with tf.device(lambda op: "/gpu:0" if op.type == "Mul" else "/cpu:0"):
        d = tf.multiply(c, 2.0, name="d")
        e = tf.subtract(d, 1.0, name="e")
    with tf.Session() as s:
        assert s.run(e) == 5.0
        log = _log(s)
    assert (log["a"].assigned, log["b"].assigned) == (CPU0, GPU1)
    assert log["c"].requested == "" and log["c"].assigned == GPU0
    assert (log["d"].assigned, log["e"].assigned) == (GPU0, CPU0)


def test_missing_device_needs_soft_placement(fake_gpu):
    x, one = tf.ones([2]), tf.constant(1.0)
    with tf.device("/gpu:1"):
        y = tf.add(x, one, name="y")
    with tf.Session() as s:
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            s.run(y)
    msg = str(e.value)
    assert "'y'" in msg and "/device:GPU:1" in msg and "allow_soft_placement" in msg
    with tf.Session(config=SOFT) as s:
        assert s.run(y).tolist() == [2.0, 2.0]
        p = _log(s)["y"]
    # Soft placement prefers a device of the requested type.
    assert p.assigned == GPU0 and "soft placement" in p.reason and "GPU:1" in p.reason


def test_gpu_request_without_gpus_falls_back_to_cpu_softly():
    x, one = tf.ones([2]), tf.constant(1.0)
    with tf.device("/gpu:0"):
        y = tf.add(x, one, name="y")
    with tf.Session() as s, pytest.raises(tf.errors.InvalidArgumentError,
                                          match="Cannot assign a device for operation 'y'"):
        s.run(y)
    with tf.Session(config=SOFT) as s:
        s.run(y)
        assert _log(s)["y"].assigned == CPU0


def test_op_without_gpu_kernel_raises_or_moves_to_cpu(fake_gpu):
    v = tf.Variable(1.0, name="v")
    with tf.device("/gpu:0"):
        report = tf.report_uninitialized_variables(name="report")
    with tf.Session() as s:
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            s.run(report)
    msg = str(e.value)
    assert "report" in msg and "ReportUninitializedVariables" in msg and "GPU" in msg
    assert "string" in msg      # the reason from the backend's LACKS list
    with tf.Session(config=SOFT) as s:
        assert s.run(report).tolist() == [b"v"]
        log = _log(s)
        assert log["report"].assigned == CPU0 and "no GPU kernel" in log["report"].reason
        # The variable it inspects stays on the GPU: metadata reads do not colocate.
        s.run(v.initializer)
        assert _log(s)["v"].assigned == GPU0


def test_string_tensors_stay_on_the_cpu(fake_gpu):
    with tf.device("/gpu:0"):
        s_ = tf.constant(b"text", name="s")
    with tf.Session() as s, pytest.raises(tf.errors.InvalidArgumentError, match="CPU only"):
        s.run(s_)
    t = tf.constant(b"text", name="t")
    with tf.Session() as s:
        assert s.run(t) == b"text"
        assert _log(s)["t"].assigned == CPU0


def test_variable_and_its_updates_are_one_colocation_group(fake_gpu):
    with tf.device("/gpu:0"):
        v = tf.Variable([1.0, 2.0], name="v")
    inc = tf.assign_add(v, [1.0, 1.0], name="inc")     # no request: joins v
    with tf.Session() as s:
        s.run(v.initializer)
        assert s.run(inc).tolist() == [2.0, 3.0]
        log = _log(s)
    assert log["v"].assigned == log["inc"].assigned == log["v/Assign"].assigned == GPU0
    assert "colocated with 'v'" in log["inc"].reason and "reference edge" in log["inc"].reason


def test_conflicting_requests_in_a_group(fake_gpu):
    with tf.device("/gpu:0"):
        v = tf.Variable([1.0], name="v")
    with tf.device("/cpu:0"):
        up = tf.assign(v, [5.0], name="up")
    with tf.Session() as s, pytest.raises(tf.errors.InvalidArgumentError,
                                          match="Cannot colocate nodes 'v' and 'up'"):
        s.run(up)
    with tf.Session(config=SOFT) as s:
        assert s.run(up).tolist() == [5.0]
        assert _log(s)["up"].assigned == GPU0    # the variable's request wins


def test_group_goes_to_cpu_when_a_member_lacks_a_gpu_kernel(fake_gpu):
    """A string variable and its assign cannot live on a GPU: the whole group moves."""
    v = tf.Variable(b"x", name="sv")
    with tf.Session() as s:
        s.run(v.initializer)
        assert s.run(v) == b"x"
        assert _log(s)["sv"].assigned == CPU0


def test_colocate_with_follows_the_op(fake_gpu):
    with tf.device("/cpu:0"):
        a = tf.constant([1.0], name="a")
    with tf.device("/gpu:0"):
        with tf.colocate_with(a):
            b = tf.add(a, 1.0, name="b")
    with tf.Session() as s:
        assert s.run(b).tolist() == [2.0]
        assert _log(s)["b"].assigned == CPU0


def test_placement_is_sticky_across_plans(fake_gpu):
    v = tf.Variable([1.0], name="v")
    with tf.Session() as s:
        s.run(v.initializer)
        first = _log(s)["v"].assigned
        with tf.device("/cpu:0"):
            dbl = tf.assign(v, v * 2.0, name="dbl")     # built after v was placed
        with pytest.raises(tf.errors.InvalidArgumentError, match="Cannot colocate"):
            s.run(dbl)
    assert first == GPU0


def test_placement_log_table_text_html_and_data(fake_gpu):
    with tf.device("/cpu:0"):
        a = tf.constant([1.0], name="a")
    b = tf.add(a, a, name="b")
    with tf.Session() as s:
        assert s.placement_log() == [] and "empty" in repr(s.placement_log())
        s.run(b)
        log = s.placement_log()
    assert isinstance(log, PlacementLog)
    assert [p.op_name for p in log] == ["a", "b"]
    assert log.rows()[0] == ("a", "Const", "/device:CPU:0", "CPU:0", "requested")
    assert log.by_device() == {CPU0: ["a"], GPU0: ["b"]}
    text = repr(log).splitlines()
    assert text[0].split() == ["op", "type", "requested", "assigned", "reason"]
    assert text[2].split()[:4] == ["a", "Const", "/device:CPU:0", "CPU:0"]
    html = log._repr_html_()
    assert html.startswith("<table") and "<td>b</td>" in html and "GPU:0" in html
    odd = PlacementLog([type(log[0])("x<&>", "Add", "", GPU0, "r")])._repr_html_()
    assert "x&lt;&amp;&gt;" in odd and "x<&>" not in odd
    assert log.as_dicts()[1]["assigned"] == GPU0


def test_log_device_placement_writes_tf_lines(capfd, fake_gpu):
    y = tf.add(tf.ones([2], name="o"), 1.0, name="y")
    with tf.Session(config=tf.ConfigProto(log_device_placement=True)) as s:
        s.run(y)
        s.run(y)                     # placed once, logged once
    err = capfd.readouterr().err
    assert err.count(f"y: (Add): {GPU0}") == 1
    assert f"o: (Fill): {GPU0}" in err or f"o: (Const): {GPU0}" in err


def test_log_device_placement_shows_a_table_in_a_notebook(monkeypatch):
    """In a Jupyter kernel the log is displayed as a table (IPython found in sys.modules,
    never imported by flowbook)."""
    import sys
    import types
    shown = []

    class ZMQInteractiveShell:
        pass
    shell = ZMQInteractiveShell()
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))
    monkeypatch.setitem(sys.modules, "IPython.display",
                        types.SimpleNamespace(display=shown.append))
    y = tf.add(1.0, 2.0, name="y")
    with tf.Session(config=tf.ConfigProto(log_device_placement=True)) as s:
        s.run(y)
    assert len(shown) == 1 and isinstance(shown[0], PlacementLog)
    assert "y" in [p.op_name for p in shown[0]]
    out = io.StringIO()
    log_placements(shown[0], out)          # an explicit stream still gets TF's lines
    assert f"y: (Add): {CPU0}" in out.getvalue()


def test_reasons_explain_default_gpu_and_cpu_fallback(fake_gpu):
    tf.Variable(np.zeros(2, np.float32), name="v")
    names = tf.report_uninitialized_variables(name="names")
    with tf.Session() as s:
        s.run(names)
        log = _log(s)
    assert log["names"].assigned == CPU0
    assert "no GPU kernel" in log["names"].reason and "string" in log["names"].reason
    assert log["v"].assigned == GPU0
