"""Python operators on Tensors (``a + b``, ``x[1:]``, ``-x`` …) build ops named as TF1 names them.

``a + b`` builds an "Add" op named "add" (then "add_1", …); a Python operand is converted to
the tensor's dtype and named "add/y". Comparisons build ops (Less, …); ``==`` stays identity so
tensors remain hashable dictionary keys, as in TF1.
"""

from ..graph.graph import name_scope
from ..graph.operation import Tensor
from .convert import convert_to_tensor
from . import math_ops, slicing

__all__ = ["install"]


def _binary(op_name, func):
    def forward(x, y):
        if type(y) is Tensor:
            g = x._op._graph
            with g._lock:
                scope = g.unique_name(op_name)
            return func(x, y, name=scope + "/")
        with name_scope(None, op_name, [x, y]) as scope:
            try:
                y = convert_to_tensor(y, dtype=x._dtype.base_dtype, name="y")
            except (TypeError, ValueError) as e:
                if not hasattr(y, "_op") and _is_foreign(y):
                    return NotImplemented
                raise TypeError(f"Cannot apply '{op_name}' to {x.name} ({x._dtype.name}) and "
                                f"{y!r}: {e}") from None
            return func(x, y, name=scope)

    def reverse(y, x):
        with name_scope(None, op_name, [x, y]) as scope:
            try:
                x = convert_to_tensor(x, dtype=y._dtype.base_dtype, name="x")
            except (TypeError, ValueError) as e:
                if _is_foreign(x):
                    return NotImplemented
                raise TypeError(f"Cannot apply '{op_name}' to {x!r} and {y.name} "
                                f"({y._dtype.name}): {e}") from None
            return func(x, y, name=scope)

    return forward, reverse


def _is_foreign(v):
    """Objects we should let Python try the other way (they may define the reverse op)."""
    import numbers
    import numpy as np
    return not isinstance(v, (numbers.Number, np.ndarray, np.generic, list, tuple, str, bytes))


def install():
    """Installs the operator methods on Tensor (called once when flowbook.ops is imported)."""
    table = {
        "add": ("__add__", "__radd__", math_ops.add),
        "sub": ("__sub__", "__rsub__", math_ops.subtract),
        "mul": ("__mul__", "__rmul__", math_ops.multiply),
        "truediv": ("__truediv__", "__rtruediv__", math_ops.truediv),
        "div": ("__div__", "__rdiv__", math_ops.div),
        "floordiv": ("__floordiv__", "__rfloordiv__", math_ops.floordiv),
        "mod": ("__mod__", "__rmod__", math_ops.floormod),
        "pow": ("__pow__", "__rpow__", math_ops.pow),
        "matmul": ("__matmul__", "__rmatmul__", math_ops.matmul),
        "and": ("__and__", "__rand__", math_ops.logical_and),
        "or": ("__or__", "__ror__", math_ops.logical_or),
        "xor": ("__xor__", "__rxor__", math_ops.logical_xor),
    }
    for op_name, (fwd, rev, func) in table.items():
        f, r = _binary(op_name, func)
        f.__name__, r.__name__ = fwd, rev
        setattr(Tensor, fwd, f)
        setattr(Tensor, rev, r)
    Tensor.__lt__ = lambda x, y: math_ops.less(x, y)
    Tensor.__le__ = lambda x, y: math_ops.less_equal(x, y)
    Tensor.__gt__ = lambda x, y: math_ops.greater(x, y)
    Tensor.__ge__ = lambda x, y: math_ops.greater_equal(x, y)
    Tensor.__neg__ = lambda x: math_ops.negative(x)
    Tensor.__abs__ = lambda x: math_ops.abs(x)
    Tensor.__invert__ = lambda x: math_ops.logical_not(x)
    Tensor.__getitem__ = lambda x, key: slicing.slice_helper(x, key)
