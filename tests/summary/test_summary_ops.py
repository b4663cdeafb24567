"""Summary ops: TF1's op names, tags and collections; Summary protos with the right values."""

import io
import wave

import numpy as np
import pytest

import flowbook as tf

pytest.importorskip("tensorboard", reason="summaries need the tensorboard extra")


def _parse(data):
    s = tf.Summary()
    s.ParseFromString(data)
    return s


def test_names_tags_and_collections_as_tf1():
    x = tf.placeholder(tf.float32, [], name="x")
    with tf.name_scope("train"):
        a = tf.summary.scalar("loss", x)
        b = tf.summary.scalar("loss", x)
        h = tf.summary.histogram("w hist", tf.ones([2, 3]))
    fam = tf.summary.scalar("acc", x, family="metrics")
    own = tf.summary.scalar("private", x, collections=["mine"])
    assert [a.op.name, a.op.type, b.op.name, h.op.name, h.op.type] == [
        "train/loss", "ScalarSummary", "train/loss_1", "train/w_hist", "HistogramSummary"]
    assert a.dtype == tf.string and a.shape.ndims == 0
    assert tf.get_collection(tf.GraphKeys.SUMMARIES) == [a, b, h, fam]
    assert tf.get_collection("mine") == [own]
    m = tf.summary.merge_all()
    assert m.op.name == "Merge/MergeSummary" and len(m.op.inputs) == 4
    with tf.Session() as sess:
        tags = [v.tag for v in _parse(sess.run(m, {x: 2.5})).value]
    assert tags == ["train/loss", "train/loss_1", "train/w_hist", "metrics/metrics/acc"]
    assert tf.summary.merge_all(key="nothing here") is None


def test_scalar_value_and_non_scalar_error():
    x = tf.placeholder(tf.float32, None)
    s = tf.summary.scalar("v", x)
    with tf.Session() as sess:
        out = sess.run(s, {x: 0.25})
        assert isinstance(out, bytes)
        v, = _parse(out).value
        assert (v.tag, v.simple_value) == ("v", 0.25)
        with pytest.raises(tf.errors.InvalidArgumentError, match="not the same shape"):
            sess.run(s, {x: [1.0, 2.0]})


def test_histogram_matches_tf_buckets():
    vals = np.array([-3.0, -0.5, 0.0, 0.0, 1e-13, 2.0, 2.0, 100.0])
    with tf.Session() as sess:
        h = _parse(sess.run(tf.summary.histogram("h", vals))).value[0].histo
    assert (h.min, h.max, h.num, h.sum) == (-3.0, 100.0, 8.0, vals.sum())
    assert h.sum_squares == pytest.approx((vals ** 2).sum())
    assert sum(h.bucket) == 8.0 and h.bucket_limit[-1] == 1.7976931348623157e308
    limits = np.array(h.bucket_limit)
    assert np.all(np.diff(limits) > 0)
    # every value lies in its bucket (previous limit, limit]... TF counts v < limit
    for v in vals:
        i = int(np.searchsorted(limits, v, side="right"))
        assert h.bucket[i] > 0


def test_histogram_rejects_nan():
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="Nan in summary histogram"):
            sess.run(tf.summary.histogram("bad", tf.constant([1.0, np.nan])))


def test_image_png_and_normalisation():
    img = np.zeros([1, 2, 3, 3], np.float32)
    img[0, 0, 0] = [1.0, 0.5, 0.0]
    img[0, 1, 2] = [np.nan, 0, 0]
    with tf.Session() as sess:
        v, = _parse(sess.run(tf.summary.image("pic", img, max_outputs=1))).value
    assert v.tag == "pic/image" and (v.image.height, v.image.width, v.image.colorspace) == (
        2, 3, 3)
    png = v.image.encoded_image_string
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    import zlib
    idat = png[png.index(b"IDAT") + 4: png.index(b"IEND") - 8]
    rows = zlib.decompress(idat)
    pixels = np.frombuffer(rows, np.uint8).reshape(2, 1 + 3 * 3)[:, 1:].reshape(2, 3, 3)
    assert pixels[0, 0].tolist() == [255, 127, 0]           # scaled by 255 / max
    assert pixels[1, 2].tolist() == [255, 0, 0]             # non-finite: bad_color red
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="4-D"):
            sess.run(tf.summary.image("bad", np.zeros([2, 2, 3], np.float32)))


def test_audio_wav():
    t = np.sin(np.linspace(0, 20, 800)).reshape(1, 800).astype(np.float32)
    with tf.Session() as sess:
        v, = _parse(sess.run(tf.summary.audio("snd", t, 8000, max_outputs=1))).value
    assert v.tag == "snd/audio" and v.audio.content_type == "audio/wav"
    with wave.open(io.BytesIO(v.audio.encoded_audio_string)) as w:
        assert (w.getframerate(), w.getnchannels(), w.getnframes()) == (8000, 1, 800)


def test_text_and_tensor_summary():
    with tf.Session() as sess:
        t, = _parse(sess.run(tf.summary.text("notes", tf.constant("**hi**")))).value
        ts, = _parse(sess.run(tf.summary.tensor_summary("raw", [1.0, 2.0]))).value
    assert t.metadata.plugin_data.plugin_name == "text"
    assert list(t.tensor.string_val) == [b"**hi**"]
    assert np.frombuffer(ts.tensor.tensor_content, np.float32).tolist() == [1.0, 2.0]
    with pytest.raises(ValueError, match="dtype string"):
        tf.summary.text("n", tf.constant(1.0))


def test_merge_duplicate_tags_fail_when_run():
    a = tf.summary.scalar("same", 1.0)
    b = tf.summary.tensor_summary("other", 1.0)
    dup = tf.summary.merge([a, a, b])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="Duplicate tag same"):
            sess.run(dup)


def test_manual_summary_protos():
    s = tf.Summary(value=[tf.Summary.Value(tag="acc", simple_value=0.9)])
    assert isinstance(s, tf.Summary) and isinstance(s, tf.summary.Summary)
    assert tf.SessionLog.START == 1
