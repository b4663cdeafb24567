"""Creation and shape ops: constant, placeholder, identity, fill/zeros/ones, shape, reshape, stack.

The rest of the array op set lives beside it: manip_ops (transpose, pad, slice, ...),
join_ops (concat, split, unstack), gather_ops, creation_ops (linspace, one_hot), linalg_ops,
einsum_ops; slicing.py holds tensor[...] (StridedSlice).
"""

import numpy as np

from ..graph import dtypes as _dtypes
from ..graph.graph import get_default_graph, name_scope
from ..graph.shape import TensorShape, as_shape, _SCALAR, _UNKNOWN
from .convert import convert_to_tensor, to_ndarray
from .registry import register_op, apply_op1, EMPTY_ATTRS
from .shape_values import constant_value, constant_value_as_shape, reshaped_shape

__all__ = ["constant", "placeholder", "placeholder_with_default", "identity", "fill", "zeros",
           "ones", "zeros_like", "ones_like", "shape", "reshape", "stack", "size", "rank",
           "range", "stop_gradient"]


# --- Const -----------------------------------------------------------------------------------
def _const_infer(inputs, attrs):
    v = attrs["value"]
    return attrs["dtype"], TensorShape._from_tuple(v.shape)


register_op("Const", inputs=(), infer=_const_infer, not_differentiable="a constant",
            doc="y = value (a constant stored in the graph)")


def _const_from_array(arr, name="Const", dtype=None, graph=None):
    arr = np.array(arr)   # our own read-only copy: the caller's array stays theirs
    arr.flags.writeable = False
    d = dtype or _dtypes.from_numpy(arr.dtype)
    g = graph or get_default_graph()
    from .registry import get_opdef
    opdef = get_opdef("Const")
    with g._lock:
        op_name = g._op_name(name, "Const")
    attrs = {"value": arr, "dtype": d}
    return g._add_op("Const", opdef, op_name, (), attrs, [(d, TensorShape._from_tuple(arr.shape))
                                                          ])._outputs[0]


def constant(value, dtype=None, shape=None, name="Const", verify_shape=False):
    """A Const op holding ``value`` (dtype inferred as TF1 does); ``shape`` fills or reshapes."""
    if dtype is not None:
        dtype = _dtypes.as_dtype(dtype)
    arr = to_ndarray(value, dtype)
    if shape is not None:
        target = as_shape(shape)
        if not target.is_fully_defined():
            raise ValueError(f"constant shape must be fully defined, got {target}")
        dims = tuple(target.as_list())
        n = int(np.prod(dims, dtype=np.int64))
        if verify_shape and arr.shape != dims:
            raise TypeError(f"Expected Tensor's shape: {dims}, got {arr.shape}.")
        if arr.size == 1:
            arr = np.full(dims, arr.reshape(()), dtype=arr.dtype)
        elif arr.size == n:
            arr = arr.reshape(dims)
        elif arr.size < n:
            if arr.size == 0:
                raise ValueError(f"Cannot fill a constant of shape {dims} from an empty value.")
            flat = arr.reshape(-1)
            arr = np.concatenate([flat, np.repeat(flat[-1:], n - flat.size)]).reshape(dims)
        else:
            raise ValueError(
                f"Too many elements provided. Needed at most {n}, but received {arr.size} "
                f"(constant of shape {dims}).")
    return _const_from_array(arr, name if name is not None else "Const", dtype)


# --- Placeholder -----------------------------------------------------------------------------
def _placeholder_infer(inputs, attrs):
    return attrs["dtype"], attrs["shape"]


register_op("Placeholder", inputs=(), infer=_placeholder_infer,
            not_differentiable="its value is fed", stateful=True,
            doc="y = the value fed for this tensor in Session.run (it must be fed)")


def placeholder(dtype, shape=None, name=None):
    """A tensor whose value must be fed: ``sess.run(..., feed_dict={x: value})``."""
    dtype = _dtypes.as_dtype(dtype)
    if dtype.is_ref_dtype:
        raise TypeError(f"A placeholder cannot have a reference dtype ({dtype.name}).")
    return apply_op1("Placeholder", (), {"dtype": dtype, "shape": as_shape(shape)}, name)


