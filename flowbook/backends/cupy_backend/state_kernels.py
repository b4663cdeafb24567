"""GPU kernels for variable state ops (flowbook/ops/state_ops.py).

A variable placed on a GPU keeps its value there: the session's VarCell holds a device array.
No GPU kernel writes into an array it was given, and fetches download copies, so a stored
value can be shared without copying. The placer keeps every op that takes a variable by
reference on the variable's device (colocation), so a cell only ever holds arrays of one device.
"""

import numpy as np

from ...errors import InvalidArgumentError
from ..base import VarCell


def _cell(x, op):
    if type(x) is not VarCell:
        raise InvalidArgumentError(
            None, op, f"{op.type} '{op.name}' needs a variable as its first input; "
            f"'{op.inputs[0].name}' is not one.")
    return x


def _compatible(shape, static):
    if static is None:
        return True
    return len(shape) == len(static) and all(s is None or s == d for s, d in zip(static, shape))


def register(B, xp):
    def variable(op, res):
        cell = res.cell(op)
        return lambda: cell
    B.factory_for("VariableV2", variable, static=True)

    def assign(op, res):
        static = op._inputs[0]._shape._dims if op._attrs["validate_shape"] else None

        def k(cell, value):
            cell = _cell(cell, op)
            if not _compatible(value.shape, static):
                raise InvalidArgumentError(
                    None, op, f"Assign requires shapes of both tensors to match: variable "
                    f"'{cell.name}' has shape {list(static)}, the value has shape "
                    f"{list(value.shape)}.")
            with cell.lock:
                cell.value = value
            return value
        return k
    B.factory_for("Assign", assign)

    def updater(sign):
        def factory(op, res):
            def k(cell, value):
                cell = _cell(cell, op)
                with cell.lock:
                    old = cell.read()
                    if old.shape != value.shape:
                        raise InvalidArgumentError(
                            None, op, f"{op.type}: the update of shape {list(value.shape)} "
                            f"must have the shape of variable '{cell.name}', "
                            f"{list(old.shape)}.")
                    new = xp.add(old, value) if sign > 0 else xp.subtract(old, value)
                    cell.value = new
                return new
            return k
        return factory
    B.factory_for("AssignAdd", updater(1))
    B.factory_for("AssignSub", updater(-1))

    B.factory_for("IsVariableInitialized",
                  lambda op, res: (lambda cell: np.bool_(_cell(cell, op).value is not None)),
                  host_outputs=(0,))

    def initialized_value(op, res):
        def k(cell, init):
            v = _cell(cell, op).value
            return init if v is None else v
        return k
    B.factory_for("InitializedValue", initialized_value)
