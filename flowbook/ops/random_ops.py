"""Random tensors with TF1's seeding rules (graph seed + op seed → a per-session stream).

With a graph-level seed (tf.set_random_seed) or an op seed, every new Session replays the same
values; with neither, values differ from run to run. Values are drawn with NumPy's PCG64, so
they differ from TensorFlow's numbers while following the same distributions and rules.
"""

import numpy as np

from ..graph import dtypes as _dtypes
from ..graph.graph import get_default_graph, name_scope
from ..graph.shape import TensorShape, _UNKNOWN
from .convert import convert_to_tensor
from .registry import register_op, apply_op1
from .shape_fns import static_int_list
from . import (array_ops, control_ops, debug_ops, elementwise_ops, manip_ops, math_ops,
               reduction_ops)

__all__ = ["set_random_seed", "get_seed", "random_uniform", "random_normal", "truncated_normal"]

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2 ** 31 - 1


def set_random_seed(seed):
    """Sets the graph-level seed of the default graph (random ops then replay per session)."""
    get_default_graph().seed = seed


def get_seed(op_seed):
    """TF1's (seed, seed2) pair for a new random op, from the graph seed and ``op_seed``."""
    g = get_default_graph()
    if g.seed is not None:
        if op_seed is None:
            op_seed = g._last_id
        seeds = g.seed % _MAXINT32, op_seed % _MAXINT32
    elif op_seed is not None:
        seeds = DEFAULT_GRAPH_SEED, op_seed % _MAXINT32
    else:
        seeds = None, None
    if seeds == (0, 0):
        return 0, _MAXINT32
    return seeds


def _shape_from(t):
    v = static_int_list(t)
    if v is not None:
        return TensorShape(v if isinstance(v, list) else [v])
    n = t._shape._dims[0] if t._shape._dims else None
    return _UNKNOWN if n is None else TensorShape([None] * n)


def _random_infer(inputs, attrs):
    return attrs["dtype"], _shape_from(inputs[0])


def _random_int_infer(inputs, attrs):
    shape, lo, hi = inputs
    return lo._dtype.base_dtype, _shape_from(shape)


for _t, _doc in (("RandomUniform", "y ~ U[0, 1)"),
                 ("RandomStandardNormal", "y ~ N(0, 1)"),
                 ("TruncatedNormal", "y ~ N(0, 1) redrawn where |y| > 2")):
    register_op(_t, inputs=("shape",), input_types=(_dtypes.int32,), infer=_random_infer,
                stateful=True, not_differentiable="random sample", doc=_doc)
register_op("RandomUniformInt", inputs=("shape", "minval", "maxval"),
            input_types=(_dtypes.int32, "T", "T"), infer=_random_int_infer, stateful=True,
            not_differentiable="random sample", doc="y ~ integers uniform in [minval, maxval)")


def _attrs(dtype, seed):
    s1, s2 = get_seed(seed)
    return {"dtype": dtype, "seed": s1 or 0, "seed2": s2 or 0}


def _check_float(dtype, what):
    if not dtype.is_floating:
        raise ValueError(f"{what} needs a floating dtype, got {dtype.name}")


def random_uniform(shape, minval=0, maxval=None, dtype=_dtypes.float32, seed=None, name=None):
    """Uniform values in [minval, maxval) (maxval defaults to 1 for floats)."""
    dtype = _dtypes.as_dtype(dtype).base_dtype
    if maxval is None:
        if dtype.is_integer:
            raise ValueError(f"Must specify maxval for integer dtype {dtype.name}")
        maxval = 1
    with name_scope(name, "random_uniform", [shape, minval, maxval]) as scope:
        shape_t = shape if hasattr(shape, "_op") else _rename_shape(shape)
        lo = convert_to_tensor(minval, dtype=dtype, name="min")
        hi = convert_to_tensor(maxval, dtype=dtype, name="max")
        if dtype.is_integer:
            a = _attrs(dtype, seed)
            del a["dtype"]
            return apply_op1("RandomUniformInt", (shape_t, lo, hi), a, scope)
        rnd = apply_op1("RandomUniform", (shape_t,), _attrs(dtype, seed))
        return math_ops.add(rnd * (hi - lo), lo, name=scope)


