"""tf.summary.FileWriterCache: one FileWriter per log directory, shared by callers."""

import os
import threading

from ..graph.graph import get_default_graph
from .writer import FileWriter

__all__ = ["FileWriterCache"]


class FileWriterCache:
    """``FileWriterCache.get(logdir)`` returns the same FileWriter for the same directory."""

    _cache = {}
    _lock = threading.RLock()

    @staticmethod
    def get(logdir):
        """The cached FileWriter for ``logdir`` (created with the default graph)."""
        key = os.path.abspath(os.fspath(logdir))
        with FileWriterCache._lock:
            w = FileWriterCache._cache.get(key)
            if w is None:
                w = FileWriterCache._cache[key] = FileWriter(logdir, graph=get_default_graph())
            return w

    @staticmethod
    def clear():
        """Closes and forgets every cached FileWriter."""
        with FileWriterCache._lock:
            for w in FileWriterCache._cache.values():
                w.close()
            FileWriterCache._cache.clear()
