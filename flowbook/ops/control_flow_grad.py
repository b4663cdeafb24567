"""Gradients through tf.cond / tf.switch_case (If, Case) and tf.while_loop (While).

For a branched op, each branch graph gets the gradient ops of its outputs with respect to its
inputs (tf.gradients inside the branch graph, with the incoming gradients as new arguments).
The values those gradient ops need from the forward pass (intermediates) become extra outputs
of the forward op, so the backward pass reuses them instead of recomputing them (a dropout
mask drawn in the forward pass is the one the gradient sees). The gradient is another If/Case
op on the same selector that runs the chosen branch's gradient.

For a loop, the body graph gets its gradient ops the same way; the forward While op then also
outputs its iteration count and, for each intermediate, the list of its values at every
iteration. A WhileGrad op runs the body's gradient backwards over the iterations, passing the
loop variables' gradients from one iteration to the previous one and summing the gradients
of the captured values (e.g. weights used in every iteration).
"""

from ..graph import dtypes as _dtypes
from ..graph.operation import Tensor
from ..graph.shape import TensorShape
from .array_ops import zeros_like
from .control_flow import BranchSpec
from .func_graph import Function, SpecEquality
from .registry import register_gradient, register_op, apply_op

__all__ = []

# The dtype of values only the backward pass reads (lists of per-iteration values, outputs
# of the other branch): never differentiated, never fetched by users.
variant = _dtypes._pair("variant", object, 21)


def _trainable(t):
    d = t.dtype
    return not d.is_ref_dtype and (d.is_floating or d.is_complex)


def _body_gradients(fn, ys, gys, wrt, fill_zeros=False):
    """tf.gradients of ``ys`` (weighted by ``gys``) w.r.t. ``wrt`` inside fn's graph, holding
    every fed input of ``fn`` fixed; returns (grads, intermediates): the forward tensors the
    new gradient ops read that fn does not already feed. ``fill_zeros``: zeros instead of
    None for unconnected ``wrt``."""
    from ..autodiff.gradients import gradients   # autodiff builds on ops; imported when used
    fg = fn.graph
    n_before = len(fg._ops)
    fed = [x for x in fn.inputs if x is not None]
    with fg.as_default():
        grads = gradients(ys, wrt, grad_ys=gys,
                          stop_gradients=[x for x in fed if x._op._type != "Placeholder"]) \
            if ys else [None] * len(wrt)
        if fill_zeros:
            grads = [g if g is not None else zeros_like(x) for g, x in zip(grads, wrt)]
        new_ops = fg._ops[n_before:]
    fed_set = set(fed) | set(gys)
    seen = set()
    inter = []
    for o in new_ops:
        for t in o._inputs:
            p = t._op
            if p._id < n_before and p._type != "Const" and t not in fed_set and t not in seen:
                seen.add(t)
                inter.append(t)
    return grads, inter


def _add_outputs(op, tensors_by_fn, functions):
    """Appends one op output per new intermediate; returns {(fn index, tensor): output}."""
    where = {}
    new = []
    for b, tensors in enumerate(tensors_by_fn):
        fn = functions[b]
        for t in tensors:
            if t in fn.outputs:
                where[(b, t)] = fn.outputs.index(t)
            else:
                where[(b, t)] = len(op._outputs) + len(new)
                new.append((b, t))
    if new:
        for b, fn in enumerate(functions):
            fn.add_outputs([t if nb == b else None for nb, t in new])
        _append_outputs(op, [(variant, TensorShape(None))] * len(new))
    return where


def _append_outputs(op, specs):
    """Adds outputs to a built control-flow op (its plans recompile: the graph's epoch)."""
    start = len(op._outputs)
    op._outputs = op._outputs + tuple(Tensor(op, start + k, d, s)
                                      for k, (d, s) in enumerate(specs))
    op._attrs = {**op._attrs, "_out_specs": list(op._attrs["_out_specs"]) + list(specs)}
    op._graph._epoch += 1


