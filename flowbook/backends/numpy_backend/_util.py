"""Small helpers shared by NumPy kernel modules."""

import numpy as np

from ...errors import InvalidArgumentError


def axes_of(a):
    """A NumPy ``axis`` argument from an integer array (0-d or 1-d)."""
    if a.ndim == 0:
        return int(a)
    return tuple(a.tolist())


try:   # NumPy >= 2: set the error state directly (np.errstate costs ~4x more per call)
    from numpy._core.umath import _extobj_contextvar, _make_extobj
    _IGNORE = _make_extobj(all="ignore")
except ImportError:   # pragma: no cover (NumPy 1.x)
    _extobj_contextvar = None


def quiet(fn):
    """Runs ``fn`` with NumPy's floating-point warnings off: TF yields inf/nan silently."""
    if _extobj_contextvar is not None:
        def run(*args, **kw):
            token = _extobj_contextvar.set(_IGNORE)
            try:
                return fn(*args, **kw)
            finally:
                _extobj_contextvar.reset(token)
    else:
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


def _dims(x):
    return "[" + ",".join(str(d) for d in np.shape(x)) + "]"


def broadcast_error(*arrays):
    """The InvalidArgumentError for inputs whose shapes cannot broadcast (TF's wording first)."""
    shapes = " vs. ".join(_dims(a) for a in arrays)
    return InvalidArgumentError(
        None, None, f"Incompatible shapes: {shapes}. These shapes cannot be broadcast together "
        "(NumPy rules: aligned from the right, each pair of dims must be equal or one of them "
        "1). The static shapes allowed it because some dims were unknown (None); check the "
        "shapes of the values you feed.")


def broadcasting(fn):
    """Wraps a binary kernel so that a run-time broadcasting failure raises a clear
    InvalidArgumentError naming both shapes (the node is added by the session)."""
    def run(x, y):
        try:
            return fn(x, y)
        except ValueError:
            if _broadcastable(x, y):
                raise
            raise broadcast_error(x, y) from None
    run.__name__ = getattr(fn, "__name__", "kernel")
    run.__wrapped__ = fn
    return run


def _broadcastable(*arrays):
    try:
        np.broadcast_shapes(*(np.shape(a) for a in arrays))
        return True
    except ValueError:
        return False
