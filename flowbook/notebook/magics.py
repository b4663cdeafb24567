"""%%flow and %flow: a thin IPython layer over GraphView, FlowPanel and the cell registry.

``%load_ext flowbook`` registers FlowMagics (configurable with ``%config FlowMagics.x``), a
pre_run_cell hook (the front end's cell id, the lazy-loading check) and the notebook's
placement table for ``ConfigProto(log_device_placement=True)``.
"""

import ast
import contextlib

from IPython.core import magic_arguments
from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class
from IPython.display import display
from traitlets import Bool, Unicode

from .. import errors
from ..graph.graph import Graph, get_default_graph, reset_default_graph
from ..runtime import placement
from .magic_args import ARGUMENTS, FlowUsageError, parse_flow_args
from .preview import describe_run
from .results import FlowResults, initialize_needed, resolve_feeds, resolve_name, \
    run_traced, uninitialized
from .state import NotebookState, placement_table

__all__ = ["FlowMagics", "load", "unload", "Text"]


class Text(str):
    """A str that shows as itself (no quotes) as a cell's result."""

    def __repr__(self):
        return str(self)


def _arguments(fn):
    """IPython's magic_arguments from the same ARGUMENTS the parser uses (for %%flow?)."""
    for args, kwargs in reversed(ARGUMENTS):
        fn = magic_arguments.argument(*args, **kwargs)(fn)
    return magic_arguments.magic_arguments(name="%flow")(fn)   # shown as %%flow


