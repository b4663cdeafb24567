"""Ops on variable state: VariableV2 (a reference to a session-held value) and its updaters.

A VariableV2 op's output has a reference dtype (float32_ref): ops that take it as a *ref* input
(Assign, AssignAdd, ...) update the value that the running Session holds for that variable;
other consumers read the current value. Values live in the Session, never in the graph.
"""

from ..graph import dtypes as _dtypes
from ..graph.shape import _SCALAR, TensorShape
from .registry import register_op, apply_op1, ALL_INPUTS

__all__ = ["variable_op_v2", "assign", "assign_add", "assign_sub", "is_variable_initialized"]


def _variable_infer(inputs, attrs):
    return attrs["dtype"]._as_ref, attrs["shape"]


register_op("VariableV2", inputs=(), infer=_variable_infer, stateful=True,
            not_differentiable="a source of state (gradients stop at its output)",
            doc="y = reference to the session's value of this variable")


def variable_op_v2(shape, dtype, name="Variable", container="", shared_name=""):
    """The raw VariableV2 op (use tf.Variable or tf.get_variable instead)."""
    return apply_op1("VariableV2", (), {"shape": TensorShape(shape), "dtype":
                                        _dtypes.as_dtype(dtype).base_dtype,
                                        "container": container, "shared_name": shared_name},
                     name)


def _check_ref(ref, what):
    if not ref._dtype.is_ref_dtype:
        raise TypeError(
            f"{what} needs a variable (a reference tensor such as 'Variable:0') as its first "
            f"input, got {ref.name} of dtype {ref._dtype.name}.")


def _assign_infer(inputs, attrs):
    ref, value = inputs
    _check_ref(ref, "Assign")
    if value._dtype.base_dtype is not ref._dtype.base_dtype:
        raise TypeError(f"Cannot assign a {value._dtype.base_dtype.name} value to the "
                        f"{ref._dtype.base_dtype.name} variable {ref.op.name}.")
    if attrs["validate_shape"]:
        if not ref._shape.is_compatible_with(value._shape):
            raise ValueError(f"Shapes {ref._shape} and {value._shape} are incompatible: cannot "
                             f"assign a {value._shape} value to variable {ref.op.name} of shape "
                             f"{ref._shape} (pass validate_shape=False to change its shape).")
        return ref._dtype, ref._shape.merge_with(value._shape)
    return ref._dtype, value._shape


def _update_infer(inputs, attrs):
    ref, value = inputs
    _check_ref(ref, "AssignAdd/AssignSub")
    if value._dtype.base_dtype is not ref._dtype.base_dtype:
        raise TypeError(f"Cannot update the {ref._dtype.base_dtype.name} variable "
                        f"{ref.op.name} with a {value._dtype.base_dtype.name} value.")
    if not ref._shape.is_compatible_with(value._shape):
        raise ValueError(f"Shapes {ref._shape} and {value._shape} are incompatible "
                         f"(variable {ref.op.name}).")
    return ref._dtype, ref._shape


for _t, _inf, _doc in (("Assign", _assign_infer, "ref = value; y = new value"),
                       ("AssignAdd", _update_infer, "ref += value; y = new value"),
                       ("AssignSub", _update_infer, "ref -= value; y = new value")):
    register_op(_t, inputs=("ref", "value"), infer=_inf, stateful=True, ref_inputs=(0,),
                not_differentiable="a state update", doc=_doc)

register_op("IsVariableInitialized", inputs=("ref",), ref_inputs=(0,), stateful=True,
            infer=lambda inputs, attrs: (_dtypes.bool, _SCALAR),
            not_differentiable="boolean output",
            doc="y = whether the session holds a value for this variable")


def _initialized_value_infer(inputs, attrs):
    ref, init = inputs
    return ref._dtype.base_dtype, ref._shape


register_op("InitializedValue", inputs=("ref", "initial_value"), ref_inputs=(0,),
            stateful=True, infer=_initialized_value_infer,
            grad=lambda op, g: (None, g),
            doc="y = the variable's value if initialized, else initial_value")


def _report_infer(inputs, attrs):
    return _dtypes.string, TensorShape([None])


register_op("ReportUninitializedVariables", inputs=("refs*",), stateful=True,
            ref_inputs=ALL_INPUTS, infer=_report_infer,
            not_differentiable="string output",
            doc="y = names of the given variables that the session has not initialized")


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """Stores ``value`` in variable ``ref``; the output is the new value."""
    ref = _as_ref(ref)
    vs = True if validate_shape is None else bool(validate_shape)
    return apply_op1("Assign", (ref, value),
                     {"validate_shape": vs, "use_locking": bool(use_locking)}, name)


def assign_add(ref, value, use_locking=None, name=None):
    """Adds ``value`` to variable ``ref``; the output is the new value."""
    ref = _as_ref(ref)
    return apply_op1("AssignAdd", (ref, value),
                     {"use_locking": bool(use_locking)}, name)


def assign_sub(ref, value, use_locking=None, name=None):
    """Subtracts ``value`` from variable ``ref``; the output is the new value."""
    ref = _as_ref(ref)
    return apply_op1("AssignSub", (ref, value),
                     {"use_locking": bool(use_locking)}, name)


def is_variable_initialized(variable):
    """A bool tensor: has the running session initialized ``variable``?"""
    return apply_op1("IsVariableInitialized", (_as_ref(variable),), None, None)


def _as_ref(v):
    r = getattr(v, "_ref", None)
    return r() if callable(r) else v
