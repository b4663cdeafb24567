"""GPU kernels for random ops (flowbook/ops/random_ops.py): one CuPy RandomState per
(session, op), seeded like the CPU backend's streams.

With seeds (graph-level or op-level) each new session replays the same stream; without, each
session draws fresh entropy; successive runs continue the stream. The numbers come from cuRAND,
so they differ from the NumPy backend's while following the same distributions.
"""

import numpy as np


def _seed(op):
    s1, s2 = op._attrs["seed"], op._attrs["seed2"]
    if s1 == 0 and s2 == 0:
        entropy = np.random.SeedSequence().entropy
    else:
        entropy = [s1, s2]
    return int(np.random.SeedSequence(entropy).generate_state(1, np.uint32)[0])


def register(B, xp):
    def stream(op, res):
        return res.rng(op, lambda: xp.random.RandomState(_seed(op)))

    def float_sampler(draw):
        def factory(op, res):
            t = np.dtype(op._attrs["dtype"].as_numpy_dtype)
            gen_t = np.float32 if t == np.float16 else t
            gen = stream(op, res)

            def k(shape):
                out = draw(gen, tuple(shape.tolist()), gen_t)
                return out if out.dtype == t else out.astype(t)
            return k
        return factory

    def truncated(gen, size, t):
        out = gen.standard_normal(size, dtype=t)
        bad = xp.abs(out) > 2
        n = int(bad.sum())
        while n:
            out[bad] = gen.standard_normal(n, dtype=t)
            bad = xp.abs(out) > 2
            n = int(bad.sum())
        return out

    B.factory_for("RandomUniform", float_sampler(lambda g, s, t: g.random_sample(s, dtype=t)),
                  host_inputs=(0,))
    B.factory_for("RandomStandardNormal",
                  float_sampler(lambda g, s, t: g.standard_normal(s, dtype=t)),
                  host_inputs=(0,))
    B.factory_for("TruncatedNormal", float_sampler(truncated), host_inputs=(0,))

    def uniform_int(op, res):
        gen = stream(op, res)

        def k(shape, lo, hi):
            t = np.result_type(lo)
            return gen.randint(int(lo), int(hi), size=tuple(shape.tolist())).astype(t)
        return k
    B.factory_for("RandomUniformInt", uniform_int, host_inputs=(0, 1, 2))
