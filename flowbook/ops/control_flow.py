"""Control flow: tf.cond, tf.case, tf.switch_case; tf.while_loop is in
control_flow_while.py and the gradients in control_flow_grad.py.

The design is functional (TF2's cond_v2, with TF1's API and semantics): each branch is built
by calling its Python function inside its own FuncGraph (ops/func_graph.py), and the enclosing
graph gets one node, "cond" (an ``If`` op) or "switch_case" (a ``Case`` op), whose inputs are
the selector and every outer tensor a branch uses. At run time the op runs only the selected
branch's graph (side effects in the other branch do not happen); a graph view can expand the
node into its branch graphs (``op.get_attr("then_branch")``, ``branch_graphs(op)``).
"""

import numpy as np

from ..graph import dtypes as _dtypes
from ..graph.graph import get_default_graph, name_scope
from ..graph.operation import Operation, Tensor
from ..graph.shape import TensorShape
from . import _nest
from .array_ops import identity, stack
from .convert import convert_to_tensor
from .debug_ops import Assert
from .func_graph import FuncGraph, Function, SpecEquality
from .registry import register_op, apply_op, ALL_INPUTS

__all__ = ["cond", "case", "switch_case", "branch_graphs"]


class BranchSpec(SpecEquality):
    """What an If/Case op runs: one Function per branch (inputs aligned with the op's inputs
    after the selector, outputs aligned with the op's outputs). Gradients may append outputs
    (intermediate values the backward pass needs); ``version`` counts such changes."""

    def __init__(self, functions, names):
        self.functions = functions
        self.names = names

    def graphs(self):
        """The distinct body graphs, in order."""
        return list(dict.fromkeys(f.graph for f in self.functions))

    def __repr__(self):
        return f"<BranchSpec {', '.join(self.names)}>"


def _branch_infer(selector_kind):
    def infer(inputs, attrs):
        sel = inputs[0]
        d = sel._dtype.base_dtype
        if selector_kind == "bool" and d is not _dtypes.bool:
            raise TypeError(f"the condition of tf.cond must be a bool tensor, got {sel.name} "
                            f"of dtype {d.name}. Compare it first, e.g. tf.greater(x, 0).")
        if selector_kind == "int" and not d.is_integer:
            raise TypeError(f"'branch_index' must be an integer Tensor, got {d.name}")
        if sel._shape.ndims not in (None, 0):
            raise ValueError(f"the selector must be a scalar, got {sel.name} of shape "
                             f"{sel._shape} (shape must be rank 0 but is rank "
                             f"{sel._shape.ndims}).")
        return list(attrs["_out_specs"])
    return infer


register_op("If", inputs=("cond", "input*"), input_types=(None, None), ref_inputs=ALL_INPUTS,
            infer=_branch_infer("bool"), stateful=True,
            doc="outputs = then_branch(inputs) if cond else else_branch(inputs); only the "
                "chosen branch runs")
register_op("Case", inputs=("branch_index", "input*"), input_types=(None, None),
            ref_inputs=ALL_INPUTS, infer=_branch_infer("int"), stateful=True,
            doc="outputs = branches[branch_index](inputs) (the last branch when out of range);"
                " only the chosen branch runs")


def branch_graphs(op):
    """{name: FuncGraph} of the bodies an If, Case, While or WhileGrad op runs (for drawing
    its inside), e.g. {"cond/then_branch": ..., "cond/else_branch": ...}."""
    spec = op._attrs.get("_spec") if op._attrs else None
    if spec is None:
        return {}
    return {fg.name: fg for fg in spec.graphs()}


# --- building branches -----------------------------------------------------------------------
def _call_branch(fn, fn_label, outer, scope_name, graph_name, pred=None):
    """Builds ``fn()`` in a new FuncGraph; returns (graph, structure, flat output tensors)."""
    fg = FuncGraph(f"{scope_name}/{graph_name}", outer, scope=scope_name)
    with fg.as_default():
        result = fn()
        if result is None:
            raise ValueError(f"'{fn_label}' must have a return value.")
        flat = []
        for x in _nest.flatten(result):
            if x is None:
                raise ValueError(f"'{fn_label}' returned None inside {result!r}; every "
                                 "returned element must be a tensor, value or op.")
            if isinstance(x, Operation):
                # TF1: an op output becomes the (bool) predicate, produced after the op ran.
                if pred is None:
                    raise TypeError(f"'{fn_label}' returned an Operation; return tensors.")
                with fg.control_dependencies([x]):
                    t = identity(fg.capture(pred) if pred._op._graph is not fg else pred)
            else:
                t = convert_to_tensor(x)
                if t._op._graph is not fg:
                    t = fg.capture(t)
                if t._dtype.is_ref_dtype:
                    t = identity(t)
            flat.append(t)
    return fg, result, flat


