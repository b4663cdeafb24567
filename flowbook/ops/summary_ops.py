"""Summary ops: each returns a serialized Summary protocol buffer (a tf.string scalar), as TF1.

``tf.summary.scalar("loss", x)`` inside name scope "train" builds op "train/loss" (type
ScalarSummary) with tag "train/loss"; ``merge``/``merge_all`` combine summaries; a FileWriter
writes the bytes to event files. The kernels (backends/numpy_backend/summary_kernels.py) build
the protos with the ``tensorboard`` package (an optional extra), which these builders ask for.
"""

import contextlib
import re

import numpy as np

from .. import _tensorboard
from .. import logging as _logging
from ..graph import dtypes as _dtypes
from ..graph.graph import GraphKeys, get_default_graph, name_scope
from ..graph.shape import _SCALAR
from .convert import convert_to_tensor
from .registry import register_op, apply_op1

__all__ = ["scalar", "histogram", "image", "audio", "text", "tensor_summary", "merge",
           "merge_all", "summary_scope"]


def _string_scalar(inputs, attrs):
    return _dtypes.string, _SCALAR


def _scalar_infer(inputs, attrs):
    tags, values = inputs
    if not (values._dtype.is_floating or values._dtype.is_integer or values._dtype.is_bool):
        raise TypeError(f"tf.summary.scalar needs a real number tensor, got "
                        f"{values._dtype.name}")
    return _dtypes.string, _SCALAR


def _real_infer(what):
    def infer(inputs, attrs):
        d = inputs[1]._dtype.base_dtype
        if not (d.is_floating or d.is_integer or d.is_bool):
            raise TypeError(f"{what} needs a real-valued tensor, got {d.name}")
        return _dtypes.string, _SCALAR
    return infer


_NOGRAD = "a summary (serialized protocol buffer)"
_S = _dtypes.string
register_op("ScalarSummary", inputs=("tags", "values"), input_types=(_S, None),
            infer=_scalar_infer, not_differentiable=_NOGRAD,
            doc="y = Summary{tags[i]: simple_value values[i]}")
register_op("HistogramSummary", inputs=("tag", "values"), input_types=(_S, None),
            infer=_real_infer("tf.summary.histogram"), not_differentiable=_NOGRAD,
            doc="y = Summary{tag: histogram of values (TF's exponential buckets)}")
register_op("ImageSummary", inputs=("tag", "tensor"), input_types=(_S, None),
            infer=_real_infer("tf.summary.image"), not_differentiable=_NOGRAD,
            doc="y = Summary{tag/image/i: PNG of tensor[i]} for i < max_images")
register_op("AudioSummaryV2", inputs=("tag", "tensor", "sample_rate"),
            input_types=(_S, _dtypes.float32, _dtypes.float32),
            infer=_real_infer("tf.summary.audio"), not_differentiable=_NOGRAD,
            doc="y = Summary{tag/audio/i: WAV of tensor[i]} for i < max_outputs")
register_op("TensorSummaryV2", inputs=("tag", "tensor", "serialized_summary_metadata"),
            input_types=(_S, None, _S), infer=_string_scalar, not_differentiable=_NOGRAD,
            doc="y = Summary{tag: tensor, with the given plugin metadata}")
register_op("MergeSummary", inputs=("inputs*",), input_types=(_S,), infer=_string_scalar,
            not_differentiable=_NOGRAD, doc="y = the union of the input summaries' values")

_INVALID_TAG_CHARACTERS = re.compile(r"[^-/\w\.]")


def _clean_tag(name):
    if name is not None:
        new = _INVALID_TAG_CHARACTERS.sub("_", name).lstrip("/")
        if new != name:
            _logging.info("Summary name %s is illegal; using %s instead.", name, new)
            name = new
    return name


@contextlib.contextmanager
def summary_scope(name, family=None, default_name=None, values=None):
    """Yields (tag, scope) for a summary op: TF1's naming (tag = scope, family prefixed)."""
    name, family = _clean_tag(name), _clean_tag(family)
    base = name if family is None else f"{family}/{name}"
    with name_scope(base, default_name, values) as scope:
        tag = scope.rstrip("/") if family is None else f"{family}/{scope.rstrip('/')}"
        yield tag, scope


