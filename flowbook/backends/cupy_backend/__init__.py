"""The CuPy backend: flowbook's kernels on NVIDIA GPUs.

This package is the only place that imports CuPy, lazily (``_import_cupy``), so ``import
flowbook`` never loads it. Kernels are written once against an array module ``xp`` (CuPy
implements NumPy's API) in the ``*_kernels`` modules, each a ``register(B, xp)``; NumPy
kernels that are plain NumPy ufuncs are ported mechanically to CuPy's ufunc of the same name.
Op types without a GPU kernel are listed in ``lacks.LACKS`` with the reason; the placer puts
them on the CPU (soft placement) or raises a clear error naming op and device.

Inputs that TF keeps in host memory on GPUs (shapes, axes, slice bounds) arrive as NumPy
arrays; the plan inserts explicit copies wherever a tensor crosses devices.
"""

import sys

from ..base import Backend
from .lacks import LACKS

__all__ = ["load_backend", "device_count", "CupyBackend", "LACKS", "reset"]

_state = {"missing": False, "backend": None}

# dtypes a GPU kernel can hold (strings, objects and resources stay on the CPU, as in TF).
_GPU_KINDS = frozenset("biufc")


def _import_cupy():
    """The cupy module (raises ImportError when CuPy is not installed)."""
    mod = sys.modules.get("cupy")
    if mod is not None:
        return mod
    if _state["missing"]:
        raise ImportError("CuPy is not installed")
    try:
        import cupy
    except ImportError:
        _state["missing"] = True
        raise
    return cupy


def device_count():
    """How many GPUs CuPy sees (0 without CuPy, a driver or a device)."""
    try:
        cp = _import_cupy()
    except ImportError:
        return 0
    try:
        return int(cp.cuda.runtime.getDeviceCount())
    except Exception:  # noqa: BLE001 (CUDARuntimeError: no driver / no device)
        return 0


def reset():
    """Forgets the loaded backend and the 'CuPy is missing' note (for tests that install a
    stand-in ``cupy`` module)."""
    from .. import _LOADED
    _state["missing"] = False
    _state["backend"] = None
    _LOADED.pop("cupy", None)


def load_backend():
    """The CuPy backend (imports CuPy; ImportError with an install hint when it is missing)."""
    b = _state["backend"]
    if b is not None:
        return b
    try:
        cp = _import_cupy()
    except ImportError:
        raise ImportError(
            "The GPU backend needs CuPy: install the wheel matching your CUDA version, e.g. "
            "`pip install cupy-cuda12x` (or `pip install flowbook[gpu]`).") from None
    b = CupyBackend(cp)
    _state["backend"] = b
    return b


