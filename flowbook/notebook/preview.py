"""What Session.run will execute, before it runs; and what it did, after (from RunMetadata).

``will_run`` uses the engine's own fetch resolution and pruning (runtime/plan.py), so the
preview is exactly the set of ops a run executes: the ops the fetches need, where a fed tensor
cuts off its producer. ``describe_run`` prints them one per line in execution order, like a
jaxpr: outputs = OpType(inputs) with dtypes, static shapes and devices.
"""

from ..graph.operation import Operation, Tensor
from ..runtime.plan import prune, resolve_fetches
from .dot import _shape_text

__all__ = ["will_run", "describe_run", "run_stats", "feed_tensors", "fetch_elements",
           "OpStat"]


def fetch_elements(graph, fetches):
    """The unique graph elements (Tensors/Operations) of a fetch structure, in order."""
    elements, _ = resolve_fetches(graph, fetches)
    return elements


def feed_tensors(graph, feeds):
    """The tensors named by feed keys (tensors, names, or a feed_dict's keys)."""
    out = []
    for k in feeds or ():
        t = k if isinstance(k, Tensor) else graph.as_graph_element(
            k, allow_tensor=True, allow_operation=False)
        if t not in out:
            out.append(t)
    return out


def will_run(graph, fetches, feeds=()):
    """The ops Session.run(fetches, feed_dict with keys ``feeds``) executes, in order."""
    if not fetches:
        return []
    return prune(fetch_elements(graph, fetches), set(feed_tensors(graph, feeds)))


def _short_type(t):
    dims = _shape_text(t._shape)
    return f"{t._dtype.name}{dims}"


def _devices_for(ops, session):
    if session is None:
        return {op: op._device for op in ops}
    from ..runtime.placement import place
    try:
        placed = place(ops, session._config, session._devices)
    except Exception:  # noqa: BLE001 (an impossible device: the run will say so)
        return {op: op._device for op in ops}
    return {op: p.assigned for op, p in placed.items()}


def describe_run(graph_or_session, fetches, feed_dict=None):
    """A text listing of what ``sess.run(fetches, feed_dict)`` will execute (one op a line).

    Works on a Graph (devices as requested) or a Session (devices as it would place them)."""
    session = graph_or_session if hasattr(graph_or_session, "_graph") else None
    graph = session._graph if session is not None else graph_or_session
    elements = fetch_elements(graph, fetches) if fetches else []
    fed = feed_tensors(graph, feed_dict)
    ops = prune(elements, set(fed)) if elements else []
    devices = _devices_for(ops, session)
    names = ", ".join(e.name for e in elements) or "nothing"
    head = f"# sess.run({names})"
    if fed:
        head += f" feeding {', '.join(t.name for t in fed)}"
    lines = [head + f": {len(ops)} op{'s' if len(ops) != 1 else ''} in execution order"]
    rows = [(t.name, "fed", _short_type(t), "") for t in fed]
    fed_set = set(fed)
    for op in ops:
        outs = ", ".join(t.name for t in op._outputs) or op._name
        args = [("<fed> " if t in fed_set else "") + t.name for t in op._inputs]
        args += ["^" + c._name for c in op._control_inputs]
        types = ", ".join(_short_type(t) for t in op._outputs) or "-"
        dev = devices.get(op) or ""
        rows.append((outs, f"= {op._type}({', '.join(args)})", types, _short_device(dev)))
    if rows:
        w0 = max(len(r[0]) for r in rows)
        w1 = min(max(len(r[1]) for r in rows), 60)
        w2 = max(len(r[2]) for r in rows)
        for r in rows:
            lines.append(f"  {r[0]:<{w0}}  {r[1]:<{w1}}  {r[2]:<{w2}}  {r[3]}".rstrip())
    if elements:
        lines.append("  -> " + ", ".join(e.name for e in elements))
    return "\n".join(lines)


def _short_device(dev):
    """'/job:localhost/replica:0/task:0/device:CPU:0' -> 'CPU:0'."""
    if not dev:
        return ""
    return dev.rsplit("device:", 1)[-1] if "device:" in dev else dev


class OpStat:
    """What one op did in a traced run: wall time (µs), device, output shapes."""

    __slots__ = ("name", "op_type", "micros", "device", "shapes")

    def __init__(self, name, op_type, micros, device, shapes):
        self.name = name
        self.op_type = op_type
        self.micros = micros
        self.device = device
        self.shapes = shapes

    def __repr__(self):
        return f"OpStat({self.name}, {self.micros} µs on {_short_device(self.device)})"


def run_stats(run_metadata):
    """{op name: OpStat} from a RunMetadata filled with RunOptions(trace_level=FULL_TRACE)."""
    out = {}
    for dev in run_metadata.step_stats.dev_stats:
        for ns in dev.node_stats:
            shapes = [tuple(o.tensor_description.shape) for o in ns.output]
            micros = ns.op_end_rel_nanos / 1000.0 if ns.op_end_rel_nanos else \
                float(ns.all_end_rel_micros)
            out[ns.node_name] = OpStat(ns.node_name, ns.op_type, micros, dev.device, shapes)
    return out


def element_name(el):
    """A fetch's display name: 'add:0' for a tensor, 'init' for an op."""
    return el.name if isinstance(el, (Tensor, Operation)) else str(el)