def _collect(val, collections, default):
    for key in (collections if collections is not None else default):
        get_default_graph().add_to_collection(key, val)


def _need_tensorboard(what):
    _tensorboard.require(what)


def scalar(name, tensor, collections=None, family=None):
    """A summary with one scalar value (``tag`` = name in the current name scope)."""
    _need_tensorboard("tf.summary.scalar")
    with summary_scope(name, family, values=[tensor]) as (tag, scope):
        val = apply_op1("ScalarSummary", (tag, tensor), None, scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def histogram(name, values, collections=None, family=None):
    """A summary with a histogram of ``values`` (TensorBoard's Histograms/Distributions)."""
    _need_tensorboard("tf.summary.histogram")
    with summary_scope(name, family, values=[values]) as (tag, scope):
        val = apply_op1("HistogramSummary", (tag, values), None, scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def image(name, tensor, max_outputs=3, collections=None, family=None):
    """A summary with up to ``max_outputs`` PNG images from a [batch, h, w, 1|3|4] tensor."""
    _need_tensorboard("tf.summary.image")
    with summary_scope(name, family, values=[tensor]) as (tag, scope):
        bad = np.array([255, 0, 0, 255], np.uint8)
        bad.flags.writeable = False
        val = apply_op1("ImageSummary", (tag, tensor),
                        {"max_images": int(max_outputs), "bad_color": bad}, scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def audio(name, tensor, sample_rate, max_outputs=3, collections=None, family=None):
    """A summary with up to ``max_outputs`` WAV clips from a [batch, frames(, channels)]
    float tensor in [-1, 1]."""
    _need_tensorboard("tf.summary.audio")
    with summary_scope(name, family, values=[tensor]) as (tag, scope):
        rate = convert_to_tensor(sample_rate, dtype=_dtypes.float32, name="sample_rate")
        val = apply_op1("AudioSummaryV2", (tag, tensor, rate),
                        {"max_outputs": int(max_outputs)}, scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def tensor_summary(name, tensor, summary_description=None, collections=None,
                   summary_metadata=None, family=None, display_name=None):
    """A summary holding the whole ``tensor`` (with optional plugin metadata)."""
    _need_tensorboard("tf.summary.tensor_summary")
    pb = _tensorboard.summary_pb2()
    if summary_metadata is None:
        summary_metadata = pb.SummaryMetadata()
    if summary_description is not None:
        summary_metadata.summary_description = summary_description
    if display_name is not None:
        summary_metadata.display_name = display_name
    meta = summary_metadata.SerializeToString()
    with summary_scope(name, family, values=[tensor]) as (tag, scope):
        val = apply_op1("TensorSummaryV2", (tag, tensor, meta), None, scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def text(name, tensor, collections=None):
    """A summary of a string tensor shown in TensorBoard's Text tab (Markdown)."""
    _need_tensorboard("tf.summary.text")
    tensor = convert_to_tensor(tensor)
    if tensor.dtype.base_dtype is not _dtypes.string:
        raise ValueError(f"Expected tensor {tensor.name} to have dtype string, got "
                         f"{tensor.dtype.name}")
    pb = _tensorboard.summary_pb2()
    meta = pb.SummaryMetadata(plugin_data=pb.SummaryMetadata.PluginData(plugin_name="text"))
    return tensor_summary(name, tensor, summary_metadata=meta, collections=collections)


def merge(inputs, collections=None, name=None):
    """One summary with the values of all ``inputs`` (duplicate tags fail when run)."""
    inputs = list(inputs)
    with name_scope(name, "Merge", inputs):
        val = apply_op1("MergeSummary", [inputs], {"N": len(inputs)})
        _collect(val, collections, [])
    return val


def merge_all(key=GraphKeys.SUMMARIES, scope=None, name=None):
    """Merges every summary in collection ``key`` (None when there are none)."""
    summaries = get_default_graph().get_collection(key, scope=scope)
    if not summaries:
        return None
    return merge(summaries, name=name)
