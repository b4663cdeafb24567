"""Highlight sets and colours for a Drawing: which visible nodes will run, ran, failed, ….

They are data (class name -> node ids, node id -> colour): the front end applies them as CSS
classes on the SVG without a new layout, and ``static_svg`` bakes them into a <style> block
for the snapshot shown where no widget front end runs (nbconvert, GitHub, nbviewer).
"""

import math

__all__ = ["highlight_sets", "time_fills", "static_svg", "STATIC_CSS"]


def _ids(drawing, names):
    order = {nid: i for i, nid in enumerate(drawing.nodes)}
    found = {drawing.node_of(n) for n in names}
    found.discard(None)
    return sorted(found, key=lambda nid: order.get(nid, len(order)))


def highlight_sets(drawing, run_ops, fetch_ops, fed_ops, stats, failed, stale):
    """{class: [node ids]}: run/dim (preview), fetch, fed, ran, dev-cpu/dev-gpu, failed, stale."""
    out = {}
    if run_ops is not None:
        run = _ids(drawing, [op._name for op in run_ops])
        out["run"] = run
        runs = set(run)
        out["dim"] = [nid for nid in drawing.nodes if nid not in runs]
    out["fetch"] = _ids(drawing, [op._name for op in fetch_ops])
    out["fed"] = _ids(drawing, [op._name for op in fed_ops])
    out["ran"] = _ids(drawing, list(stats))
    for dev in ("cpu", "gpu"):
        names = [n for n, s in stats.items() if f"DEVICE:{dev.upper()}:" in s.device.upper()
                 or f"/{dev.upper()}:" in s.device.upper()]
        if names:
            out["dev-" + dev] = _ids(drawing, names)
    out["failed"] = _ids(drawing, list(failed))
    out["stale"] = _ids(drawing, list(stale))
    return {k: v for k, v in out.items() if v}


def _mix(a, b, f):
    ca = [int(a[i:i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * f):02x}" for x, y in zip(ca, cb))


def time_fills(drawing, stats):
    """{node id: colour}: executed nodes from pale yellow (fast) to red (the slowest)."""
    per = {}
    for name, s in stats.items():
        nid = drawing.node_of(name)
        if nid is not None:
            per[nid] = per.get(nid, 0.0) + s.micros
    if not per:
        return {}
    top = max(per.values()) or 1.0
    return {nid: _mix("#fff6cc", "#ef5350", math.sqrt(t / top)) for nid, t in per.items()}


RAN_FILL = "#ffe29a"

STATIC_CSS = """
g.fb-dim { opacity: 0.28; }
g.fb-run polygon, g.fb-run path, g.fb-run ellipse { stroke: #1e88e5; stroke-width: 2px; }
g.fb-fetch polygon, g.fb-fetch path, g.fb-fetch ellipse { stroke: #6a1b9a; stroke-width: 3px; }
g.fb-fed polygon, g.fb-fed path { stroke: #2e7d32; stroke-width: 3px; stroke-dasharray: 4 2; }
g.fb-failed polygon, g.fb-failed path, g.fb-failed ellipse { stroke: #d50000; stroke-width: 4px; }
g.fb-stale { opacity: 0.55; }
g.fb-stale polygon, g.fb-stale path { stroke: #ff8f00; stroke-width: 2px; stroke-dasharray: 2 2; }
g.fb-dev-gpu polygon, g.fb-dev-gpu path { stroke: #00897b; stroke-width: 2.5px; }
"""


def static_svg(svg, highlight):
    """``svg`` with the highlight sets baked into a <style> block.

    Executed nodes get one flat colour here, not the wall-time colours of the live view:
    the snapshot must not change from run to run (nbval compares it)."""
    rules = []
    for cls, ids in sorted(highlight.items()):
        rule = _static_rule(cls, ids)
        if rule:
            rules.append(rule)
    for nid in highlight.get("ran", ()):
        rules.append(f'g[id="{nid}"] polygon, g[id="{nid}"] path, '
                     f'g[id="{nid}"] ellipse {{ fill: {RAN_FILL}; }}')
    if not rules:
        return svg
    style = "<style>" + "\n".join(rules) + "</style>"
    i = svg.find("<svg")
    j = svg.find(">", i)
    if i < 0 or j < 0:
        return svg
    return svg[:j + 1] + "\n" + style + svg[j + 1:]


def _static_rule(cls, ids):
    # The snapshot has no classes to add: copy the class rule onto each node's id.
    block = [line for line in STATIC_CSS.strip().splitlines() if line.startswith(f"g.fb-{cls}")]
    out = []
    for line in block:
        sel, _, body = line.partition("{")
        parts = [p.strip() for p in sel.split(",")]
        new = []
        for nid in ids:
            for p in parts:
                new.append(p.replace(f"g.fb-{cls}", f'g[id="{nid}"]', 1))
        out.append(", ".join(new) + " {" + body)
    return "\n".join(out)
