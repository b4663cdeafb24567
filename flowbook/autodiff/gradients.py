"""Reverse-mode autodiff on the graph: ``gradients(ys, xs)`` adds the backward pass as ops.

The algorithm is TF1's: mark the ops between xs and ys, count for each op how many of its
consumers still owe it a gradient, start from the ys with grad_ys (ones by default), and walk
backwards in that dependency order. Each op's gradient rule (on its OpDef) builds the ops for
the gradients of its inputs, under the scope "gradients/<op>_grad". Where a tensor fans out,
the contributions are summed with AddN. Nothing here computes numbers: it only builds graph.
"""

import collections
import contextlib

from ..graph.graph import graph_of
from ..graph.operation import Tensor
from ..ops import array_ops, control_ops, math_ops
from ..ops.convert import convert_to_tensor
from ..ops.registry import get_gradient_function

__all__ = ["gradients", "UnconnectedGradients", "AggregationMethod", "hessians"]


class UnconnectedGradients:
    NONE = "none"
    ZERO = "zero"


class AggregationMethod:
    """How contributions to a fanned-out tensor's gradient are summed (values are equal)."""

    ADD_N = 0
    DEFAULT = ADD_N
    EXPERIMENTAL_TREE = 1
    EXPERIMENTAL_ACCUMULATE_N = 2


_AGGREGATIONS = (AggregationMethod.ADD_N, AggregationMethod.EXPERIMENTAL_TREE,
                 AggregationMethod.EXPERIMENTAL_ACCUMULATE_N)


def _as_list(x):
    if x is None:
        return []
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _is_trainable(t):
    d = t.dtype.base_dtype
    return d.is_floating or d.is_complex


def _reached_forward(from_ops):
    """Ops reachable from ``from_ops`` along data edges (consumers)."""
    reached = set()
    queue = collections.deque(from_ops)
    while queue:
        op = queue.popleft()
        if op in reached:
            continue
        reached.add(op)
        for t in op._outputs:
            if t._consumers:
                queue.extend(t._consumers)
    return reached


def _pending_count(to_ops, from_ops):
    """(ops between from_ops and to_ops, {op: number of its consumers among them})."""
    reached = _reached_forward(from_ops)
    between = set()
    between_list = []
    queue = collections.deque(to_ops)
    while queue:
        op = queue.popleft()
        if op in reached:
            between.add(op)
            between_list.append(op)
            reached.discard(op)
            queue.extend(t._op for t in op._inputs)
    pending = collections.defaultdict(int)
    for op in between_list:
        for t in op._inputs:
            if t._op in between:
                pending[t._op] += 1
    return between, pending


def _set_grad(grads, t, g):
    grads.setdefault(t._op, [[] for _ in t._op._outputs])[t._value_index].append(g)


def _sum(gl, method, op_name):
    """One tensor from the contributions ``gl`` (None when there are none)."""
    gl = [g for g in gl if g is not None]
    if not gl:
        return None
    if len(gl) == 1:
        return gl[0]
    if method == AggregationMethod.ADD_N:
        return math_ops.add_n(gl)
    # TF1's EXPERIMENTAL_TREE / ACCUMULATE_N: pairwise sums (same value, earlier release).
    with gl[0].graph.name_scope(op_name + "_gradient_sum"):
        total = gl[0]
        for g in gl[1:]:
            total = math_ops.add_n([total, g])
        return total


