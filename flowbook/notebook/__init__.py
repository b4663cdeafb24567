"""The notebook layer: the live graph view, the %%flow magic and interactive run controls.

Entry points (stable, for tutorials):

- ``GraphView(graph=None, session=None)``: the live, clickable drawing of a graph (anywidget).
- ``describe_run(graph_or_session, fetches, feed_dict=None)``: text listing of what a run
  executes; ``will_run(graph, fetches, feeds)``: the same ops as a list.
- ``graph_to_dot(graph, ...)`` and ``render_svg(dot_source)``: the drawing pipeline.
- ``FlowPanel(graph, session)``: the view with fetch/feed/run controls beside it.
- ``record(tag, value, step=None)``: a scalar for the live training plot beside the graph.
- ``%load_ext flowbook``: the ``%%flow`` cell magic and ``%flow`` line magic.

Nothing here is imported by ``import flowbook``; widgets and graphviz load on first use.
"""

_LAZY = {
    "GraphView": ".view",
    "graph_to_dot": ".dot",
    "Drawing": ".dot",
    "render_svg": ".render",
    "describe_run": ".preview",
    "will_run": ".preview",
    "run_stats": ".preview",
    "summarize": ".card",
    "FlowPanel": ".controls",
    "record": ".plot_api",
    "record_summary": ".plot_api",
    "plot": ".plot_api",
    "FlowArgs": ".magic_args",
    "parse_flow_args": ".magic_args",
}

__all__ = sorted(_LAZY) + ["load_ipython_extension", "unload_ipython_extension"]


def __getattr__(name):
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(f"module 'flowbook.notebook' has no attribute {name!r}")
    import importlib
    return getattr(importlib.import_module(mod, __name__), name)


def load_ipython_extension(ipython):
    """``%load_ext flowbook``: registers %%flow / %flow and the notebook hooks."""
    from .magics import load
    load(ipython)


def unload_ipython_extension(ipython):
    from .magics import unload
    unload(ipython)