def _merged_shape(shapes):
    first = shapes[0]
    if any(s.ndims is None or s.ndims != first.ndims for s in shapes):
        return TensorShape(None)
    dims = [d if all(s.as_list()[i] == d for s in shapes) else None
            for i, d in enumerate(first.as_list())]
    return TensorShape(dims)


def _check_outputs(structures, flats, labels):
    for s, f, lab in zip(structures[1:], flats[1:], labels[1:]):
        _nest.assert_same_structure(structures[0], s)
        got = [t.dtype.base_dtype.name for t in f]
        want = [t.dtype.base_dtype.name for t in flats[0]]
        if got != want:
            raise ValueError(
                f"Outputs of '{labels[0]}' and '{lab}' must have the same type(s). Received "
                f"{', '.join(want)} from '{labels[0]}' and {', '.join(got)} from '{lab}'.")


def _branched_op(op_type, selector, fns, labels, scope, names, strict, pred=None):
    """Builds the branches and the If/Case op in the current graph; returns its outputs."""
    outer = get_default_graph()
    built = [_call_branch(fn, lab, outer, scope[:-1], n, pred)
             for fn, lab, n in zip(fns, labels, names)]
    graphs = [b[0] for b in built]
    structures = [b[1] for b in built]
    flats = [b[2] for b in built]
    _check_outputs(structures, flats, labels)
    union = []
    for fg in graphs:
        for t, _ in fg.captures:
            if t not in union:
                union.append(t)
    functions = [Function(fg, [fg.arg_for(t) for t in union], flat)
                 for fg, flat in zip(graphs, flats)]
    specs = [(flats[0][i].dtype.base_dtype, _merged_shape([f[i].shape for f in flats]))
             for i in range(len(flats[0]))]
    spec = BranchSpec(functions, names)
    attrs = {"_spec": spec, "_out_specs": specs}
    attrs.update({n: fg.name for n, fg in zip(names, graphs)} if op_type == "If" else
                 {"branches": [fg.name for fg in graphs]})
    deps = []
    for fg in graphs:
        deps.extend(op for op in fg.outer_control_inputs if op not in deps)
    with outer.control_dependencies(deps):
        op = apply_op(op_type, (selector, union), attrs, name=scope)
    outs = list(op._outputs)
    result = _nest.pack_as(structures[0], outs)
    if not strict and isinstance(result, (list, tuple)) and len(result) == 1 and \
            not isinstance(structures[0], dict):
        return result[0]
    return result


# --- public API ------------------------------------------------------------------------------
def cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """``true_fn()`` if ``pred`` else ``false_fn()``: only the chosen branch runs.

    Both functions must return the same structure of tensors with the same dtypes; the
    result has that structure (a one-element list is unpacked unless ``strict=True``).
    """
    if fn1 is not None:
        if true_fn is not None:
            raise TypeError("cond(): 'true_fn' and 'fn1' may not be set simultaneously.")
        true_fn = fn1
    if fn2 is not None:
        if false_fn is not None:
            raise TypeError("cond(): 'false_fn' and 'fn2' may not be set simultaneously.")
        false_fn = fn2
    if not callable(true_fn):
        raise TypeError("'true_fn' must be callable.")
    if not callable(false_fn):
        raise TypeError("'false_fn' must be callable.")
    if isinstance(pred, bool):
        raise TypeError("'pred' must not be a Python bool.")
    with name_scope(name, "cond", [pred]) as scope:
        pred = convert_to_tensor(pred)
        if pred.dtype.base_dtype is not _dtypes.bool:
            raise TypeError(f"Input 'pred' of tf.cond has type {pred.dtype.base_dtype.name} "
                            "that does not match expected type of bool. Compare it first "
                            "(e.g. tf.greater(x, 0)) or cast it with tf.cast(x, tf.bool).")
        if pred.shape.ndims not in (None, 0):
            raise ValueError(f"Shape must be rank 0 but is rank {pred.shape.ndims}: the "
                             f"condition of tf.cond ({pred.name}) must be a scalar.")
        return _branched_op("If", pred, [true_fn, false_fn], ["true_fn", "false_fn"], scope,
                            ["then_branch", "else_branch"], strict, pred=pred)


