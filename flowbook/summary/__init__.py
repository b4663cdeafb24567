"""``tf.summary``: summary ops and event files that TensorBoard reads."""

from ..ops.summary_ops import (scalar, histogram, image, audio, text, tensor_summary,  # noqa: E402,F401
                               merge, merge_all)
from .writer import FileWriter  # noqa: E402,F401
from .writer_cache import FileWriterCache  # noqa: E402,F401
from .protos import (Summary, SummaryMetadata, SummaryDescription, HistogramProto,  # noqa: E402,F401
                     Event, SessionLog, TaggedRunMetadata)
