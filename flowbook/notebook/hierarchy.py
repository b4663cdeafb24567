"""Which nodes a drawing shows: name scopes as a tree, collapsed or expanded under a budget.

Op names are paths ("layer1/MatMul"); every prefix is a name scope. As in TensorBoard, an op
whose name is also a scope ("w" beside "w/Assign", "w/read") is drawn inside that scope, so a
variable collapses into one node. A scope is drawn either expanded (a cluster holding its
children) or collapsed (one node). Defaults: gradients/ scopes, variable scopes and scopes of
more than ``big_scope`` ops start collapsed; then scopes are expanded breadth-first, in
creation order, while the number of visible nodes stays within ``max_nodes``. Within a scope,
runs of ops of one type and one base name (add, add_1, ..., add_9) become one "series" node,
and a scope with more direct children than the budget shows the first ones and a "more" node.
The user's clicks override the defaults through the ``expanded`` / ``collapsed`` id sets.

Everything here is plain data: no graphviz, no widgets (tests read it directly).
"""

import re

__all__ = ["Scope", "Visible", "build_tree", "visible_nodes", "node_id", "scope_id",
           "AUX_TYPES", "op_kind"]

_NUMBERED = re.compile(r"^(.*?)(?:_(\d+))?$")
_GRADIENTS = re.compile(r"^gradients(_\d+)?$")

# Op types drawn aside, like TensorBoard's auxiliary nodes: bookkeeping, not the model.
AUX_TYPES = frozenset({
    "SaveV2", "RestoreV2", "MergeV2Checkpoints", "ShardedFilename", "StringJoin",
    "ScalarSummary", "HistogramSummary", "ImageSummary", "AudioSummary", "TensorSummary",
    "TensorSummaryV2", "MergeSummary", "WriteScalarSummary", "ReportUninitializedVariables",
    "IsVariableInitialized"})
_AUX_SCOPES = ("save", "init", "summaries", "report_uninitialized_variables")
_VARIABLE_TYPES = frozenset({"VariableV2", "Variable", "VarHandleOp"})
_ASSIGN_TYPES = frozenset({"Assign", "AssignAdd", "AssignSub", "ScatterUpdate", "ScatterAdd",
                           "ScatterSub", "ApplyGradientDescent", "ApplyMomentum", "ApplyAdam",
                           "ApplyAdagrad", "ApplyRMSProp", "CountUpTo"})


def node_id(op_name):
    """The stable drawing id of an op (also its DOT node name and SVG element id)."""
    return "op|" + op_name


def scope_id(path):
    return "scope|" + path


def op_kind(op):
    """A coarse kind for styling: variable, placeholder, const, assign, aux or op."""
    t = op._type
    if t in _VARIABLE_TYPES:
        return "variable"
    if t in ("Placeholder", "PlaceholderWithDefault"):
        return "placeholder"
    if t == "Const":
        return "const"
    if t in AUX_TYPES or _is_aux_name(op._name, t):
        return "aux"
    if t in _ASSIGN_TYPES:
        return "assign"
    return "op"


def _is_aux_name(name, op_type):
    top = name.split("/", 1)[0]
    base = _NUMBERED.match(top).group(1)
    if base in _AUX_SCOPES and ("/" in name or op_type == "NoOp"):
        return True
    return False


class Scope:
    """A name scope: its path, children (ops and scopes, in creation order), kind, op count."""

    __slots__ = ("path", "parent", "items", "subscopes", "count", "kind", "first")

    def __init__(self, path, parent):
        self.path = path
        self.parent = parent
        self.items = []          # Operation or Scope, in order of first appearance
        self.subscopes = {}      # leaf name -> Scope
        self.count = 0           # ops under this scope, recursively
        self.kind = "scope"      # scope, variable, gradients, aux
        self.first = None        # first op (creation order) under this scope

    @property
    def id(self):
        return scope_id(self.path)

    @property
    def label(self):
        return self.path.rsplit("/", 1)[-1]

    def walk_ops(self):
        """Every op under this scope, depth-first in item order."""
        for it in self.items:
            if isinstance(it, Scope):
                yield from it.walk_ops()
            else:
                yield it

    def __repr__(self):
        return f"Scope({self.path!r}, {self.count} ops, {self.kind})"


