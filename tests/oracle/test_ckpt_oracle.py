"""Checkpoints and GraphDefs compared with TensorFlow itself (run with a Python that has TF).

Saver graphs, the "checkpoint" state file and restore error classes must match TF1's; a
GraphDef flowbook exports must be importable and runnable by TensorFlow.
"""

import os

import numpy as np
import pytest

import flowbook as fb

tf_real = pytest.importorskip("tensorflow.compat.v1")
tf_real.disable_v2_behavior()

IGNORED_TF_ATTRS = {"grad_a", "grad_b", "Truncate", "_has_manual_control_dependencies"}


def _saver_graph(tf):
    tf.reset_default_graph()
    tf.Variable([1.0, 2.0], name="v")
    with tf.variable_scope("s"):
        tf.get_variable("w", [2, 3], initializer=tf.zeros_initializer())
    tf.train.Saver()
    return [(op.name, op.type, [t.name for t in op.inputs], [c.name for c in op.control_inputs])
            for op in tf.get_default_graph().get_operations() if op.name.startswith("save")]


def test_saver_graph_matches_tf():
    assert _saver_graph(fb) == _saver_graph(tf_real)


def _state_file(tf, d):
    tf.reset_default_graph()
    tf.Variable([1.0, 2.0], name="v")
    saver = tf.train.Saver(max_to_keep=2)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        paths = [saver.save(sess, os.path.join(d, "m"), global_step=s) for s in (1, 2, 3)]
    return paths, open(os.path.join(d, "checkpoint")).read(), tf.train.latest_checkpoint(d)


def test_state_file_matches_tf(tmp_path):
    (tmp_path / "tf").mkdir()
    (tmp_path / "fb").mkdir()
    p_tf, text_tf, latest_tf = _state_file(tf_real, str(tmp_path / "tf"))
    p_fb, text_fb, latest_fb = _state_file(fb, str(tmp_path / "fb"))
    assert [p.replace("/fb/", "/tf/") for p in p_fb] == p_tf
    assert text_fb.replace("/fb/", "/tf/") == text_tf
    assert latest_fb.replace("/fb/", "/tf/") == latest_tf


def _restore_error(tf, d, **kw):
    tf.reset_default_graph()
    tf.Variable([1.0, 2.0], name="v")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver().save(sess, os.path.join(d, "m"))
    tf.reset_default_graph()
    if kw.get("missing"):
        tf.Variable([1.0, 2.0], name="other")
    else:
        tf.Variable(np.zeros(kw.get("shape", [2]), kw.get("dtype", np.float32)), name="v")
    with tf.Session() as sess:
        try:
            tf.train.Saver().restore(sess, path + kw.get("suffix", ""))
        except Exception as e:  # noqa: BLE001 (we compare classes)
            return type(e).__name__
    return "ok"


@pytest.mark.parametrize("kw", [{}, {"missing": True}, {"shape": [3]}, {"dtype": np.int32},
                                {"suffix": "_nope"}], ids=str)
def test_restore_error_classes_match_tf(tmp_path, kw):
    (tmp_path / "tf").mkdir()
    (tmp_path / "fb").mkdir()
    assert _restore_error(fb, str(tmp_path / "fb"), **kw) == \
        _restore_error(tf_real, str(tmp_path / "tf"), **kw)


def _common_graph(tf):
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2), name="w")
    y = tf.matmul(x, w, transpose_b=False)
    s = tf.reduce_sum(y, axis=1)
    c = tf.cast(s, tf.int32)
    r = tf.reshape(y, [-1])
    m = tf.reduce_mean(tf.abs(r - 1.0))
    return [y, s, c, r, m]


def test_tensorflow_imports_and_runs_flowbook_graph_defs():
    from google.protobuf import json_format
    outs = _common_graph(fb)
    feed = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]], np.float32)
    with fb.Session() as sess:
        sess.run(fb.global_variables_initializer())
        want = sess.run(outs, {"x:0": feed})
    gd = json_format.ParseDict(fb.get_default_graph().as_graph_def(add_shapes=True).to_dict(),
                               tf_real.GraphDef())
    with tf_real.Graph().as_default():
        tf_real.import_graph_def(gd, name="")
        with tf_real.Session() as sess:
            sess.run("w/Assign")
            got = sess.run([t.name for t in outs], {"x:0": feed})
    for a, b in zip(want, got):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_exported_attrs_match_tf_for_common_ops():
    _common_graph(fb)
    fb_nodes = {n["name"]: n for n in fb.get_default_graph().as_graph_def().to_dict()["node"]}
    _common_graph(tf_real)
    for node in tf_real.get_default_graph().as_graph_def().node:
        if node.name not in fb_nodes:
            continue
        tf_keys = set(node.attr) - IGNORED_TF_ATTRS
        assert set(fb_nodes[node.name].get("attr", {})) == tf_keys, node.name
        assert fb_nodes[node.name]["op"] == node.op
        assert list(fb_nodes[node.name].get("input", [])) == list(node.input), node.name
