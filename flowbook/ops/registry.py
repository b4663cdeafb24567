"""The op registry: one OpDef per op type, and ``apply_op``, the one path that builds nodes.

An OpDef describes an op type once: its input names, how Python values among its inputs are
converted (dtype groups), its shape and dtype inference (run at build time), its gradient rule
(or the reason it has none), whether it is stateful, and a one-line docstring with the math.
Kernels are not here: each backend registers its own, keyed by op type.
"""

from ..graph import dtypes as _dtypes
from ..graph.graph import get_default_graph, graph_of, _thread_state
from ..graph.operation import Tensor

__all__ = ["OpDef", "register_op", "get_opdef", "registered_ops", "apply_op", "apply_op1",
           "register_gradient", "RegisterGradient", "NotDifferentiable", "get_gradient_function"]

_REGISTRY = {}
_NAMED_GRADIENTS = {}   # tf.RegisterGradient("Name") rules, used via gradient_override_map
EMPTY_ATTRS = {}


class _AllInputs:
    """``ref_inputs=ALL_INPUTS``: every input of the op is taken by reference."""

    def __contains__(self, i):
        return True

    def __iter__(self):
        return iter(())

    def __repr__(self):
        return "ALL_INPUTS"


ALL_INPUTS = _AllInputs()


class OpDef:
    """Everything flowbook knows about an op type, in one place (kernels excepted)."""

    __slots__ = ("type", "inputs", "input_types", "infer", "grad", "not_differentiable",
                 "doc", "stateful", "ref_inputs", "elementwise", "variadic")

    def __init__(self, type, inputs, infer, doc, input_types=None, grad=None,
                 not_differentiable=None, stateful=False, ref_inputs=(), elementwise=False):
        self.type = type
        self.inputs = tuple(inputs)
        self.input_types = tuple(input_types) if input_types is not None else ("T",) * len(
            self.inputs)
        self.infer = infer
        self.grad = grad
        self.not_differentiable = not_differentiable
        self.doc = doc
        self.stateful = stateful
        self.ref_inputs = ref_inputs if isinstance(ref_inputs, _AllInputs) else tuple(
            ref_inputs)
        self.elementwise = elementwise
        self.variadic = any(n.endswith("*") for n in self.inputs)

    def __repr__(self):
        return f"<OpDef {self.type}: {self.doc}>"


def register_op(type, *, inputs, infer, doc, input_types=None, grad=None,
                not_differentiable=None, stateful=False, ref_inputs=(), elementwise=False):
    """Registers an op type. ``doc`` is one line with the math; duplicates are an error.

    inputs: input names ("values*" marks a variadic list input).
    input_types: per input, a dtype-group label (inputs sharing a label take the same dtype,
      and Python values convert to the dtype of the first tensor in the group), a DType
      (the dtype Python values convert to), or None.
    infer: ``infer(inputs, attrs) -> (dtype, shape)`` or a list of them (one per output).
    grad: ``grad(op, *out_grads) -> tuple`` of one gradient (or None) per input.
    not_differentiable: a reason string, for ops whose inputs get no gradient.
    """
    if type in _REGISTRY:
        raise ValueError(f"Op type {type!r} is already registered.")
    d = OpDef(type, inputs, infer, doc, input_types, grad, not_differentiable, stateful,
              ref_inputs, elementwise)
    _REGISTRY[type] = d
    return d


def get_opdef(type):
    try:
        return _REGISTRY[type]
    except KeyError:
        raise KeyError(f"No op type {type!r} is registered in flowbook.") from None


def registered_ops():
    """All OpDefs, sorted by type name."""
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def register_gradient(op_type):
    """Decorator placing a gradient rule on an already registered op type."""
    def deco(fn):
        get_opdef(op_type).grad = fn
        return fn
    return deco


class RegisterGradient:
    """TF1's ``@tf.RegisterGradient("Name")``: a named rule for gradient_override_map."""

    def __init__(self, op_type):
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, fn):
        if self._op_type in _NAMED_GRADIENTS:
            raise KeyError(f"Registering two gradient with name '{self._op_type}'!")
        _NAMED_GRADIENTS[self._op_type] = fn
        return fn


def NotDifferentiable(op_type):  # noqa: N802 (TF's name)
    """Marks an op type as having no gradient (its inputs receive None)."""
    d = get_opdef(op_type)
    d.not_differentiable = d.not_differentiable or "declared not differentiable"


