"""Running fetches from the notebook: names to graph elements, feeds, auto-init, results.

Names are looked up the way a notebook user means them: a variable of the namespace holding a
tensor/op/Variable of the graph ("loss"), else a graph name ("loss:0", "train"); an op name
with outputs means its first output ("loss" -> "loss:0").
"""

import html
import time

import numpy as np

from ..graph.graph import GraphKeys
from ..graph.operation import Operation, Tensor
from ..runtime.config import RunMetadata, RunOptions
from .card import summarize
from .magic_args import FlowUsageError, Literal
from .preview import run_stats, will_run

__all__ = ["resolve_name", "resolve_feeds", "initialize_needed", "uninitialized",
           "run_traced", "FlowResults"]


def resolve_name(graph, name, namespace=None, tensor_only=False):
    """The graph element ``name`` means (see module docstring); FlowUsageError if none."""
    obj = (namespace or {}).get(name) if name.isidentifier() else None
    if obj is not None:
        el = getattr(obj, "_as_graph_element", None)
        el = el() if el is not None and not isinstance(obj, (Tensor, Operation)) else obj
        if isinstance(el, (Tensor, Operation)) and el.graph is graph:
            if tensor_only and isinstance(el, Operation):
                raise FlowUsageError(f"%%flow: {name} is an op; feed a tensor of it")
            return el
    try:
        el = graph.as_graph_element(name)
    except (KeyError, ValueError, TypeError):
        raise FlowUsageError(f"%%flow: no tensor or op named {name!r} in the graph (nor a "
                             "variable holding one)") from None
    if isinstance(el, Operation) and el._outputs:
        return el._outputs[0]
    if tensor_only and isinstance(el, Operation):
        raise FlowUsageError(f"%%flow: {name} is an op without outputs; it cannot be fed")
    return el


def resolve_feeds(graph, feeds, namespace):
    """{tensor: value} for ``feeds`` given as (name, Literal | VarRef) pairs."""
    out = {}
    for name, ref in feeds:
        t = resolve_name(graph, name, namespace, tensor_only=True)
        if isinstance(ref, Literal):
            out[t] = ref.value
        else:
            if ref.name not in (namespace or {}):
                raise FlowUsageError(f"%%flow: feed {name}={ref.name}: no variable "
                                     f"{ref.name!r} in the namespace")
            out[t] = namespace[ref.name]
    return out


def _variables(graph):
    found = {}
    for key in (GraphKeys.GLOBAL_VARIABLES, GraphKeys.LOCAL_VARIABLES):
        for v in graph.get_collection(key):
            op = getattr(v, "op", None)
            if op is not None and op not in found:
                found[op] = v
    return found


def uninitialized(session, ops=None):
    """Variables (objects) among ``ops`` (default: all) with no value in ``session``."""
    cells = session._resources.cells
    out = []
    for op, v in _variables(session.graph).items():
        if ops is not None and op not in ops:
            continue
        cell = cells.get(op)
        if cell is None or cell.value is None:
            out.append(v)
    return out


def initialize_needed(session, fetches, feed_dict):
    """Initialises the uninitialised variables a run of ``fetches`` reads; returns them."""
    needed = set(will_run(session.graph, fetches, list(feed_dict or ())))
    todo = uninitialized(session, needed)
    if todo:
        session.run([v.initializer for v in todo])
    return todo


def run_traced(session, fetches, feed_dict):
    """(values, RunMetadata, seconds) of a traced run of the fetch list."""
    md = RunMetadata()
    t0 = time.perf_counter()
    values = session.run(list(fetches), feed_dict or None,
                         options=RunOptions(trace_level=RunOptions.FULL_TRACE),
                         run_metadata=md)
    return values, md, time.perf_counter() - t0


class FlowResults(dict):
    """Fetched values by name, shown as a table (value, shape, dtype, op time)."""

    def __init__(self, names, values, run_metadata=None, seconds=None):
        super().__init__(zip(names, values))
        self.stats = run_stats(run_metadata) if run_metadata is not None else {}
        self.seconds = seconds

    def _rows(self):
        for name, v in self.items():
            a = np.asarray(v) if v is not None else None
            st = self.stats.get(name.rpartition(":")[0] if ":" in name else name)
            t = f"{st.micros:.1f} µs" if st is not None else ""
            if a is None:
                yield name, "(op ran)", "", "", t
            else:
                yield name, summarize(v), str(list(a.shape)), str(a.dtype), t

    def __repr__(self):
        lines = []
        for name, val, shape, dtype, _ in self._rows():
            head = f"{name} {dtype}{shape}".rstrip() + ":"
            lines.append(head + ("\n  " + val.replace("\n", "\n  ") if "\n" in val
                                 else " " + val))
        return "\n".join(lines) or "(no fetches)"

    def _repr_html_(self):
        e = html.escape
        rows = []
        for name, v in self.items():
            a = np.asarray(v) if v is not None else None
            if a is not None and a.ndim in (1, 2) and a.size <= 64 and a.dtype.kind in "biuf":
                grid = a.reshape(1, -1) if a.ndim == 1 else a
                cells = "".join("<tr>" + "".join(f"<td>{x:.5g}</td>" if a.dtype.kind == "f"
                                                 else f"<td>{x}</td>" for x in r) + "</tr>"
                                for r in grid)
                shown = f"<table class='fb-array'>{cells}</table>"
            else:
                shown = f"<pre>{e(summarize(v))}</pre>" if a is not None else "(op ran)"
            st = self.stats.get(name.rpartition(":")[0] if ":" in name else name)
            meta = "" if a is None else f"{e(str(a.dtype))} {list(a.shape)}"
            t = f"{st.micros:.1f} µs" if st is not None else ""
            rows.append(f"<tr><th>{e(name)}</th><td>{shown}</td><td>{meta}</td><td>{t}</td>"
                        "</tr>")
        total = f"<caption>run: {self.seconds * 1e3:.2f} ms</caption>" if self.seconds else ""
        return (f"<table class='fb-results'>{total}<tr><th>fetch</th><th>value</th>"
                f"<th>dtype shape</th><th>op time</th></tr>{''.join(rows)}</table>")
