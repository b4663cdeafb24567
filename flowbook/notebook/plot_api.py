"""``record(tag, value)``: scalars from a training loop, drawn live beside the graph.

With the extension loaded, points go to the plot in the panel of the graph whose %%flow cell
is running (else the default graph's panel); without it, to one plot that ``plot()`` returns
for you to display.
"""

__all__ = ["record", "record_summary", "plot"]

_NOTEBOOK = [None]      # the NotebookState of %load_ext flowbook, if loaded
_PLOT = [None]


def plot(graph=None):
    """The live plot that record() draws into (display it to watch the curves)."""
    nb = _NOTEBOOK[0]
    if nb is not None:
        gs = nb.running if graph is None and nb.running is not None else nb.state(graph)
        return gs.panel().plot
    if _PLOT[0] is None:
        from .plot import ScalarPlot
        _PLOT[0] = ScalarPlot()
    return _PLOT[0]


def record(tag, value, step=None, graph=None):
    """Adds one point to the curve ``tag`` (step: the x value, default the next index)."""
    plot(graph).record(tag, value, step)


def record_summary(summary, step=None, graph=None):
    """Adds the scalars of a summary result ({tag: value} or a Summary-like object)."""
    plot(graph).record_summary(summary, step)
