"""Kernels for random ops (flowbook/ops/random_ops.py): one PCG64 stream per (session, op).

With seeds (graph-level or op-level) each new session replays the same stream; without, each
session draws fresh entropy. Successive runs continue the stream, as TF1's kernels do.
"""

import numpy as np

from . import BACKEND
from ._util import invalid


def _stream(op, res):
    s1, s2 = op._attrs["seed"], op._attrs["seed2"]
    if s1 == 0 and s2 == 0:
        return res.rng(op, np.random.default_rng)
    return res.rng(op, lambda: np.random.default_rng([s1, s2]))


def _float_sampler(op, draw):
    t = op._attrs["dtype"].as_numpy_dtype
    gen_t = np.float32 if t == np.float16 else t

    def factory_result(res):
        gen = _stream(op, res)

        def k(shape):
            out = draw(gen, tuple(shape.tolist()), gen_t)
            return out if gen_t is t else out.astype(t)
        return k
    return factory_result


def _truncated(gen, size, t):
    out = gen.standard_normal(size, dtype=t)
    bad = np.abs(out) > 2
    while bad.any():
        out[bad] = gen.standard_normal(int(bad.sum()), dtype=t)
        bad = np.abs(out) > 2
    return out


BACKEND.factory("RandomUniform")(
    lambda op, res: _float_sampler(op, lambda g, s, t: g.random(s, dtype=t))(res))
BACKEND.factory("RandomStandardNormal")(
    lambda op, res: _float_sampler(op, lambda g, s, t: g.standard_normal(s, dtype=t))(res))
BACKEND.factory("TruncatedNormal")(lambda op, res: _float_sampler(op, _truncated)(res))


@BACKEND.factory("RandomUniformInt")
def random_uniform_int(op, res):
    gen = _stream(op, res)

    def k(shape, lo, hi):
        return gen.integers(lo, hi, size=tuple(shape.tolist()), dtype=np.result_type(lo))
    return k


def _sample_shape(shape, param):
    return tuple(shape.tolist()) + np.shape(param)


@BACKEND.factory("RandomGamma")
def random_gamma(op, res):
    gen = _stream(op, res)

    def k(shape, alpha):
        t = alpha.dtype
        wt = np.float32 if t == np.float16 else t
        a = alpha.astype(wt, copy=False)
        out = np.broadcast_to(a, _sample_shape(shape, alpha))
        # NumPy draws Gamma(alpha, 1) elementwise; alpha <= 0 has no distribution (NaN, as TF).
        with np.errstate(invalid="ignore"):
            draws = gen.standard_gamma(np.where(out > 0, out, 1), dtype=wt)
        return np.where(out > 0, draws, np.nan).astype(t, copy=False)
    return k


@BACKEND.factory("RandomPoissonV2")
def random_poisson(op, res):
    gen = _stream(op, res)
    t = op._attrs["dtype"].as_numpy_dtype

    def k(shape, rate):
        lam = np.broadcast_to(rate.astype(np.float64), _sample_shape(shape, rate))
        bad = ~(lam >= 0)
        draws = gen.poisson(np.where(bad, 0, lam))
        if bad.any():   # negative or NaN rates: NaN for floats, as TF
            if np.dtype(t).kind != "f":
                raise invalid(f"Poisson rates must be non-negative, got {rate.min()}")
            draws = np.where(bad, np.nan, draws)
        return draws.astype(t)
    return k


@BACKEND.factory("RandomShuffle")
def random_shuffle(op, res):
    gen = _stream(op, res)

    def k(x):
        if x.ndim == 0 or x.shape[0] <= 1:
            return x
        return x[gen.permutation(x.shape[0])]
    return k


@BACKEND.factory("Multinomial")
def multinomial(op, res):
    gen = _stream(op, res)
    t = op._attrs["output_dtype"].as_numpy_dtype

    def k(logits, num_samples):
        n = int(num_samples)
        if n < 0:
            raise invalid(f"num_samples should be nonnegative, got {n}")
        b, c = logits.shape
        if c == 0 and n > 0:
            raise invalid("num_classes should be positive, got 0")
        z = logits.astype(np.float64)
        with np.errstate(invalid="ignore", over="ignore"):
            p = np.exp(z - z.max(axis=1, keepdims=True))
            cdf = np.cumsum(p, axis=1)
            cdf /= cdf[:, -1:]
        # Inverse-CDF sampling of all rows at once: offset row i by i so one sorted search works.
        rows = np.arange(b)[:, None]
        u = gen.random((b, n)) + rows
        idx = np.searchsorted((cdf + rows).ravel(), u.ravel(), side="right").reshape(b, n)
        return np.minimum(idx - rows * c, c - 1).astype(t)
    return k
