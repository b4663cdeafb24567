"""tf.summary.FileWriter: writes Event protocol buffers to an event file TensorBoard reads.

The file is ``events.out.tfevents.<time>.<host>.<pid>.<n>`` in TFRecord framing (length and
data, each with a masked CRC-32C), written with TensorBoard's own record writer and Event
messages. Events are written as they arrive into a buffered file; a background thread
flushes every ``flush_secs`` (and ``max_queue`` pending events flush at once), and open writers
are flushed when the interpreter exits, so a notebook loses nothing it logged.
"""

import atexit
import os
import socket
import threading
import time
import weakref

from .. import _tensorboard as tb
from ..graph.graph import Graph
from ..graph.graph_def import GraphDef
from .run_metadata import meta_graph_proto, run_metadata_proto

__all__ = ["FileWriter"]

_OPEN = weakref.WeakSet()
_COUNTER = [0]
_COUNTER_LOCK = threading.Lock()


def _next_uid():
    with _COUNTER_LOCK:
        _COUNTER[0] += 1
        return _COUNTER[0] - 1


@atexit.register
def _flush_open_writers():
    for w in list(_OPEN):
        try:
            w.flush()
        except Exception:  # noqa: BLE001 (exiting: nothing else to do)
            pass


class FileWriter:
    """Writes summaries, graphs, run metadata and session logs to an event file in ``logdir``.

    ``FileWriter(logdir, sess.graph)`` also writes the graph (TensorBoard's Graphs tab).
    """

    def __init__(self, logdir, graph=None, max_queue=10, flush_secs=120, graph_def=None,
                 filename_suffix=None, session=None):
        if session is not None:
            raise NotImplementedError("FileWriter(session=...) (TF's tf.contrib.summary "
                                      "writer) is not supported by flowbook.")
        tb.require("tf.summary.FileWriter")
        self._logdir = os.fspath(logdir)
        self._max_queue = max(1, int(max_queue))
        self._flush_secs = float(flush_secs)
        self._suffix = filename_suffix or ""
        self._lock = threading.RLock()
        self._seen_summary_tags = set()
        self._seen_run_metadata_tags = set()
        self._closed = True
        self._open()
        if graph is not None or graph_def is not None:
            self.add_graph(graph, graph_def=graph_def)
            g = graph if isinstance(graph, Graph) else None
            if g is not None:
                from ..train.meta_graph import export_meta_graph
                self.add_meta_graph(export_meta_graph(graph=g))

    def _open(self):
        os.makedirs(self._logdir, exist_ok=True)
        name = "events.out.tfevents.%010d.%s.%s.%s" % (time.time(), socket.gethostname(),
                                                       os.getpid(), _next_uid())
        self._path = os.path.join(self._logdir, name) + self._suffix
        self._file = open(self._path, "wb")
        self._records = tb.RecordWriter(self._file)
        self._pending = 0
        self._closed = False
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._flush_loop, name="FileWriterFlush",
                                        daemon=True)
        self._thread.start()
        _OPEN.add(self)
        ev = tb.event_pb2().Event(wall_time=time.time(), file_version="brain.Event:2")
        self._write(ev.SerializeToString())
        self.flush()

    def _flush_loop(self):
        while not self._wake.wait(self._flush_secs):
            try:
                self.flush()
            except (OSError, ValueError):
                return

    # --- events ---------------------------------------------------------------------------
    def _write(self, data):
        with self._lock:
            if self._closed:
                raise OSError(f"The FileWriter for {self._logdir} is closed; call reopen() "
                              "to write again.")
            self._records.write(data)
            self._pending += 1
            if self._pending >= self._max_queue:
                self._flush_locked()

    def add_event(self, event):
        """Writes an ``Event`` protocol buffer as is."""
        if not isinstance(event, tb.event_pb2().Event):
            raise TypeError(f"Expected an event_pb2.Event proto, but got {type(event)}")
        self._write(event.SerializeToString())

    def _add_event(self, event, step):
        event.wall_time = time.time()
        if step is not None:
            event.step = int(step)
        self.add_event(event)

    def add_summary(self, summary, global_step=None):
        """Adds a Summary (the bytes a summary op returns, or a Summary proto) at ``global_step``.
        """
        pb = tb.summary_pb2()
        if isinstance(summary, (bytes, bytearray)):
            s = pb.Summary()
            s.ParseFromString(bytes(summary))
            summary = s
        elif hasattr(summary, "item") and not isinstance(summary, pb.Summary):
            s = pb.Summary()
            s.ParseFromString(summary.item())
            summary = s
        if not isinstance(summary, pb.Summary):
            raise TypeError(f"add_summary takes the serialized bytes a summary op returns (or a "
                            f"tf.Summary), not {type(summary).__name__}.")
        # As TF: plugin metadata is written only with the first value of each tag.
        for v in summary.value:
            if not v.HasField("metadata"):
                continue
            if v.tag in self._seen_summary_tags:
                v.ClearField("metadata")
            else:
                self._seen_summary_tags.add(v.tag)
        self._add_event(tb.event_pb2().Event(summary=summary), global_step)

    def add_graph(self, graph, global_step=None, graph_def=None):
        """Adds a graph (a Graph, or a GraphDef) for TensorBoard's Graphs tab."""
        if graph is not None and graph_def is not None:
            raise ValueError("Please pass only graph, or graph_def (deprecated), but not both.")
        g = graph if graph is not None else graph_def
        if isinstance(g, Graph):
            g = g.as_graph_def(add_shapes=True)
        if isinstance(g, GraphDef):
            data = g.SerializeToString()
        elif hasattr(g, "SerializeToString"):
            data = g.SerializeToString()
        else:
            raise TypeError("add_graph takes a tf.Graph or a GraphDef.")
        self._add_event(tb.event_pb2().Event(graph_def=data), global_step)

    def add_meta_graph(self, meta_graph_def, global_step=None):
        """Adds a MetaGraphDef (graph, collections, saver) as TF1 writes it."""
        proto = meta_graph_proto(meta_graph_def)
        self._add_event(tb.event_pb2().Event(meta_graph_def=proto.SerializeToString()),
                        global_step)

    def add_run_metadata(self, run_metadata, tag, global_step=None):
        """Adds a Session.run's RunMetadata (per-op time and memory) under ``tag``: TensorBoard
        colours the graph by compute time and memory with it."""
        if tag in self._seen_run_metadata_tags:
            raise ValueError("The provided tag was already used for this event type")
        self._seen_run_metadata_tags.add(tag)
        proto = run_metadata_proto(run_metadata)
        tagged = tb.event_pb2().TaggedRunMetadata(tag=tag,
                                                  run_metadata=proto.SerializeToString())
        self._add_event(tb.event_pb2().Event(tagged_run_metadata=tagged), global_step)

    def add_session_log(self, session_log, global_step=None):
        """Adds a SessionLog (e.g. tf.SessionLog(status=tf.SessionLog.START))."""
        self._add_event(tb.event_pb2().Event(session_log=session_log), global_step)

    # --- lifecycle --------------------------------------------------------------------------
    def get_logdir(self):
        return self._logdir

    def _flush_locked(self):
        self._records.flush()
        self._pending = 0

    def flush(self):
        """Writes everything added so far to disk."""
        with self._lock:
            if not self._closed:
                self._flush_locked()

    def close(self):
        """Flushes and closes the event file (reopen() starts a new one)."""
        with self._lock:
            if self._closed:
                return
            self._flush_locked()
            self._closed = True
            self._file.close()
            self._wake.set()
        _OPEN.discard(self)
        if self._thread is not threading.current_thread():
            self._thread.join(5)

    def reopen(self):
        """After close(): starts a new event file in the same directory."""
        with self._lock:
            if self._closed:
                self._open()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __repr__(self):
        return f"<flowbook FileWriter {self._path}{' (closed)' if self._closed else ''}>"
