"""tf.train.Saver: what a TF1 user saves, restores, finds and keeps."""

import os

import numpy as np
import pytest

import flowbook as tf


def _model():
    v = tf.Variable([1.0, 2.0], name="v")
    with tf.variable_scope("layer"):
        w = tf.get_variable("w", [2, 3], dtype=tf.float64,
                            initializer=tf.constant_initializer(0.5))
    step = tf.Variable(0, name="global_step", trainable=False)
    return v, w, step


def test_graph_has_tf1_save_scope():
    _model()
    saver = tf.train.Saver()
    names = [op.name for op in tf.get_default_graph().get_operations() if op.name.startswith(
        "save/")]
    assert names == ["save/filename/input", "save/filename", "save/Const",
                     "save/SaveV2/tensor_names", "save/SaveV2/shape_and_slices", "save/SaveV2",
                     "save/control_dependency", "save/RestoreV2/tensor_names",
                     "save/RestoreV2/shape_and_slices", "save/RestoreV2", "save/Assign",
                     "save/Assign_1", "save/Assign_2", "save/restore_all"]
    sd = saver.saver_def
    assert (sd.filename_tensor_name, sd.save_tensor_name, sd.restore_op_name) == (
        "save/Const:0", "save/control_dependency:0", "save/restore_all")
    tf.train.Saver()
    assert tf.get_default_graph().get_operation_by_name("save_1/restore_all").type == "NoOp"


def test_save_restore_roundtrip_in_new_session(tmp_path):
    v, w, step = _model()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([v.assign([7.0, 8.0]), w.assign(np.arange(6.0).reshape(2, 3)),
                  step.assign(42)])
        path = saver.save(sess, str(tmp_path / "model.ckpt"), global_step=step)
    assert path == str(tmp_path / "model.ckpt-42")
    assert sorted(f for f in os.listdir(tmp_path) if not f.startswith("model.ckpt-42.data")) \
        == ["checkpoint", "model.ckpt-42.index", "model.ckpt-42.meta"]
    with tf.Session() as sess:
        saver.restore(sess, path)
        got_v, got_w, got_step = sess.run([v, w, step])
    np.testing.assert_array_equal(got_v, [7.0, 8.0])
    np.testing.assert_array_equal(got_w, np.arange(6.0).reshape(2, 3))
    assert got_w.dtype == np.float64 and got_step == 42


def test_running_saver_def_ops_by_name_saves_and_restores(tmp_path):
    v, _, _ = _model()
    saver = tf.train.Saver()
    sd = saver.saver_def
    prefix = str(tmp_path / "by_name")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(sd.save_tensor_name, {sd.filename_tensor_name: prefix})
        assert out == prefix.encode()
        sess.run(v.assign([0.0, 0.0]))
        sess.run(sd.restore_op_name, {sd.filename_tensor_name: prefix})
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])


def test_state_file_and_latest_checkpoint(tmp_path):
    v, _, _ = _model()
    saver = tf.train.Saver(max_to_keep=2)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in (1, 2, 3):
            saver.save(sess, str(tmp_path / "m"), global_step=step)
    text = (tmp_path / "checkpoint").read_text()
    assert text == (f'model_checkpoint_path: "{tmp_path}/m-3"\n'
                    f'all_model_checkpoint_paths: "{tmp_path}/m-2"\n'
                    f'all_model_checkpoint_paths: "{tmp_path}/m-3"\n')
    assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "m-3")
    st = tf.train.get_checkpoint_state(str(tmp_path))
    assert st.all_model_checkpoint_paths == [str(tmp_path / "m-2"), str(tmp_path / "m-3")]
    assert saver.last_checkpoints == [str(tmp_path / "m-2"), str(tmp_path / "m-3")]
    # max_to_keep=2: the first checkpoint's files are gone, the others complete.
    assert not tf.train.checkpoint_exists(str(tmp_path / "m-1"))
    assert not any(f.startswith("m-1.") for f in os.listdir(tmp_path))
    assert tf.train.checkpoint_exists(str(tmp_path / "m-2"))


def test_relative_paths_are_relative_to_the_state_file(tmp_path, monkeypatch):
    _model()
    saver = tf.train.Saver()
    monkeypatch.chdir(tmp_path)
    os.mkdir("run")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert saver.save(sess, "run/model.ckpt", global_step=8) == "run/model.ckpt-8"
    assert (tmp_path / "run" / "checkpoint").read_text().startswith(
        'model_checkpoint_path: "model.ckpt-8"\n')
    assert tf.train.latest_checkpoint("run") == os.path.join("run", "model.ckpt-8")


