"""FileWriter output read back with TensorBoard's own event reader (EventAccumulator)."""

import os
import time

import numpy as np
import pytest

import flowbook as tf

pytest.importorskip("tensorboard", reason="event files need the tensorboard extra")
from tensorboard.backend.event_processing import event_accumulator  # noqa: E402

from tests.summary.events import write_run  # noqa: E402


def _accumulate(logdir):
    ea = event_accumulator.EventAccumulator(
        str(logdir), size_guidance={event_accumulator.SCALARS: 0,
                                    event_accumulator.HISTOGRAMS: 0})
    ea.Reload()
    return ea


def test_tensorboard_reads_graph_scalars_histogram_and_run_metadata(tmp_path):
    expected = write_run(str(tmp_path))
    files = os.listdir(tmp_path)
    assert len(files) == 1 and files[0].startswith("events.out.tfevents.")
    ea = _accumulate(tmp_path)
    tags = ea.Tags()
    assert tags["scalars"] == ["loss"] and tags["histograms"] == ["weights"]
    assert tags["graph"] and tags["meta_graph"] and tags["run_metadata"] == ["step1"]
    scalars = ea.Scalars("loss")
    assert [s.step for s in scalars] == list(range(100))
    np.testing.assert_allclose([s.value for s in scalars], expected, rtol=1e-6)
    assert expected[-1] < expected[0]
    names = [n.name for n in ea.Graph().node]
    assert {"x", "model/weights", "model/pred", "mse", "loss", "weights",
            "Merge/MergeSummary"} <= set(names)
    pred = next(n for n in ea.Graph().node if n.name == "model/pred")
    assert pred.op == "MatMul" and list(pred.input) == ["x", "model/weights/read"]
    hist = ea.Histograms("weights")
    assert len(hist) == 100 and hist[0].histogram_value.num == 2
    assert hist[0].histogram_value.max == pytest.approx(0.5)
    md = ea.RunMetadata("step1")
    stats = [n for d in md.step_stats.dev_stats for n in d.node_stats]
    by_name = {n.node_name: n for n in stats}
    assert "model/pred" in by_name and "Merge/MergeSummary" in by_name
    # every op that took time shows at least 1 µs (TensorBoard ignores zero-time ops);
    # constants and variable handles are made once per plan and take none
    ran = [n for n in stats if n.op_end_rel_nanos > 0]
    assert len(ran) > len(stats) // 2 and all(n.all_end_rel_micros >= 1 for n in ran)
    mm = by_name["model/pred"]
    assert mm.memory[0].total_bytes == 2 * 1 * 4        # a [2, 1] float32 output
    assert [d.size for d in mm.output[0].tensor_description.shape.dim] == [2, 1]
    assert mm.output[0].tensor_description.dtype == 1   # DT_FLOAT


def test_flush_makes_events_visible_before_close(tmp_path):
    w = tf.summary.FileWriter(str(tmp_path), flush_secs=0.2, max_queue=1000)
    w.add_summary(tf.Summary(value=[tf.Summary.Value(tag="a", simple_value=1.0)]), 1)
    deadline = time.time() + 5
    while time.time() < deadline and not _accumulate(tmp_path).Tags()["scalars"]:
        time.sleep(0.1)          # the background thread flushes every flush_secs
    assert _accumulate(tmp_path).Scalars("a")[0].value == 1.0
    w.add_summary(tf.Summary(value=[tf.Summary.Value(tag="b", simple_value=2.0)]), 2)
    w.flush()
    assert _accumulate(tmp_path).Scalars("b")[0].step == 2
    w.close()


def test_close_reopen_context_manager_and_errors(tmp_path):
    with tf.summary.FileWriter(str(tmp_path)) as w:
        assert w.get_logdir() == str(tmp_path)
        md = tf.RunMetadata()
        w.add_run_metadata(md, "t")
        with pytest.raises(ValueError, match="already used"):
            w.add_run_metadata(md, "t")
        with pytest.raises(TypeError):
            w.add_summary(42)
    with pytest.raises(OSError, match="closed"):
        w.add_summary(tf.Summary(), 0)
    time.sleep(1.1)              # event file names carry whole seconds
    w.reopen()
    w.add_summary(tf.Summary(value=[tf.Summary.Value(tag="c", simple_value=3.0)]), 0)
    w.close()
    assert len(os.listdir(tmp_path)) == 2


def test_file_writer_cache(tmp_path):
    a = tf.summary.FileWriterCache.get(str(tmp_path))
    assert tf.summary.FileWriterCache.get(str(tmp_path)) is a
    tf.summary.FileWriterCache.clear()
    with pytest.raises(OSError):
        a.add_summary(tf.Summary(), 0)
    assert tf.summary.FileWriterCache.get(str(tmp_path)) is not a
    tf.summary.FileWriterCache.clear()


def test_plugin_metadata_written_once_per_tag(tmp_path):
    t = tf.summary.text("notes", tf.constant("hello"))
    with tf.Session() as sess, tf.summary.FileWriter(str(tmp_path)) as w:
        for step in range(3):
            w.add_summary(sess.run(t), step)
    ea = event_accumulator.EventAccumulator(str(tmp_path),
                                            size_guidance={event_accumulator.TENSORS: 0})
    ea.Reload()
    assert len(ea.Tensors("notes")) == 3
    assert ea.SummaryMetadata("notes").plugin_data.plugin_name == "text"
