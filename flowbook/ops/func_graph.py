"""Function bodies for control flow: a FuncGraph holds the ops of one cond branch or loop body.

While a FuncGraph is the default graph, every op built there that uses a tensor of an
enclosing graph *captures* it: the tensor is replaced by a Placeholder of the body (an
argument), and the control-flow op in the enclosing graph takes the outer tensor as an input.
Names stay unique across the nested graphs (a branch op is "cond/mul", as in TF1), and
collections, the variable store and variable creation go to the enclosing graph, so
tf.get_variable inside a loop body makes an ordinary variable.

A Function is one way to run a FuncGraph: which of its tensors are fed (inputs, aligned with
the control-flow op's inputs; None where this body does not use that input) and which are
fetched (outputs; None where this body produces nothing for that output).
"""

import contextlib

from ..graph.graph import Graph
from ..graph.operation import Operation, Tensor
from .registry import get_opdef

__all__ = ["FuncGraph", "Function", "SpecEquality"]


class SpecEquality:
    """Control-flow specs compare by their GraphDef data (see control_flow_io.py)."""

    __hash__ = None

    def __eq__(self, other):
        from .control_flow_io import spec_data   # control_flow_io builds on these classes
        return type(other) is type(self) and spec_data(self) == spec_data(other)


class FuncGraph(Graph):
    """The graph of one function body, nested in ``outer_graph`` (see module docstring)."""

    def __init__(self, name, outer_graph, scope=None):
        self._outer_graph = outer_graph
        super().__init__()
        self.name = name                            # e.g. "cond/then_branch"
        self.scope = name if scope is None else scope   # ops are named under it ("cond/mul")
        self._names_in_use = outer_graph._names_in_use
        self._name_stack = self.scope
        self._device_stack = outer_graph._device_stack
        self._device_fast = outer_graph._device_fast
        self._device_has_fn = outer_graph._device_has_fn
        self._seed = outer_graph._seed
        self._gradient_override_map = outer_graph._gradient_override_map
        self._building_function = True
        self.captures = []              # (outer tensor, inner placeholder), in capture order
        self._capture_map = {}
        self.outer_control_inputs = []  # enclosing-graph ops the body's ops must run after

    # --- shared with the enclosing graph -------------------------------------------------------
    @property
    def _var_store(self):
        return self._outer_graph._var_store if self._outer_graph is not None else None

    @_var_store.setter
    def _var_store(self, value):
        if self._outer_graph is not None:
            self._outer_graph._var_store = value

    @property
    def _var_scope_stack(self):
        return self._outer_graph._var_scope_stack if self._outer_graph is not None else None

    @_var_scope_stack.setter
    def _var_scope_stack(self, value):
        if self._outer_graph is not None:
            self._outer_graph._var_scope_stack = value

    def add_to_collection(self, name, value):
        self._outer_graph.add_to_collection(name, value)

    def get_collection_ref(self, name):
        return self._outer_graph.get_collection_ref(name)

    def get_collection(self, name, scope=None):
        return self._outer_graph.get_collection(name, scope)

    def get_all_collection_keys(self):
        return self._outer_graph.get_all_collection_keys()

    def clear_collection(self, name):
        self._outer_graph.clear_collection(name)

    @property
    def collections(self):
        return self._outer_graph.collections

    @property
    def outermost_graph(self):
        g = self
        while g._outer_graph is not None:
            g = g._outer_graph
        return g

    @contextlib.contextmanager
    def _init_scope(self):
        """Variables created in a body are built in the outermost graph (as TF1 lifts them
        out of control flow), under the body's current name scope."""
        outer = self.outermost_graph
        with outer.as_default(), outer._init_scope():
            old = outer._name_stack
            outer._name_stack = self._name_stack
            try:
                yield
            finally:
                outer._name_stack = old

    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        """As Graph's; control inputs from enclosing graphs become control inputs of the
        control-flow op itself (the body runs after them)."""
        if control_inputs is None:
            with super().control_dependencies(None):
                yield
            return
        inner = []
        for c in control_inputs:
            if hasattr(c, "_as_graph_element") and not isinstance(c, (Tensor, Operation)):
                c = c._as_graph_element()
            op = c._op if isinstance(c, Tensor) else c
            if isinstance(op, Operation) and op._graph is not self:
                if op not in self.outer_control_inputs:
                    self.outer_control_inputs.append(op)
            else:
                inner.append(c)
        with super().control_dependencies(inner):
            yield

    # --- arguments and captures ----------------------------------------------------------------
    def add_arg(self, dtype, shape, name, captured=None):
        """A Placeholder of this body that the control-flow op feeds (an argument);
        ``captured``: the name of the outer tensor it stands for."""
        stacks = (self._control_stack, self._colocation_stack)
        self._control_stack, self._colocation_stack = [], []
        try:
            with self._lock:
                op_name = self.unique_name(name)
            attrs = {"dtype": dtype, "shape": shape}
            if captured is not None:
                attrs["_captured"] = captured
            op = Graph._add_op(self, "Placeholder", get_opdef("Placeholder"), op_name, (),
                               attrs, [(dtype, shape)])
        finally:
            self._control_stack, self._colocation_stack = stacks
        return op._outputs[0]

    def capture(self, tensor):
        """The argument of this body standing for ``tensor`` of an enclosing graph."""
        inner = self._capture_map.get(tensor)
        if inner is not None:
            return inner
        g = tensor._op._graph
        if g is self:
            return tensor
        if g is self._outer_graph:
            outer_t = tensor
        elif isinstance(self._outer_graph, FuncGraph) and _encloses(self._outer_graph, g):
            outer_t = self._outer_graph.capture(tensor)
        else:
            raise ValueError(
                f"Tensor {tensor.name} is not an element of this graph or of a graph "
                f"enclosing the function body '{self.name}'.")
        base = tensor._op._name.rsplit("/", 1)[-1]
        old = self._name_stack
        self._name_stack = self.scope
        try:
            inner = self.add_arg(tensor._dtype, tensor._shape, base, captured=tensor.name)
        finally:
            self._name_stack = old
        self._capture_map[tensor] = self._capture_map[outer_t] = inner
        self.captures.append((outer_t, inner))
        return inner

    def arg_for(self, outer_tensor):
        """The argument standing for ``outer_tensor`` (a value of the enclosing graph), or None
        when this body does not use it."""
        if outer_tensor._op._graph is not self._outer_graph:
            return None
        return self._capture_map.get(outer_tensor)

    def as_graph_element(self, obj, allow_tensor=True, allow_operation=True):
        """As Graph's; names not found in the body are looked up in the enclosing graph."""
        try:
            return super().as_graph_element(obj, allow_tensor, allow_operation)
        except KeyError:
            if not isinstance(obj, str):
                raise
            return self._outer_graph.as_graph_element(obj, allow_tensor, allow_operation)

    def _add_op(self, op_type, opdef, name, inputs, attrs, out_specs):
        if op_type == "VariableV2":
            raise ValueError(
                f"Initializer for variable {name} is from inside a control-flow construct, "
                "such as a loop or conditional. When creating a variable inside a loop or "
                "conditional, use a lambda as the initializer (tf.Variable(lambda: ...)) or "
                "tf.get_variable.")
        for t in inputs:
            if t._op._graph is not self:
                inputs = tuple(t if t._op._graph is self else self.capture(t) for t in inputs)
                break
        return super()._add_op(op_type, opdef, name, inputs, attrs, out_specs)

    def __repr__(self):
        return f"<flowbook.FuncGraph '{self.name}' with {len(self._ops)} ops>"


def _encloses(outer, g):
    x = outer
    while x is not None:
        if x is g:
            return True
        x = x._outer_graph
    return False


class Function:
    """A FuncGraph with the tensors it is fed (inputs) and the tensors fetched (outputs)."""

    __slots__ = ("graph", "inputs", "outputs", "version", "__weakref__")

    def __init__(self, graph, inputs, outputs):
        self.graph = graph
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        self.version = 0

    def add_outputs(self, tensors):
        self.outputs.extend(tensors)
        self.version += 1

    def __repr__(self):
        return (f"<Function of {self.graph.name}: {sum(t is not None for t in self.inputs)} "
                f"inputs, {sum(t is not None for t in self.outputs)} outputs>")
