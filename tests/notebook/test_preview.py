"""The preview (what will run) is exactly what Session.run executes, per RunMetadata."""

import numpy as np
import pytest

import flowbook as tf
from flowbook.notebook.preview import describe_run, run_stats, will_run

from .graphs import mlp

X = np.array([[1.0, 2.0]], np.float32)


def _executed(sess, fetches, feed):
    md = tf.RunMetadata()
    sess.run(fetches, feed, options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
             run_metadata=md)
    return [ns.node_name for d in md.step_stats.dev_stats for ns in d.node_stats]


@pytest.mark.parametrize("case", ["loss", "grads", "y_fed", "unused", "after", "init"])
def test_preview_matches_the_ops_a_traced_run_executes(case):
    g, t = mlp()
    sess = tf.Session(graph=g)
    sess.run(t["init"])
    fetches, feed = {
        "loss": ([t["loss"]], {t["x"]: X}),
        "grads": (t["grads"], {t["x"]: X}),
        "y_fed": ([t["loss"]], {t["y"]: np.ones((1, 1), np.float32)}),   # cuts layer1
        "unused": ([t["unused"]], None),
        "after": ([t["after"]], {t["x"]: X}),
        "init": ([t["init"]], None),
    }[case]
    preview = [op.name for op in will_run(g, fetches, list(feed or ()))]
    ran = _executed(sess, fetches, feed)
    assert sorted(preview) == sorted(ran)
    assert len(preview) == len(set(preview))
    if case == "y_fed":
        assert not any(n.startswith("layer1/") for n in preview)


def test_fed_placeholder_is_cut_and_unneeded_ops_are_left_out():
    g, t = mlp()
    names = [op.name for op in will_run(g, ["loss:0"], ["x:0"])]
    assert "x" not in names
    assert "unused" not in names and "step" not in names
    assert names.index("layer1/MatMul") < names.index("loss")


def test_describe_run_lists_one_line_per_op_in_order():
    g, t = mlp()
    sess = tf.Session(graph=g)
    text = describe_run(sess, [t["loss"]], {t["x"]: X})
    lines = text.splitlines()
    n = len(will_run(g, [t["loss"]], [t["x"]]))
    assert lines[0] == f"# sess.run(loss:0) feeding x:0: {n} ops in execution order"
    assert lines[1].split() == ["x:0", "fed", "float32[?,2]"]
    matmul = next(line for line in lines if "= MatMul(" in line)
    assert matmul.split() == ["layer1/MatMul:0", "=", "MatMul(<fed>", "x:0,",
                              "layer1/w/read:0)", "float32[?,1]", "CPU:0"]
    assert lines[-1] == "  -> loss:0"
    # on a graph (no session) the devices are the requested ones (none here)
    assert describe_run(g, [t["loss"]], [t["x"]]).splitlines()[3].split()[-1] != "CPU:0"


def test_run_stats_reads_time_device_and_shapes():
    g, t = mlp()
    sess = tf.Session(graph=g)
    sess.run(t["init"])
    md = tf.RunMetadata()
    sess.run(t["y"], {t["x"]: X}, options=tf.RunOptions(trace_level=3), run_metadata=md)
    stats = run_stats(md)
    assert stats["layer1/MatMul"].shapes == [(1, 1)]
    assert stats["layer1/MatMul"].device.endswith("CPU:0")
    assert stats["layer1/MatMul"].micros >= 0