@register_gradient("If")
@register_gradient("Case")
def _branch_grad(op, *out_grads):
    spec = op._attrs["_spec"]
    fns = spec.functions
    n_in = len(op._inputs) - 1
    idx = [i for i, g in enumerate(out_grads) if g is not None]
    results = []
    for fn in fns:
        fg = fn.graph
        with fg.as_default():
            gargs = [fg.add_arg(out_grads[i].dtype.base_dtype, out_grads[i].shape, "grad")
                     for i in idx]
        pairs = [(fn.outputs[i], ga) for i, ga in zip(idx, gargs)
                 if fn.outputs[i] is not None and _trainable(fn.outputs[i])]
        wrt = [j for j in range(n_in) if fn.inputs[j] is not None and _trainable(fn.inputs[j])]
        grads, inter = _body_gradients(fn, [p[0] for p in pairs], [p[1] for p in pairs],
                                       [fn.inputs[j] for j in wrt])
        results.append((gargs, dict(zip(wrt, grads)), inter))
    diff = [j for j in range(n_in) if any(r[1].get(j) is not None for r in results)]
    # A branch without a gradient for input j contributes zeros shaped like that input.
    for fn, (gargs, grads, inter) in zip(fns, results):
        for j in diff:
            if grads.get(j) is None and op._inputs[1 + j].dtype is variant:
                grads[j] = None     # another branch's intermediate: this branch has no value
            elif grads.get(j) is None:
                fg = fn.graph
                with fg.as_default():
                    if fn.inputs[j] is None:
                        fn.inputs[j] = fg.add_arg(op._inputs[1 + j].dtype, op._inputs[1 + j].shape,
                                                  "unused")
                        fn.version += 1
                    grads[j] = zeros_like(fn.inputs[j])
    where = _add_outputs(op, [r[2] for r in results], fns)
    positions = sorted(set(where.values()))
    grad_fns = []
    for b, (fn, (gargs, grads, inter)) in enumerate(zip(fns, results)):
        mine = {where[(b, t)]: t for t in inter}
        inputs = fn.inputs + gargs + [mine.get(k) for k in positions]
        grad_fns.append(Function(fn.graph, inputs, [grads[j] for j in diff]))
    inputs = list(op._inputs[1:]) + [out_grads[i] for i in idx] + [op._outputs[k]
                                                                    for k in positions]
    attrs = {k: v for k, v in op._attrs.items() if k[0] != "_"}
    attrs["_spec"] = BranchSpec(grad_fns, [n + "_grad" for n in spec.names])
    dtypes = {j: next(r[1][j].dtype.base_dtype for r in results if r[1].get(j) is not None)
              for j in diff}
    attrs["_out_specs"] = [(dtypes[j], op._inputs[1 + j].shape) for j in diff]
    grad_op = apply_op(op._type, (op._inputs[0], inputs), attrs)
    out = [None] * (n_in + 1)
    for k, j in enumerate(diff):
        out[1 + j] = grad_op._outputs[k]
    return out


# --- while loops -----------------------------------------------------------------------------
class WhileGradSpec(SpecEquality):
    """What a WhileGrad op runs: the body's gradient Function and how values line up."""

    def __init__(self, fn, n_acc, n_diff, n_caps, cap_grads):
        self.fn = fn
        self.n_acc = n_acc
        self.n_diff = n_diff
        self.n_caps = n_caps
        self.cap_grads = cap_grads      # positions (among the captures) that get a gradient

    def graphs(self):
        return [self.fn.graph]


register_op("WhileGrad", inputs=("count", "input*"), input_types=(None, None),
            infer=lambda inputs, attrs: list(attrs["_out_specs"]),
            not_differentiable="second derivatives through tf.while_loop are not supported",
            doc="runs a loop body's gradient backwards over the forward loop's iterations")


@register_gradient("While")
def _while_grad(op, *out_grads):
    spec = op._attrs["_spec"]
    n_in = len(op._inputs)
    if not spec.back_prop:
        return [None] * n_in
    nv, nc = spec.n_vars, spec.n_caps
    body = spec.body
    fg = body.graph
    diff = [j for j in range(nv) if _trainable(op._outputs[j])]
    caps = [c for c in range(nc) if body.inputs[nv + c] is not None and
            _trainable(body.inputs[nv + c])]
    if not diff:
        return [None] * n_in
    with fg.as_default():
        gargs = [fg.add_arg(op._outputs[j].dtype.base_dtype, spec.shapes[j], "grad")
                 for j in diff]
    wrt = [body.inputs[j] for j in diff] + [body.inputs[nv + c] for c in caps]
    ys = [body.outputs[j] for j in diff]
    # The captures are fed once; everything else the gradient ops read from the forward body
    # (loop values included) is recorded at every iteration.
    grads, consumed = _body_gradients(Function(fg, body.inputs[nv:nv + nc], []), ys, gargs,
                                      wrt, fill_zeros=True)
    acc_out = _accumulate(op, spec, consumed)
    fn = Function(fg, gargs + consumed + body.inputs[nv:nv + nc], grads)
    gspec = WhileGradSpec(fn, len(consumed), len(diff), nc, caps)
    specs = [(op._outputs[j].dtype.base_dtype, spec.shapes[j]) for j in diff]
    specs += [(op._inputs[nv + c].dtype.base_dtype, op._inputs[nv + c].shape) for c in caps]
    grad_ins = [out_grads[j] if out_grads[j] is not None else zeros_like(op._outputs[j])
                for j in diff]
    inputs = acc_out + grad_ins + list(op._inputs[nv:nv + nc])
    grad_op = apply_op("WhileGrad", (op._outputs[nv], inputs),
                       {"_spec": gspec, "_out_specs": specs})
    out = [None] * n_in
    for k, j in enumerate(diff):
        out[j] = grad_op._outputs[k]
    for k, c in enumerate(caps):
        out[nv + c] = grad_op._outputs[len(diff) + k]
    return out


def _accumulate(op, spec, tensors):
    """Makes the forward While output every iteration's value of ``tensors``; returns those
    outputs (the iteration count is output ``n_vars``)."""
    nv = spec.n_vars
    if not spec.counted:
        spec.counted = True
        _append_outputs(op, [(_dtypes.int32, TensorShape([]))])
    new = [t for t in tensors if t not in spec.accumulate]
    if new:
        spec.accumulate.extend(new)
        spec.body.add_outputs(new)
        _append_outputs(op, [(variant, TensorShape(None))] * len(new))
    return [op._outputs[nv + 1 + spec.accumulate.index(t)] for t in tensors]