@magics_class
class FlowMagics(Magics):
    """%%flow [GRAPH] [-f NAME ...] [-d NAME=VALUE ...] [-o VAR] [--no-view] [--reset]"""

    auto_init = Bool(True, help="Initialise the variables a fetch needs before running it "
                     "(values already in the session are kept).").tag(config=True)
    view = Bool(True, help="Show the graph's live view under %%flow cells.").tag(config=True)
    device = Unicode("", help="Device scope for ops built in %%flow cells, e.g. '/gpu:0' "
                     "(the GPU backend), '' for none.").tag(config=True)
    soft_placement = Bool(True, help="Let the notebook's sessions place ops on an available "
                          "device when the requested one is missing.").tag(config=True)
    log_device_placement = Bool(False, help="Show a placement table in the notebook for "
                                "every new plan of the notebook's sessions.").tag(config=True)
    show_times = Bool(True, help="Show run times with results (turn off for notebooks "
                      "checked with nbval).").tag(config=True)

    def __init__(self, shell=None, **kwargs):
        super().__init__(shell, **kwargs)
        self.nb = NotebookState(self, shell.user_ns if shell is not None else None)

    # --- helpers ------------------------------------------------------------------------------
    def _parse(self, line, verbs=False):
        try:
            return parse_flow_args(line, verbs=verbs)
        except FlowUsageError as e:
            raise UsageError(str(e)) from None

    def _graph(self, name):
        if name is None:
            return get_default_graph()
        obj = self.shell.user_ns.get(name)
        if not isinstance(obj, Graph):
            what = "is not defined" if obj is None else f"is a {type(obj).__name__}"
            raise UsageError(f"%%flow: GRAPH {name!r} {what}; give the name of a tf.Graph "
                             "(or leave it out for the default graph)")
        return obj

    def _cell_key(self, args, line, cell):
        count = getattr(self.shell, "execution_count", 0)
        if args.cell:
            return ("name", args.cell), f"cell {args.cell!r}"
        if self.nb.cell_id:
            return ("id", self.nb.cell_id), f"In [{count}]"
        return ("text", line.strip() + "\n" + cell), f"In [{count}]"

    def _exec(self, cell):
        """Runs the cell body through IPython's transforms in the user namespace; returns the
        value of a final expression (like a normal cell), else None."""
        code = self.shell.transform_cell(cell)
        tree = ast.parse(code)
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        filename = self.shell.compile.cache(code)
        # The user's own cell, run as IPython runs cells (user namespace, builtin trap).
        self.shell.ex(compile(tree, filename, "exec"))
        if last is not None:
            return self.shell.ev(compile(last, filename, "eval"))
        return None

    def _run(self, gs, names, feeds):
        ns = self.shell.user_ns
        try:
            els = [resolve_name(gs.graph, n, ns) for n in names]
            feed_dict = resolve_feeds(gs.graph, feeds, ns)
        except FlowUsageError as e:
            raise UsageError(str(e)) from None
        fetch_names = [el.name for el in els]
        sess = gs.session
        if self.auto_init:
            initialize_needed(sess, fetch_names, feed_dict)
        panel = gs._panel
        if panel is not None:
            panel.view.selected = fetch_names
            for t, v in feed_dict.items():
                if t.name in panel.editors:
                    with contextlib.suppress(ValueError):
                        panel.editors[t.name].set_value(v)
        try:
            values, md, secs = run_traced(sess, fetch_names, feed_dict)
        except errors.OpError as e:
            if panel is not None:
                panel.view.mark_error(e)
                panel._show_error(e)
            raise
        res = FlowResults(fetch_names, values, md, secs if self.show_times else None)
        if panel is not None:
            panel.view.values.update(res)
            panel.view.show_run(md)
            panel.last = res
            panel.results.value = res._repr_html_()
            panel._refresh_uninit()
        return res

    def _store(self, out, res):
        if out:
            self.shell.user_ns[out] = next(iter(res.values())) if len(res) == 1 else dict(res)

    # --- %%flow -------------------------------------------------------------------------------
    @cell_magic("flow")
    @_arguments
    def flow_cell(self, line, cell):
        """Runs the cell with GRAPH as the default graph and shows its live view (reused when
        the cell runs again, whose new ops replace the old ones under the same names); runs
        the fetches in the notebook's session for GRAPH and shows the results."""
        args = self._parse(line)
        graph = self._graph(args.graph)
        gs = self.nb.state(graph)
        key, label = self._cell_key(args, line, cell)
        show = args.view and self.view
        panel = gs.panel() if show else None
        if panel is not None:
            panel.namespace = self.shell.user_ns
        value = res = None
        self.nb.running = gs
        try:
            with gs.registry.running(key, label, sessions=[gs.session], reset=args.reset):
                with graph.as_default(), \
                        (graph.device(self.device) if self.device else contextlib.nullcontext()):
                    value = self._exec(cell)
            if panel is not None:
                panel.view.set_stale(gs.registry.stale_names())
            if args.fetches:
                res = self._run(gs, args.fetches, args.feeds)
        except errors.OpError as e:
            if panel is not None:
                panel.view.mark_error(e)
            raise
        finally:
            self.nb.running = None
            if panel is not None:
                panel.view.flush()
                display(panel)
        if res is not None:
            self._store(args.out, res)
            return res
        return value

    # --- %flow VERB ---------------------------------------------------------------------------
    @line_magic("flow")
    def flow_line(self, line):
        """%flow show|list|reset|run|describe|init|cells [GRAPH] [-f NAME ...] [-d NAME=VALUE]

        show: the graph's view and controls; list: its ops and the cells that built them;
        reset: a new empty graph (and session) in its place; run: run fetches; describe: what a
        run of the fetches executes; init: initialise uninitialised variables; cells: the
        %%flow cells that built the graph."""
        args = self._parse(line, verbs=True)
        graph = self._graph(args.graph)
        gs = self.nb.state(graph)
        verb = args.verb
        if verb == "show":
            panel = gs.panel()
            panel.namespace = self.shell.user_ns
            panel.view.flush()
            display(panel)
            return None
        if verb == "list":
            return Text(self._listing(gs))
        if verb == "reset":
            return Text(self._reset(gs, args.graph))
        if verb == "init":
            todo = uninitialized(gs.session)
            if todo:
                gs.session.run([v.initializer for v in todo])
            return Text("initialised: " + (", ".join(v.op.name for v in todo) or "nothing"))
        if verb == "cells":
            rows = gs.registry.cell_rows()
            return Text("\n".join(f"{lab}: {n} ops" + (f", {s} stale" if s else "")
                                  for lab, n, s in rows) or "no %%flow cells yet")
        if not args.fetches:
            raise UsageError(f"%flow {verb}: name what to fetch with -f NAME")
        if verb == "describe":
            ns = self.shell.user_ns
            try:
                els = [resolve_name(graph, n, ns) for n in args.fetches]
                feeds = resolve_feeds(graph, args.feeds, ns)
            except FlowUsageError as e:
                raise UsageError(str(e)) from None
            return Text(describe_run(gs.session, [el.name for el in els], feeds))
        res = self._run(gs, args.fetches, args.feeds)
        self._store(args.out, res)
        return res

    def _listing(self, gs):
        from .dot import tensor_label
        stale = gs.registry.stale_names()
        lines = []
        for op in gs.graph.get_operations():
            outs = ", ".join(tensor_label(t) for t in op._outputs) or "-"
            who = gs.registry.label_of(op) or ""
            mark = "  (stale)" if op._name in stale else ""
            lines.append(f"{op._name:<28} {op._type:<16} {outs:<24} {who}{mark}".rstrip())
        return "\n".join(lines) or "(empty graph)"

    def _reset(self, gs, name):
        panel = gs._panel
        self.nb.forget(gs.graph)
        if name is None:
            reset_default_graph()
            new = get_default_graph()
        else:
            new = self.shell.user_ns[name] = Graph()
        ns = self.nb.state(new)
        if panel is not None:
            ns._panel = panel
            panel.graph = new
            panel.session = panel.view.session = ns.session
            panel.editors = {}
            panel.feed_box.children = []
            panel.view.set_graph(new)
            panel._refresh_uninit()
        return f"reset: {name or 'the default graph'} is a new empty graph (new session)"


def _show_placements(placements):
    text, html = placement_table(placements)
    display({"text/plain": text, "text/html": html}, raw=True)


_loaded = {}


def load(ipython):
    """Registers the magics and hooks on ``ipython`` (idempotent)."""
    if id(ipython) in _loaded:
        return
    magics = FlowMagics(ipython)
    ipython.register_magics(magics)
    ipython.configurables.append(magics)
    ipython.events.register("pre_run_cell", magics.nb.pre_run_cell)
    placement.set_placement_logger(_show_placements)
    from . import plot_api
    plot_api._NOTEBOOK[0] = magics.nb
    _loaded[id(ipython)] = magics


def unload(ipython):
    magics = _loaded.pop(id(ipython), None)
    if magics is None:
        return
    with contextlib.suppress(ValueError):
        ipython.events.unregister("pre_run_cell", magics.nb.pre_run_cell)
    with contextlib.suppress(ValueError):
        ipython.configurables.remove(magics)
    placement.set_placement_logger(None)
    from . import plot_api
    plot_api._NOTEBOOK[0] = None
    magics.nb.close()

