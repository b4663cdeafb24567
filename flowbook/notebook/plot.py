"""A live plot of scalars recorded during a training loop (record() or summary results).

The curve is an SVG drawn in Python and sent as an HTML widget's value: it updates while the
loop runs (at most a few times a second, always a final draw) through widget traits only, so
notebooks stay nbval-safe.
"""

import html
import math
import threading
import time

import ipywidgets as W

__all__ = ["ScalarPlot"]

_COLOURS = ["#1e88e5", "#e53935", "#43a047", "#8e24aa", "#fb8c00", "#00897b"]


class ScalarPlot(W.HTML):
    """Curves of recorded scalars by tag; ``record(tag, value, step=None)``."""

    def __init__(self, interval=0.25, width=360, height=160):
        super().__init__("")
        self.series = {}
        self.interval = interval
        self.size = (width, height)
        self._last = 0.0
        self._timer = None
        self._lock = threading.Lock()
        self.layout.display = "none"

    def record(self, tag, value, step=None):
        """Adds a point (step defaults to the next index) and redraws soon."""
        pts = self.series.setdefault(str(tag), [])
        pts.append((len(pts) if step is None else float(step), float(value)))
        now = time.monotonic()
        if now - self._last >= self.interval:
            self.draw()
        else:
            with self._lock:
                if self._timer is None:
                    self._timer = threading.Timer(self.interval, self._final)
                    self._timer.daemon = True
                    self._timer.start()

    def record_summary(self, summary, step=None):
        """Records every scalar of a summary result: {tag: value} or a proto-like object
        with ``.value[i].tag`` / ``.simple_value``."""
        if isinstance(summary, dict):
            items = summary.items()
        else:
            items = [(v.tag, v.simple_value) for v in getattr(summary, "value", [])
                     if hasattr(v, "simple_value")]
        for tag, v in items:
            self.record(tag, v, step)

    def _final(self):
        with self._lock:
            self._timer = None
        self.draw()

    def draw(self):
        self._last = time.monotonic()
        self.value = self.svg()
        self.layout.display = None

    def svg(self):
        """The plot as SVG text (deterministic for the same points)."""
        w, h = self.size
        pad = 34
        pts = [p for s in self.series.values() for p in s]
        if not pts:
            return ""
        x0, x1 = min(p[0] for p in pts), max(p[0] for p in pts)
        finite = [p[1] for p in pts if math.isfinite(p[1])] or [0.0]
        y0, y1 = min(finite), max(finite)
        if x1 == x0:
            x1 = x0 + 1
        if y1 == y0:
            y1 = y0 + 1

        def xy(p):
            x = pad + (p[0] - x0) / (x1 - x0) * (w - pad - 8)
            y = h - 16 - (p[1] - y0) / (y1 - y0) * (h - 28)
            return f"{x:.1f},{y:.1f}"
        parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{w}' height='{h}' "
                 f"class='fb-plot'>",
                 f"<text x='2' y='12' font-size='10'>{y1:.4g}</text>",
                 f"<text x='2' y='{h - 16}' font-size='10'>{y0:.4g}</text>",
                 f"<text x='{pad}' y='{h - 2}' font-size='10'>{x0:g}</text>",
                 f"<text x='{w - 8}' y='{h - 2}' font-size='10' text-anchor='end'>{x1:g}</text>"]
        for i, (tag, s) in enumerate(self.series.items()):
            c = _COLOURS[i % len(_COLOURS)]
            line = " ".join(xy(p) for p in s if math.isfinite(p[1]))
            parts.append(f"<polyline fill='none' stroke='{c}' stroke-width='1.5' "
                         f"points='{line}'/>")
            last = s[-1][1]
            parts.append(f"<text x='{pad + 4}' y='{24 + 12 * i}' font-size='10' fill='{c}'>"
                         f"{html.escape(tag)}: {last:.4g}</text>")
        parts.append("</svg>")
        return "".join(parts)

    def __repr__(self):
        return f"ScalarPlot({', '.join(self.series)})"
