"""GraphView: the live, clickable drawing of a graph in Jupyter (an anywidget).

Python owns the state as synced traits; view.js only draws the SVG, applies CSS classes for
the highlight sets, and reports clicks. The view subscribes to the graph's observer hook:
every new op marks the drawing dirty and, at most every ``interval`` seconds, a background
timer lays the graph out again (there is always a final draw). Clicking an op selects it as a
fetch; clicking a scope expands or collapses it. Before a run the view highlights exactly the
ops Session.run would execute; after a run it colours them by wall time and device.
"""

import pathlib
import threading

import anywidget
import traitlets as T

from .. import errors
from ..graph.graph import get_default_graph
from ..graph.operation import Operation
from .card import card_html, node_card, _MISSING
from .dot import graph_to_dot
from .paint import highlight_sets, time_fills, static_svg
from .preview import describe_run, feed_tensors, run_stats, will_run
from .render import render_svg

__all__ = ["GraphView"]

_HERE = pathlib.Path(__file__).parent


def _locked(method):
    """Trait updates come from the kernel thread and the drawing timer: one at a time."""
    def wrapper(self, *args, **kwargs):
        with self._draw_lock:
            return method(self, *args, **kwargs)
    wrapper.__name__ = method.__name__
    wrapper.__doc__ = method.__doc__
    return wrapper


