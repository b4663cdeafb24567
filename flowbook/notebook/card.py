"""The node card (what the view shows for a selected op) and short summaries of values."""

import html

import numpy as np

from .dot import tensor_label
from .preview import _short_device

__all__ = ["summarize", "node_card", "card_html"]

_MISSING = object()     # "no value fetched yet" (None is an op's value)


def summarize(value, max_items=16):
    """A short, deterministic text for a fetched value (big arrays: shape, stats, head)."""
    if value is None:
        return "None (an op has no value)"
    a = np.asarray(value)
    if a.dtype == object or a.dtype.kind in "SU":
        text = np.array2string(a, threshold=max_items, edgeitems=3)
        return f"{a.dtype} {list(a.shape)}: {text}"
    if a.size <= max_items:
        return np.array2string(a, precision=4, suppress_small=True, separator=", ")
    flat = a.reshape(-1)
    head = ", ".join(f"{x:.4g}" if a.dtype.kind == "f" else str(x) for x in flat[:6])
    if a.dtype.kind in "biuf":
        stats = (f"min {flat.min():.4g}, mean {flat.mean(dtype=np.float64):.4g}, "
                 f"max {flat.max():.4g}")
    else:
        stats = ""
    return f"{a.dtype}{list(a.shape)}: [{head}, …] {stats}".rstrip()


def _attr_text(v):
    if isinstance(v, np.ndarray):
        return summarize(v, max_items=8)
    text = repr(v)
    return text if len(text) <= 80 else text[:77] + "..."


def node_card(op, placement=None, value=_MISSING, stat=None, error=None, stale=None):
    """The facts a card shows for ``op`` (a dict of plain values)."""
    return {
        "name": op._name,
        "type": op._type,
        "requested": op._device or "(none)",
        "assigned": placement.assigned if placement is not None else "(not run yet)",
        "reason": placement.reason if placement is not None else "",
        "attrs": {k: _attr_text(v) for k, v in sorted((op._attrs or {}).items())
                  if not k.startswith("_")},
        "inputs": [(t.name, tensor_label(t)) for t in op._inputs]
        + [("^" + c._name, "control") for c in op._control_inputs],
        "outputs": [(t.name, tensor_label(t)) for t in op._outputs],
        "value": summarize(value) if value is not _MISSING else "",
        "time": f"{stat.micros:.1f} µs on {_short_device(stat.device)}" if stat else "",
        "error": error or "",
        "stale": stale or "",
    }


def card_html(card):
    """The card as a small HTML table (every value escaped)."""
    e = html.escape
    rows = [("op", f"<b>{e(card['name'])}</b> ({e(card['type'])})"),
            ("device", f"requested {e(card['requested'])}, assigned {e(card['assigned'])}"
             + (f" <i>({e(card['reason'])})</i>" if card["reason"] else ""))]
    if card["attrs"]:
        rows.append(("attributes", "<br>".join(f"{e(k)} = {e(v)}"
                                               for k, v in card["attrs"].items())))
    rows.append(("inputs", "<br>".join(f"{e(n)} <span class='fb-t'>{e(t)}</span>"
                                       for n, t in card["inputs"]) or "none"))
    rows.append(("outputs", "<br>".join(f"{e(n)} <span class='fb-t'>{e(t)}</span>"
                                        for n, t in card["outputs"]) or "none"))
    if card["time"]:
        rows.append(("last run", e(card["time"])))
    if card["value"]:
        rows.append(("last value", f"<pre>{e(card['value'])}</pre>"))
    if card["stale"]:
        rows.append(("stale", f"<span class='fb-err'>{e(card['stale'])}</span>"))
    if card["error"]:
        rows.append(("error", f"<pre class='fb-err'>{e(card['error'])}</pre>"))
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return f"<table class='fb-card'>{body}</table>"
