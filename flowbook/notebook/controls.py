"""FlowPanel: the graph view with run controls beside it (ipywidgets).

Fetch list (synced both ways with clicks in the drawing), one feed editor per placeholder the
fetches need, Run (and optional auto-run when a feed changes, debounced), a results panel,
errors inline with the failing node marked in the drawing, the uninitialised variables with
one button to initialise them. All updates go through
widget traits (no display updates, no clear_output), so notebooks stay nbval-safe.
"""

import html
import threading

import ipywidgets as W
import traitlets as T

from .feeds import FeedEditor, needed_placeholders
from .results import FlowResults, initialize_needed, run_traced, uninitialized
from .view import GraphView

__all__ = ["FlowPanel"]


class FlowPanel(W.HBox):
    """The live view of ``graph`` and its controls; runs in ``session``."""

    def __init__(self, graph, session, namespace=None, auto_init=True, show_times=True):
        self.graph = graph
        self.session = session
        self.namespace = namespace
        self.auto_init = auto_init
        self.show_times = show_times
        self.view = GraphView(graph, session)
        self.fetch_box = W.TagsInput(value=[], allow_duplicates=False)
        T.link((self.fetch_box, "value"), (self.view, "selected"))
        self.editors = {}
        self.feed_box = W.VBox([])
        self.run_button = W.Button(description="Run", button_style="primary", icon="play")
        self.auto = W.Checkbox(value=False, description="auto-run", indent=False)
        self.init_button = W.Button(description="Initialise variables")
        self.uninit = W.HTML("")
        self.error = W.HTML("")
        self.results = W.HTML("")
        self.last = None
        self.last_error = None
        self._auto_timer = None
        self.run_button.on_click(lambda _: self._guarded(self.run))
        self.init_button.on_click(lambda _: self._guarded(self.initialize))
        self.view.observe(self._fetches_changed, names=["selected"])
        controls = W.VBox([
            W.HTML("<b>fetches</b> (click ops in the drawing)"), self.fetch_box,
            W.HTML("<b>feeds</b>"), self.feed_box, W.HBox([self.run_button, self.auto]),
            W.HBox([self.uninit, self.init_button]), self.error, self.results],
            layout=W.Layout(min_width="22em", max_width="40em", padding="0 0 0 8px"))
        super().__init__([self.view, controls])
        self._refresh_uninit()

    # --- fetches and feeds --------------------------------------------------------------------
    def _fetches_changed(self, change=None):
        fetches = self.view.fetches()
        try:
            needed = needed_placeholders(self.graph, fetches) if fetches else []
        except Exception as e:  # noqa: BLE001 (a stale name: show it)
            self._show_error(e)
            needed = []
        rows = []
        for t in needed:
            ed = self.editors.get(t.name)
            if ed is None or ed.tensor is not t:
                ed = self.editors[t.name] = FeedEditor(t, on_change=self._feed_changed)
            rows.append(ed)
        self.feed_box.children = rows
        self._sync_feeds()
        self._refresh_uninit()

    def needed_editors(self):
        return list(self.feed_box.children)

    def _sync_feeds(self):
        self.view.feeds = [ed.tensor.name for ed in self.needed_editors() if ed.has_value()]

    def _feed_changed(self, editor):
        self._sync_feeds()
        if self.auto.value:
            self._schedule_auto()

    def _schedule_auto(self, delay=0.3):
        if self._auto_timer is not None:
            self._auto_timer.cancel()
        t = threading.Timer(delay, lambda: self._guarded(self.run))
        t.daemon = True
        self._auto_timer = t
        t.start()

    def set_feed(self, name, value):
        """Sets a feed editor's value from Python (name like 'x:0')."""
        ed = self.editors.get(name) or self.editors.get(name + ":0")
        if ed is None:
            raise KeyError(f"no feed editor for {name!r}: select a fetch that needs it first")
        ed.set_value(value)

    def feed_dict(self):
        """{tensor: value} from the editors; ValueError naming a feed that has no value."""
        out = {}
        for ed in self.needed_editors():
            v = ed.current(self.namespace)
            if v is None:
                raise ValueError(f"feed {ed.tensor.name} has no value: type one, or bind it to "
                                 "a variable")
            out[ed.tensor] = v
        return out

    # --- running ------------------------------------------------------------------------------
    def run(self, fetches=None, feed_dict=None):
        """Runs the fetches (default: the selection) with the editors' feeds; shows results.

        Engine errors are shown inline, the failing node is marked, and they are re-raised."""
        names = list(fetches) if fetches is not None else self.view.fetches()
        if not names:
            raise ValueError("Nothing to run: click ops in the drawing or type fetch names.")
        if feed_dict is None:
            feed_dict = self.feed_dict()
        if self.auto_init:
            initialize_needed(self.session, names, feed_dict)
        try:
            values, md, secs = run_traced(self.session, names, feed_dict)
        except Exception as e:
            self.view.mark_error(e)
            self._show_error(e)
            raise
        res = FlowResults(names, values, md, secs if self.show_times else None)
        self.view.values.update(res)
        self.view.show_run(md)
        self.error.value = ""
        self.last = res
        self.results.value = res._repr_html_()
        self._refresh_uninit()
        return res

    def initialize(self):
        """Initialises every variable of the graph that this session has no value for."""
        todo = uninitialized(self.session)
        if todo:
            self.session.run([v.initializer for v in todo])
        self._refresh_uninit()
        return todo

    def _refresh_uninit(self):
        todo = uninitialized(self.session)
        names = ", ".join(html.escape(v.op.name) for v in todo)
        self.uninit.value = f"uninitialised: {names}" if todo else ""
        self.init_button.layout.display = None if todo else "none"

    def _guarded(self, fn):
        # Button and timer callbacks: errors must show in the panel, not vanish.
        try:
            fn()
        except Exception as e:  # noqa: BLE001
            self._show_error(e)

    def _show_error(self, e):
        self.last_error = e
        self.error.value = (f"<pre style='color:#c62828;white-space:pre-wrap'>"
                            f"{html.escape(type(e).__name__)}: {html.escape(str(e))}</pre>")

    # --- display ------------------------------------------------------------------------------
    def __repr__(self):
        return f"FlowPanel({self.view!r})"

    def _repr_mimebundle_(self, **kwargs):
        data, meta = self.view._repr_mimebundle_(**kwargs)
        widget = super()._repr_mimebundle_(**kwargs)
        wdata = widget[0] if isinstance(widget, tuple) else widget
        data["application/vnd.jupyter.widget-view+json"] = \
            wdata["application/vnd.jupyter.widget-view+json"]
        data["text/plain"] = repr(self) + data["text/plain"][len(repr(self.view)):]
        return data, meta
