"""Damaged or foreign checkpoints raise clear TF1 errors and change no variable."""

import json
import os

import numpy as np
import pytest

import flowbook as tf
from flowbook.backends import checkpoint_io


def _save(tmp_path, name="m"):
    tf.reset_default_graph()
    tf.Variable(np.arange(4.0, dtype=np.float32), name="a")
    tf.Variable(np.full([256, 64], 3.0, np.float32), name="big")
    tf.Variable(["x", "y"], name="words")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return tf.train.Saver().save(sess, str(tmp_path / name))


def _model(a_shape=(4,), a_dtype=np.float32, extra=False, drop_big=False):
    """A fresh graph + session whose variables hold a sentinel value."""
    tf.reset_default_graph()
    vs = [tf.Variable(np.full(a_shape, -1, a_dtype), name="a")]
    if not drop_big:
        vs.append(tf.Variable(np.full([256, 64], -1.0, np.float32), name="big"))
    vs.append(tf.Variable(["-", "-"], name="words"))
    if extra:
        vs.append(tf.Variable(-1.0, name="not_in_checkpoint"))
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    return sess, vs, tf.train.Saver()


def _unchanged(sess, vs):
    for v, val in zip(vs, sess.run(vs)):
        flat = np.asarray(val).reshape(-1)
        assert all(x in (-1, b"-") for x in flat.tolist()), f"{v.name} was changed: {val}"


def _data_file(prefix, kind=None):
    """The data file holding "big" (safetensors when installed, else the .npz)."""
    d, base = os.path.split(prefix)
    if kind is None:
        kind = "safetensors" if any(f.endswith("safetensors") for f in os.listdir(d)) else "npz"
    return os.path.join(d, next(f for f in os.listdir(d) if f.startswith(base + ".data-")
                                and f.endswith(kind)))


def _expect(err, match, prefix, **model_kw):
    sess, vs, saver = _model(**model_kw)
    with pytest.raises(err, match=match) as info:
        saver.restore(sess, prefix)
    _unchanged(sess, vs)
    return str(info.value)


def test_intact_checkpoint_restores(tmp_path):
    p = _save(tmp_path)
    sess, vs, saver = _model()
    saver.restore(sess, p)
    np.testing.assert_array_equal(sess.run(vs[0]), np.arange(4.0))


def test_truncated_data_file(tmp_path):
    p = _save(tmp_path)
    f = _data_file(p)
    data = open(f, "rb").read()
    open(f, "wb").write(data[: len(data) // 2])
    _expect(tf.errors.DataLossError, "damaged", p)


def test_flipped_byte_in_tensor_data_names_the_variable(tmp_path):
    p = _save(tmp_path)
    f = _data_file(p)
    data = bytearray(open(f, "rb").read())
    i = data.index(np.full(64, 3.0, np.float32).tobytes())   # inside "big"'s values
    data[i + 10] ^= 0xFF
    open(f, "wb").write(bytes(data))
    msg = _expect(tf.errors.DataLossError, "damaged", p)
    assert "'big'" in msg


def test_flipped_bytes_in_string_data(tmp_path):
    p = _save(tmp_path)
    f = _data_file(p, "npz")
    data = bytearray(open(f, "rb").read())
    i = data.index(b"xy")         # the stored characters of the "words" variable
    data[i] = ord("z")
    open(f, "wb").write(bytes(data))
    _expect(tf.errors.DataLossError, "damaged", p)


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_damaged_index(tmp_path, damage):
    p = _save(tmp_path)
    f = p + ".index"
    text = open(f, "rb").read()
    if damage == "truncate":
        text = text[: len(text) // 2]
    elif damage == "flip":
        text = text.replace(b'"shape": [\n    256', b'"shape": [\n    257')
        assert b"257" in text
    else:
        text = b"\x00\x01garbage"
    open(f, "wb").write(text)
    _expect(tf.errors.DataLossError, "index", p)


def test_missing_data_file(tmp_path):
    p = _save(tmp_path)
    os.unlink(_data_file(p))
    _expect(tf.errors.DataLossError, "missing", p)


def test_variable_missing_from_checkpoint(tmp_path):
    p = _save(tmp_path)
    msg = _expect(tf.errors.NotFoundError, "not_in_checkpoint", p, extra=True)
    assert "Restoring from checkpoint failed" in msg


def test_wrong_shape_names_variable_and_both_shapes(tmp_path):
    p = _save(tmp_path)
    msg = _expect(tf.errors.InvalidArgumentError, "tensor_name = a", p, a_shape=(5,))
    assert "[5]" in msg and "[4]" in msg and "nothing was restored" in msg


def test_wrong_dtype(tmp_path):
    p = _save(tmp_path)
    _expect(tf.errors.InvalidArgumentError,
            "expected dtype int32 does not equal original dtype float32", p,
            a_dtype=np.int32)


def test_npz_is_never_unpickled(tmp_path):
    """An attacker's .npz with a pickled object array is refused, and its code never runs."""
    p = _save(tmp_path)
    f = _data_file(p, "npz")
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    evil = np.empty(2, dtype=object)
    evil[:] = [Evil(), Evil()]
    with open(f, "wb") as fh:
        np.savez(fh, **{"words:lengths": evil, "words:bytes": evil})
    _expect(tf.errors.DataLossError, "damaged", p)
    assert not marker.exists()


def test_files_are_standard_formats(tmp_path):
    pytest.importorskip("safetensors", reason="the safetensors extra is not installed")
    p = _save(tmp_path)
    from safetensors.numpy import load_file
    tensors = load_file(_data_file(p))
    np.testing.assert_array_equal(tensors["a"], np.arange(4.0))
    assert tensors["big"].shape == (256, 64)
    with np.load(_data_file(p, "npz"), allow_pickle=False) as z:
        assert z["words:bytes"].tobytes() == b"xy"
    index = json.load(open(p + ".index"))
    assert [t["name"] for t in index["tensors"]] == ["a", "big", "words"]


def test_npz_fallback_without_safetensors(tmp_path, monkeypatch):
    monkeypatch.setattr(checkpoint_io, "_have_safetensors", lambda: False)
    p = _save(tmp_path)
    assert not [f for f in os.listdir(tmp_path) if f.endswith(".safetensors")]
    sess, vs, saver = _model()
    saver.restore(sess, p)
    np.testing.assert_array_equal(sess.run(vs[1]), np.full([256, 64], 3.0))
    assert list(sess.run(vs[2])) == [b"x", b"y"]
