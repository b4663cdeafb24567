"""Lazy access to the ``tensorboard`` package: TF's protobuf messages and its record writer.

flowbook writes TensorBoard's formats with TensorBoard's own code: the Summary, Event,
GraphDef and RunMetadata messages of ``tensorboard.compat.proto`` and the TFRecord framing
(length, masked CRC-32C) of ``tensorboard.summary.writer.record_writer``. The package is an
optional extra (``pip install 'flowbook[tensorboard]'``); it is imported on first use only, and
never imports TensorFlow through this module.
"""

import importlib

__all__ = ["require", "proto", "summary_pb2", "event_pb2", "graph_pb2", "config_pb2",
           "parse_dict", "to_dict", "text_format", "RecordWriter", "available"]

_HINT = ("{what} needs the 'tensorboard' package (it provides TensorBoard's file formats): "
         "pip install 'flowbook[tensorboard]'  (or: pip install tensorboard)")


def available():
    try:
        importlib.import_module("tensorboard.compat.proto.summary_pb2")
    except ImportError:
        return False
    return True


def require(what="This feature"):
    """Raises ImportError with an install hint when tensorboard is missing."""
    if not available():
        raise ImportError(_HINT.format(what=what))


def proto(module):
    """``tensorboard.compat.proto.<module>`` (ImportError with an install hint if missing)."""
    try:
        return importlib.import_module(f"tensorboard.compat.proto.{module}")
    except ImportError:
        raise ImportError(_HINT.format(what="Writing TensorBoard data")) from None


def summary_pb2():
    return proto("summary_pb2")


def event_pb2():
    return proto("event_pb2")


def graph_pb2():
    return proto("graph_pb2")


def config_pb2():
    return proto("config_pb2")


def text_format():
    from google.protobuf import text_format as tf_
    return tf_


def parse_dict(d, message):
    """Fills ``message`` from a protobuf-JSON dict (field names as in the .proto files)."""
    from google.protobuf import json_format
    return json_format.ParseDict(d, message)


def to_dict(message):
    from google.protobuf import json_format
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


def RecordWriter(fileobj):  # noqa: N802 (a class in tensorboard)
    """TensorBoard's TFRecord writer (length + masked CRC-32C framing) around ``fileobj``."""
    try:
        from tensorboard.summary.writer.record_writer import RecordWriter as rw
    except ImportError:
        raise ImportError(_HINT.format(what="tf.summary.FileWriter")) from None
    return rw(fileobj)
