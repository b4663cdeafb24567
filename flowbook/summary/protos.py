"""TF1's protocol buffer classes (tf.Summary, tf.Event, tf.SessionLog, ...), loaded lazily.

``tf.Summary(value=[tf.Summary.Value(tag="acc", simple_value=0.9)])`` and
``isinstance(x, tf.Summary)`` work as in TF1; the class is tensorboard's, imported on first use
(so ``import flowbook`` stays free of it).
"""

from .. import _tensorboard as tb

__all__ = ["Summary", "SummaryMetadata", "SummaryDescription", "HistogramProto", "Event",
           "SessionLog", "TaggedRunMetadata"]


class _LazyProto(type):
    """A stand-in class that forwards calls, attributes and isinstance to the real message."""

    def _real(cls):
        real = cls.__dict__.get("_cached")
        if real is None:
            real = getattr(tb.proto(cls._module), cls._message)
            type.__setattr__(cls, "_cached", real)
        return real

    def __call__(cls, *args, **kwargs):
        return cls._real()(*args, **kwargs)

    def __getattr__(cls, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(cls._real(), name)

    def __instancecheck__(cls, obj):
        return isinstance(obj, cls._real())

    def __repr__(cls):
        return f"<class 'flowbook.{cls._message}' (tensorboard's {cls._module}.{cls._message})>"


def _lazy(module, message):
    return _LazyProto(message, (), {"_module": module, "_message": message, "_cached": None,
                                    "__doc__": f"TF's {message} protocol buffer message."})


Summary = _lazy("summary_pb2", "Summary")
SummaryMetadata = _lazy("summary_pb2", "SummaryMetadata")
SummaryDescription = _lazy("summary_pb2", "SummaryDescription")
HistogramProto = _lazy("summary_pb2", "HistogramProto")
Event = _lazy("event_pb2", "Event")
SessionLog = _lazy("event_pb2", "SessionLog")
TaggedRunMetadata = _lazy("event_pb2", "TaggedRunMetadata")
