"""Reverse-mode autodiff on the graph: ``gradients(ys, xs)`` adds the backward pass as ops.

The algorithm is TF1's: mark the ops between xs and ys, count for each op how many of its
consumers still owe it a gradient, start from the ys with grad_ys (ones by default), and walk
backwards in that dependency order. Each op's gradient rule (on its OpDef) builds the ops for
the gradients of its inputs, under the scope "gradients/<op>_grad". Where a tensor fans out,
the contributions are summed with AddN. Nothing here computes numbers: it only builds graph.
"""

import collections

from ..graph.graph import graph_of
from ..graph.operation import Tensor
from ..ops import array_ops, math_ops
from ..ops.convert import convert_to_tensor
from ..ops.registry import get_gradient_function

__all__ = ["gradients", "UnconnectedGradients", "AggregationMethod", "hessians"]


class UnconnectedGradients:
    NONE = "none"
    ZERO = "zero"


class AggregationMethod:
    ADD_N = 0
    DEFAULT = ADD_N
    EXPERIMENTAL_TREE = 1
    EXPERIMENTAL_ACCUMULATE_N = 2


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


def _aggregate(grads, op):
    out = []
    for gl in grads.get(op, [[] for _ in op._outputs]):
        gl = [g for g in gl if g is not None]
        if not gl:
            out.append(None)
        elif len(gl) == 1:
            out.append(gl[0])
        else:
            out.append(math_ops.add_n(gl))
    return out


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False,
              gate_gradients=False, aggregation_method=None, stop_gradients=None,
              unconnected_gradients=UnconnectedGradients.NONE):
    """Symbolic derivatives of ``sum(ys)`` with respect to each of ``xs``.

    Returns a list with one tensor per x (None where x does not affect ys, or zeros with
    ``unconnected_gradients="zero"``). ``grad_ys`` weights each y (default: ones);
    ``stop_gradients`` are treated as constants.
    """
    ys = [convert_to_tensor(y) for y in _as_list(ys)]
    xs = [convert_to_tensor(x, as_ref=True) for x in _as_list(xs)]
    stop = [convert_to_tensor(s) for s in _as_list(stop_gradients)]
    grad_ys = _as_list(grad_ys) or [None] * len(ys)
    if len(grad_ys) != len(ys):
        raise ValueError(f"Passed {len(grad_ys)} grad_ys for {len(ys)} ys")
    if unconnected_gradients not in (UnconnectedGradients.NONE, UnconnectedGradients.ZERO):
        raise ValueError(f"Unknown value for unconnected_gradients: {unconnected_gradients!r}")
    for x in xs:
        if not isinstance(x, Tensor):
            raise TypeError(f"xs must be tensors or variables, got {x!r}")
    g = graph_of(ys + xs + stop + [gy for gy in grad_ys if isinstance(gy, Tensor)])
    with g.as_default(), g.name_scope(name or "gradients"):
        for i, (y, gy) in enumerate(zip(ys, grad_ys)):
            if gy is None:
                if y.dtype.is_complex:
                    raise TypeError(f"Gradients of complex tensors must set grad_ys "
                                    f"(y.dtype = {y.dtype.name})")
                grad_ys[i] = array_ops.fill(array_ops.shape(y), array_ops.constant(
                    1, dtype=y.dtype.base_dtype, name=f"grad_ys_{i}"))
            else:
                gy = convert_to_tensor(gy, dtype=y.dtype.base_dtype, name=f"grad_ys_{i}")
                if not gy.shape.is_compatible_with(y.shape):
                    raise ValueError(f"grad_ys[{i}] has shape {gy.shape} but ys[{i}] "
                                     f"({y.name}) has shape {y.shape}.")
                grad_ys[i] = gy
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
            out_grads = _aggregate(grads, op)
            has = any(gr is not None for gr in out_grads)
            fn = get_gradient_function(op) if has and op not in stop_ops else None
            if fn is not None:
                for i, og in enumerate(out_grads):
                    if og is None and _is_trainable(op._outputs[i]):
                        out_grads[i] = array_ops.zeros_like(op._outputs[i])
                with g.name_scope(op._name + "_grad"):
                    in_grads = _as_list(fn(op, *out_grads))
                if len(in_grads) != len(op._inputs):
                    raise ValueError(
                        f"The gradient rule of {op._type} returned {len(in_grads)} gradients "
                        f"for node '{op._name}', which has {len(op._inputs)} inputs.")
            else:
                in_grads = [None] * len(op._inputs)
            for t_in, ig in zip(op._inputs, in_grads):
                if ig is None:
                    continue
                if not isinstance(ig, Tensor):
                    ig = convert_to_tensor(ig)
                if not ig.shape.is_compatible_with(t_in.shape):
                    raise ValueError(
                        "Incompatible shapes between op input and calculated input gradient. "
                        f"Forward operation: {op._name}. Input index: "
                        f"{op._inputs.index(t_in)}. Original input shape: {t_in.shape}. "
                        f"Calculated input gradient shape: {ig.shape}")
                ig._shape = ig._shape.merge_with(t_in._shape)
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
            vals = [v for v in gl[x._value_index] if v is not None] if gl else []
            if not vals:
                result.append(array_ops.zeros_like(x) if unconnected_gradients ==
                              UnconnectedGradients.ZERO else None)
            elif len(vals) == 1:
                result.append(vals[0])
            else:
                result.append(math_ops.add_n(vals))
        return result


def hessians(ys, xs, name="hessians", colocate_gradients_with_ops=False, gate_gradients=False,
             aggregation_method=None):
    """Hessian of sum(ys) w.r.t. each x (x must have a fully known shape)."""
    xs = _as_list(xs)
    out = []
    with graph_of(_as_list(ys) + xs).name_scope(name):
        for x in xs:
            x = convert_to_tensor(x, as_ref=True)
            n = x.shape.num_elements()
            if n is None:
                raise ValueError(f"hessians needs {x.name} to have a fully known shape, "
                                 f"got {x.shape}")
            grad, = gradients(ys, x)
            flat = array_ops.reshape(grad, [-1])
            rows = [array_ops.reshape(gradients(flat[i], x, unconnected_gradients="zero")[0],
                                      [-1]) for i in range(n)]
            h = array_ops.stack(rows)
            out.append(array_ops.reshape(h, x.shape.as_list() * 2))
    return out

