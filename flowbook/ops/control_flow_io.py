"""Control-flow ops in GraphDefs (Saver's meta graphs, tf.import_graph_def, write_graph).

An If, Case, While or WhileGrad op holds its bodies as FuncGraph objects in a spec. For a
GraphDef the spec becomes data: each body is a nested GraphDef (in TF's JSON layout) and each
Function lists the names of the body tensors it feeds and fetches. Importing rebuilds the
bodies as FuncGraphs of the importing graph (names get the import prefix) and the spec on
top of them, so an imported model runs and can be differentiated like the original.

Specs compare equal when their data do (two imports of one GraphDef have equal ops).
"""

from ..graph import dtypes as _dtypes
from ..graph.graph_def import ATTR_CODECS, GraphDef, graph_to_graph_def
from ..graph.shape import TensorShape
from . import importer
from .control_flow import BranchSpec
from .control_flow_grad import WhileGradSpec, variant
from .control_flow_while import WhileSpec
from .func_graph import FuncGraph, Function

__all__ = []


# --- encoding --------------------------------------------------------------------------------
def _dtype_name(d):
    return "variant" if d is variant else d.name


def _dtype_of(name):
    return variant if name == "variant" else _dtypes.as_dtype(name)


def _shape_data(s):
    return s.as_list() if s.ndims is not None else None


def _graph_data(fg):
    return {"name": fg.name, "scope": fg.scope,
            "graph": graph_to_graph_def(fg, add_shapes=True).to_dict()}


def _fn_data(fn, graph_index):
    return {"graph": graph_index,
            "inputs": [None if t is None else t.name for t in fn.inputs],
            "outputs": [None if t is None else t.name for t in fn.outputs]}


def spec_data(spec):
    """The spec of a control-flow op as data (dicts, lists, strings, numbers)."""
    graphs = spec.graphs()
    index = {g: i for i, g in enumerate(graphs)}
    d = {"graphs": [_graph_data(g) for g in graphs]}
    if isinstance(spec, BranchSpec):
        d.update(kind="branch", names=list(spec.names),
                 functions=[_fn_data(f, index[f.graph]) for f in spec.functions])
    elif isinstance(spec, WhileSpec):
        d.update(kind="while", cond=_fn_data(spec.cond, 0), body=_fn_data(spec.body, 1),
                 n_vars=spec.n_vars, n_caps=spec.n_caps, has_max=spec.has_max,
                 shapes=[_shape_data(s) for s in spec.shapes], back_prop=spec.back_prop,
                 parallel_iterations=spec.parallel_iterations, counted=spec.counted,
                 accumulate=[t.name for t in spec.accumulate])
    else:
        d.update(kind="while_grad", fn=_fn_data(spec.fn, 0), n_acc=spec.n_acc,
                 n_diff=spec.n_diff, n_caps=spec.n_caps, cap_grads=list(spec.cap_grads))
    return d


def _encode(op, attrs):
    out = {k: v for k, v in attrs.items() if k not in ("_spec", "_out_specs")}
    out["_spec"] = spec_data(attrs["_spec"])
    out["_out_specs"] = [[_dtype_name(d), _shape_data(s)] for d, s in attrs["_out_specs"]]
    return out


# --- decoding --------------------------------------------------------------------------------
def _rebuild_graph(data, outer, prefix):
    fg = FuncGraph(prefix + data["name"], outer, scope=prefix + data["scope"])
    gd = GraphDef.from_dict(data["graph"])
    shapes = {n: s for n, (_, s) in gd._extra.items() if s is not None}
    built = {}
    for node in importer._topological(gd.node):
        built[node.name] = importer._build(fg, node, prefix, built, {}, set(),
                                           shapes.get(node.name))
    return fg, built


def _tensor(built, name):
    if name is None:
        return None
    op, _, idx = name.rpartition(":")
    return built[op]._outputs[int(idx)]


def _fn(d, graphs):
    fg, built = graphs[d["graph"]]
    return Function(fg, [_tensor(built, n) for n in d["inputs"]],
                    [_tensor(built, n) for n in d["outputs"]])


def spec_from_data(d, outer, prefix):
    graphs = [_rebuild_graph(g, outer, prefix) for g in d["graphs"]]
    if d["kind"] == "branch":
        return BranchSpec([_fn(f, graphs) for f in d["functions"]], list(d["names"]))
    if d["kind"] == "while":
        spec = WhileSpec(_fn(d["cond"], graphs), _fn(d["body"], graphs), d["n_vars"],
                         d["n_caps"], d["has_max"], [TensorShape(s) for s in d["shapes"]],
                         d["back_prop"], d["parallel_iterations"])
        spec.counted = d["counted"]
        spec.accumulate = [_tensor(graphs[1][1], n) for n in d["accumulate"]]
        return spec
    return WhileGradSpec(_fn(d["fn"], graphs), d["n_acc"], d["n_diff"], d["n_caps"],
                         list(d["cap_grads"]))


def _decode(attrs, graph, prefix):
    out = dict(attrs)
    spec = spec_from_data(attrs["_spec"], graph, prefix)
    out["_spec"] = spec
    out["_out_specs"] = [(_dtype_of(d), TensorShape(s)) for d, s in attrs["_out_specs"]]
    for key in ("then_branch", "else_branch", "cond", "body"):
        if isinstance(out.get(key), str):
            out[key] = prefix + out[key]
    if isinstance(out.get("branches"), list):
        out["branches"] = [prefix + b for b in out["branches"]]
    return out


for _t in ("If", "Case", "While", "WhileGrad"):
    ATTR_CODECS[_t] = (_encode, _decode)