def _rename_shape(shape):
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    if isinstance(shape, (list, tuple)) and any(hasattr(s, "_op") for s in shape):
        return array_ops.stack(list(shape), name="shape")
    return array_ops.constant(shape, dtype=_dtypes.int32, name="shape")


def random_normal(shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32, seed=None, name=None):
    """Normally distributed values with the given mean and standard deviation."""
    dtype = _dtypes.as_dtype(dtype).base_dtype
    _check_float(dtype, "random_normal")
    with name_scope(name, "random_normal", [shape, mean, stddev]) as scope:
        shape_t = shape if hasattr(shape, "_op") else _rename_shape(shape)
        m = convert_to_tensor(mean, dtype=dtype, name="mean")
        s = convert_to_tensor(stddev, dtype=dtype, name="stddev")
        rnd = apply_op1("RandomStandardNormal", (shape_t,), _attrs(dtype, seed))
        return math_ops.add(rnd * s, m, name=scope)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32, seed=None, name=None):
    """Normal values, redrawn where more than two standard deviations from the mean."""
    dtype = _dtypes.as_dtype(dtype).base_dtype
    _check_float(dtype, "truncated_normal")
    with name_scope(name, "truncated_normal", [shape, mean, stddev]) as scope:
        shape_t = shape if hasattr(shape, "_op") else _rename_shape(shape)
        m = convert_to_tensor(mean, dtype=dtype, name="mean")
        s = convert_to_tensor(stddev, dtype=dtype, name="stddev")
        rnd = apply_op1("TruncatedNormal", (shape_t,), _attrs(dtype, seed))
        return math_ops.add(rnd * s, m, name=scope)


# --- gamma, Poisson, shuffle, categorical ----------------------------------------------------
__all__ += ["random_gamma", "random_poisson", "random_shuffle", "multinomial", "categorical"]


def _param_sample_infer(param_index, out_dtype_attr=None):
    """infer for ops drawing shape + param.shape samples (one per parameter entry)."""
    def infer(inputs, attrs):
        shape, p = inputs[0], inputs[param_index]
        d = attrs[out_dtype_attr] if out_dtype_attr else p._dtype.base_dtype
        return d, _shape_from(shape).concatenate(p._shape)
    return infer


register_op("RandomGamma", inputs=("shape", "alpha"), input_types=(_dtypes.int32, "T"),
            infer=_param_sample_infer(1), stateful=True,
            not_differentiable="random sample (TF's reparameterised alpha gradient, "
                               "RandomGammaGrad, is not implemented in flowbook)",
            doc="y[..., i] ~ Gamma(alpha[i], 1) for an output of shape shape + alpha.shape")
register_op("RandomPoissonV2", inputs=("shape", "rate"), input_types=(_dtypes.int32, "R"),
            infer=_param_sample_infer(1, "dtype"), stateful=True,
            not_differentiable="random integer-valued sample",
            doc="y[..., i] ~ Poisson(rate[i]) for an output of shape shape + rate.shape")
register_op("RandomShuffle", inputs=("value",), infer=lambda inputs, attrs: (
    inputs[0]._dtype.base_dtype, inputs[0]._shape), stateful=True,
    not_differentiable="random permutation", doc="y = value with its first axis randomly permuted")


def _multinomial_infer(inputs, attrs):
    logits, n = inputs
    ld = logits._shape._dims
    if ld is not None and len(ld) != 2:
        raise ValueError(f"logits must be 2-D [batch, classes], got shape {logits._shape}.")
    if not logits._dtype.base_dtype.is_floating:
        raise TypeError(f"logits must be floating, got {logits._dtype.base_dtype.name}.")
    nv = static_int_list(n)
    return attrs["output_dtype"], TensorShape([ld[0] if ld else None, nv])


register_op("Multinomial", inputs=("logits", "num_samples"), input_types=("T", _dtypes.int32),
            infer=_multinomial_infer, stateful=True, not_differentiable="random class indices",
            doc="y[i, j] ~ Categorical(softmax(logits[i])), num_samples draws per row")


