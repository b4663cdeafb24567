"""Kernels for summary ops (flowbook/ops/summary_ops.py): serialized Summary protos.

The messages come from the ``tensorboard`` package (imported on first run). Histograms use
TF's bucket layout (limits growing by 10% from 1e-12 to 1e20, mirrored, empty runs collapsed)
so TensorBoard shows what TF1 would; images are PNG (zlib), audio 16-bit WAV (stdlib wave).
"""

import io
import struct
import sys
import wave
import zlib

import numpy as np

from ... import _tensorboard
from ...errors import InvalidArgumentError
from ...graph import attr_value
from . import BACKEND

_DBL_MAX = sys.float_info.max


def _tag(t):
    t = t.item() if isinstance(t, np.ndarray) else t
    return t.decode() if isinstance(t, bytes) else str(t)


def _summary():
    return _tensorboard.summary_pb2().Summary()


@BACKEND.factory("ScalarSummary")
def scalar_summary(op, res):
    def k(tags, values):
        tags, values = np.asarray(tags), np.asarray(values)
        if tags.shape != values.shape:
            raise InvalidArgumentError(
                None, op, f"tags and values not the same shape: {list(tags.shape)} != "
                f"{list(values.shape)} (tf.summary.scalar '{op.name}' needs a scalar; reduce "
                "the tensor first, e.g. tf.reduce_mean).")
        s = _summary()
        for t, v in zip(tags.reshape(-1), values.reshape(-1)):
            s.value.add(tag=_tag(t), simple_value=float(v))
        return np.array(s.SerializeToString(), dtype=object)
    return k


# --- histograms --------------------------------------------------------------------------------
def _default_limits():
    pos, v = [], 1.0e-12
    while v < 1.0e20:
        pos.append(v)
        v *= 1.1
    pos.append(_DBL_MAX)
    return np.array([-x for x in reversed(pos)] + [0.0] + pos)


_LIMITS = _default_limits()


def histogram_proto(values):
    """TF's HistogramProto fields for ``values`` (float64 array): a dict."""
    counts = np.bincount(np.searchsorted(_LIMITS, values, side="right"),
                         minlength=len(_LIMITS))[:len(_LIMITS)].astype(np.float64)
    limits, buckets = [], []
    i, n = 0, len(counts)
    nonzero = np.flatnonzero(counts)
    while i < n:
        end, count = _LIMITS[i], counts[i]
        i += 1
        if count <= 0.0:        # collapse a run of empty buckets into one
            nxt = nonzero[np.searchsorted(nonzero, i)] if np.searchsorted(nonzero, i) < len(
                nonzero) else n
            if nxt > i:
                end, count = _LIMITS[nxt - 1], counts[nxt - 1]
                i = nxt
        limits.append(float(end))
        buckets.append(float(count))
    if not limits:
        limits, buckets = [_DBL_MAX], [0.0]
    return {"min": float(values.min()) if values.size else _DBL_MAX,
            "max": float(values.max()) if values.size else -_DBL_MAX,
            "num": float(values.size), "sum": float(values.sum()),
            "sum_squares": float(np.dot(values, values)), "bucket_limit": limits,
            "bucket": buckets}


@BACKEND.factory("HistogramSummary")
def histogram_summary(op, res):
    def k(tag, values):
        v = np.asarray(values, dtype=np.float64).reshape(-1)
        bad = ~np.isfinite(v)
        if bad.any():
            what = "Nan" if np.isnan(v[bad]).any() else "Infinity"
            raise InvalidArgumentError(None, op, f"{what} in summary histogram for: "
                                       f"{_tag(tag)}")
        s = _summary()
        s.value.add(tag=_tag(tag), histo=_tensorboard.summary_pb2().HistogramProto(
            **histogram_proto(v)))
        return np.array(s.SerializeToString(), dtype=object)
    return k


# --- images ------------------------------------------------------------------------------------
def encode_png(img):
    """PNG bytes of a uint8 [h, w, c] array (c = 1 gray, 3 RGB, 4 RGBA)."""
    h, w, c = img.shape
    color = {1: 0, 3: 2, 4: 6}[c]
    raw = b"".join(b"\x00" + img[y].tobytes() for y in range(h))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, color, 0,
                                                               0, 0)) +
            chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def _to_uint8(img, bad_color):
    """TF's rule: all values >= 0 scale by 255/max; with negatives, by 127/max|x| around 128;
    pixels with a non-finite channel become bad_color."""
    if img.dtype == np.uint8:
        return img
    x = img.astype(np.float32)
    finite = np.isfinite(x)
    if finite.any():
        lo, hi = float(x[finite].min()), float(x[finite].max())
    else:
        lo, hi = np.inf, -np.inf
    if lo < 0:
        m = max(abs(lo), abs(hi))
        scale, offset = (0.0 if m < 1e-6 else 127.0 / m), 128.0
    else:
        scale, offset = (0.0 if hi < 1e-6 else 255.0 / hi), 0.0
    with np.errstate(invalid="ignore"):
        out = (np.where(finite, x, 0) * np.float32(scale) + np.float32(offset)).astype(np.uint8)
    pix_bad = ~finite.all(axis=-1)
    out[pix_bad] = bad_color[: x.shape[-1]]
    return out