class CupyBackend(Backend):
    """Kernels for GPUs, plus what the runtime needs around them: which inputs and outputs live
    in host memory, transfers to and from a device, and the memory pool."""

    def __init__(self, cp):
        super().__init__("cupy", "GPU")
        self.cp = cp
        self.host_inputs = {}      # op type -> input indices read from host memory
        self.host_outputs = {}     # op type -> output indices produced in host memory
        self.any_inputs = {}       # op type -> inputs read for their shape only (no copy)
        self.ported = {}           # op type -> how its kernel was made ("ufunc", "xp", "host")
        self.oom_errors = (cp.cuda.memory.OutOfMemoryError,)
        self._views = {}
        from . import array_kernels, math_kernels, random_kernels, state_kernels, elementwise
        from . import manip_kernels, nn_kernels, reused, training_kernels
        for m in (array_kernels, math_kernels, state_kernels, random_kernels, manip_kernels,
                  nn_kernels, training_kernels):
            m.register(self, cp)
        elementwise.register(self, cp)
        reused.register(self, cp)

    # --- registration helpers used by the kernel modules ---------------------------------------
    def kernel_for(self, op_type, fn, how="xp", host_inputs=(), host_outputs=(), any_inputs=()):
        self.kernel(op_type)(fn)
        self._meta(op_type, how, host_inputs, host_outputs, any_inputs)

    def factory_for(self, op_type, fn, how="xp", static=False, host_inputs=(),
                    host_outputs=()):
        self.factory(op_type, static=static)(fn)
        self._meta(op_type, how, host_inputs, host_outputs, ())

    def _meta(self, op_type, how, host_inputs, host_outputs, any_inputs):
        self.ported[op_type] = how
        if host_inputs:
            self.host_inputs[op_type] = frozenset(host_inputs)
        if host_outputs:
            self.host_outputs[op_type] = frozenset(host_outputs)
        if any_inputs:
            self.any_inputs[op_type] = frozenset(any_inputs)

    # --- what the placer asks ------------------------------------------------------------------
    def supports(self, op):
        """None when ``op`` can run on a GPU, else the reason it cannot."""
        t = op._type
        if t in LACKS:
            return f"{t} has no GPU kernel ({LACKS[t]})"
        if not self.has_kernel(t):
            return f"{t} has no GPU kernel (not yet in flowbook's CuPy backend)"
        for x in op._outputs + op._inputs:
            kind = _kind(x._dtype)
            if kind not in _GPU_KINDS:
                return (f"{t} on {x._dtype.base_dtype.name} tensors ({x.name}) runs on the CPU "
                        "only")
        return None

    # --- devices, transfers, memory -------------------------------------------------------------
    def for_device(self, index):
        """The backend as seen from GPU ``index`` (kernels run with that device current)."""
        v = self._views.get(index)
        if v is None:
            v = self._views[index] = _DeviceView(self, index)
        return v

    def upload(self, x, index=0):
        """``x`` (NumPy array or scalar, or an array on another GPU) on GPU ``index``."""
        cp = self.cp
        with cp.cuda.Device(index):
            if isinstance(x, cp.ndarray):
                return x if x.device.id == index else cp.array(x, copy=True)
            return cp.asarray(x)

    def download(self, x):
        """A NumPy array with the value of device array ``x`` (other values unchanged)."""
        cp = self.cp
        if isinstance(x, cp.ndarray):
            return cp.asnumpy(x)
        return x

    def synchronize(self, index=0):
        with self.cp.cuda.Device(index):
            self.cp.cuda.get_current_stream().synchronize()

    def memory_limit(self, index=0):
        """Bytes a session may use on GPU ``index`` (the pool limit, else the device total)."""
        cp = self.cp
        limit = cp.get_default_memory_pool().get_limit()
        if limit:
            return int(limit)
        with cp.cuda.Device(index):
            return int(cp.cuda.runtime.memGetInfo()[1])

    def configure_memory(self, gpu_options):
        """Maps ConfigProto.gpu_options to CuPy's (process-wide) memory pool:
        per_process_gpu_memory_fraction caps the pool at that share of each GPU's memory;
        allow_growth (or neither option) lets it grow on demand. CuPy never preallocates,
        so TF's default of grabbing nearly all memory up front is not reproduced."""
        if gpu_options is None:
            return
        frac = float(gpu_options.per_process_gpu_memory_fraction or 0.0)
        if frac > 0:
            self.cp.get_default_memory_pool().set_limit(fraction=min(frac, 1.0))

    def release_cached_memory(self):
        """Returns cached free blocks to the driver (after an out-of-memory error)."""
        self.cp.get_default_memory_pool().free_all_blocks()


def _kind(dtype):
    base = dtype.base_dtype
    try:
        import numpy as np
        return np.dtype(base.as_numpy_dtype).kind
    except TypeError:
        return "O"


class _DeviceView:
    """The backend bound to one GPU: kernels run with ``cupy.cuda.Device(index)`` current
    (device 0 is CuPy's default, so its kernels are called directly)."""

    def __init__(self, backend, index):
        self.backend = backend
        self.index = index
        self.name = f"cupy:{index}"
        self.device_type = "GPU"
        self.static = backend.static
        self.host_inputs = backend.host_inputs
        self.host_outputs = backend.host_outputs
        self.any_inputs = backend.any_inputs
        self.oom_errors = backend.oom_errors

    def has_kernel(self, op_type):
        return self.backend.has_kernel(op_type)

    def bind(self, op, resources):
        if self.index == 0:
            return self.backend.bind(op, resources)
        dev = self.backend.cp.cuda.Device(self.index)
        with dev:
            fn = self.backend.bind(op, resources)

        def on_device(*args):
            with dev:
                return fn(*args)
        return on_device

    def upload(self, x):
        return self.backend.upload(x, self.index)

    def download(self, x):
        return self.backend.download(x)

    def synchronize(self):
        self.backend.synchronize(self.index)

    def __repr__(self):
        return f"<Backend cupy on GPU:{self.index}>"
