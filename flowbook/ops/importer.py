"""tf.import_graph_def: rebuilds the nodes of a GraphDef as ops of the default graph.

Every node is rebuilt through its registered OpDef (shapes and dtypes inferred again, refined
by "_output_shapes" when present), under a name scope ("import/" by default), with inputs
remapped through ``input_map``. Nodes may come in any order: they are built in a stable
topological order (GraphDef order among ready nodes).
"""

import contextlib
import heapq

from ..graph.graph import get_default_graph, name_scope
from ..graph.graph_def import GraphDef, ATTR_CODECS
from ..graph.operation import Operation, Tensor
from .convert import convert_to_tensor
from .registry import get_opdef, _infer

__all__ = ["import_graph_def"]


def _as_graph_def(graph_def):
    if isinstance(graph_def, GraphDef):
        return graph_def
    if isinstance(graph_def, dict):
        return GraphDef.from_dict(graph_def)
    if hasattr(graph_def, "SerializeToString") and hasattr(graph_def, "node"):
        return GraphDef.from_proto(graph_def)       # a protobuf GraphDef
    if isinstance(graph_def, (bytes, str)):
        gd = GraphDef()
        gd.ParseFromString(graph_def)
        return gd
    raise TypeError(f"graph_def must be a GraphDef, got {type(graph_def).__name__}.")


def _split_input(name):
    """"^a" → ("a", -1); "a:1" → ("a", 1); "a" → ("a", 0)."""
    if name.startswith("^"):
        return name[1:], -1
    op, sep, idx = name.rpartition(":")
    if sep and idx.isdigit():
        return op, int(idx)
    return name, 0


def _topological(nodes):
    by_name = {n.name: i for i, n in enumerate(nodes)}
    deps = []
    users = [[] for _ in nodes]
    for i, n in enumerate(nodes):
        ds = set()
        for inp in n.input:
            src = by_name.get(_split_input(inp)[0])
            if src is not None and src != i:
                ds.add(src)
        for s in ds:
            users[s].append(i)
        deps.append(len(ds))
    ready = [i for i, d in enumerate(deps) if d == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        i = heapq.heappop(ready)
        order.append(i)
        for u in users[i]:
            deps[u] -= 1
            if deps[u] == 0:
                heapq.heappush(ready, u)
    if len(order) != len(nodes):
        stuck = [nodes[i].name for i, d in enumerate(deps) if d > 0][:5]
        raise ValueError(f"GraphDef has a cycle (or an input that never resolves) among "
                         f"nodes {stuck}; flowbook graphs are acyclic.")
    return [nodes[i] for i in order]


def _mark_names_used(g, full):
    parts = full.split("/")
    used = g._names_in_use
    used.setdefault(full.lower(), 1)
    for k in range(1, len(parts)):
        key = "/".join(parts[:k]).lower()
        used.setdefault(key, 1)


def import_graph_def(graph_def, input_map=None, return_elements=None, name=None,
                     op_dict=None, producer_op_list=None):
    """Imports ``graph_def`` into the default graph; returns the ops/tensors named in
    ``return_elements`` ("op" or "op:0", names as in ``graph_def``), or None."""
    gd = _as_graph_def(graph_def)
    g = get_default_graph()
    input_map = dict(input_map or {})
    mapped = {}
    for k, v in input_map.items():
        if not isinstance(k, str):
            raise TypeError(f"input_map keys must be tensor names (strings), got {k!r}")
        op, idx = _split_input(k)
        if idx < 0:
            if not isinstance(v, Operation):
                raise TypeError(f"input_map[{k!r}] must be an Operation (a control input).")
            mapped[(op, -1)] = v
        else:
            mapped[(op, idx)] = v if isinstance(v, Tensor) else convert_to_tensor(v)
    used_keys = set()
    with name_scope(name, "import", [v for v in mapped.values() if isinstance(v, Tensor)]) \
            as scope:
        prefix = scope
        built = {}
        nodes = _topological(gd.node)
        shapes = {n: s for n, (_, s) in gd._extra.items() if s is not None}
        with g.name_scope(None):
            for node in nodes:
                built[node.name] = _build(g, node, prefix, built, mapped, used_keys,
                                          shapes.get(node.name))
    unused = sorted(f"{op}:{i}" if i >= 0 else f"^{op}" for op, i in mapped
                    if (op, i) not in used_keys)
    if unused:
        raise ValueError(f"Attempted to map inputs that were not found in graph_def: "
                         f"[{', '.join(unused)}]")
    if return_elements is None:
        return None
    out = []
    for r in return_elements:
        op_name, idx = _split_input(r)
        op = built.get(op_name)
        if op is None:
            raise ValueError(f"Requested return_element {r!r} not found in graph_def.")
        if ":" in r:
            if not 0 <= idx < len(op._outputs):
                raise ValueError(f"Requested return_element {r!r} not found in graph_def: "
                                 f"{op_name} has {len(op._outputs)} outputs.")
            out.append(op._outputs[idx])
        else:
            out.append(op)
    return out


def _build(g, node, prefix, built, mapped, used_keys, out_shapes):
    try:
        opdef = get_opdef(node.op)
    except KeyError:
        raise ValueError(f"Cannot import node '{node.name}': op type '{node.op}' is not "
                         "registered in flowbook (the GraphDef was made by a program with "
                         "ops flowbook does not have).") from None
    inputs, controls = [], []
    for inp in node.input:
        op_name, idx = _split_input(inp)
        key = (op_name, idx)
        if key in mapped:
            used_keys.add(key)
            (controls if idx < 0 else inputs).append(mapped[key])
            continue
        src = built.get(op_name)
        if src is None:
            raise ValueError(f"Node '{node.name}' has an input '{inp}' that is not in the "
                             "GraphDef (and not in input_map).")
        if idx < 0:
            controls.append(src)
        elif idx >= len(src._outputs):
            raise ValueError(f"Node '{node.name}' reads output {idx} of '{op_name}', which has "
                             f"only {len(src._outputs)} outputs.")
        else:
            inputs.append(src._outputs[idx])
    attrs = dict(node.attr)
    colocation = attrs.pop("_class", None)
    codec = ATTR_CODECS.get(node.op)
    if codec is not None:               # e.g. control-flow bodies, rebuilt as graphs
        attrs = codec[1](attrs, g, prefix)
    full = prefix + node.name
    with g._lock:
        if full in g._by_name:
            raise ValueError(f"Cannot import node '{full}': the graph already has an op with "
                             "that name (import with name= a new prefix).")
        _mark_names_used(g, full)
    inputs = tuple(inputs)
    specs = _infer(opdef, inputs, attrs, full)
    dev_cm = g.device(node.device) if node.device else contextlib.nullcontext()
    with dev_cm, g.control_dependencies(None):
        op = g._add_op(node.op, opdef, full, inputs, attrs, specs)
    if controls:
        op._add_control_inputs([c._op if isinstance(c, Tensor) else c for c in controls])
    if colocation:
        names = [c.decode() if isinstance(c, bytes) else c for c in colocation]
        op._colocation = [prefix + n[5:] if n.startswith("loc:@") else n for n in names]
        first = g._by_name.get(op._colocation[0])
        if first is not None and not node.device:
            op._device = first._device
    if out_shapes:
        for t, s in zip(op._outputs, out_shapes):
            try:
                t._shape = t._shape.merge_with(s)
            except ValueError:
                pass        # the inferred shape wins over a stale recorded one
    return op
