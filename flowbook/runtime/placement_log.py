"""Placement records and the placement table (``session.placement_log()``).

A PlacementLog is a list of Placement records that prints as a plain-text table and renders as
an HTML table in notebooks (``_repr_html_``; no IPython import). ``log_placements`` writes TF's
log lines ("name: (Type): device") to sys.stderr for ``log_device_placement=True``.
"""

import html
import sys

__all__ = ["Placement", "PlacementLog", "log_placements", "set_placement_logger"]

_COLUMNS = ("op", "type", "requested", "assigned", "reason")


class Placement:
    """One op's placement: requested device, assigned device, and why."""

    __slots__ = ("op_name", "op_type", "requested", "assigned", "reason")

    def __init__(self, op_name, op_type, requested, assigned, reason):
        self.op_name = op_name
        self.op_type = op_type
        self.requested = requested
        self.assigned = assigned
        self.reason = reason

    def as_dict(self):
        return {k: getattr(self, k) for k in self.__slots__}

    def _row(self):
        return (self.op_name, self.op_type, self.requested or "(none)", _short(self.assigned),
                self.reason)

    def __eq__(self, other):
        return isinstance(other, Placement) and self.as_dict() == other.as_dict()

    def __hash__(self):
        return hash((self.op_name, self.assigned))

    def __repr__(self):
        return (f"Placement({self.op_name}: requested {self.requested or '(none)'} → "
                f"{self.assigned}: {self.reason})")


def _short(full):
    """'GPU:0' for '/job:localhost/replica:0/task:0/device:GPU:0' (other forms unchanged)."""
    if full.startswith("/job:localhost/replica:0/task:0/device:"):
        return full[len("/job:localhost/replica:0/task:0/device:"):]
    return full


class PlacementLog(list):
    """The placement table: a list of Placement records, in graph order."""

    def rows(self):
        """Plain tuples (op, type, requested, assigned, reason)."""
        return [p._row() for p in self]

    def as_dicts(self):
        return [p.as_dict() for p in self]

    def by_device(self):
        """``{assigned device: [op names]}`` in graph order."""
        out = {}
        for p in self:
            out.setdefault(p.assigned, []).append(p.op_name)
        return out

    def __repr__(self):
        if not self:
            return "PlacementLog(empty: no op has run in this session yet)"
        rows = [_COLUMNS] + self.rows()
        widths = [max(len(r[i]) for r in rows) for i in range(len(_COLUMNS) - 1)]
        lines = []
        for n, r in enumerate(rows):
            lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[-1])
            if n == 0:
                lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 6)
        return "\n".join(lines)

    __str__ = __repr__

    def _repr_html_(self):
        esc = html.escape
        head = "".join(f"<th style='text-align:left'>{esc(c)}</th>" for c in _COLUMNS)
        body = []
        for p in self:
            cells = "".join(f"<td>{esc(str(c))}</td>" for c in p._row())
            cls = "gpu" if ":GPU:" in p.assigned else "cpu"
            body.append(f"<tr class='flowbook-{cls}'>{cells}</tr>")
        return ("<table class='flowbook-placement'>"
                f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


_loggers = []   # functions(placements) shown instead (the %%flow magic's table)


def set_placement_logger(fn):
    """Installs ``fn(placements)`` to show log_device_placement output (None removes it)."""
    _loggers[:] = [fn] if fn is not None else []


def log_placements(placements, stream=None):
    """Reports ``placements`` for log_device_placement=True: through the installed logger
    (set_placement_logger), else in a Jupyter kernel as a displayed table, else (or with an
    explicit ``stream``) as TF's log lines ("name: (Type): device") on sys.stderr."""
    if stream is None and _loggers:
        _loggers[0](PlacementLog(placements))
        return
    if stream is None:
        display = _notebook_display()
        if display is not None:
            display(PlacementLog(placements))
            return
    stream = stream or sys.stderr
    for p in placements:
        stream.write(f"{p.op_name}: ({p.op_type}): {p.assigned}\n")


def _notebook_display():
    """IPython's ``display`` when running in a Jupyter kernel, else None. Looks only at
    modules already loaded: flowbook never imports IPython itself."""
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    shell = get() if get is not None else None
    if shell is None or "ZMQ" not in type(shell).__name__:
        return None
    disp = sys.modules.get("IPython.display")
    return getattr(disp, "display", None)
