"""A NumPy-backed stand-in for the subset of CuPy that flowbook's GPU backend uses.

It is strict where CuPy is strict, so CPU-only CI catches the mistakes a real GPU would:
- its ndarray is its own type; ``numpy.asarray(device_array)`` raises TypeError (CuPy asks
  for ``.get()``) and NumPy arrays passed to its functions raise TypeError (CuPy refuses
  host arrays), so a missing copy between devices fails a test;
- arrays remember the device they were made on, and mixing devices raises;
- a memory pool counts live bytes, honours ``set_limit`` and raises
  ``cuda.memory.OutOfMemoryError(size, total, limit)`` (a MemoryError, as CuPy's);
- ``cuda.runtime.getDeviceCount`` reports ``DEVICES`` GPUs.
It implements ``__array_ufunc__``/``__array_function__`` like CuPy, for an explicit list of
functions CuPy has. Values are NumPy's, so kernels can be compared with the NumPy backend.
"""

import sys
import types
import weakref

import numpy as np

DEVICES = 1
TOTAL_MEMORY = 1 << 30
_current = [0]


# --- memory ------------------------------------------------------------------------------------
class OutOfMemoryError(MemoryError):
    def __init__(self, size, total, limit=0):
        self._size, self._total, self._limit = size, total, limit
        msg = (f"Out of memory allocating {size:,} bytes (allocated so far: {total:,} bytes"
               + (f", limit set to: {limit:,} bytes)." if limit else ")."))
        super().__init__(msg)


class CUDARuntimeError(RuntimeError):
    pass


class MemoryPool:
    def __init__(self):
        self.used = 0
        self.limit = 0
        self.freed_blocks = 0

    def _alloc(self, arr):
        n = int(arr.nbytes)
        limit = self.limit or TOTAL_MEMORY
        if self.used + n > limit:
            raise OutOfMemoryError(n, self.used, self.limit)
        self.used += n
        return n

    def _free(self, n):
        self.used -= n

    def set_limit(self, size=None, fraction=None):
        if size is not None and fraction is not None:
            raise ValueError("size and fraction cannot be specified at one time")
        if fraction is not None:
            if not 0 <= fraction <= 1:
                raise ValueError(f"memory limit fraction out of range: {fraction}")
            size = fraction * TOTAL_MEMORY
        self.limit = int(size or 0)

    def get_limit(self):
        return self.limit

    def used_bytes(self):
        return self.used

    def total_bytes(self):
        return self.used

    def free_all_blocks(self, stream=None):
        self.freed_blocks += 1


_pool = MemoryPool()


def get_default_memory_pool():
    return _pool


# --- arrays ------------------------------------------------------------------------------------
class Device:
    def __init__(self, device=None):
        self.id = _current[0] if device is None else int(device)
        if not 0 <= self.id < DEVICES:
            raise CUDARuntimeError(f"cudaErrorInvalidDevice: invalid device ordinal {self.id}")
        self._prev = []

    def __enter__(self):
        self._prev.append(_current[0])
        _current[0] = self.id
        return self

    def __exit__(self, *exc):
        _current[0] = self._prev.pop()

    def synchronize(self):
        pass

    def __eq__(self, other):
        return isinstance(other, Device) and other.id == self.id

    def __hash__(self):
        return self.id

    def __repr__(self):
        return f"<CUDA Device {self.id}>"


def _unwrap(x, dev):
    if isinstance(x, ndarray):
        if x._dev != dev:
            raise ValueError(f"array on device {x._dev} used while device {dev} is current "
                             "(peer access is not enabled)")
        return x._a
    if isinstance(x, np.ndarray):
        raise TypeError(f"Unsupported type {type(x)}")
    if isinstance(x, (list, tuple)):
        return type(x)(_unwrap(v, dev) for v in x)
    return x


def _wrap(r):
    if isinstance(r, np.ndarray):
        return ndarray(r)
    if isinstance(r, np.generic):          # CuPy returns 0-d arrays, never NumPy scalars
        return ndarray(np.asarray(r))
    if isinstance(r, tuple):
        return tuple(_wrap(v) for v in r)
    if isinstance(r, list):
        return [_wrap(v) for v in r]
    return r


