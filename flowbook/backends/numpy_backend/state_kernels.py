"""Kernels for variable state ops (flowbook/ops/state_ops.py).

Values stored in a VarCell are read-only arrays owned by the session, so a fetched value or a
value held by another op can never change behind the user's back.
"""

import numpy as np

from ...errors import InvalidArgumentError
from ..base import VarCell
from . import BACKEND


@BACKEND.factory("VariableV2", static=True)
def variable(op, res):
    cell = res.cell(op)
    return lambda: cell


def _owned(value):
    """A read-only array safe to keep in a cell (copies arrays someone else may write to)."""
    if type(value) is np.ndarray and not value.flags.writeable:
        return value
    arr = np.array(value)
    arr.flags.writeable = False
    return arr


def _fresh(value):
    """Marks a freshly computed result read-only (no copy: nobody else holds it)."""
    arr = np.asarray(value)
    if arr.flags.writeable:
        arr.flags.writeable = False
    return arr


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


@BACKEND.factory("Assign")
def assign(op, res):
    static = op._inputs[0]._shape._dims if op._attrs["validate_shape"] else None

    def k(cell, value):
        cell = _cell(cell, op)
        v = _owned(value)
        if not _compatible(v.shape, static):
            raise InvalidArgumentError(
                None, op, f"Assign requires shapes of both tensors to match: variable "
                f"'{cell.name}' has shape {list(static)}, the value has shape {list(v.shape)}.")
        with cell.lock:
            cell.value = v
        return v
    return k


def _updater(sign):
    def factory(op, res):
        def k(cell, value):
            cell = _cell(cell, op)
            with cell.lock:
                old = cell.read()
                if np.shape(old) != np.shape(value):
                    raise InvalidArgumentError(
                        None, op, f"{op.type}: the update of shape {list(np.shape(value))} must "
                        f"have the shape of variable '{cell.name}', {list(np.shape(old))}.")
                new = _fresh(old + value if sign > 0 else old - value)
                cell.value = new
            return new
        return k
    return factory


BACKEND.factory("AssignAdd")(_updater(1))
BACKEND.factory("AssignSub")(_updater(-1))


@BACKEND.factory("IsVariableInitialized")
def is_initialized(op, res):
    return lambda cell: np.bool_(_cell(cell, op).value is not None)


@BACKEND.factory("InitializedValue")
def initialized_value(op, res):
    def k(cell, init):
        v = _cell(cell, op).value
        return init if v is None else v
    return k


@BACKEND.factory("ReportUninitializedVariables")
def report_uninitialized(op, res):
    names = op._attrs["names"]

    def k(*cells):
        out = [n.encode() for n, c in zip(names, cells) if _cell(c, op).value is None]
        arr = np.empty(len(out), dtype=object)
        arr[:] = out
        return arr
    return k