def _pwd_infer(inputs, attrs):
    x = inputs[0]
    s = attrs["shape"]
    if not s.is_compatible_with(x._shape):
        raise ValueError(f"The default value's shape {x._shape} is incompatible with the "
                         f"placeholder shape {s}.")
    return x._dtype.base_dtype, s


register_op("PlaceholderWithDefault", inputs=("input",), infer=_pwd_infer,
            grad=lambda op, g: (g,),
            doc="y = the fed value if fed, else input")


def placeholder_with_default(input, shape, name=None):  # noqa: A002 (TF's name)
    """A placeholder that yields ``input`` when not fed."""
    return apply_op1("PlaceholderWithDefault", (input,), {"shape": as_shape(shape)}, name)


# --- StopGradient ----------------------------------------------------------------------------
register_op("StopGradient", inputs=("input",), infer=lambda inputs, attrs: (
    inputs[0]._dtype.base_dtype, inputs[0]._shape), not_differentiable="it stops gradients",
    elementwise=True, doc="y = x, but gradients do not flow through it")


def stop_gradient(input, name=None):  # noqa: A002
    """``input`` unchanged, treated as a constant by tf.gradients."""
    return apply_op1("StopGradient", (input,), None, name)


# --- Identity --------------------------------------------------------------------------------
def _identity_infer(inputs, attrs):
    x = inputs[0]
    return x._dtype.base_dtype, x._shape


def _identity_grad(op, grad):
    return (grad,)


register_op("Identity", inputs=("input",), infer=_identity_infer, grad=_identity_grad,
            doc="y = x")


def identity(input, name=None):  # noqa: A002
    """Returns a new tensor with the same value (a node you can name, fetch or depend on)."""
    return apply_op1("Identity", (input,), None, name)


# --- Fill, zeros, ones -----------------------------------------------------------------------
def _fill_infer(inputs, attrs):
    dims, value = inputs
    if value._shape._dims not in (None, ()):
        raise ValueError(f"value must be a scalar, got shape {value._shape}")
    if dims._shape._dims is not None and len(dims._shape._dims) != 1:
        raise ValueError(f"dims must be a vector, got shape {dims._shape}")
    return value._dtype.base_dtype, constant_value_as_shape(dims)


def _fill_grad(op, g):
    from .math_ops import reduce_sum
    return None, reduce_sum(g)


register_op("Fill", inputs=("dims", "value"), input_types=(_dtypes.int32, "T"),
            infer=_fill_infer, grad=_fill_grad,
            doc="y[i...] = value for every index of a tensor of shape dims")


def fill(dims, value, name=None):
    """A tensor of shape ``dims`` filled with the scalar ``value``."""
    return apply_op1("Fill", (dims, value), None, name)


def _small_constant(value, shape, dtype, name):
    s = as_shape(shape) if not hasattr(shape, "_op") else None
    if s is not None and s.is_fully_defined() and s.num_elements() < 1000:
        return constant(np.full(s.as_list(), value, dtype=dtype.as_numpy_dtype), dtype=dtype,
                        name=name)
    return None


def zeros(shape, dtype=_dtypes.float32, name=None):
    """A tensor of ``shape`` filled with zeros."""
    dtype = _dtypes.as_dtype(dtype).base_dtype
    with name_scope(name, "zeros", [shape]) as scope:
        c = _small_constant(0, shape, dtype, scope)
        if c is not None:
            return c
        return fill(_shape_tensor(shape), constant(0, dtype=dtype), name=scope)


def ones(shape, dtype=_dtypes.float32, name=None):
    """A tensor of ``shape`` filled with ones."""
    dtype = _dtypes.as_dtype(dtype).base_dtype
    with name_scope(name, "ones", [shape]) as scope:
        c = _small_constant(1, shape, dtype, scope)
        if c is not None:
            return c
        return fill(_shape_tensor(shape), constant(1, dtype=dtype), name=scope)


def _shape_tensor(shape):
    if hasattr(shape, "_op"):
        return shape
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    if isinstance(shape, (list, tuple)) and any(hasattr(s, "_op") for s in shape):
        return stack(list(shape), name="shape_as_tensor")
    return constant(shape, dtype=_dtypes.int32, name="shape_as_tensor")


def _like_infer(inputs, attrs):
    x = inputs[0]
    return attrs.get("dtype") or x._dtype.base_dtype, x._shape


register_op("ZerosLike", inputs=("x",), infer=_like_infer, not_differentiable="constant 0",
            doc="y = 0 with the shape of x")
