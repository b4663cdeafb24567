"""Graph → DOT: a pure function from a graph (and the expand/collapse choices) to a drawing.

The result, a Drawing, holds the DOT source built with the graphviz package's builders and the
same content as plain data (nodes, edges, clusters) for tests and for the widget, which needs
to know which visible node stands for which op. Every node carries a stable id ("op|name",
"scope|path", "series|…", "more|…", also its SVG element id) and CSS classes ("op variable",
"scope collapsed gradients", …), so the front end highlights nodes without a new layout.
"""

import numpy as np

from .hierarchy import Scope, build_tree, node_id, op_kind, visible_nodes

__all__ = ["Drawing", "NodeInfo", "EdgeInfo", "graph_to_dot", "tensor_label"]

_STYLE = {
    "op": dict(shape="box", style="rounded,filled", fillcolor="#ffffff"),
    "variable": dict(shape="box", style="rounded,filled,bold", fillcolor="#fde2b8"),
    "placeholder": dict(shape="invhouse", style="filled", fillcolor="#d7ecff"),
    "const": dict(shape="box", style="rounded,filled", fillcolor="#f0f0f0", fontsize="8",
                  height="0.2", width="0.3", margin="0.03,0.01"),
    "assign": dict(shape="box", style="rounded,filled", fillcolor="#ffe4e1"),
    "aux": dict(shape="note", style="filled", fillcolor="#eeeeee", fontsize="8"),
    "scope": dict(shape="box3d", style="filled", fillcolor="#e8f1e4"),
    "series": dict(shape="box", style="rounded,filled", fillcolor="#ffffff", peripheries="2"),
    "more": dict(shape="plaintext", fontcolor="#666666"),
}
_SCOPE_FILL = {"variable": "#fde2b8", "gradients": "#f3e5f5", "aux": "#eeeeee",
               "scope": "#e8f1e4"}


class NodeInfo:
    """One visible node: id, label, kind, CSS classes, parent cluster path, ops it stands for."""

    __slots__ = ("id", "label", "kind", "classes", "cluster", "ops", "tooltip")

    def __init__(self, id, label, kind, classes, cluster, ops, tooltip):
        self.id = id
        self.label = label
        self.kind = kind
        self.classes = classes
        self.cluster = cluster
        self.ops = ops
        self.tooltip = tooltip

    def __repr__(self):
        return f"NodeInfo({self.id!r}, {self.classes!r})"


class EdgeInfo:
    """One drawn edge between visible nodes: data, control or ref, with its label."""

    __slots__ = ("src", "dst", "kind", "label", "count")

    def __init__(self, src, dst, kind, label, count=1):
        self.src = src
        self.dst = dst
        self.kind = kind
        self.label = label
        self.count = count

    def __repr__(self):
        return f"EdgeInfo({self.src!r} -> {self.dst!r}, {self.kind}, {self.label!r})"


class Drawing:
    """The outcome of graph_to_dot: DOT source plus the same content as data."""

    def __init__(self, source, nodes, edges, clusters, visible, op_count):
        self.source = source
        self.nodes = nodes            # id -> NodeInfo, in drawing order
        self.edges = edges            # list of EdgeInfo
        self.clusters = clusters      # scope path -> id of the expanded scopes (root excluded)
        self.visible = visible        # hierarchy.Visible
        self.op_count = op_count

    def node_of(self, op_name):
        """The id of the visible node that stands for ``op_name`` (None if not drawn)."""
        return self.visible.node_of.get(op_name)

    def text(self):
        """A readable text version of the drawing (the last link of the rendering chain)."""
        lines = [f"graph: {self.op_count} ops, {len(self.nodes)} nodes shown"]
        ins = {}
        for e in self.edges:
            ins.setdefault(e.dst, []).append(
                ("^" if e.kind == "control" else "") + e.src.split("|", 1)[1])
        for n in self.nodes.values():
            depth = n.cluster.count("/") + 1 if n.cluster else 0
            what = n.label.replace("\n", " ")
            src = ins.get(n.id)
            lines.append("  " * depth + f"{what}" + (f"  <- {', '.join(src)}" if src else ""))
        return "\n".join(lines)

    def __repr__(self):
        return f"Drawing({len(self.nodes)} nodes, {len(self.edges)} edges of {self.op_count} ops)"


def _shape_text(shape):
    dims = shape._dims if hasattr(shape, "_dims") else None
    if dims is None:
        return "[?*]" if shape is not None else ""
    return "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"


def tensor_label(t):
    """'float32 [?,2]': a tensor's dtype and static shape, as edges and cards show them."""
    return f"{t._dtype.name} {_shape_text(t._shape)}"


def _op_label(op, kind):
    leaf = op._name.rpartition("/")[2]
    if kind == "const":
        v = op._attrs.get("value") if op._attrs else None
        if isinstance(v, np.ndarray) and v.size == 1 and v.dtype.kind in "biuf":
            return f"{leaf}\n{v.reshape(()).item():.4g}"
        return leaf
    base = leaf.rstrip("0123456789").rstrip("_").replace("_", "").lower()
    if base == op._type.lower() or kind in ("placeholder",):
        return leaf
    return f"{leaf}\n{op._type}"


def _op_tooltip(op):
    outs = ", ".join(tensor_label(t) for t in op._outputs) or "no outputs"
    dev = f" on {op._device}" if op._device else ""
    return f"{op._name} ({op._type}{dev}) → {outs}"