def get_gradient_function(op):
    """The gradient rule for ``op`` (honouring gradient_override_map), or None if it has none.

    Raises LookupError naming the op when the op type has neither a rule nor a reason.
    """
    override = op._attrs.get("_gradient_op_type") if op._attrs else None
    if override is not None:
        fn = _NAMED_GRADIENTS.get(override)
        if fn is None:
            raise LookupError(
                f"No gradient registered under the name '{override}' (requested for node "
                f"'{op.name}' through gradient_override_map); use @tf.RegisterGradient.")
        return fn
    d = op._opdef
    if d.grad is not None:
        return d.grad
    if d.not_differentiable:
        return None
    raise LookupError(
        f"No gradient defined for operation '{op.name}' (op type: {op.type}). Register one "
        f"with flowbook.ops.registry.register_gradient({op.type!r}) or mark it "
        "NotDifferentiable.")


# --- building nodes --------------------------------------------------------------------------
def _describe(inputs):
    return ", ".join(f"{t.name} {t._dtype.name}{t._shape}" for t in inputs) or "none"


def _infer(opdef, inputs, attrs, name):
    try:
        r = opdef.infer(inputs, attrs)
    except (ValueError, TypeError) as e:
        raise type(e)(
            f"{e}\n  while building node '{name}' (op {opdef.type}) from inputs: "
            f"{_describe(inputs)}") from None
    return [r] if type(r) is tuple else r


def apply_op(op_type, args, attrs=None, name=None):
    """Builds one node of ``op_type`` from input values ``args``; returns the Operation.

    Inputs that are Python or NumPy values become Const ops named after the input argument
    inside the op's name scope ("Add/y"), with TF's dtype rules (see OpDef.input_types).
    """
    opdef = _REGISTRY[op_type]
    if attrs is None:
        attrs = EMPTY_ATTRS
    g = None
    for a in args:
        if type(a) is not Tensor:
            break
        ag = a._op._graph
        if g is None:
            g = ag
        elif ag is not g:
            g = graph_of(args)  # a function body nested in the other graph, else ValueError
    else:
        if g is None:
            g = get_default_graph()
        else:
            stack = _thread_state().graph_stack
            if stack and stack[-1] is not g and stack[-1]._outer_graph is not None:
                g = graph_of(args)  # building a function body: it captures outer inputs
        with g._lock:
            op_name = g._op_name(name, op_type)
        inputs = tuple(args)
        return g._add_op(op_type, opdef, op_name, inputs, attrs,
                         _infer(opdef, inputs, attrs, op_name))
    return _apply_op_converting(opdef, args, attrs, name)


def apply_op1(op_type, args, attrs=None, name=None):
    """``apply_op`` for single-output ops: returns the output Tensor."""
    return apply_op(op_type, args, attrs, name)._outputs[0]


def _apply_op_converting(opdef, args, attrs, name):
    from .convert import convert_to_tensor   # convert imports this module
    flat = []
    for a in args:
        flat.extend(a) if isinstance(a, (list, tuple)) else flat.append(a)
    g = graph_of(flat)
    stack = _thread_state().graph_stack
    pushed = not stack or stack[-1] is not g
    if pushed:
        stack.append(g)
    try:
        with g.name_scope(name if name is not None else opdef.type) as scope:
            # Inputs convert in argument order; a Python value takes the dtype its group got
            # from the inputs before it (TF's op_def_library rule: tf.add(1, x_float) fails).
            inputs = []
            group_dtype = {}
            for i, a in enumerate(args):
                label = opdef.input_types[i] if i < len(opdef.input_types) else None
                arg_name = opdef.inputs[i] if i < len(opdef.inputs) else f"input_{i}"
                if arg_name.endswith("*"):
                    items = list(a) if isinstance(a, (list, tuple)) else [a]
                    names = [f"{arg_name[:-1]}_{j}" for j in range(len(items))]
                else:
                    items, names = [a], [arg_name]
                for item, nm in zip(items, names):
                    if isinstance(item, Tensor):
                        t = item
                    elif isinstance(label, _dtypes.DType):
                        t = convert_to_tensor(item, name=nm, preferred_dtype=label)
                    elif isinstance(label, str):
                        t = convert_to_tensor(item, dtype=group_dtype.get(label), name=nm,
                                              _arg_of=(opdef.type, nm))
                    else:
                        t = convert_to_tensor(item, name=nm)
                    if isinstance(label, str) and label not in group_dtype:
                        group_dtype[label] = t._dtype.base_dtype
                    inputs.append(t)
            for t in inputs:
                if t._op._graph is not g:
                    graph_of([inputs[0], t])
            op_name = scope[:-1]
            inputs = tuple(inputs)
            return g._add_op(opdef.type, opdef, op_name, inputs, attrs,
                             _infer(opdef, inputs, attrs, op_name))
    finally:
        if pushed:
            stack.remove(g)
