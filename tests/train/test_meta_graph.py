"""Restoring a model without its code: import_meta_graph + restore, collections, scopes."""

import json

import numpy as np
import pytest

import flowbook as tf


def _train_and_save(tmp_path):
    """The classic course flow: a tiny linear model trained with plain assign ops, saved."""
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    y_true = tf.placeholder(tf.float32, [None, 1], name="y_true")
    with tf.variable_scope("linear"):
        w = tf.get_variable("w", [2, 1], initializer=tf.zeros_initializer())
        b = tf.Variable(0.0, name="b")
    pred = tf.add(tf.matmul(x, w), b, name="pred")
    loss = tf.reduce_mean((pred - y_true) ** 2, name="loss")
    gw, gb = tf.gradients(loss, [w, b])
    step = tf.Variable(0, trainable=False, name="global_step")
    train_op = tf.group(w.assign_sub(0.1 * gw), b.assign_sub(0.1 * gb), step.assign_add(1),
                        name="train")
    tf.add_to_collection("train_op", train_op)
    tf.add_to_collection("pred", pred)
    tf.add_to_collection("lr", 0.1)
    tf.add_to_collection("epochs", 3)
    tf.add_to_collection("note", "linear model")
    tf.add_to_collection(tf.GraphKeys.GLOBAL_STEP, step)
    xs = np.array([[1.0, 2.0], [3.0, 4.0], [0.5, -1.0]], np.float32)
    ys = xs @ np.array([[2.0], [-1.0]], np.float32) + 0.5
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(20):
            sess.run(train_op, {x: xs, y_true: ys})
        want = sess.run(pred, {x: xs})
        path = saver.save(sess, str(tmp_path / "model"), global_step=step)
    return path, xs, ys, want


def test_restore_a_model_without_its_code(tmp_path):
    path, xs, ys, want = _train_and_save(tmp_path)
    tf.reset_default_graph()
    saver = tf.train.import_meta_graph(path + ".meta")
    g = tf.get_default_graph()
    with tf.Session() as sess:
        saver.restore(sess, tf.train.latest_checkpoint(str(tmp_path)))
        pred = g.get_tensor_by_name("pred:0")
        np.testing.assert_allclose(sess.run(pred, {"x:0": xs}), want)
        assert tf.get_collection("pred") == [pred]
        # training continues from the restored state with the imported train op
        train_op, = tf.get_collection("train_op")
        assert isinstance(train_op, tf.Operation) and train_op.name == "train"
        sess.run(train_op, {"x:0": xs, "y_true:0": ys})
        step, = tf.get_collection(tf.GraphKeys.GLOBAL_STEP)
        assert sess.run(step) == 21


def test_collections_come_back_with_their_types(tmp_path):
    path, *_ = _train_and_save(tmp_path)
    tf.reset_default_graph()
    tf.train.import_meta_graph(path + ".meta")
    gv = tf.global_variables()
    assert [v.name for v in gv] == ["linear/w:0", "linear/b:0", "global_step:0"]
    assert all(isinstance(v, tf.Variable) for v in gv)
    assert [v.name for v in tf.trainable_variables()] == ["linear/w:0", "linear/b:0"]
    assert tf.trainable_variables()[0] is gv[0]            # one object per variable
    assert gv[2].trainable is False
    assert tf.get_collection(tf.GraphKeys.GLOBAL_STEP)[0] is gv[2]
    assert tf.get_collection("lr") == [0.1] and tf.get_collection("epochs") == [3]
    assert tf.get_collection("note") == [b"linear model"]
    # the imported variables work as variables: initializer, value, assign
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(gv[1].assign(5.0))
        assert sess.run(gv[1]) == 5.0


def test_import_scope_prefixes_everything(tmp_path):
    path, xs, _, want = _train_and_save(tmp_path)
    tf.reset_default_graph()
    tf.constant(0, name="existing")
    saver = tf.train.import_meta_graph(path + ".meta", import_scope="restored")
    assert saver.saver_def.restore_op_name == "restored/save/restore_all"
    with tf.Session() as sess:
        saver.restore(sess, path)
        got = sess.run("restored/pred:0", {"restored/x:0": xs})
    np.testing.assert_allclose(got, want)
    assert [v.name for v in tf.global_variables()][0] == "restored/linear/w:0"


def test_meta_file_is_json_data_with_tf_fields(tmp_path):
    path, *_ = _train_and_save(tmp_path)
    meta = json.load(open(path + ".meta"))
    assert set(meta) >= {"meta_info_def", "graph_def", "saver_def", "collection_def"}
    assert meta["saver_def"]["restore_op_name"] == "save/restore_all"
    assert meta["collection_def"]["variables"]["variable_list"]["value"][0] == {
        "variable_name": "linear/w:0", "initializer_name": "linear/w/Assign",
        "snapshot_name": "linear/w/read:0",
        "initial_value_name": "linear/w/Initializer/zeros:0", "trainable": True}
    assert meta["collection_def"]["train_op"] == {"node_list": {"value": ["train"]}}


def test_export_meta_graph_and_clear_devices(tmp_path):
    with tf.device("/cpu:0"):
        tf.Variable(1.0, name="v")
    mgd = tf.train.export_meta_graph(str(tmp_path / "g.meta"), clear_devices=True)
    assert all(n.device == "" for n in mgd.graph_def.node)
    tf.reset_default_graph()
    saver = tf.train.import_meta_graph(str(tmp_path / "g.meta"))
    assert saver is not None              # variables but no saver_def: a default Saver
    assert tf.get_default_graph().get_operation_by_name("v").device == ""


def test_bad_meta_files(tmp_path):
    (tmp_path / "tf.meta").write_bytes(b"\x0a\x8f\x01binary protobuf")
    with pytest.raises(ValueError, match="TensorFlow's binary .meta"):
        tf.train.import_meta_graph(str(tmp_path / "tf.meta"))
    with pytest.raises(OSError):
        tf.train.import_meta_graph(str(tmp_path / "missing.meta"))
