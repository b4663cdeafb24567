"""Operation (a node) and Tensor (an edge: output ``value_index`` of an operation).

The pair mirrors PyTensor's Apply/Variable split: a Tensor knows its producing op and its
position; an Operation knows its inputs, outputs, control inputs, requested device and
attributes. Both are immutable once built, except for the few TF1 mutators (set_shape,
_add_control_input) which bump the graph's ``_epoch`` so cached run plans are recompiled.
"""

from . import shape as _shape

__all__ = ["Operation", "Tensor", "NodeDef"]

def get_default_session():
    """The innermost session entered with ``as_default()`` (or ``with sess:``), or None."""
    from . import graph as _graph  # local: graph imports this module
    stack = _graph._thread_state().session_stack
    return stack[-1] if stack else None


class Tensor:
    """A symbolic handle to one output of an Operation; its value exists only inside Session.run."""

    __slots__ = ("_op", "_value_index", "_dtype", "_shape", "_consumers", "__weakref__")
    __array_priority__ = 100
    OVERLOADABLE_OPERATORS = {
        "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__div__",
        "__rdiv__", "__truediv__", "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__",
        "__rmod__", "__lt__", "__le__", "__gt__", "__ge__", "__and__", "__rand__", "__or__",
        "__ror__", "__xor__", "__rxor__", "__getitem__", "__pow__", "__rpow__", "__invert__",
        "__neg__", "__abs__", "__matmul__", "__rmatmul__"}

    def __init__(self, op, value_index, dtype, shape):
        self._op = op
        self._value_index = value_index
        self._dtype = dtype
        self._shape = shape
        self._consumers = None      # list of consumer ops, created on first use

    @property
    def op(self):
        return self._op

    @property
    def value_index(self):
        return self._value_index

    @property
    def dtype(self):
        return self._dtype

    @property
    def graph(self):
        return self._op._graph

    @property
    def name(self):
        return f"{self._op._name}:{self._value_index}"

    @property
    def device(self):
        return self._op._device

    @property
    def shape(self):
        return self._shape

    def get_shape(self):
        return self._shape

    def set_shape(self, shape):
        """Refines the static shape; raises ValueError if it is incompatible with what is known."""
        try:
            new = self._shape.merge_with(shape)
        except ValueError:
            raise ValueError(
                f"Cannot set the shape of {self.name} (op {self._op._type}) to "
                f"{_shape.as_shape(shape)}: its known shape {self._shape} is incompatible."
            ) from None
        if new != self._shape:
            self._shape = new
            self._op._graph._epoch += 1

    def consumers(self):
        """Operations that take this tensor as a data input, in creation order."""
        return list(self._consumers or ())

    def eval(self, feed_dict=None, session=None):
        """Runs the default (or given) session to compute this tensor's value."""
        if session is None:
            session = get_default_session()
            if session is None:
                raise ValueError(
                    "Cannot evaluate tensor using `eval()`: No default session is registered. "
                    "Use `with sess.as_default()` or pass an explicit session to "
                    "`eval(session=sess)`")
        if session.graph is not self._op._graph:
            raise ValueError(
                "Cannot use the given session to evaluate tensor: the tensor's graph is "
                "different from the session's graph.")
        return session.run(self, feed_dict)

    def ref(self):
        return self

    experimental_ref = ref

    def __repr__(self):
        return f"<tf.Tensor '{self.name}' shape={self._shape} dtype={self._dtype.name}>"

    def __str__(self):
        return f'Tensor("{self.name}", shape={self._shape}, dtype={self._dtype.name})'

    def __bool__(self):
        raise TypeError(
            f"Using a `tf.Tensor` ({self.name}) as a Python `bool` is not allowed: its value "
            "exists only when a Session runs it. Use `if t is not None:` to test whether a "
            "tensor is defined, and ops such as tf.cond / tf.where to choose by its value.")

    def __iter__(self):
        raise TypeError(
            f"Tensor objects are not iterable ({self.name}): its value exists only when a "
            "Session runs it. Iterate over the result of sess.run(t), or use tf.unstack.")

    def __len__(self):
        raise TypeError(
            f"len is not well defined for symbolic Tensors ({self.name}). Please call "
            "`x.shape` rather than `len(x)` for shape information.")

    def __array__(self, *args, **kwargs):
        raise NotImplementedError(
            f"Cannot convert a symbolic Tensor ({self.name}) to a numpy array: run it first "
            "with sess.run(t) or t.eval().")

    def __reduce__(self):
        raise TypeError(f"Tensor {self.name} cannot be pickled; save values, not graph handles.")


