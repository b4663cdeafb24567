"""Grouping and ordering: no_op, group, tuple, with_dependencies, control_dependencies."""

import builtins

from ..graph.graph import get_default_graph, graph_of, name_scope
from ..graph.operation import Operation, Tensor
from .registry import register_op, apply_op
from . import array_ops

__all__ = ["no_op", "group", "tuple", "with_dependencies", "control_dependencies"]

register_op("NoOp", inputs=(), infer=lambda inputs, attrs: [],
            not_differentiable="no outputs",
            doc="does nothing; its control inputs make it a synchronisation point")


def no_op(name=None):
    """An op that does nothing: run it to run its control inputs."""
    return apply_op("NoOp", (), None, name)


def control_dependencies(control_inputs):
    """Ops built inside the block run only after ``control_inputs`` (None clears)."""
    if control_inputs is None:
        return get_default_graph().control_dependencies(None)
    return graph_of(list(control_inputs)).control_dependencies(control_inputs)


def _flatten(xs, out):
    for x in xs:
        if isinstance(x, (list, builtins.tuple)):
            _flatten(x, out)
        elif isinstance(x, dict):
            _flatten(list(x.values()), out)
        elif x is not None:
            out.append(x)
    return out


def group(*inputs, **kwargs):
    """A NoOp that runs after all ``inputs`` (ops, tensors or variables): run them together."""
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"Unknown keyword arguments: {', '.join(kwargs)}")
    deps = _flatten(inputs, [])
    if not deps:
        return no_op(name=name)
    for d in deps:
        if not isinstance(d, (Operation, Tensor)) and not hasattr(d, "_as_graph_element"):
            raise TypeError(f"tf.group expects ops, tensors or variables, got {d!r}")
    with name_scope(name, "group_deps", deps) as scope:
        g = graph_of(deps)
        with g.control_dependencies(deps):
            return no_op(name=scope)


def with_dependencies(dependencies, output_tensor, name=None):
    """``output_tensor``'s value, produced only after ``dependencies`` have run."""
    with name_scope(name, "control_dependency", list(dependencies) + [output_tensor]) as scope:
        g = graph_of([output_tensor])
        with g.colocate_with(output_tensor):
            with g.control_dependencies(dependencies):
                return array_ops.identity(output_tensor, name=scope)


def tuple(tensors, name=None, control_inputs=None):  # noqa: A001 (TF's name)
    """Identities of ``tensors`` that are all available only once every one of them is."""
    with name_scope(name, "tuple", [t for t in tensors if t is not None]) as _:
        gating = [t if isinstance(t, Operation) else t.op for t in tensors if t is not None]
        if control_inputs:
            gating += [c if isinstance(c, Operation) else c.op for c in control_inputs]
        gate = group(*gating)
        return [None if t is None else (with_dependencies([gate], t) if not isinstance(
            t, Operation) else group(gate, t)) for t in tensors]