def switch_case(branch_index, branch_fns, default=None, name="switch_case"):
    """Runs ``branch_fns[branch_index]()`` (``default``, else the last branch, when the index
    is out of range). ``branch_fns``: a list of callables, a list of (int, callable) pairs or
    a dict {int: callable} with keys 0..n-1."""
    if not isinstance(branch_index, Tensor):
        raise TypeError(f"'branch_index' must be a Tensor, got {type(branch_index)}")
    if not branch_index.dtype.is_integer:
        raise TypeError(f"'branch_index' must be an integer Tensor, got {branch_index.dtype}")
    if not branch_fns:
        raise ValueError("Must provide at least one item in 'branch_fns'")
    if not isinstance(branch_fns, (list, tuple, dict)):
        raise TypeError("'branch_fns' must be a list, tuple, or dict")
    pairs = list(branch_fns.items()) if isinstance(branch_fns, dict) else list(branch_fns)
    if all(callable(fn) for fn in pairs):
        pairs = list(enumerate(pairs))
    for pair in pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"Each entry in 'branch_fns' must be a 2-tuple. Received {pair}.")
        if not isinstance(pair[0], int):
            raise TypeError(f"key must be a Python `int`, got {type(pair[0])}")
        if not callable(pair[1]):
            raise TypeError(f"fn for key {pair[0]} must be callable.")
    keys = [p[0] for p in pairs]
    if min(keys) < 0 or max(keys) >= len(keys) or len(set(keys)) != len(keys):
        raise ValueError(f"branch indices (keys) must form contiguous range of [0 to "
                         f"{len(keys)}) but found {{{','.join(map(str, sorted(keys)))}}}")
    fns = [p[1] for p in sorted(pairs, key=lambda p: p[0])]
    if default is not None:
        fns.append(default)
    labels = [f"branch_fns[{i}]" for i in range(len(fns))]
    names = [f"branch_{i}" for i in range(len(fns))]
    with name_scope(name, "switch_case", [branch_index]) as scope:
        index = convert_to_tensor(branch_index)
        return _branched_op("Case", index, fns, labels, scope, names, strict=False)


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """The result of the first ``fn`` whose ``pred`` is true (``default`` if none is), built
    as TF1 does: nested tf.cond calls; ``exclusive=True`` asserts at most one pred is true,
    and with no ``default`` the last pair is the default and one pred must be true."""
    if not isinstance(pred_fn_pairs, (list, tuple, dict)):
        raise TypeError("'pred_fn_pairs' must be a list, tuple, or dict. "
                        f"Received: {type(pred_fn_pairs)}")
    if isinstance(pred_fn_pairs, dict):
        pred_fn_pairs = sorted(pred_fn_pairs.items(), key=lambda item: item[0].name)
    for pair in pred_fn_pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"Each entry in 'pred_fn_pairs' must be a 2-tuple. Received "
                            f"{pair}.")
        pred, fn = pair
        if isinstance(pred, Tensor):
            if pred.dtype != _dtypes.bool:
                raise TypeError(f"pred must be Tensor of type bool: {pred.name}")
        else:
            raise TypeError(f"pred must be a Tensor, got: {pred}")
        if not callable(fn):
            raise TypeError(f"fn for pred {pred.name} must be callable.")
    if default is not None and not callable(default):
        raise TypeError("default must be callable.")
    predicates = [p for p, _ in pred_fn_pairs]
    actions = [f for _, f in pred_fn_pairs]
    with name_scope(name, "case", predicates):
        if default is None:
            default, predicates, actions = _default_action(predicates, actions)
        fn = default
        for pred, action in reversed(list(zip(predicates, actions))):
            fn = _nested(pred, action, fn, strict)
        if exclusive:
            check = _assert_at_most_n_true(predicates, 1, "Input error: exclusive=True")
            with get_default_graph().control_dependencies([check]):
                return fn()
        return fn()


def _nested(pred, true_fn, false_fn, strict):
    return lambda: cond(pred, true_fn, false_fn, strict=strict)


def _assert_at_most_n_true(predicates, n, msg):
    from .math_ops import cast, less_equal, reduce_sum
    preds = stack(predicates, name="preds_c")
    count = reduce_sum(cast(preds, _dtypes.int32), name="num_true_conds")
    ok = less_equal(count, convert_to_tensor(np.int32(n), name="n_true_conds"))
    names = ", ".join(p.name for p in predicates)
    return Assert(ok, [f"{msg}: more than {n} conditions ({names}) evaluated as True:", preds],
                  summarize=len(predicates))


def _default_action(predicates, actions):
    k = len(predicates) - 1
    pred, action = predicates[k], actions[k]
    others, other_actions = predicates[:k], actions[:k]

    def default_action():
        deps = [Assert(pred, ["Input error: None of conditions evaluated as True:",
                              stack(list(predicates), name="preds_c")])]
        if others:
            deps.append(_assert_at_most_n_true(
                others, 0, f"Implementation error: selected default action #{k} was called, "
                "but some of other predicates are True: "))
        with get_default_graph().control_dependencies(deps):
            out = action()
            return _nest.pack_as(out, [identity(t) if isinstance(t, Tensor) else t
                                       for t in _nest.flatten(out)])

    return default_action, others, other_actions