def random_gamma(shape, alpha, beta=None, dtype=_dtypes.float32, seed=None, name=None):
    """Gamma(alpha, rate=beta) samples of shape ``shape + broadcast(alpha, beta).shape``."""
    dtype = _dtypes.as_dtype(dtype).base_dtype
    _check_float(dtype, "random_gamma")
    with name_scope(name, "random_gamma", [shape, alpha, beta]):
        shape_t = shape if hasattr(shape, "_op") else _rename_shape(shape)
        alpha = convert_to_tensor(alpha, name="alpha", dtype=dtype)
        beta = convert_to_tensor(beta if beta is not None else 1, name="beta", dtype=dtype)
        alpha_broadcast = alpha + array_ops.zeros_like(beta)
        a = _attrs(dtype, seed)
        del a["dtype"]
        sample = apply_op1("RandomGamma", (shape_t, alpha_broadcast), a)
        tiny = np.finfo(dtype.as_numpy_dtype).tiny
        return elementwise_ops.maximum(tiny, math_ops.truediv(sample, beta))


def random_poisson(lam, shape, dtype=_dtypes.float32, seed=None, name=None):
    """Poisson(lam) samples of shape ``shape + lam.shape`` (dtype may be float or int)."""
    dtype = _dtypes.as_dtype(dtype).base_dtype
    with name_scope(name, "random_poisson", [lam, shape]):
        shape_t = shape if hasattr(shape, "_op") else _rename_shape(shape)
        a = _attrs(dtype, seed)
        return apply_op1("RandomPoissonV2", (shape_t, lam), a)


def random_shuffle(value, seed=None, name=None):
    """``value`` with its first dimension shuffled (each row moves as a whole)."""
    s1, s2 = get_seed(seed)
    return apply_op1("RandomShuffle", (value,), {"seed": s1 or 0, "seed2": s2 or 0}, name)


def _categorical(scope_name, logits, num_samples, dtype, seed, name):
    dtype = _dtypes.as_dtype(dtype or _dtypes.int64).base_dtype
    if dtype not in (_dtypes.int32, _dtypes.int64):
        raise TypeError(f"output dtype must be int32 or int64, got {dtype.name}.")
    with name_scope(name, scope_name, [logits]):
        logits = convert_to_tensor(logits, name="logits")
        s1, s2 = get_seed(seed)
        return apply_op1("Multinomial", (logits, num_samples),
                         {"seed": s1 or 0, "seed2": s2 or 0, "output_dtype": dtype})


def multinomial(logits, num_samples, seed=None, name=None, output_dtype=None):
    """num_samples class indices per row of logits [batch, classes] (legacy name)."""
    return _categorical("multinomial", logits, num_samples, output_dtype, seed, name)


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """num_samples class indices per row, drawn with probabilities softmax(logits)."""
    return _categorical("categorical", logits, num_samples, dtype, seed, name)


# --- random_crop -----------------------------------------------------------------------------
__all__ += ["random_crop"]


def random_crop(value, size, seed=None, name=None):
    """A random slice of ``value`` with shape ``size`` (e.g. [24, 24, 3] of an image)."""
    with name_scope(name, "random_crop", [value, size]) as scope:
        value = convert_to_tensor(value, name="value")
        size = convert_to_tensor(size, dtype=_dtypes.int32, name="size")
        vs, sv = value.shape, static_int_list(size)
        if vs.is_fully_defined() and sv is not None:
            if len(sv) != vs.ndims or any(s > d for s, d in zip(sv, vs.as_list())):
                raise ValueError(f"random_crop needs value.shape >= size, got value shape "
                                 f"{vs} and size {sv}.")
        shape = array_ops.shape(value)
        check = debug_ops.Assert(reduction_ops.reduce_all(shape >= size),
                                 ["Need value.shape >= size, got ", shape, size],
                                 summarize=1000)
        shape = control_ops.with_dependencies([check], shape)
        limit = shape - size + 1
        offset = random_uniform(array_ops.shape(shape), dtype=size.dtype,
                                maxval=size.dtype.max, seed=seed) % limit
        from .pad_ops import slice as _slice     # array moved slice to pad_ops
        return _slice(value, offset, size, name=scope)