class ndarray:  # noqa: N801 (CuPy's name)
    __slots__ = ("_a", "_dev", "__weakref__")
    __array_priority__ = 100

    def __init__(self, a):
        a = np.asarray(a)
        self._a = a
        self._dev = _current[0]
        n = _pool._alloc(a)
        weakref.finalize(self, _pool._free, n)

    shape = property(lambda self: self._a.shape)
    dtype = property(lambda self: self._a.dtype)
    ndim = property(lambda self: self._a.ndim)
    size = property(lambda self: self._a.size)
    nbytes = property(lambda self: self._a.nbytes)
    T = property(lambda self: _call(np.transpose, self))
    device = property(lambda self: Device(self._dev))

    def __array__(self, *args, **kwargs):
        raise TypeError("Implicit conversion to a NumPy array is not allowed. Please use "
                        "`.get()` to construct a NumPy array explicitly.")

    def get(self, stream=None):
        return self._a.copy()

    def tolist(self):
        return self._a.tolist()

    def item(self):
        return self._a.item()

    def __bool__(self):
        return bool(self._a)

    def __int__(self):
        return int(self._a)

    def __float__(self):
        return float(self._a)

    def __index__(self):
        return int(self._a)

    def __len__(self):
        return len(self._a)

    def __iter__(self):
        return (_wrap(v) for v in self._a)

    def __getitem__(self, idx):
        return _wrap(self._a[_unwrap(idx, self._dev)])

    def __setitem__(self, idx, value):
        self._a[_unwrap(idx, self._dev)] = _unwrap(value, self._dev)

    def astype(self, dtype, copy=True):
        return ndarray(self._a.astype(dtype, copy=True))

    def copy(self):
        return ndarray(self._a.copy())

    def __repr__(self):
        return f"fake_cupy.{self._a!r}"

    def __array_ufunc__(self, uf, method, *inputs, **kwargs):
        mine = _UFUNCS.get(uf.__name__)
        if mine is None:
            return NotImplemented
        return getattr(mine, method)(*inputs, **kwargs)

    def __array_function__(self, func, types_, args, kwargs):
        mine = _FUNCTIONS.get(func.__name__)
        if mine is None:
            return NotImplemented
        return mine(*args, **kwargs)


def _call(fn, *args, **kwargs):
    dev = _current[0]
    return _wrap(fn(*_unwrap(args, dev), **{k: _unwrap(v, dev) for k, v in kwargs.items()}))


for _m in ("reshape", "sum", "mean", "max", "min", "any", "all", "ravel", "transpose",
           "squeeze", "argmax", "argmin", "prod", "cumsum", "clip", "swapaxes", "flatten",
           "dot", "repeat", "take", "nonzero", "var", "std"):
    setattr(ndarray, _m, (lambda name: lambda self, *a, **k: _call(
        getattr(np.ndarray, name), self, *a, **k))(_m))


class ufunc:  # noqa: N801 (CuPy's name)
    def __init__(self, np_ufunc):
        self._u = np_ufunc
        self.__name__ = np_ufunc.__name__
        self.nin, self.nout = np_ufunc.nin, np_ufunc.nout

    def __call__(self, *args, **kwargs):
        with np.errstate(all="ignore"):      # CuPy never warns about inf/nan
            return _call(self._u, *args, **kwargs)

    def reduce(self, *args, **kwargs):
        return _call(self._u.reduce, *args, **kwargs)

    def outer(self, *args, **kwargs):
        return _call(self._u.outer, *args, **kwargs)

    def at(self, a, indices, b=None):
        dev = _current[0]
        args = (_unwrap(indices, dev),) + (() if b is None else (_unwrap(b, dev),))
        self._u.at(_unwrap(a, dev), *args)

    def __repr__(self):
        return f"<ufunc '{self.__name__}'>"


# Names checked against CuPy's API reference (ufuncs and routines CuPy implements).
_UFUNC_NAMES = """add subtract multiply divide true_divide floor_divide negative positive power
remainder mod fmod absolute fabs rint sign exp exp2 log log2 log10 expm1 log1p sqrt square cbrt
reciprocal sin cos tan arcsin arccos arctan arctan2 hypot sinh cosh tanh arcsinh arccosh
arctanh logaddexp logaddexp2 deg2rad rad2deg degrees radians greater greater_equal less
less_equal not_equal equal
logical_and logical_or logical_xor logical_not maximum minimum fmax fmin isfinite isinf isnan
signbit copysign nextafter ldexp frexp modf floor ceil trunc bitwise_and bitwise_or bitwise_xor
invert left_shift right_shift matmul conjugate conj""".split()

_FUNCTION_NAMES = """abs all any amax amin max min argmax argmin arange broadcast_to
broadcast_arrays clip concatenate cumsum cumprod diag diagonal dot einsum empty empty_like
expand_dims eye flip full full_like identity inner isclose linspace mean moveaxis nonzero
ones ones_like outer pad prod ravel real imag repeat reshape roll round around searchsorted
shape size ndim sort argsort split squeeze stack std sum swapaxes take take_along_axis
tensordot tile trace transpose tril triu unique var vstack hstack where zeros zeros_like
count_nonzero flatnonzero argwhere bincount atleast_1d atleast_2d ascontiguousarray copyto
put select nan_to_num cross kron median percentile histogram meshgrid""".split()

_UFUNCS = {n: ufunc(getattr(np, n)) for n in _UFUNC_NAMES if isinstance(getattr(np, n, None),
                                                                       np.ufunc)}
_FUNCTIONS = {}
for _n in _FUNCTION_NAMES:
    _f = getattr(np, _n, None)
    if _f is not None:
        _FUNCTIONS[_n] = (lambda f: lambda *a, **k: _call(f, *a, **k))(_f)

