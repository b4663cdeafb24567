"""Backends: tables of kernels keyed by op type (NumPy is the reference; CuPy runs on GPUs)."""

from .base import Backend, VarCell, SessionResources

__all__ = ["Backend", "VarCell", "SessionResources", "get_backend", "available_backends"]

_LOADED = {}


def get_backend(name="numpy"):
    """The backend called ``name`` ("numpy" or "cupy"), importing it on first use."""
    b = _LOADED.get(name)
    if b is None:
        if name == "numpy":
            from .numpy_backend import BACKEND as b
        elif name == "cupy":
            from .cupy_backend import load_backend
            b = load_backend()
        else:
            raise ValueError(f"Unknown backend {name!r}; flowbook has 'numpy' and 'cupy'.")
        _LOADED[name] = b
    return b


def available_backends():
    return list(_LOADED)
