"""Small helpers shared by NumPy kernel modules."""

import numpy as np

from ...errors import InvalidArgumentError


def axes_of(a):
    """A NumPy ``axis`` argument from an integer array (0-d or 1-d)."""
    if a.ndim == 0:
        return int(a)
    return tuple(a.tolist())


def quiet(fn):
    """Runs ``fn`` with NumPy's floating-point warnings off: TF yields inf/nan silently."""
    def run(*args, **kw):
        with np.errstate(all="ignore"):
            return fn(*args, **kw)
    run.__name__ = getattr(fn, "__name__", "kernel")
    run.__wrapped__ = fn
    return run


def const_input(op, i):
    """The value of input ``i`` when it comes straight from a Const op, else None."""
    src = op._inputs[i]._op
    if src._type == "Const":
        return src._attrs["value"]
    return None


def invalid(msg):
    return InvalidArgumentError(None, None, msg)
