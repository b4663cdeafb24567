"""Element types of tensors, named and numbered as in TF1 (tf.float32, tf.float32_ref, ...)."""

import numpy as np

__all__ = [
    "DType", "as_dtype", "float16", "half", "float32", "float64", "double", "int8", "int16",
    "int32", "int64", "uint8", "uint16", "uint32", "uint64", "bool", "complex64", "complex128",
    "string",
]


class DType:
    """An element type: its name, its NumPy type, and whether it is a reference (variable) type."""

    __slots__ = ("_name", "_np", "_enum", "_is_ref", "_base", "_ref")

    def __init__(self, name, np_type, enum, is_ref=False, base=None):
        self._name = name
        self._np = np.dtype(np_type)
        self._enum = enum
        self._is_ref = is_ref
        self._base = base if base is not None else self
        self._ref = None

    # --- identity -----------------------------------------------------------------------------
    @property
    def name(self):
        return self._name

    @property
    def as_datatype_enum(self):
        """TF's DataType enum value (reference types add 100), used by GraphDef export."""
        return self._enum + (100 if self._is_ref else 0)

    @property
    def as_numpy_dtype(self):
        return self._np.type

    @property
    def base_dtype(self):
        return self._base

    @property
    def _as_ref(self):
        return self._base._ref

    @property
    def is_ref_dtype(self):
        return self._is_ref

    @property
    def real_dtype(self):
        if self._base is complex64:
            return float32
        if self._base is complex128:
            return float64
        return self._base

    # --- kind predicates ----------------------------------------------------------------------
    @property
    def is_floating(self):
        return self._np.kind == "f"

    @property
    def is_integer(self):
        return self._np.kind in "iu"

    @property
    def is_unsigned(self):
        return self._np.kind == "u"

    @property
    def is_complex(self):
        return self._np.kind == "c"

    @property
    def is_bool(self):
        return self._np.kind == "b"

    @property
    def is_numpy_compatible(self):
        return True

    @property
    def is_quantized(self):
        return False

    @property
    def size(self):
        return self._np.itemsize

    @property
    def min(self):
        if self.is_floating:
            return float(np.finfo(self._np).min)
        if self.is_integer:
            return int(np.iinfo(self._np).min)
        if self.is_bool:
            return False
        raise TypeError(f"Cannot find minimum value of {self._name}.")

    @property
    def max(self):
        if self.is_floating:
            return float(np.finfo(self._np).max)
        if self.is_integer:
            return int(np.iinfo(self._np).max)
        if self.is_bool:
            return True
        raise TypeError(f"Cannot find maximum value of {self._name}.")

    @property
    def limits(self):
        return self.min, self.max

    def is_compatible_with(self, other):
        return self._base is as_dtype(other)._base

    # --- protocol -----------------------------------------------------------------------------
    def __eq__(self, other):
        if other is None:
            return False
        if isinstance(other, DType):
            return self is other
        try:
            return self is as_dtype(other)
        except TypeError:
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash((self._name, self._is_ref))

    def __repr__(self):
        return f"tf.{self._name}"

    def __str__(self):
        return f"<dtype: '{self._name}'>"

    def __reduce__(self):
        return as_dtype, (self._name,)


def _pair(name, np_type, enum):
    base = DType(name, np_type, enum)
    base._ref = DType(name + "_ref", np_type, enum, is_ref=True, base=base)
    base._ref._ref = base._ref
    return base


float16 = half = _pair("float16", np.float16, 19)
float32 = _pair("float32", np.float32, 1)
float64 = double = _pair("float64", np.float64, 2)
int8 = _pair("int8", np.int8, 6)
int16 = _pair("int16", np.int16, 5)
int32 = _pair("int32", np.int32, 3)
int64 = _pair("int64", np.int64, 9)
uint8 = _pair("uint8", np.uint8, 4)
uint16 = _pair("uint16", np.uint16, 17)
uint32 = _pair("uint32", np.uint32, 22)
uint64 = _pair("uint64", np.uint64, 23)
bool = _pair("bool", np.bool_, 10)  # noqa: A001  (TF's name)
complex64 = _pair("complex64", np.complex64, 8)
complex128 = _pair("complex128", np.complex128, 18)
string = _pair("string", np.object_, 7)

_ALL = (float16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64,
        bool, complex64, complex128, string)
_BY_NAME = {}
for _d in _ALL:
    _BY_NAME[_d.name] = _d
    _BY_NAME[_d._ref.name] = _d._ref
_BY_NAME.update(half=float16, double=float64, float=float32)
_BY_NP = {d._np: d for d in _ALL if d is not string}
_BY_ENUM = {d.as_datatype_enum: d for d in _ALL}
_BY_ENUM.update({d._ref.as_datatype_enum: d._ref for d in _ALL})


def as_dtype(type_value):
    """Converts a DType, NumPy dtype/type, name string or TF enum number into a DType."""
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, str):
        try:
            return _BY_NAME[type_value]
        except KeyError:
            raise TypeError(f"Cannot convert {type_value!r} to a flowbook DType.") from None
    if isinstance(type_value, int) and not isinstance(type_value, (np.generic,)) and \
            type_value in _BY_ENUM and type_value is not True and type_value is not False:
        return _BY_ENUM[type_value]
    if type_value in (str, bytes):
        return string
    try:
        npd = np.dtype(type_value)
    except TypeError:
        raise TypeError(f"Cannot convert {type_value!r} to a flowbook DType.") from None
    if npd.kind in "OSU":
        return string
    try:
        return _BY_NP[npd]
    except KeyError:
        raise TypeError(f"Cannot convert {type_value!r} (NumPy {npd}) to a flowbook DType.") \
            from None


def from_numpy(np_dtype):
    """DType for a NumPy dtype (fast path used on every constant)."""
    d = _BY_NP.get(np_dtype)
    if d is None:
        return as_dtype(np_dtype)
    return d
