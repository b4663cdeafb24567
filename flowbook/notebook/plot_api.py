"""``record(tag, value)``: scalars from a training loop, drawn as a live curve.

With the extension loaded, the first record() of a cell shows the plot of the graph whose
%%flow cell is running (else of the default graph) in that cell's output, and the curve
updates while the loop runs. Without the extension, points go to one plot that ``plot()``
returns for you to display.
"""

__all__ = ["record", "record_summary", "plot"]

_NOTEBOOK = [None]      # the NotebookState of %load_ext flowbook, if loaded
_PLOT = [None]


def _state(nb, graph):
    return nb.running if graph is None and nb.running is not None else nb.state(graph)


def plot(graph=None):
    """The live plot that record() draws into (display it to watch the curves)."""
    nb = _NOTEBOOK[0]
    if nb is not None:
        return _state(nb, graph).plot
    if _PLOT[0] is None:
        from .plot import ScalarPlot
        _PLOT[0] = ScalarPlot()
    return _PLOT[0]


def _shown(p):
    nb = _NOTEBOOK[0]
    if nb is not None and id(p) not in nb.plots_shown:   # once per cell: a live view
        nb.plots_shown.add(id(p))
        from IPython.display import display
        display(p)


def record(tag, value, step=None, graph=None):
    """Adds one point to the curve ``tag`` (step: the x value, default the next index)."""
    p = plot(graph)
    p.record(tag, value, step)
    _shown(p)


def record_summary(summary, step=None, graph=None):
    """Adds the scalars of a summary result ({tag: value} or a Summary-like object)."""
    p = plot(graph)
    p.record_summary(summary, step)
    _shown(p)
