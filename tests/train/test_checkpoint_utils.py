"""Reading checkpoints without a graph, and the "checkpoint" state file as data."""

import numpy as np
import pytest

import flowbook as tf
from flowbook.train import checkpoint_management as cm


@pytest.fixture
def ckpt(tmp_path):
    tf.Variable(3.0, name="scalar")
    with tf.variable_scope("net"):
        tf.get_variable("w", [2, 3], dtype=tf.float64, initializer=tf.ones_initializer())
    tf.Variable([b"a", b"bc"], name="names")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return tf.train.Saver().save(sess, str(tmp_path / "model.ckpt"), global_step=10)


def test_list_and_load_variables(ckpt, tmp_path):
    want = [("names", [2]), ("net/w", [2, 3]), ("scalar", [])]
    assert tf.train.list_variables(ckpt) == want
    assert tf.train.list_variables(str(tmp_path)) == want      # a directory: its latest
    w = tf.train.load_variable(str(tmp_path), "net/w:0")
    assert w.dtype == np.float64 and w.tolist() == [[1.0] * 3] * 2
    w[0, 0] = 5.0                                                 # a copy the user owns
    assert tf.train.load_variable(ckpt, "net/w")[0, 0] == 1.0
    s = tf.train.load_variable(ckpt, "scalar")
    assert s == 3.0 and isinstance(s, np.float32)


def test_checkpoint_reader(ckpt):
    r = tf.train.NewCheckpointReader(ckpt)
    assert r.has_tensor("net/w") and not r.has_tensor("nope")
    assert r.get_variable_to_shape_map() == {"names": [2], "net/w": [2, 3], "scalar": []}
    assert r.get_variable_to_dtype_map()["net/w"] == tf.float64
    assert list(r.get_tensor("names")) == [b"a", b"bc"]
    assert r.debug_string() == b"names (DT_STRING) [2]\nnet/w (DT_DOUBLE) [2,3]\nscalar " \
                               b"(DT_FLOAT) []\n"
    with pytest.raises(tf.errors.NotFoundError, match="Key nope not found"):
        r.get_tensor("nope")
    assert isinstance(tf.train.load_checkpoint(ckpt), type(r))


def test_missing_checkpoints(tmp_path):
    with pytest.raises(tf.errors.NotFoundError):
        tf.train.NewCheckpointReader(str(tmp_path / "none"))
    with pytest.raises(ValueError, match="Couldn't find 'checkpoint' file"):
        tf.train.list_variables(str(tmp_path))
    assert tf.train.latest_checkpoint(str(tmp_path)) is None
    assert tf.train.get_checkpoint_state(str(tmp_path)) is None


def test_state_file_round_trip_with_odd_characters(tmp_path):
    odd = str(tmp_path / 'we"ird\\ name é')
    cm.update_checkpoint_state(str(tmp_path), odd, [odd])
    st = tf.train.get_checkpoint_state(str(tmp_path))
    assert st.model_checkpoint_path == odd and st.all_model_checkpoint_paths == [odd]


def test_state_file_that_is_not_a_state_file_is_ignored(tmp_path):
    (tmp_path / "checkpoint").write_text("import os; os.system('echo hi')\n")
    assert tf.train.get_checkpoint_state(str(tmp_path)) is None
    (tmp_path / "checkpoint").write_text('all_model_checkpoint_paths: "x"\n')
    with pytest.raises(ValueError, match="Invalid checkpoint state"):
        tf.train.get_checkpoint_state(str(tmp_path))


def test_state_file_naming_a_deleted_checkpoint_is_not_latest(ckpt, tmp_path):
    tf.train.remove_checkpoint(ckpt)
    assert not tf.train.checkpoint_exists(ckpt)
    assert tf.train.latest_checkpoint(str(tmp_path)) is None
    assert [p.name for p in tmp_path.iterdir()] == ["checkpoint"]
