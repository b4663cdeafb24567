"""tf.while_loop: one "while" node (a ``While`` op) whose cond and body are FuncGraphs.

The op's inputs are the flattened loop variables, then every outer tensor the cond or the body
uses, then (when given) maximum_iterations. At run time it evaluates cond, and while it is
true runs body on the loop values (checking them against their shape invariants); its outputs
are the final loop values. See control_flow_grad.py for how gradients flow back through it.
"""

from ..graph import dtypes as _dtypes
from ..graph.graph import get_default_graph, name_scope
from ..graph.operation import Tensor
from ..graph.shape import TensorShape
from . import _nest
from .array_ops import identity
from .convert import convert_to_tensor
from .func_graph import FuncGraph, Function, SpecEquality
from .registry import register_op, apply_op, ALL_INPUTS

__all__ = ["while_loop", "WhileSpec"]


class WhileSpec(SpecEquality):
    """What a While op runs. ``accumulate`` lists body tensors whose value at every iteration
    the op also outputs (after the iteration count), for the backward pass; it grows when
    gradients are taken (see control_flow_grad.py)."""

    def __init__(self, cond, body, n_vars, n_caps, has_max, shapes, back_prop,
                 parallel_iterations):
        self.cond = cond
        self.body = body
        self.n_vars = n_vars
        self.n_caps = n_caps
        self.has_max = has_max
        self.shapes = shapes
        self.back_prop = back_prop
        self.parallel_iterations = parallel_iterations
        self.counted = False     # outputs the iteration count (after the loop values)
        self.accumulate = []

    def graphs(self):
        return [self.cond.graph, self.body.graph]

    def __repr__(self):
        return f"<WhileSpec {self.n_vars} loop vars, {self.n_caps} captures>"


register_op("While", inputs=("input*",), input_types=(None,), ref_inputs=ALL_INPUTS,
            infer=lambda inputs, attrs: list(attrs["_out_specs"]), stateful=True,
            doc="while cond(vars): vars = body(vars); outputs = vars (inputs: loop vars, "
                "captured values, maximum_iterations)")


def _as_shape(s):
    return s if isinstance(s, TensorShape) else TensorShape(s)


def _invariants(flat, shape_invariants, loop_vars):
    """One TensorShape per flattened loop variable (default: its initial shape)."""
    if shape_invariants is None:
        return [t.shape for t in flat]
    if isinstance(shape_invariants, TensorShape) and not _nest.is_nested(loop_vars):
        given = [shape_invariants]
    else:
        given = _flatten_shapes(shape_invariants)
    if len(given) != len(flat):
        raise ValueError(f"shape_invariants must have the structure of loop_vars: "
                         f"{len(flat)} loop variables but {len(given)} shape invariants.")
    shapes = []
    for t, s in zip(flat, given):
        s = t.shape if s is None else TensorShape(s)
        if not s.is_compatible_with(t.shape) or (s.ndims is not None and t.shape.ndims is None):
            raise ValueError(
                f"The shape invariant specified for {t.name} is not compatible with the "
                f"initial shape of the loop variable. It enters the loop with shape "
                f"{t.shape}, but the specified shape invariant is {s}.")
        shapes.append(s)
    return shapes


def _flatten_shapes(x):
    """Leaves of a shape_invariants structure (TensorShape or None leaves)."""
    if isinstance(x, TensorShape) or x is None:
        return [x]
    if isinstance(x, dict):
        return [s for k in sorted(x) for s in _flatten_shapes(x[k])]
    if isinstance(x, (list, tuple)):
        return [s for item in x for s in _flatten_shapes(item)]
    raise TypeError(f"shape_invariants must hold tf.TensorShape objects, got {x!r}")


def _body_graph(name, outer, flat, shapes, kind):
    fg = FuncGraph(f"{name}/{kind}", outer, scope=name)
    args = [fg.add_arg(t.dtype.base_dtype, s, "loop_var") for t, s in zip(flat, shapes)]
    return fg, args