class GraphView(anywidget.AnyWidget):
    """The drawing of ``graph`` (default: the default graph) that grows as ops are added.

    ``selected`` holds fetch names ("loss:0", "train"), ``feeds`` the names of tensors that
    will be fed; ``run()`` runs the selection with tracing and paints the result.
    """

    _esm = _HERE / "view.js"
    _css = _HERE / "view.css"

    svg = T.Unicode("").tag(sync=True)
    text = T.Unicode("").tag(sync=True)
    engine = T.Unicode("").tag(sync=True)
    selected = T.List(T.Unicode()).tag(sync=True)
    feeds = T.List(T.Unicode()).tag(sync=True)
    highlight = T.Dict().tag(sync=True)
    fills = T.Dict().tag(sync=True)
    collapsed = T.List(T.Unicode()).tag(sync=True)
    expanded = T.List(T.Unicode()).tag(sync=True)
    focus = T.Unicode("").tag(sync=True)
    card = T.Unicode("").tag(sync=True)
    status = T.Unicode("").tag(sync=True)

    def __init__(self, graph=None, session=None, *, live=True, interval=0.25, max_nodes=250,
                 **kwargs):
        super().__init__(**kwargs)
        self.graph = graph if graph is not None else get_default_graph()
        self.session = session
        self.interval = interval
        self.max_nodes = max_nodes
        self.values = {}            # fetch name -> last fetched value
        self.stats = {}             # op name -> OpStat of the last traced run
        self.failed = {}            # op name -> error message of the last failed run
        self.stale = {}             # op name -> why it is stale (set by the %%flow cells)
        self.callback_errors = []
        self.drawing = None
        self._dirty = True
        self._timer = None
        self._timer_lock = threading.Lock()
        self._draw_lock = threading.RLock()
        self._live = False
        self.observe(self._on_choice, names=["selected", "feeds"])
        self.observe(self._on_layout_choice, names=["collapsed", "expanded"])
        self.observe(self._on_focus, names=["focus"])
        self.on_msg(self._on_msg)
        self.flush()
        if live:
            self.follow()

    # --- live drawing -------------------------------------------------------------------------
    def follow(self):
        """Redraws as the graph grows (subscribes to the graph's observer hook)."""
        self.graph.add_observer(self._on_op)
        self._live = True

    def unfollow(self):
        """Stops following the graph (and cancels a pending draw)."""
        self.graph.remove_observer(self._on_op)
        self._live = False
        with self._timer_lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

    def close(self):
        self.unfollow()
        super().close()

    @_locked
    def set_graph(self, graph):
        """Shows another graph (e.g. after a reset) in this same view."""
        live = self._live
        self.unfollow()
        self.graph = graph
        self.values, self.stats, self.failed, self.stale = {}, {}, {}, {}
        with self.hold_trait_notifications():
            self.selected, self.feeds, self.fills = [], [], {}
        self.redraw()
        if live:
            self.follow()

    def _on_op(self, op):
        # Runs for every op added: keep it cheap (a flag and, at most, one timer).
        self._dirty = True
        if self._timer is None:
            self._schedule()

    def _schedule(self):
        with self._timer_lock:
            if self._timer is None:
                t = threading.Timer(self.interval, self._tick)
                t.daemon = True
                self._timer = t
                t.start()

    def _tick(self):
        with self._timer_lock:
            self._timer = None
        try:
            self.flush()
        except Exception as e:  # noqa: BLE001 (a background thread: show it, never lose it)
            self._report(e)

    def flush(self):
        """Draws now if ops were added since the last drawing."""
        with self._draw_lock:
            if self._dirty:
                self._dirty = False
                self.redraw()

    def redraw(self):
        """Lays the graph out again (with the current expand/collapse choices)."""
        with self._draw_lock:
            drawing = graph_to_dot(self.graph, expanded=self.expanded,
                                   collapsed=self.collapsed, max_nodes=self.max_nodes)
            svg, engine = render_svg(drawing.source)
            self.drawing = drawing
            with self.hold_sync():
                self.svg = svg or ""
                self.text = "" if svg else drawing.text()
                self.engine = engine
                self._repaint()
                self.status = self._status_line()

    def _status_line(self):
        d = self.drawing
        n = len(self.selected)
        line = f"{d.op_count} ops, {len(d.nodes)} shown"
        if n:
            line += f" · {n} fetch{'es' if n != 1 else ''}: {', '.join(self.selected)}"
        stale = self.stale_names_shown()
        if stale:
            line += f" · {len(stale)} stale: {next(iter(self.stale.values()))}"
        if self.engine == "text":
            line += " · no Graphviz here: pip install 'flowbook[notebook]' for drawings"
        return line

    # --- selection, preview and painting ------------------------------------------------------
    @_locked
    def _on_choice(self, change):
        try:
            self._repaint()
            self.status = self._status_line()
        except Exception as e:  # noqa: BLE001
            self._report(e)

    def _on_layout_choice(self, change):
        try:
            self.redraw()
        except Exception as e:  # noqa: BLE001
            self._report(e)

    @_locked
    def _on_focus(self, change):
        self._update_card()

    def fetches(self):
        """The selected fetch names that still name something in the graph."""
        out = []
        for name in self.selected:
            try:
                self.graph.as_graph_element(name)
            except (KeyError, ValueError, TypeError):
                continue
            out.append(name)
        return out

    def preview(self):
        """The ops a run of the selection (with the current feeds) would execute."""
        return will_run(self.graph, self.fetches(), self._feed_names())

    def _feed_names(self):
        names = []
        for n in self.feeds:
            try:
                feed_tensors(self.graph, [n])
            except (KeyError, ValueError, TypeError):
                continue
            names.append(n)
        return names

    def describe(self, feed_dict=None):
        """The text listing of what running the selection will execute."""
        feeds = feed_dict if feed_dict is not None else self._feed_names()
        return describe_run(self.session or self.graph, self.fetches(), feeds)

    def _repaint(self):
        d = self.drawing
        if d is None:
            return
        fetch_ops = []
        for name in self.fetches():
            el = self.graph.as_graph_element(name)
            fetch_ops.append(el if isinstance(el, Operation) else el._op)
        fed_ops = [t._op for t in feed_tensors(self.graph, self._feed_names())]
        run_ops = self.preview() if fetch_ops else None
        hl = highlight_sets(d, run_ops, fetch_ops, fed_ops, self.stats, self.failed,
                            self.stale)
        with self.hold_sync():
            self.highlight = hl
            self.fills = time_fills(d, self.stats)

    # --- clicks -------------------------------------------------------------------------------
    def _on_msg(self, widget, content, buffers):
        try:
            if isinstance(content, dict) and content.get("event") == "click":
                self.click(str(content.get("id", "")))
        except Exception as e:  # noqa: BLE001 (from the front end: show it, never lose it)
            self._report(e)

    @_locked
    def click(self, node):
        """What a click on drawing node ``node`` does (the front end calls this)."""
        kind, _, rest = node.partition("|")
        if kind == "op":
            op = self.graph._by_name.get(rest)
            if op is None:
                return
            name = op._outputs[0].name if op._outputs else op._name
            sel = list(self.selected)
            if name in sel:
                sel.remove(name)
            else:
                sel.append(name)
            self.focus = op._name
            self.selected = sel
        elif kind == "scope" and rest != "(auxiliary)":
            if self.drawing is not None and rest in self.drawing.clusters:
                self._toggle(node, collapse=True)
            else:
                self._toggle(node, collapse=False)
        elif kind in ("series", "more"):
            self._toggle(node, collapse=False)

    def _toggle(self, node, collapse):
        exp = [x for x in self.expanded if x != node]
        col = [x for x in self.collapsed if x != node]
        if collapse:
            col.append(node)
        else:
            exp.append(node)
        with self.hold_trait_notifications():
            self.expanded = exp
            self.collapsed = col

    def select(self, *names):
        """Sets the selected fetches (tensors, ops or names)."""
        self.selected = [n if isinstance(n, str) else n.name for n in names]

    def _update_card(self):
        op = self.graph._by_name.get(self.focus)
        if op is None:
            self.card = ""
            return
        placement = None
        if self.session is not None:
            placement = self.session._placements.get(op)
        value = _MISSING
        for name in ([t.name for t in op._outputs] or [op._name]):
            if name in self.values:
                value = self.values[name]
                break
        card = node_card(op, placement, value, self.stats.get(op._name),
                         self.failed.get(op._name), self.stale.get(op._name))
        self.card = card_html(card)

    # --- runs ---------------------------------------------------------------------------------
    def run(self, feed_dict=None, session=None):
        """Runs the selected fetches (traced) and paints what ran; returns {name: value}."""
        from ..runtime.config import RunMetadata, RunOptions
        sess = session or self.session
        if sess is None:
            raise ValueError("GraphView.run needs a session: GraphView(graph, session=sess) "
                             "or view.run(session=sess).")
        fetches = self.fetches()
        if not fetches:
            raise ValueError("Nothing selected to run: click ops in the drawing, or "
                             "view.select('loss:0').")
        md = RunMetadata()
        try:
            values = sess.run(fetches, feed_dict,
                              options=RunOptions(trace_level=RunOptions.FULL_TRACE),
                              run_metadata=md)
        except errors.OpError as e:
            self.show_run(md, error=e)
            raise
        self.values.update(zip(fetches, values))
        self.show_run(md)
        return dict(zip(fetches, values))

    @_locked
    def show_run(self, run_metadata, error=None):
        """Paints a traced run: wall time and device per executed op; ``error``'s op failed."""
        self.stats = run_stats(run_metadata)
        self.failed = {}
        if error is not None and getattr(error, "op", None) is not None:
            self.failed[error.op.name] = str(error)
            self.focus = error.op.name
        self._repaint()
        self._update_card()

    @_locked
    def mark_error(self, error):
        """Marks the node an engine error names (an OpError's op) as failed."""
        op = getattr(error, "op", None)
        if op is None:
            return
        self.failed = {op.name: str(error)}
        self.focus = op.name
        self._repaint()
        self._update_card()

    @_locked
    def set_stale(self, stale):
        """``{op name: why}``: ops built on replaced ones (the %%flow cells set this)."""
        self.stale = dict(stale)
        self._repaint()
        if self.drawing is not None:
            self.status = self._status_line()

    def stale_names_shown(self):
        return [n for n in self.stale if n in self.graph._by_name]

    def _report(self, e):
        self.callback_errors.append(e)
        self.status = f"error: {type(e).__name__}: {e}"

    # --- display ------------------------------------------------------------------------------
    def __repr__(self):
        n = len(self.graph._ops)
        sel = f", selected={list(self.selected)!r}" if self.selected else ""
        return f"GraphView({n} op{'s' if n != 1 else ''}{sel})"

    def _repr_mimebundle_(self, **kwargs):
        self.flush()
        data, meta = super()._repr_mimebundle_(**kwargs)
        data["text/plain"] = repr(self)
        if self.svg:
            data["image/svg+xml"] = static_svg(self.svg, self.highlight)
        else:
            data["text/plain"] += "\n" + self.text
        return data, meta
