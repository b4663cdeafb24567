"""Slots: non-trainable variables that shadow a primary variable (an optimizer's accumulators).

A slot for variable "w" made by the optimizer named "Adam" is the variable "w/Adam" (then
"w/Adam_1", ...), created with get_variable under variable_scope(None, "w/Adam") as TF1 does,
so names, collections (global, never trainable) and checkpoints match TF1's.
"""

from ..graph.shape import TensorShape
from ..ops import array_ops, init_ops
from ..ops.variable_scope import get_variable, variable_scope, get_variable_scope

__all__ = ["create_slot", "create_slot_with_initializer", "create_zeros_slot"]


def _prefix(primary):
    return primary.op.name


def _create_slot_var(primary, val, shape, dtype, validate_shape):
    scope = get_variable_scope()
    partitioner = scope.partitioner
    scope.set_partitioner(None)
    try:
        g = primary.graph
        with g.colocate_with(primary.op):
            return get_variable("", initializer=val, trainable=False,
                                shape=shape if callable(val) else None,
                                dtype=dtype, validate_shape=validate_shape)
    finally:
        scope.set_partitioner(partitioner)


def create_slot(primary, val, name, colocate_with_primary=True):
    """A slot variable for ``primary`` initialised to the tensor ``val``."""
    validate_shape = val.get_shape().is_fully_defined()
    with primary.graph.as_default(), variable_scope(None, _prefix(primary) + "/" + name):
        return _create_slot_var(primary, val, None, None, validate_shape)


def create_slot_with_initializer(primary, initializer, shape, dtype, name,
                                 colocate_with_primary=True):
    """A slot variable for ``primary`` of ``shape``/``dtype`` made by ``initializer``."""
    shape = TensorShape(shape)
    with primary.graph.as_default(), variable_scope(None, _prefix(primary) + "/" + name):
        return _create_slot_var(primary, initializer, shape, dtype, shape.is_fully_defined())


def create_zeros_slot(primary, name, dtype=None, colocate_with_primary=True):
    """A slot of zeros shaped like ``primary`` (dynamic shape when the static one is partial)."""
    if dtype is None:
        dtype = primary.dtype.base_dtype
    shape = primary.get_shape()
    if shape.is_fully_defined():
        return create_slot_with_initializer(primary, init_ops.zeros_initializer(), shape,
                                            dtype, name, colocate_with_primary)
    with primary.graph.as_default():
        source = primary.initialized_value() if hasattr(primary, "initialized_value") else \
            primary
        val = array_ops.zeros(array_ops.shape(source), dtype=dtype)
    return create_slot(primary, val, name, colocate_with_primary)