class NodeDef:
    """A read-only, protobuf-like description of an op (name, op, input, device, attr)."""

    __slots__ = ("name", "op", "input", "device", "attr")

    def __init__(self, name, op, inputs, device, attr):
        self.name = name
        self.op = op
        self.input = inputs
        self.device = device
        self.attr = attr

    def __str__(self):
        lines = [f'name: "{self.name}"', f'op: "{self.op}"']
        lines += [f'input: "{i}"' for i in self.input]
        if self.device:
            lines.append(f'device: "{self.device}"')
        for k in sorted(self.attr):
            lines.append(f"attr {{ key: \"{k}\" value: {_attr_text(self.attr[k])} }}")
        return "\n".join(lines) + "\n"

    __repr__ = __str__


def _attr_text(v):
    import numpy as np
    if isinstance(v, np.ndarray):
        return f"tensor<{v.dtype} {list(v.shape)}>"
    return repr(v)


class Operation:
    """A node of the graph: an instance of one registered op type with inputs and attributes."""

    __slots__ = ("_graph", "_name", "_type", "_inputs", "_outputs", "_control_inputs",
                 "_device", "_attrs", "_id", "_opdef", "_colocation", "_control_outputs",
                 "_meta", "__weakref__")

    @property
    def name(self):
        return self._name

    @property
    def type(self):
        return self._type

    @property
    def graph(self):
        return self._graph

    @property
    def inputs(self):
        return tuple(self._inputs)

    @property
    def outputs(self):
        return list(self._outputs)

    @property
    def control_inputs(self):
        return list(self._control_inputs)

    @property
    def device(self):
        return self._device

    @property
    def node_def(self):
        ins = [t.name if t._value_index else t._op._name for t in self._inputs]
        ins += ["^" + c._name for c in self._control_inputs]
        attr = dict(self._attrs)
        if self._colocation:
            attr["_class"] = [b"loc:@" + n.encode() for n in self._colocation]
        return NodeDef(self._name, self._type, ins, self._device, attr)

    @property
    def op_def(self):
        return self._opdef

    @property
    def traceback(self):
        return []

    def values(self):
        return tuple(self._outputs)

    def get_attr(self, name):
        if name == "_class" and self._colocation:
            return [b"loc:@" + n.encode() for n in self._colocation]
        try:
            return self._attrs[name]
        except KeyError:
            raise ValueError(f"Operation '{self._name}' has no attr named '{name}'.") from None

    def colocation_groups(self):
        if self._colocation:
            return [b"loc:@" + n.encode() for n in self._colocation]
        return [b"loc:@" + self._name.encode()]

    def _add_control_input(self, op):
        if not isinstance(op, Operation):
            raise TypeError(f"op must be an Operation: {op!r}")
        if op._graph is not self._graph:
            raise ValueError(f"Control input {op._name} is from another graph than {self._name}.")
        if op not in self._control_inputs:
            self._control_inputs = self._control_inputs + (op,)
            op._control_outputs = op._control_outputs + (self,)
            self._graph._epoch += 1

    def _add_control_inputs(self, ops):
        for op in ops:
            self._add_control_input(op)

    def run(self, feed_dict=None, session=None):
        """Runs this op in the default (or given) session; returns None."""
        if session is None:
            session = get_default_session()
            if session is None:
                raise ValueError(
                    "Cannot execute operation using `run()`: No default session is registered. "
                    "Use `with sess.as_default():` or pass an explicit session to "
                    "`run(session=sess)`")
        if session.graph is not self._graph:
            raise ValueError(
                "Cannot use the given session to execute operation: the operation's graph is "
                "different from the session's graph.")
        session.run(self, feed_dict)

    def __repr__(self):
        return f"<tf.Operation '{self._name}' type={self._type}>"

    def __str__(self):
        return str(self.node_def)

    def __reduce__(self):
        raise TypeError(f"Operation {self._name} cannot be pickled.")
