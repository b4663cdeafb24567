"""Kernels for random ops (flowbook/ops/random_ops.py): one PCG64 stream per (session, op).

With seeds (graph-level or op-level) each new session replays the same stream; without, each
session draws fresh entropy. Successive runs continue the stream, as TF1's kernels do.
"""

import numpy as np

from . import BACKEND


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
