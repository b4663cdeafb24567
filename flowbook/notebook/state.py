"""What the notebook keeps per graph: one session, one panel (view + controls), the cells that
built its ops; plus the notebook-aware checks: the lazy-loading trap and the placement table.
"""

import html
import warnings

from ..graph.graph import get_default_graph
from .cells import CellRegistry

__all__ = ["NotebookState", "GraphState", "GraphGrowthWarning", "LazyWatch",
           "placement_table"]


class GraphGrowthWarning(UserWarning):
    """The graph keeps growing between runs: ops are being created inside a loop."""


class LazyWatch:
    """Warns (once per graph) when ops keep being created between runs in one cell.

    Signals, within one cell: the graph grew between three or more plan compilations (new
    ops fetched each iteration), or 50+ ops, mostly numbered copies of one name, were created
    after a run (ops built in a loop but not fetched)."""

    BETWEEN_RUNS = 3
    AFTER_RUN = 50

    def __init__(self, graph):
        self.graph = graph
        self.warned = None
        self.new_cell()
        graph.add_observer(self.on_op)
        graph._compile_observers.append(self.on_compile)

    def new_cell(self):
        self.compiles = 0
        self.grew_between = 0
        self.after_run = []
        self._grew = False

    def close(self):
        self.graph.remove_observer(self.on_op)
        if self.on_compile in self.graph._compile_observers:
            self.graph._compile_observers.remove(self.on_compile)

    def on_compile(self, session, plan):
        self.compiles += 1
        if self._grew:
            self.grew_between += 1
            self._grew = False
            self._check()

    def on_op(self, op):
        if self.compiles and self.warned is None:
            self._grew = True
            self.after_run.append(op._name)
            if len(self.after_run) >= self.AFTER_RUN:
                self._check()

    def _check(self):
        if self.warned is not None:
            return
        names = self.after_run
        repeated = False
        if len(names) >= self.AFTER_RUN:
            bases = {}
            for n in names:
                b = n.rstrip("0123456789").rstrip("_")
                bases[b] = bases.get(b, 0) + 1
            repeated = max(bases.values()) * 2 >= len(names)
        if self.grew_between < self.BETWEEN_RUNS and not repeated:
            return
        shown = ", ".join(names[:3]) + (f" … {names[-1]}" if len(names) > 3 else "")
        self.warned = (
            f"flowbook: the graph keeps growing between session runs: {len(names)} new ops "
            f"({shown}) were created after the first run in this cell. Every tf.* call "
            "inside a loop adds new ops, so the graph, its memory and the time to compile "
            "runs grow with each iteration. Build the ops once, before the loop, and only "
            "sess.run them inside it; call graph.finalize() before the loop to make this an "
            "error.")
        warnings.warn(self.warned, GraphGrowthWarning, stacklevel=4)


def placement_table(placements):
    """(text, html) of placement records: op, type, requested and assigned device, reason."""
    rows = [(p.op_name, p.op_type, p.requested or "(none)", p.assigned, p.reason)
            for p in placements]
    head = ("op", "type", "requested", "assigned", "why")
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(5)]
    text = "\n".join("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()
                     for r in [head] + rows)
    e = html.escape
    body = "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    hrow = "".join(f"<th>{h}</th>" for h in head)
    return ("Device placement:\n" + text,
            f"<table class='fb-placement'><caption>Device placement</caption><tr>{hrow}</tr>"
            f"{body}</table>")


class GraphState:
    """One graph's notebook session, panel and cell registry."""

    def __init__(self, nb, graph):
        self.nb = nb
        self.graph = graph
        self.registry = CellRegistry(graph)
        self.lazy = LazyWatch(graph)
        self._session = None
        self._panel = None
        self._plot = None

    @property
    def plot(self):
        """The live plot of scalars recorded for this graph (flowbook.notebook.record)."""
        if self._plot is None:
            from .plot import ScalarPlot
            self._plot = ScalarPlot()
        return self._plot

    @property
    def session(self):
        if self._session is None or self._session._closed:
            from ..runtime import ConfigProto, Session
            opts = self.nb.options
            config = ConfigProto(allow_soft_placement=opts.soft_placement,
                                 log_device_placement=opts.log_device_placement)
            self._session = Session(graph=self.graph, config=config)
            if self._panel is not None:
                self._panel.session = self._panel.view.session = self._session
        return self._session

    def panel(self):
        if self._panel is None:
            from .controls import FlowPanel
            opts = self.nb.options
            self._panel = FlowPanel(self.graph, self.session, self.nb.namespace,
                                    auto_init=opts.auto_init, show_times=opts.show_times)
        return self._panel

    def close(self):
        self.lazy.close()
        if self._session is not None:
            self._session.close()
        if self._panel is not None:
            self._panel.view.unfollow()


class NotebookState:
    """Per-kernel state of the extension: graphs → GraphState, the current cell's id."""

    def __init__(self, options, namespace=None):
        self.options = options
        self.namespace = namespace
        self.graphs = {}
        self.cell_id = None
        self.running = None         # the GraphState of the %%flow cell running now
        self.plots_shown = set()    # plots displayed by the current cell

    def state(self, graph=None):
        graph = graph if graph is not None else get_default_graph()
        st = self.graphs.get(id(graph))
        if st is None or st.graph is not graph:
            st = self.graphs[id(graph)] = GraphState(self, graph)
        return st

    def forget(self, graph):
        st = self.graphs.pop(id(graph), None)
        if st is not None:
            st.close()
        return st

    def pre_run_cell(self, info=None):
        self.cell_id = getattr(info, "cell_id", None) if info is not None else None
        self.plots_shown = set()
        default = get_default_graph()
        for key, st in list(self.graphs.items()):
            if st.graph is not default and st._session is None and st._panel is None \
                    and st._plot is None:
                self.forget(st.graph)          # a replaced default graph nobody shows
            else:
                st.lazy.new_cell()
        self.state(default)          # watch the default graph too (the lazy-loading trap)

    def close(self):
        for st in list(self.graphs.values()):
            st.close()
        self.graphs.clear()