def _default_grad_ys(g, ys, grad_ys, colocate):
    out = []
    for i, (y, gy) in enumerate(zip(ys, grad_ys)):
        with (g.colocate_with(y._op) if colocate else contextlib.nullcontext()):
            if gy is None:
                if y.dtype.is_complex:
                    raise TypeError(f"Gradients of complex tensors must set grad_ys "
                                    f"(y.dtype = {y.dtype.name})")
                shape = array_ops.shape(y)
                with g.name_scope(f"grad_ys_{i}") as scope:
                    one = array_ops.constant(1, dtype=y.dtype.base_dtype, name="Const")
                    out.append(array_ops.fill(shape, one, name=scope))
            else:
                gy = convert_to_tensor(gy, dtype=y.dtype.base_dtype, name=f"grad_ys_{i}")
                if not gy.shape.is_compatible_with(y.shape):
                    raise ValueError(f"grad_ys[{i}] has shape {gy.shape} but ys[{i}] "
                                     f"({y.name}) has shape {y.shape}.")
                out.append(gy)
    return out


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False,
              gate_gradients=False, aggregation_method=None, stop_gradients=None,
              unconnected_gradients=UnconnectedGradients.NONE):
    """Symbolic derivatives of ``sum(ys)`` with respect to each of ``xs``.

    Returns a list with one tensor per x (None where x does not affect ys, or zeros with
    ``unconnected_gradients="zero"``). ``grad_ys`` weights each y (default: ones);
    ``stop_gradients`` are treated as constants. ``gate_gradients=True`` makes every op's
    input gradients available together (a tuple, as TF1 does); ``aggregation_method`` picks
    how fan-out contributions are summed; ``colocate_gradients_with_ops`` places each
    gradient op with its forward op.
    """
    ys = [convert_to_tensor(y) for y in _as_list(ys)]
    xs = [convert_to_tensor(x, as_ref=True) for x in _as_list(xs)]
    stop = [convert_to_tensor(s) for s in _as_list(stop_gradients)]
    grad_ys = _as_list(grad_ys) or [None] * len(ys)
    if len(grad_ys) != len(ys):
        raise ValueError(f"Passed {len(grad_ys)} grad_ys for {len(ys)} ys")
    if unconnected_gradients not in (UnconnectedGradients.NONE, UnconnectedGradients.ZERO):
        raise ValueError(f"Unknown value for unconnected_gradients: {unconnected_gradients!r}")
    method = AggregationMethod.ADD_N if aggregation_method is None else aggregation_method
    if method not in _AGGREGATIONS:
        raise ValueError(f"Invalid aggregation_method specified {aggregation_method}.")
    for x in xs:
        if not isinstance(x, Tensor):
            raise TypeError(f"xs must be tensors or variables, got {x!r}")
    g = graph_of(ys + xs + stop + [gy for gy in grad_ys if isinstance(gy, Tensor)])
    with g.as_default(), g.name_scope(name or "gradients"):
        grad_ys = _default_grad_ys(g, ys, grad_ys, colocate_gradients_with_ops)
        to_ops = [y._op for y in ys]
        from_ops = [x._op for x in xs]
        between, pending = _pending_count(to_ops, from_ops)
        grads = {}
        for y, gy in zip(ys, grad_ys):
            _set_grad(grads, y, gy)
        stop_ops = {op for op in from_ops if all(pending[t._op] == 0 for t in op._inputs)}
        stop_ops.update(s._op for s in stop)
        queue = collections.deque()
        seen = set()
        for op in to_ops:
            if pending[op] == 0 and op not in seen and op in between:
                seen.add(op)
                queue.append(op)
        while queue:
            op = queue.popleft()
            with (g.colocate_with(op, ignore_existing=True) if colocate_gradients_with_ops
                  else contextlib.nullcontext()):
                in_grads = _backprop_op(g, op, grads, stop_ops, method, gate_gradients,
                                        between)
            for t_in, ig in zip(op._inputs, in_grads):
                if ig is not None:
                    _set_grad(grads, t_in, ig)
            for t_in in op._inputs:
                src = t_in._op
                if src in between:
                    pending[src] -= 1
                    if pending[src] == 0 and src not in seen:
                        seen.add(src)
                        queue.append(src)
        result = []
        for x in xs:
            gl = grads.get(x._op)
            with (g.colocate_with(x._op, ignore_existing=True) if colocate_gradients_with_ops
                  else contextlib.nullcontext()):
                total = _sum(gl[x._value_index], method, x._op._name) if gl else None
            if total is None and unconnected_gradients == UnconnectedGradients.ZERO:
                total = array_ops.zeros_like(x)
            result.append(total)
        return result


