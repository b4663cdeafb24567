"""Kernels for CheckNumerics, Print, PrintV2 and Assert (flowbook/ops/debug_ops.py), and the
formatting TF uses for them: ``summarize_v1`` (Print, Assert: the first n entries, then "...")
and ``summarize_v2`` (tf.print: NumPy-like, n entries at each end of every dim).
"""

import logging
import sys
import threading
import weakref

import numpy as np

from ...errors import InvalidArgumentError
from . import BACKEND

# --- formatting ------------------------------------------------------------------------------
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\", '"': '\\"', "'": "\\'"}


def format_element(v, quote=False):
    """One entry as TF writes it: floats in the shortest of %.6g/%.9g (float32) or
    %.15g/%.17g (float64) that reads back exactly; bools as 1/0; strings escaped."""
    if isinstance(v, (bytes, str)):
        s = v.decode("utf-8", "replace") if isinstance(v, bytes) else v
        s = "".join(_ESCAPES.get(ch, ch) for ch in s)
        return f'"{s}"' if quote else s
    if isinstance(v, (np.bool_, bool)):
        return "1" if v else "0"
    if isinstance(v, np.floating):
        t = type(v)
        short, full = (15, 17) if t == np.float64 else (6, 9)
        s = "%.*g" % (short, v)
        if t(float(s)) != v and not np.isnan(v):
            s = "%.*g" % (full, v)
        return s
    if isinstance(v, np.complexfloating):
        return f"({format_element(v.real)},{format_element(v.imag)})"
    return str(v)


def summarize_v1(x, limit):
    """TF's Tensor::SummarizeValue: the first ``limit`` entries (all if < 0) in nested
    brackets, "..." where entries were left out (the Print op adds the outer brackets)."""
    x = np.asarray(x)
    n = x.size
    limit = n if limit < 0 else min(limit, n)
    flat = x.reshape(-1)
    if x.ndim == 0:
        return format_element(flat[0]) if n else ""
    out = []
    index = [0]

    def dim(d):
        if index[0] >= limit:
            return
        count = x.shape[d]
        if d == x.ndim - 1:
            for i in range(count):
                if index[0] >= limit:
                    if d != 0:
                        out.append("...")
                    return
                if i > 0:
                    out.append(" ")
                out.append(format_element(flat[index[0]]))
                index[0] += 1
            return
        for i in range(count):
            opened = index[0] < limit
            if opened:
                out.append("[")
            dim(d + 1)
            if opened:
                out.append("]")

    dim(0)
    if n > limit:
        out.append("...")
    return "".join(out)


def summarize_v2(x, edge):
    """tf.print's format: NumPy-like nested brackets, ``edge`` entries at each end of every
    dim with "..." between (all entries if edge < 0); strings quoted."""
    x = np.asarray(x)
    if x.ndim == 0:
        return format_element(x[()], quote=True)
    out = []

    def dim(sub, d):
        if d == x.ndim:
            out.append(format_element(sub[()] if isinstance(sub, np.ndarray) else sub,
                                      quote=True))
            return
        out.append("[")
        count = sub.shape[0]
        if edge < 0 or count <= 2 * edge:
            idx = list(range(count))
            gap = None
        else:
            idx = list(range(edge)) + list(range(count - edge, count))
            gap = edge
        spacing = " " if d == x.ndim - 1 else "\n" * (x.ndim - d - 1) + " " * (d + 1)
        for j, i in enumerate(idx):
            if j == gap:
                out.append(spacing + "...")
            if j > 0 or j == gap:
                out.append(spacing)
            dim(sub[i], d + 1)
        out.append("]")

    dim(x, 0)
    return "".join(out)


def _stream(name):
    if name == "stderr":
        return sys.stderr
    if name == "stdout":
        return sys.stdout
    return None


def _write(stream_name, text):
    stream = _stream(stream_name)
    if stream is not None:
        stream.write(text)
        flush = getattr(stream, "flush", None)
        if flush is not None:
            flush()
    elif stream_name.startswith("file://"):
        with open(stream_name[len("file://"):], "a", encoding="utf-8") as f:
            f.write(text)
    else:   # "log(level)"
        level = logging.getLevelName(stream_name[4:-1].upper())
        logging.getLogger("flowbook").log(level if isinstance(level, int) else logging.INFO,
                                          text.rstrip("\n"))


# --- CheckNumerics ---------------------------------------------------------------------------
def _where(bad):
    first = np.argwhere(bad)[0].tolist() if bad.ndim else []
    return f"{int(bad.sum())} of {bad.size} entries, the first at index {first}"


@BACKEND.factory("CheckNumerics")
def check_numerics(op, res):
    message = op._attrs["message"]
    src = op._inputs[0]
    origin = f"tensor '{src.name}', produced by node '{src.op.name}' ({src.op.type})"

    def k(x):
        if np.isfinite(x).all():
            return x
        nan, inf = np.isnan(x), np.isinf(x)
        kinds = " and ".join(w for w, m in (("Inf", inf), ("NaN", nan)) if m.any())
        details = "; ".join(f"{w}: {_where(m)}" for w, m in (("NaN", nan), ("Inf", inf))
                            if m.any())
        raise InvalidArgumentError(
            None, op, f"{message} : Tensor had {kinds} values\n  in {origin} ({details}).")
    return k


# --- Print -----------------------------------------------------------------------------------
_COUNTS = weakref.WeakKeyDictionary()   # session resources -> {op: times printed}
_COUNTS_LOCK = threading.Lock()


@BACKEND.factory("Print")
def print_(op, res):
    message, first_n = op._attrs["message"], op._attrs["first_n"]
    summarize = op._attrs["summarize"]
    with _COUNTS_LOCK:
        counts = _COUNTS.setdefault(res, {})

    def k(x, *data):
        if first_n >= 0:
            with _COUNTS_LOCK:
                n = counts.get(op, 0)
                if n >= first_n:
                    return x
                counts[op] = n + 1
        text = message + "".join(f"[{summarize_v1(d, summarize)}]" for d in data)
        _write("stderr", text + "\n")
        return x
    return k


# --- PrintV2 ---------------------------------------------------------------------------------
def _render(item, values, summarize):
    kind, v = item
    if kind == "T":
        return summarize_v2(values[v], summarize)
    if kind == "S":
        return v
    if kind == "D":
        return "{" + ", ".join(f"{key}: {_render(x, values, summarize)}" for key, x in v) + "}"
    inner = ", ".join(_render(x, values, summarize) for x in v)
    if kind == "L":
        return "[" + inner + "]"
    return "(" + inner + ("," if len(v) == 1 else "") + ")"


@BACKEND.factory("PrintV2")
def print_v2(op, res):
    a = op._attrs
    template, stream, summarize = a["template"], a["output_stream"], a["summarize"]
    sep, end = a["sep"], a["end"]

    def k(*values):
        _write(stream, sep.join(_render(t, values, summarize) for t in template) + end)
    return k


# --- Assert ----------------------------------------------------------------------------------
@BACKEND.factory("Assert")
def assert_(op, res):
    summarize = op._attrs["summarize"]

    def k(condition, *data):
        c = np.asarray(condition)
        if c.size != 1:
            raise InvalidArgumentError(
                None, op, f"The condition of an Assert must be a scalar, got shape "
                f"{list(c.shape)}; reduce it first (e.g. tf.reduce_all).")
        if not c.reshape(())[()]:
            shown = " ".join(f"[{summarize_v1(d, summarize)}]" for d in data)
            raise InvalidArgumentError(None, op, f"assertion failed: {shown}")
    return k