register_op("OnesLike", inputs=("x",), infer=_like_infer, not_differentiable="constant 1",
            doc="y = 1 with the shape of x")


def zeros_like(tensor, dtype=None, name=None, optimize=True):
    """Zeros with the shape (and dtype, unless given) of ``tensor``."""
    tensor = convert_to_tensor(tensor)
    d = _dtypes.as_dtype(dtype).base_dtype if dtype is not None else tensor.dtype.base_dtype
    with name_scope(name, "zeros_like", [tensor]) as scope:
        if optimize and tensor.shape.is_fully_defined():
            return zeros(tensor.shape, dtype=d, name=scope)
        out = apply_op1("ZerosLike", (tensor,), None, scope)
        return out if d is tensor.dtype.base_dtype else _cast(out, d)


def ones_like(tensor, dtype=None, name=None, optimize=True):
    """Ones with the shape (and dtype, unless given) of ``tensor``."""
    tensor = convert_to_tensor(tensor)
    d = _dtypes.as_dtype(dtype).base_dtype if dtype is not None else tensor.dtype.base_dtype
    with name_scope(name, "ones_like", [tensor]) as scope:
        if optimize and tensor.shape.is_fully_defined():
            return ones(tensor.shape, dtype=d, name=scope)
        out = apply_op1("OnesLike", (tensor,), None, scope)
        return out if d is tensor.dtype.base_dtype else _cast(out, d)


def _cast(x, dtype):
    from .math_ops import cast
    return cast(x, dtype)


# --- Shape, Reshape --------------------------------------------------------------------------
def _shape_infer(inputs, attrs):
    dims = inputs[0]._shape._dims
    return attrs["out_type"], (_UNKNOWN if dims is None else TensorShape._from_tuple(
        (len(dims),)))


register_op("Shape", inputs=("input",), infer=_shape_infer,
            not_differentiable="the shape does not depend smoothly on values",
            doc="y = the shape of x as a 1-D integer tensor")


def shape(input, name=None, out_type=_dtypes.int32):  # noqa: A002
    """The dynamic shape of ``input`` (a Const when the static shape is fully known)."""
    input = convert_to_tensor(input)
    out_type = _dtypes.as_dtype(out_type)
    if input.shape.is_fully_defined():
        return constant(input.shape.as_list(), dtype=out_type, name=name or "Shape")
    return apply_op1("Shape", (input,), {"out_type": out_type}, name)


def _reshape_infer(inputs, attrs):
    x, s = inputs
    return x._dtype.base_dtype, reshaped_shape(x, s)


def _reshape_grad(op, g):
    x = op._inputs[0]
    target = x.shape.as_list() if x.shape.is_fully_defined() else shape(x)
    return reshape(g, target), None


register_op("Reshape", inputs=("tensor", "shape"), input_types=("T", _dtypes.int32),
            infer=_reshape_infer, grad=_reshape_grad,
            doc="y = x with the same elements in a new shape")


def reshape(tensor, shape, name=None):  # noqa: A002
    """``tensor`` with its elements laid out in ``shape`` (one dim may be -1)."""
    if isinstance(shape, TensorShape):
        shape = [-1 if d is None else d for d in shape.as_list()]
    return apply_op1("Reshape", (tensor, shape), None, name)


# --- Pack (stack) ----------------------------------------------------------------------------
def _pack_infer(inputs, attrs):
    axis = attrs["axis"]
    d0 = inputs[0]._dtype.base_dtype
    s = inputs[0]._shape
    for t in inputs[1:]:
        if t._dtype.base_dtype is not d0:
            raise TypeError(f"stack: all values must have one dtype, got {d0.name} and "
                            f"{t._dtype.base_dtype.name} ({t.name})")
        try:
            s = s.merge_with(t._shape)
        except ValueError:
            raise ValueError(f"stack: shapes {inputs[0]._shape} and {t._shape} must be "
                             "equal") from None
    if s._dims is None:
        return d0, _UNKNOWN
    r = len(s._dims) + 1
    if not -r <= axis < r:
        raise ValueError(f"axis = {axis} not in [{-r}, {r})")
    axis %= r
    return d0, TensorShape._from_tuple(s._dims[:axis] + (len(inputs),) + s._dims[axis:])