# Metadata functions read no device memory (no device check, as in CuPy).
_FUNCTIONS.update(shape=lambda a: a.shape, ndim=lambda a: a.ndim, size=lambda a: a.size)


def asarray(a, dtype=None, order=None):
    if isinstance(a, ndarray):
        if a._dev != _current[0]:
            return a                        # CuPy's asarray does not move between devices
        return a if dtype is None or a.dtype == dtype else a.astype(dtype)
    return ndarray(np.array(a, dtype=dtype))


def array(a, dtype=None, copy=True, order="K", ndmin=0):
    if isinstance(a, ndarray):
        return ndarray(np.array(a._a, dtype=dtype, copy=True))   # peer copy to current device
    return ndarray(np.array(a, dtype=dtype))


def asnumpy(a, stream=None):
    if isinstance(a, ndarray):
        return a._a.copy()
    return np.asarray(a)


def get_array_module(*args):
    return sys.modules[__name__] if any(isinstance(a, ndarray) for a in args) else np


# --- random ------------------------------------------------------------------------------------
class RandomState:
    def __init__(self, seed=None):
        self._g = np.random.default_rng(seed)

    def random_sample(self, size=None, dtype=float):
        return ndarray(self._g.random(size, dtype=np.dtype(dtype)))

    def standard_normal(self, size=None, dtype=float):
        return ndarray(self._g.standard_normal(size, dtype=np.dtype(dtype)))

    def randint(self, low, high=None, size=None, dtype="l"):
        return ndarray(self._g.integers(low, high, size=size, dtype=np.dtype(dtype)))


# --- module layout (cupy, cupy.cuda, cupy.cuda.runtime, cupy.cuda.memory, cupy.random) --------
def _stream():
    return types.SimpleNamespace(synchronize=lambda: None)


def _get_device_count():
    if DEVICES == 0:
        raise CUDARuntimeError("cudaErrorNoDevice: no CUDA-capable device is detected")
    return DEVICES


runtime = types.SimpleNamespace(
    getDeviceCount=_get_device_count, CUDARuntimeError=CUDARuntimeError,
    memGetInfo=lambda: (TOTAL_MEMORY - _pool.used, TOTAL_MEMORY),
    deviceSynchronize=lambda: None)
memory = types.SimpleNamespace(OutOfMemoryError=OutOfMemoryError, MemoryPool=MemoryPool)
cuda = types.SimpleNamespace(Device=Device, runtime=runtime, memory=memory,
                             get_current_stream=_stream, MemoryPool=MemoryPool,
                             OutOfMemoryError=OutOfMemoryError)
random = types.SimpleNamespace(RandomState=RandomState)

_OPS = {"add": "add", "sub": "subtract", "mul": "multiply", "truediv": "true_divide",
        "floordiv": "floor_divide", "mod": "remainder", "pow": "power", "matmul": "matmul",
        "and": "bitwise_and", "or": "bitwise_or", "xor": "bitwise_xor"}
for _op, _u in _OPS.items():
    setattr(ndarray, f"__{_op}__", (lambda u: lambda self, o: _UFUNCS[u](self, o))(_u))
    setattr(ndarray, f"__r{_op}__", (lambda u: lambda self, o: _UFUNCS[u](o, self))(_u))
for _op, _u in (("lt", "less"), ("le", "less_equal"), ("gt", "greater"),
                ("ge", "greater_equal"), ("eq", "equal"), ("ne", "not_equal")):
    setattr(ndarray, f"__{_op}__", (lambda u: lambda self, o: _UFUNCS[u](self, o))(_u))
for _op, _u in (("iadd", np.add), ("isub", np.subtract), ("imul", np.multiply),
                ("itruediv", np.true_divide)):
    def _inplace(self, o, _u=_u):
        _u(self._a, _unwrap(o, self._dev), out=self._a, casting="unsafe")
        return self
    setattr(ndarray, f"__{_op}__", _inplace)
ndarray.__neg__ = lambda self: _UFUNCS["negative"](self)
ndarray.__pos__ = lambda self: _UFUNCS["positive"](self)
ndarray.__abs__ = lambda self: _UFUNCS["absolute"](self)
ndarray.__invert__ = lambda self: _UFUNCS["invert"](self)
ndarray.__hash__ = None

globals().update(_UFUNCS)
globals().update({n: f for n, f in _FUNCTIONS.items() if n not in _UFUNCS})
__version__ = "fake-13.0"
for _t in ("bool_", "int8", "int16", "int32", "int64", "uint8", "float16", "float32",
           "float64", "complex64", "complex128"):
    globals()[_t] = getattr(np, _t)


def reset(devices=1, total_memory=1 << 30):
    """Fresh state: ``devices`` GPUs, an empty pool without a limit, device 0 current."""
    global DEVICES, TOTAL_MEMORY
    DEVICES = devices
    TOTAL_MEMORY = total_memory
    _pool.limit = 0
    _pool.freed_blocks = 0
    _current[0] = 0