def test_save_relative_paths_and_pad_step_number(tmp_path):
    _model()
    saver = tf.train.Saver(save_relative_paths=True, pad_step_number=True)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = saver.save(sess, str(tmp_path / "m"), global_step=5)
    assert path.endswith("m-00000005")
    assert (tmp_path / "checkpoint").read_text().splitlines()[0] == \
        'model_checkpoint_path: "m-00000005"'


def test_var_list_as_dict_and_list(tmp_path):
    v, w, _ = _model()
    saver = tf.train.Saver({"renamed_v": v})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        p = saver.save(sess, str(tmp_path / "d"))
    assert tf.train.list_variables(p) == [("renamed_v", [2])]
    only_w = tf.train.Saver([w])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        p2 = only_w.save(sess, str(tmp_path / "l"))
    assert [n for n, _ in tf.train.list_variables(p2)] == ["layer/w"]


def test_subset_restore_from_a_bigger_checkpoint_works_as_in_tf1(tmp_path):
    v, w, step = _model()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        p = tf.train.Saver().save(sess, str(tmp_path / "full"))
    tf.reset_default_graph()
    v2 = tf.Variable([0.0, 0.0], name="v")
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, p)     # the checkpoint also holds layer/w, global_step
        np.testing.assert_array_equal(sess.run(v2), [1.0, 2.0])


def test_errors_a_user_can_make():
    with pytest.raises(ValueError, match="No variables to save"):
        tf.train.Saver()
    assert tf.train.Saver(allow_empty=True).save(tf.Session(), "unused") is None
    v = tf.Variable(1.0, name="v")
    with pytest.raises(ValueError, match="same name"):
        tf.train.Saver([v, v])
    saver = tf.train.Saver(defer_build=True)
    with pytest.raises(RuntimeError, match="build"):
        saver.save(tf.Session(), "x")


def test_restore_from_missing_path_and_save_into_missing_dir(tmp_path):
    _model()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(ValueError, match="not a valid checkpoint"):
            saver.restore(sess, str(tmp_path / "nope"))
        with pytest.raises(ValueError, match="Parent directory"):
            saver.save(sess, str(tmp_path / "no_dir" / "m"))


def test_saving_uninitialized_variables_fails_like_tf1(tmp_path):
    _model()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized"):
            saver.save(sess, str(tmp_path / "m"))
    assert tf.train.latest_checkpoint(str(tmp_path)) is None
    assert os.listdir(tmp_path) == []


def test_reshape_restores_same_size_other_shape(tmp_path):
    tf.Variable(np.arange(6.0, dtype=np.float32).reshape(2, 3), name="a")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        p = tf.train.Saver().save(sess, str(tmp_path / "m"))
    tf.reset_default_graph()
    a = tf.Variable(np.zeros([3, 2], np.float32), name="a")
    with tf.Session() as sess:
        tf.train.Saver(reshape=True).restore(sess, p)
        np.testing.assert_array_equal(sess.run(a), np.arange(6.0).reshape(3, 2))


def test_resaving_same_prefix_replaces_data_without_leftovers(tmp_path):
    v, _, _ = _model()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.save(sess, str(tmp_path / "m"))
        sess.run(v.assign([3.0, 4.0]))
        saver.save(sess, str(tmp_path / "m"))
        sess.run(v.assign([0.0, 0.0]))
        saver.restore(sess, str(tmp_path / "m"))
        np.testing.assert_array_equal(sess.run(v), [3.0, 4.0])
    data = [f for f in os.listdir(tmp_path) if ".data-" in f]
    assert len({f.split(".data-")[1].split(".")[0] for f in data}) == 1


def test_keep_checkpoint_every_n_hours_keeps_old_ones(tmp_path):
    _model()
    saver = tf.train.Saver(max_to_keep=1, keep_checkpoint_every_n_hours=1e-9)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(3):
            saver.save(sess, str(tmp_path / "m"), global_step=step)
    assert all(tf.train.checkpoint_exists(str(tmp_path / f"m-{s}")) for s in range(3))
    assert saver.last_checkpoints == [str(tmp_path / "m-2")]


def test_string_and_complex_variables_roundtrip(tmp_path):
    s = tf.Variable(["a", "b\x00c", "\u00e9"], name="s")
    c = tf.Variable(np.array([1 + 2j, -3j], np.complex64), name="c")
    b = tf.Variable([True, False], name="b")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        p = tf.train.Saver().save(sess, str(tmp_path / "m"))
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, p)
        got_s, got_c, got_b = sess.run([s, c, b])
    assert list(got_s) == [b"a", b"b\x00c", "\u00e9".encode()]
    np.testing.assert_array_equal(got_c, [1 + 2j, -3j])
    assert got_c.dtype == np.complex64
    np.testing.assert_array_equal(got_b, [True, False])