def _pack_grad(op, g):
    from .join_ops import unstack
    return tuple(unstack(g, num=len(op._inputs), axis=op._attrs["axis"]))


register_op("Pack", inputs=("values*",), infer=_pack_infer, grad=_pack_grad,
            doc="y = stack of N equally shaped values along a new axis")


def stack(values, axis=0, name="stack"):
    """Stacks equally shaped tensors into one tensor with a new ``axis``."""
    values = list(values)
    if not values:
        raise ValueError("stack needs at least one value.")
    from .convert import is_tensor_like, _contains_tensor
    if axis == 0 and not _contains_tensor(values):
        return constant(values, name=name)    # TF: a list of constants is one Const
    if not is_tensor_like(values[0]):
        values[0] = convert_to_tensor(values[0], name=name)   # TF names this Const "stack"
    return apply_op1("Pack", [values], {"axis": int(axis), "N": len(values)}, name)


# Convenience for other modules: scalar shape singletons.
SCALAR = _SCALAR
EMPTY = EMPTY_ATTRS


# --- Size, Rank, Range -----------------------------------------------------------------------
def _size_infer(inputs, attrs):
    return attrs["out_type"], _SCALAR


register_op("Size", inputs=("input",), infer=_size_infer,
            not_differentiable="an element count", doc="y = number of elements of x")
register_op("Rank", inputs=("input",), infer=lambda inputs, attrs: (_dtypes.int32, _SCALAR),
            not_differentiable="a dimension count", doc="y = number of dimensions of x")


def size(input, name=None, out_type=_dtypes.int32):  # noqa: A002
    """The number of elements of ``input`` (a Const when the static shape is known)."""
    input = convert_to_tensor(input)
    out_type = _dtypes.as_dtype(out_type)
    if input.shape.is_fully_defined():
        return constant(input.shape.num_elements(), dtype=out_type, name=name or "Size")
    return apply_op1("Size", (input,), {"out_type": out_type}, name)


def rank(input, name=None):  # noqa: A002
    """The number of dimensions of ``input`` (a Const when the static rank is known)."""
    input = convert_to_tensor(input)
    if input.shape.ndims is not None:
        return constant(input.shape.ndims, dtype=_dtypes.int32, name=name or "Rank")
    return apply_op1("Rank", (input,), None, name)


def _range_infer(inputs, attrs):
    start, limit, delta = inputs
    d = start._dtype.base_dtype
    for t in (limit, delta):
        if t._dtype.base_dtype is not d:
            raise TypeError(f"range: start, limit and delta must share a dtype, got {d.name} "
                            f"and {t._dtype.base_dtype.name}")
    vals = [constant_value(t) for t in inputs]
    if all(v is not None and v.ndim == 0 for v in vals):
        vals = [v.item() for v in vals]
        s, l, dl = vals
        if dl == 0:
            raise ValueError("range: delta must not be 0.")
        n = max(0, int(np.ceil((l - s) / dl)))
        return d, TensorShape([n])
    return d, TensorShape([None])


register_op("Range", inputs=("start", "limit", "delta"), input_types=("T", "T", "T"),
            infer=_range_infer, not_differentiable="a fixed sequence",
            doc="y = [start, start + delta, ...] up to (excluding) limit")


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001
    """Like Python's range, as a 1-D tensor (int32 for ints, float32 if any float)."""
    if limit is None:
        start, limit = 0, start
    with name_scope(name, "Range", [start, limit, delta]) as scope:
        vals = [start, limit, delta]
        if dtype is not None:
            d = _dtypes.as_dtype(dtype)
        else:
            ds = []
            for v in vals:
                ds.append(v.dtype.base_dtype if hasattr(v, "_op") else
                          _dtypes.from_numpy(to_ndarray(v).dtype))
            order = [_dtypes.int32, _dtypes.int64, _dtypes.float32, _dtypes.float64]
            d = max(ds, key=lambda t: order.index(t) if t in order else -1)
        ts = []
        for v, nm in zip(vals, ("start", "limit", "delta")):
            t = convert_to_tensor(v, name=nm) if hasattr(v, "_op") else constant(v, d, name=nm)
            if t.dtype.base_dtype is not d:
                from .math_ops import cast
                t = cast(t, d)
            ts.append(t)
        return apply_op1("Range", tuple(ts), None, scope)
