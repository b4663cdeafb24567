"""Static shapes: TensorShape and Dimension, with unknown dimensions as TF1 has them.

A shape is known at graph-building time only partly: its rank may be unknown (None) and each
dimension may be unknown (None, printed "?"). Internally a TensorShape holds a tuple of
``int | None`` (or None for unknown rank), so the hot paths compare plain tuples.
"""

__all__ = ["Dimension", "TensorShape", "as_shape", "as_dimension", "unknown_shape", "scalar"]


class Dimension:
    """One dimension of a shape: an int, or unknown (value None)."""

    __slots__ = ("_value",)

    def __init__(self, value):
        if value is None:
            self._value = None
        else:
            if isinstance(value, Dimension):
                value = value._value
            try:
                v = int(value.__index__())
            except AttributeError:
                raise TypeError(
                    f"Dimension value must be an integer or None, got {value!r} of type "
                    f"{type(value).__name__}.") from None
            if v < 0:
                raise ValueError(f"Dimension {v} must be >= 0")
            self._value = v

    @property
    def value(self):
        return self._value

    def __repr__(self):
        return f"Dimension({self._value!r})"

    def __str__(self):
        return "?" if self._value is None else str(self._value)

    def __int__(self):
        if self._value is None:
            raise TypeError("Cannot convert an unknown Dimension to an int.")
        return self._value

    __index__ = __int__

    def __hash__(self):
        return hash(self._value)

    def _other(self, other):
        return other._value if isinstance(other, Dimension) else (
            None if other is None else int(other))

    def __eq__(self, other):
        try:
            o = self._other(other)
        except (TypeError, ValueError):
            return NotImplemented
        if self._value is None or o is None:
            return None
        return self._value == o

    def __ne__(self, other):
        r = self.__eq__(other)
        return r if r is None or r is NotImplemented else not r

    def _cmp(self, other, f):
        o = self._other(other)
        if self._value is None or o is None:
            return None
        return f(self._value, o)

    def __lt__(self, other):
        return self._cmp(other, lambda a, b: a < b)

    def __le__(self, other):
        return self._cmp(other, lambda a, b: a <= b)

    def __gt__(self, other):
        return self._cmp(other, lambda a, b: a > b)

    def __ge__(self, other):
        return self._cmp(other, lambda a, b: a >= b)

    def _arith(self, other, f):
        try:
            o = self._other(other)
        except (TypeError, ValueError):
            return NotImplemented
        if self._value is None or o is None:
            return Dimension(None)
        return Dimension(f(self._value, o))

    def __add__(self, other):
        return self._arith(other, lambda a, b: a + b)

    __radd__ = __add__

    def __sub__(self, other):
        return self._arith(other, lambda a, b: a - b)

    def __rsub__(self, other):
        return self._arith(other, lambda a, b: b - a)

    def __mul__(self, other):
        return self._arith(other, lambda a, b: a * b)

    __rmul__ = __mul__

    def __floordiv__(self, other):
        return self._arith(other, lambda a, b: a // b)

    def __rfloordiv__(self, other):
        return self._arith(other, lambda a, b: b // a)

    def __mod__(self, other):
        return self._arith(other, lambda a, b: a % b)

    def is_compatible_with(self, other):
        o = as_dimension(other)._value
        return self._value is None or o is None or self._value == o

    def assert_is_compatible_with(self, other):
        if not self.is_compatible_with(other):
            raise ValueError(f"Dimensions {self} and {as_dimension(other)} are not compatible")

    def merge_with(self, other):
        o = as_dimension(other)._value
        if self._value is None:
            return Dimension(o)
        if o is None or o == self._value:
            return Dimension(self._value)
        raise ValueError(f"Dimensions {self} and {o} are not compatible")


def as_dimension(value):
    return value if isinstance(value, Dimension) else Dimension(value)


def _dim_value(d):
    if d is None:
        return None
    if isinstance(d, Dimension):
        return d._value
    try:
        v = d.__index__()
    except AttributeError:
        raise TypeError(f"Dimension value must be an integer or None, got {d!r}") from None
    if v < 0:
        raise ValueError(f"Dimension {v} must be >= 0 (use None for an unknown dimension)")
    return int(v)


class TensorShape:
    """The static shape of a tensor: unknown rank, or a list of known/unknown dimensions."""

    __slots__ = ("_dims",)

    def __init__(self, dims):
        if dims is None:
            self._dims = None
        elif isinstance(dims, TensorShape):
            self._dims = dims._dims
        elif isinstance(dims, (str, bytes)):
            raise TypeError(f"A string has ambiguous TensorShape, please wrap in a list: {dims!r}")
        else:
            try:
                it = iter(dims)
            except TypeError:
                self._dims = (_dim_value(dims),)
            else:
                self._dims = tuple(_dim_value(d) for d in it)

    @classmethod
    def _from_tuple(cls, dims):
        s = object.__new__(cls)
        s._dims = dims
        return s

    # --- queries ------------------------------------------------------------------------------
    @property
    def dims(self):
        return None if self._dims is None else [Dimension(d) for d in self._dims]

    @property
    def ndims(self):
        return None if self._dims is None else len(self._dims)

    rank = ndims

    def as_list(self):
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    def as_tuple(self):
        """The dims as a tuple of int-or-None (None for unknown rank); flowbook extension."""
        return self._dims

    def is_fully_defined(self):
        return self._dims is not None and None not in self._dims

    def num_elements(self):
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self._dims:
            n *= d
        return n

    def __len__(self):
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __bool__(self):
        return self._dims is not None

    def __iter__(self):
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter([Dimension(d) for d in self._dims])

    def __getitem__(self, key):
        if self._dims is None:
            if isinstance(key, slice):
                return unknown_shape()
            return Dimension(None)
        if isinstance(key, slice):
            return TensorShape._from_tuple(self._dims[key])
        return Dimension(self._dims[key])

    # --- compatibility ------------------------------------------------------------------------
    def is_compatible_with(self, other):
        o = as_shape(other)._dims
        s = self._dims
        if s is None or o is None:
            return True
        if len(s) != len(o):
            return False
        for a, b in zip(s, o):
            if a is not None and b is not None and a != b:
                return False
        return True

    def assert_is_compatible_with(self, other):
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {as_shape(other)} are incompatible")

    def merge_with(self, other):
        o = as_shape(other)._dims
        s = self._dims
        if s is None:
            return TensorShape._from_tuple(o)
        if o is None:
            return self
        if len(s) != len(o):
            raise ValueError(f"Shapes {self} and {as_shape(other)} are not compatible")
        out = []
        for a, b in zip(s, o):
            if a is None:
                out.append(b)
            elif b is None or a == b:
                out.append(a)
            else:
                raise ValueError(f"Shapes {self} and {as_shape(other)} are not compatible")
        return TensorShape._from_tuple(tuple(out))

    def most_specific_compatible_shape(self, other):
        o = as_shape(other)._dims
        s = self._dims
        if s is None or o is None or len(s) != len(o):
            return unknown_shape()
        return TensorShape._from_tuple(tuple(a if a == b else None for a, b in zip(s, o)))

    def concatenate(self, other):
        o = as_shape(other)._dims
        if self._dims is None or o is None:
            return unknown_shape()
        return TensorShape._from_tuple(self._dims + o)

    def __add__(self, other):
        return self.concatenate(other)

    def __radd__(self, other):
        return as_shape(other).concatenate(self)

    def assert_has_rank(self, rank):
        if self._dims is not None and len(self._dims) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")

    def with_rank(self, rank):
        if self._dims is None:
            return unknown_shape(rank)
        self.assert_has_rank(rank)
        return self

    def with_rank_at_least(self, rank):
        if self._dims is not None and len(self._dims) < rank:
            raise ValueError(f"Shape {self} must have rank at least {rank}")
        return self

    def with_rank_at_most(self, rank):
        if self._dims is not None and len(self._dims) > rank:
            raise ValueError(f"Shape {self} must have rank at most {rank}")
        return self

    def assert_is_fully_defined(self):
        if not self.is_fully_defined():
            raise ValueError(f"Shape {self} is not fully defined")

    # --- protocol -----------------------------------------------------------------------------
    def __eq__(self, other):
        try:
            return self._dims == as_shape(other)._dims
        except (TypeError, ValueError):
            return NotImplemented

    def __ne__(self, other):
        r = self.__eq__(other)
        return r if r is NotImplemented else not r

    def __hash__(self):
        return hash(self._dims)

    def __str__(self):
        d = self._dims
        if d is None:
            return "<unknown>"
        if len(d) == 1:
            return f"({'?' if d[0] is None else d[0]},)"
        return "(" + ", ".join("?" if x is None else str(x) for x in d) + ")"

    def __repr__(self):
        if self._dims is None:
            return "TensorShape(None)"
        return "TensorShape([" + ", ".join(f"Dimension({x!r})" for x in self._dims) + "])"

    def __reduce__(self):
        return TensorShape, (self._dims,)


_SCALAR = TensorShape._from_tuple(())
_UNKNOWN = TensorShape._from_tuple(None)


def as_shape(shape):
    return shape if isinstance(shape, TensorShape) else TensorShape(shape)


def unknown_shape(rank=None, ndims=None):
    rank = rank if rank is not None else ndims
    if rank is None:
        return _UNKNOWN
    return TensorShape._from_tuple((None,) * rank)


def scalar():
    return _SCALAR