def build_tree(ops):
    """The scope tree of ``ops`` (creation-ordered); returns (root, scope_of_op dict)."""
    prefixes = set()
    for op in ops:
        name = op._name
        i = name.rfind("/")
        while i > 0:
            p = name[:i]
            if p in prefixes:
                break
            prefixes.add(p)
            i = name.rfind("/", 0, i)
    # "add/y" (a Python operand made constant) does not make op "add" a scope.
    real = set()
    for op in ops:
        parent = op._name.rpartition("/")[0]
        if parent and (op._type != "Const" or parent in real):
            real.add(parent)
    operand_only = {op._name for op in ops if op._name in prefixes and op._name not in real}
    root = Scope("", None)
    scopes = {"": root}
    owner = {}
    for op in ops:
        name = op._name
        if name in prefixes and name not in operand_only:
            path = name
        else:
            path = name.rpartition("/")[0]
            if path in operand_only:
                path = path.rpartition("/")[0]
        sc = scopes.get(path)
        if sc is None:
            sc = _make_scope(path, scopes)
        sc.items.append(op)
        owner[op] = sc
        s = sc
        while s is not None:
            s.count += 1
            if s.first is None:
                s.first = op
            s = s.parent
        if path == name and op._type in _VARIABLE_TYPES:
            sc.kind = "variable"
    for path, sc in scopes.items():
        if sc.kind == "scope" and path:
            top = path.split("/", 1)[0]
            if _GRADIENTS.match(top) and "/" not in path:
                sc.kind = "gradients"
            elif "/" not in path and _NUMBERED.match(top).group(1) in _AUX_SCOPES:
                sc.kind = "aux"
    return root, owner


def _make_scope(path, scopes):
    parent_path = path.rpartition("/")[0]
    parent = scopes.get(parent_path)
    if parent is None:
        parent = _make_scope(parent_path, scopes)
    sc = Scope(path, parent)
    scopes[path] = sc
    parent.items.append(sc)
    parent.subscopes[path.rpartition("/")[2]] = sc
    return sc


class Visible:
    """What a drawing shows: visible items per expanded scope, and op -> visible node id."""

    def __init__(self):
        self.expanded = []       # Scope objects drawn as clusters (root first)
        self.children = {}       # scope path -> list of items: Operation | Scope | ("series"|"more", ...)
        self.node_of = {}        # op name -> visible node id
        self.members = {}        # visible node id -> the ops it stands for (one for an op)
        self.count = 0

    def __repr__(self):
        return f"Visible({self.count} nodes, {len(self.expanded)} clusters)"


def _series_key(op):
    base = _NUMBERED.match(op._name.rpartition("/")[2]).group(1)
    return base, op._type


def _group_children(scope, expanded_ids, series_min, max_nodes):
    """Items of an expanded scope, with long numbered runs of ops grouped into series."""
    runs = {}
    for it in scope.items:
        if not isinstance(it, Scope):
            runs.setdefault(_series_key(it), []).append(it)
    out = []
    emitted = set()
    for it in scope.items:
        if isinstance(it, Scope):
            out.append(it)
            continue
        key = _series_key(it)
        members = runs[key]
        sid = f"series|{scope.path}|{key[0]}|{key[1]}"
        if len(members) >= series_min and sid not in expanded_ids:
            if key not in emitted:
                emitted.add(key)
                out.append(("series", sid, f"{key[0]} ×{len(members)}", members))
        else:
            out.append(it)
    mid = f"more|{scope.path}"
    if len(out) > max_nodes and mid not in expanded_ids:
        rest = out[max_nodes - 1:]
        ops = []
        for it in rest:
            if isinstance(it, Scope):
                ops.extend(it.walk_ops())
            elif isinstance(it, tuple):
                ops.extend(it[3])
            else:
                ops.append(it)
        out = out[:max_nodes - 1] + [("more", mid, f"… {len(ops)} more ops", ops)]
    return out


def default_collapsed(scope, big_scope):
    """Whether a scope starts collapsed (before the user clicks)."""
    return scope.kind in ("gradients", "variable", "aux") or scope.count > big_scope


def visible_nodes(root, expanded=(), collapsed=(), max_nodes=250, big_scope=40, series_min=10):
    """Chooses the visible nodes (see module docstring); returns a Visible."""
    expanded = set(expanded)
    collapsed = set(collapsed)
    vis = Visible()
    queue = [root]
    count = 1            # the root counts as the one node it replaces
    while queue:
        nxt = []
        for sc in queue:
            items = _group_children(sc, expanded, series_min, max_nodes)
            if sc is not root:
                sid = sc.id
                if sid in collapsed:
                    continue
                if sid not in expanded and (default_collapsed(sc, big_scope)
                                            or count - 1 + len(items) > max_nodes):
                    continue
            count += len(items) - 1
            vis.expanded.append(sc)
            vis.children[sc.path] = items
            nxt.extend(it for it in items if isinstance(it, Scope))
        queue = nxt
    vis.count = count
    # op -> visible node: itself, or its nearest collapsed scope, series or "more" node.
    open_paths = set(vis.children)
    for sc in vis.expanded:
        for it in vis.children[sc.path]:
            if isinstance(it, Scope):
                if it.path not in open_paths:
                    ops = list(it.walk_ops())
                    vis.members[it.id] = ops
                    for op in ops:
                        vis.node_of[op._name] = it.id
            elif isinstance(it, tuple):
                vis.members[it[1]] = it[3]
                for op in it[3]:
                    vis.node_of[op._name] = it[1]
            else:
                vis.node_of[it._name] = nid = node_id(it._name)
                vis.members[nid] = [it]
    return vis