def _backprop_op(g, op, grads, stop_ops, method, gate, between):
    """Sums ``op``'s output gradients and runs its rule: one gradient (or None) per input.

    Gradients for inputs that lead to none of the xs (a fed batch, a constant) are dropped:
    nothing reads them, so the run prunes their ops (TF1 still computes them when gating).
    """
    gl = grads.get(op)
    out_grads = [_sum(c, method, op._name) for c in gl] if gl else [None] * len(op._outputs)
    has = any(gr is not None for gr in out_grads)
    fn = get_gradient_function(op) if has and op not in stop_ops else None
    if fn is None:
        return [None] * len(op._inputs)
    for i, og in enumerate(out_grads):
        if og is None and _is_trainable(op._outputs[i]):
            out_grads[i] = array_ops.zeros_like(op._outputs[i])
    with g.name_scope(op._name + "_grad"):
        in_grads = _as_list(fn(op, *out_grads))
        if len(in_grads) != len(op._inputs):
            raise ValueError(
                f"The gradient rule of {op._type} returned {len(in_grads)} gradients for node "
                f"'{op._name}', which has {len(op._inputs)} inputs.")
        in_grads = [None if ig is None else ig if isinstance(ig, Tensor) else
                    convert_to_tensor(ig) for ig in in_grads]
        needed = [t._op in between for t in op._inputs]
        if gate and sum(ig is not None for ig in in_grads) > 1:
            with g.device(None), g.colocate_with(None, ignore_existing=True):
                in_grads = _gate(g, in_grads, needed)
        in_grads = [ig if need else None for ig, need in zip(in_grads, needed)]
    for i, (t_in, ig) in enumerate(zip(op._inputs, in_grads)):
        if ig is None:
            continue
        if not ig.shape.is_compatible_with(t_in.shape):
            raise ValueError(
                "Incompatible shapes between op input and calculated input gradient. "
                f"Forward operation: {op._name}. Input index: {i}. Original input shape: "
                f"{t_in.shape}. Calculated input gradient shape: {ig.shape}")
        ig._shape = ig._shape.merge_with(t_in._shape)
    return in_grads


def _gate(g, in_grads, needed):
    """TF1's gate (control_flow_ops.tuple): the needed input gradients pass through
    identities "tuple/control_dependency[_k]" that all wait for "tuple/group_deps", so each
    is available only when all are. Names count every gradient the rule made, as TF1's do;
    gradients nobody needs are not gated, so they are not computed."""
    present = [k for k, ig in enumerate(in_grads) if ig is not None]
    out = list(in_grads)
    with g.name_scope("tuple"):
        gate = control_ops.group(*[in_grads[k].op for k in present if needed[k]])
        for j, k in enumerate(present):
            if not needed[k]:
                continue
            t = in_grads[k]
            with g.colocate_with(t.op), g.control_dependencies([gate]):
                out[k] = array_ops.identity(
                    t, name="control_dependency" if j == 0 else f"control_dependency_{j}")
    return out


def hessians(ys, xs, name="hessians", colocate_gradients_with_ops=False, gate_gradients=False,
             aggregation_method=None):
    """Hessian of sum(ys) w.r.t. each x (x must have a fully known shape)."""
    xs = _as_list(xs)
    out = []
    kw = dict(colocate_gradients_with_ops=colocate_gradients_with_ops,
              gate_gradients=gate_gradients, aggregation_method=aggregation_method)
    with graph_of(_as_list(ys) + xs).name_scope(name):
        for x in xs:
            x = convert_to_tensor(x, as_ref=True)
            n = x.shape.num_elements()
            if n is None:
                raise ValueError(f"hessians needs {x.name} to have a fully known shape, "
                                 f"got {x.shape}")
            grad, = gradients(ys, x, **kw)
            flat = array_ops.reshape(grad, [-1])
            rows = [array_ops.reshape(gradients(flat[i], x, unconnected_gradients="zero",
                                                **kw)[0], [-1]) for i in range(n)]
            h = array_ops.stack(rows)
            out.append(array_ops.reshape(h, x.shape.as_list() * 2))
    return out