def _output_tensor(fg, x):
    t = convert_to_tensor(x)
    if t._op._graph is not fg:
        t = fg.capture(t)
    if t._dtype.is_ref_dtype:
        t = identity(t)
    return t


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, name=None, maximum_iterations=None,
               return_same_structure=False):
    """Repeats ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)`` is true.

    ``loop_vars`` is a list/tuple (each element a tensor or a nested structure) or a single
    tensor; body returns the same structure, with the same dtypes and shapes compatible with
    ``shape_invariants`` (default: the initial shapes). Returns the final loop values.
    """
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    if not isinstance(parallel_iterations, int) or parallel_iterations < 1:
        raise TypeError("'parallel_iterations' must be a positive integer.")
    if loop_vars is None or (_nest.is_nested(loop_vars) and not _nest.flatten(loop_vars)):
        raise ValueError("'loop_vars' must be provided.")
    single = not _nest.is_nested(loop_vars)
    packed = [loop_vars] if single else list(loop_vars)
    with name_scope(name, "while", [v for v in _nest.flatten(packed) if isinstance(v, Tensor)
                                    ]) as scope:
        flat = [convert_to_tensor(v) for v in _nest.flatten(packed)]
        flat = [identity(t) if t.dtype.is_ref_dtype else t for t in flat]
        shapes = _invariants(flat, shape_invariants, loop_vars)
        max_t = None
        if maximum_iterations is not None:
            max_t = convert_to_tensor(maximum_iterations, name="maximum_iterations")
            if not max_t.dtype.base_dtype.is_integer or max_t.dtype.base_dtype.is_unsigned:
                raise ValueError(f"maximum_iterations must be an integer tensor, got "
                                 f"{max_t.dtype.name}.")
            if max_t.shape.ndims not in (None, 0):
                raise ValueError(f"maximum_iterations must be a scalar, got shape "
                                 f"{max_t.shape}.")
        outer = get_default_graph()
        base = scope[:-1]
        cond_g, cond_args = _body_graph(base, outer, flat, shapes, "cond")
        with cond_g.as_default():
            c = _output_tensor(cond_g, cond(*_repack(packed, cond_args)))
        if c.dtype.base_dtype is not _dtypes.bool:
            raise TypeError(f"The loop condition must return a bool tensor, got "
                            f"{c.dtype.base_dtype.name} ({c.name}): compare, e.g. i < n.")
        if c.shape.ndims not in (None, 0):
            raise ValueError(f"The loop condition must return a scalar, got shape {c.shape}.")
        body_g, body_args = _body_graph(base, outer, flat, shapes, "body")
        with body_g.as_default():
            result = body(*_repack(packed, body_args))
            if not _nest.is_nested(result):
                result = [result]
            _nest.assert_same_structure(list(packed), list(result))
            outs = [_output_tensor(body_g, x) for x in _nest.flatten(list(result))]
        for t, o, s in zip(flat, outs, shapes):
            if o.dtype.base_dtype is not t.dtype.base_dtype:
                raise TypeError(
                    f"Input tensor '{t.name}' enters the loop with type {t.dtype.name}, but "
                    f"has type {o.dtype.base_dtype.name} after one iteration. The body must "
                    "return every loop variable with its dtype (use tf.cast).")
            if not s.is_compatible_with(o.shape) or (s.ndims is not None and
                                                     o.shape.ndims is None):
                raise ValueError(
                    f"Input tensor '{t.name}' enters the loop with shape {s}, but has shape "
                    f"{o.shape} after one iteration. To allow the shape to vary across "
                    "iterations, use the `shape_invariants` argument of tf.while_loop to "
                    "specify a less-specific shape.")
        union = []
        for fg in (cond_g, body_g):
            for t, _ in fg.captures:
                if t not in union:
                    union.append(t)
        nv = len(flat)
        cond_fn = Function(cond_g, cond_args + [cond_g.arg_for(t) for t in union],
                           [c])
        body_fn = Function(body_g, body_args + [body_g.arg_for(t) for t in union],
                           outs)
        spec = WhileSpec(cond_fn, body_fn, nv, len(union), max_t is not None, shapes,
                         bool(back_prop), parallel_iterations)
        attrs = {"cond": cond_g.name, "body": body_g.name, "_spec": spec,
                 "_out_specs": [(t.dtype.base_dtype, s) for t, s in zip(flat, shapes)],
                 "parallel_iterations": parallel_iterations}
        deps = list(cond_g.outer_control_inputs)
        deps += [op for op in body_g.outer_control_inputs if op not in deps]
        inputs = flat + union + ([max_t] if max_t is not None else [])
        with outer.control_dependencies(deps):
            op = apply_op("While", (inputs,), attrs, name=scope)
        outputs = list(op._outputs[:nv])
        if single:
            return outputs[0]
        if not return_same_structure and len(outputs) == 1:
            return outputs[0]
        return _nest.pack_as(loop_vars, outputs)


def _repack(packed, args):
    return _nest.pack_as(packed, args)