def graph_to_dot(graph, *, expanded=(), collapsed=(), max_nodes=250, big_scope=40,
                 series_min=10, ops=None, rankdir="TB"):
    """The Drawing of ``graph`` (or of ``ops``) with the given expand/collapse overrides."""
    import graphviz

    ops = list(graph._ops) if ops is None else list(ops)
    root, _ = build_tree(ops)
    vis = visible_nodes(root, expanded, collapsed, max_nodes=max_nodes, big_scope=big_scope,
                        series_min=series_min)
    dot = graphviz.Digraph("flowbook", graph_attr=dict(
        rankdir=rankdir, fontname="Helvetica", fontsize="10", nodesep="0.25", ranksep="0.35",
        bgcolor="transparent", id="graph"),
        node_attr=dict(fontname="Helvetica", fontsize="10", height="0.3", margin="0.08,0.03"),
        edge_attr=dict(fontname="Helvetica", fontsize="8", fontcolor="#555555",
                       color="#777777", arrowsize="0.6"))
    nodes = {}
    clusters = {}
    kind_of = {}
    aux_nodes = []

    def add_node(builder, nid, label, kind, classes, cluster, group_ops, tooltip, style):
        nodes[nid] = NodeInfo(nid, label, kind, classes, cluster, group_ops, tooltip)
        builder.node(nid, label=label, id=nid, tooltip=tooltip, _attributes={
            "class": classes, **style})

    def emit(scope, builder):
        for it in vis.children[scope.path]:
            if isinstance(it, Scope):
                if it.path in vis.children:
                    clusters[it.path] = it.id
                    with builder.subgraph(name="cluster_" + it.path) as c:
                        c.attr(label=it.label, id=it.id, style="rounded,filled",
                               fillcolor=_SCOPE_FILL[it.kind], color="#bbbbbb",
                               tooltip=f"{it.path}/ ({it.count} ops): click to collapse",
                               _attributes={"class": f"scope expanded {it.kind}"})
                        emit(it, c)
                    continue
                kind = "aux" if it.kind == "aux" else "scope"
                style = dict(_STYLE["scope"], fillcolor=_SCOPE_FILL[it.kind])
                target = aux_nodes if kind == "aux" and scope is root else None
                args = (it.id, f"{it.label}\n{it.count} ops", kind,
                        f"scope collapsed {it.kind}", scope.path, list(it.walk_ops()),
                        f"{it.path}/ ({it.count} ops): click to expand", style)
                if target is not None:
                    target.append(args)
                else:
                    add_node(builder, *args)
                kind_of[it.id] = kind
            elif isinstance(it, tuple):
                tag, nid, label, members = it
                first = members[0]
                style = _STYLE[tag]
                tip = (f"{len(members)} {first._type} ops: {members[0]._name} … "
                       f"{members[-1]._name}: click to expand") if tag == "series" else \
                    f"{label}: click to show them all"
                add_node(builder, nid, label if tag == "more" else f"{label}\n{first._type}",
                         tag, tag, scope.path, members, tip, style)
                kind_of[nid] = tag
            else:
                kind = op_kind(it)
                nid = node_id(it._name)
                args = (nid, _op_label(it, kind), kind, f"op {kind}", scope.path, [it],
                        _op_tooltip(it), _STYLE[kind])
                if kind == "aux" and scope is root:
                    aux_nodes.append(args)
                else:
                    add_node(builder, *args)
                kind_of[nid] = kind

    emit(root, dot)
    if aux_nodes:
        with dot.subgraph(name="cluster_auxiliary") as c:
            c.attr(label="auxiliary", id="scope|(auxiliary)", style="dashed", color="#bbbbbb",
                   fontcolor="#888888", _attributes={"class": "scope auxiliary"})
            for args in aux_nodes:
                add_node(c, *args)
    edges = _edges(vis, kind_of)
    for e in edges:
        attrs = {"class": f"edge {e.kind}"}
        if e.kind == "control":
            attrs.update(style="dashed", arrowhead="odot")
        elif e.kind == "ref":
            attrs.update(color="#e8740c", fontcolor="#e8740c", penwidth="1.4")
        if e.count > 1:
            attrs["penwidth"] = "1.6"
        dot.edge(e.src, e.dst, label=e.label, _attributes=attrs)
    return Drawing(dot.source, nodes, edges, clusters, vis, len(ops))


def _edges(vis, kind_of):
    node_of = vis.node_of
    found = {}
    for nid, ops in vis.members.items():
        if kind_of.get(nid) == "aux":
            continue
        for op in ops:
            assign = op_kind(op) == "assign"
            for i, t in enumerate(op._inputs):
                src = node_of.get(t._op._name)
                if src is None or src == nid or kind_of.get(src) == "aux":
                    continue
                kind = "ref" if assign and i == 0 else "data"
                _add_edge(found, src, nid, kind, tensor_label(t))
            for c in op._control_inputs:
                src = node_of.get(c._name)
                if src is not None and src != nid and kind_of.get(src) != "aux":
                    _add_edge(found, src, nid, "control", "")
    return list(found.values())


def _add_edge(found, src, dst, kind, label):
    key = (src, dst, kind)
    e = found.get(key)
    if e is None:
        found[key] = EdgeInfo(src, dst, kind, label)
        return
    e.count += 1
    if kind == "control":
        return
    base = e.label.split(" × ", 1)[-1]
    e.label = f"{e.count} × {label}" if base == label and not e.label.endswith("tensors") \
        else f"{e.count} tensors"