@BACKEND.factory("ImageSummary")
def image_summary(op, res):
    max_images = op._attrs["max_images"]
    bad_color = np.asarray(op._attrs["bad_color"], np.uint8)

    def k(tag, tensor):
        t = np.asarray(tensor)
        if t.ndim != 4 or t.shape[-1] not in (1, 3, 4):
            raise InvalidArgumentError(
                None, op, f"Tensor must be 4-D with last dim 1, 3, or 4, not "
                f"{list(t.shape)} (tf.summary.image wants [batch, height, width, channels]).")
        base = _tag(tag)
        s = _summary()
        pb = _tensorboard.summary_pb2()
        for i in range(min(t.shape[0], max_images)):
            img = _to_uint8(t[i], bad_color)
            s.value.add(tag=f"{base}/image/{i}" if max_images > 1 else f"{base}/image",
                        image=pb.Summary.Image(height=img.shape[0], width=img.shape[1],
                                               colorspace=img.shape[2],
                                               encoded_image_string=encode_png(img)))
        return np.array(s.SerializeToString(), dtype=object)
    return k


# --- audio ---------------------------------------------------------------------------------------
def encode_wav(samples, rate):
    """16-bit PCM WAV bytes of a float [frames, channels] array in [-1, 1]."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(samples.shape[1])
        w.setsampwidth(2)
        w.setframerate(int(rate))
        w.writeframes(pcm.tobytes())
    return buf.getvalue()


@BACKEND.factory("AudioSummaryV2")
def audio_summary(op, res):
    max_outputs = op._attrs["max_outputs"]

    def k(tag, tensor, sample_rate):
        t = np.asarray(tensor, dtype=np.float64)
        if t.ndim == 2:
            t = t[:, :, None]
        if t.ndim != 3:
            raise InvalidArgumentError(None, op, f"Tensor must be 2-D [batch, frames] or 3-D "
                                       f"[batch, frames, channels], not {list(t.shape)}.")
        rate = float(sample_rate)
        base = _tag(tag)
        s = _summary()
        pb = _tensorboard.summary_pb2()
        for i in range(min(t.shape[0], max_outputs)):
            s.value.add(tag=f"{base}/audio/{i}" if max_outputs > 1 else f"{base}/audio",
                        audio=pb.Summary.Audio(sample_rate=rate, num_channels=t.shape[2],
                                               length_frames=t.shape[1],
                                               encoded_audio_string=encode_wav(t[i], rate),
                                               content_type="audio/wav"))
        return np.array(s.SerializeToString(), dtype=object)
    return k


# --- tensors and merging -------------------------------------------------------------------------
@BACKEND.factory("TensorSummaryV2")
def tensor_summary(op, res):
    def k(tag, tensor, meta):
        pb = _tensorboard.summary_pb2()
        tp = _tensorboard.parse_dict(attr_value.encode_tensor(np.asarray(tensor)),
                                     _tensorboard.proto("tensor_pb2").TensorProto())
        md = pb.SummaryMetadata()
        md.ParseFromString(np.asarray(meta).item())
        s = _summary()
        s.value.add(tag=_tag(tag), tensor=tp, metadata=md)
        return np.array(s.SerializeToString(), dtype=object)
    return k


@BACKEND.factory("MergeSummary")
def merge_summary(op, res):
    def k(*inputs):
        out = _summary()
        seen = set()
        for x in inputs:
            part = _summary()
            try:
                part.ParseFromString(np.asarray(x).item())
            except Exception:  # noqa: BLE001 (protobuf's DecodeError)
                raise InvalidArgumentError(None, op, "Could not parse one of the summary "
                                           "inputs (tf.summary.merge takes summary ops' "
                                           "outputs).") from None
            for v in part.value:
                if v.tag and v.tag in seen:
                    raise InvalidArgumentError(
                        None, op, f"Duplicate tag {v.tag} found in summary inputs (two summary "
                        "ops share a tag; give them different names).")
                seen.add(v.tag)
                out.value.add().CopyFrom(v)
        return np.array(out.SerializeToString(), dtype=object)
    return k
