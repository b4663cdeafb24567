"""What every backend provides, and the per-session state kernels may touch.

A backend is a table of kernels keyed by op type. A plain kernel is ``kernel(*arrays, **attrs)
-> array | tuple`` and never writes into its inputs. Ops that need session state (variables,
random streams) or want to specialise on attributes register a *factory* instead:
``factory(op, resources) -> callable(*arrays)``, called once when a plan is compiled.
"""

import threading

from .. import errors

__all__ = ["Backend", "VarCell", "SessionResources"]


class Backend:
    """A named table of kernels and kernel factories (see module docstring)."""

    def __init__(self, name, device_type):
        self.name = name
        self.device_type = device_type
        self.kernels = {}
        self.factories = {}
        self.static = set()     # factories whose result is computed once per plan (Const, …)

    def kernel(self, *op_types):
        """Decorator registering a plain kernel for op types."""
        def deco(fn):
            for t in op_types:
                self._check_new(t)
                self.kernels[t] = fn
            return fn
        return deco

    def factory(self, *op_types, static=False):
        """Decorator registering a kernel factory ``f(op, resources) -> callable``."""
        def deco(fn):
            for t in op_types:
                self._check_new(t)
                self.factories[t] = fn
                if static:
                    self.static.add(t)
            return fn
        return deco

    def _check_new(self, t):
        if t in self.kernels or t in self.factories:
            raise ValueError(f"{self.name}: a kernel for {t!r} is already registered.")

    def has_kernel(self, op_type):
        return op_type in self.kernels or op_type in self.factories

    def op_types(self):
        return set(self.kernels) | set(self.factories)

    def bind(self, op, resources):
        """The callable that runs ``op`` (attributes and state bound in)."""
        t = op._type
        f = self.factories.get(t)
        if f is not None:
            return f(op, resources)
        k = self.kernels[t]
        attrs = {k2: v for k2, v in op._attrs.items() if k2[0] != "_"} if op._attrs else None
        if not attrs:
            return k
        spec = getattr(k, "specialize", None)
        if spec is not None:
            return spec(**attrs)
        return _Bound(k, attrs)

    def __repr__(self):
        return f"<Backend {self.name} ({len(self.op_types())} op types)>"


class _Bound:
    """A kernel with its attributes bound (cheaper to call than functools.partial with kwargs)."""

    __slots__ = ("k", "attrs")

    def __init__(self, k, attrs):
        self.k = k
        self.attrs = attrs

    def __call__(self, *arrays):
        return self.k(*arrays, **self.attrs)


class VarCell:
    """A session's storage for one variable: its current value (read-only array) or None."""

    __slots__ = ("name", "value", "lock", "device")

    def __init__(self, name, device=""):
        self.name = name
        self.value = None
        self.lock = threading.Lock()
        self.device = device

    def read(self):
        v = self.value
        if v is None:
            raise errors.FailedPreconditionError(
                None, None,
                f"Attempting to use uninitialized value {self.name}: this session has no value "
                f"for variable '{self.name}' yet. Run its initializer first, e.g. "
                "sess.run(tf.global_variables_initializer()) (every Session has its own "
                "variable values).")
        return v

    def __repr__(self):
        state = "uninitialized" if self.value is None else f"shape={getattr(self.value, 'shape', ())}"
        return f"<VarCell {self.name} {state}>"


class SessionResources:
    """Per-session state shared by kernels: variable cells and random streams, by op."""

    def __init__(self):
        self.cells = {}
        self.rngs = {}
        self.lock = threading.Lock()

    def cell(self, var_op):
        c = self.cells.get(var_op)
        if c is None:
            with self.lock:
                c = self.cells.get(var_op)
                if c is None:
                    c = self.cells[var_op] = VarCell(var_op.name, var_op.device)
        return c

    def rng(self, op, make):
        r = self.rngs.get(op)
        if r is None:
            with self.lock:
                r = self.rngs.get(op)
                if r is None:
                    r = self.rngs[op] = make()
        return r
