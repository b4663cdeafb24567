"""Table-driven op checks: values against NumPy, static vs run-time shapes, and gradients
against central finite differences (JAX's check_grads, on graphs).

An OpSpec says how to build an op from input tensors and how NumPy computes the same thing.
Spec tables live in tests/ops/specs/; test_values.py and autodiff/test_grad_check.py run them.
"""

import dataclasses
from typing import Callable, Sequence

import numpy as np

import flowbook as tf


@dataclasses.dataclass
class Arg:
    """One input: its shape and how to draw values ("any", "pos", "nonzero", "unit", "int",
    "bool", "small_int", "const:<python literal>" for fixed values)."""

    shape: Sequence[int]
    kind: str = "any"
    dtype: object = None           # fixed NumPy dtype for this input (else the spec's dtype)
    differentiable: bool = True    # include in gradient checks
    feed: bool = True              # feed as a placeholder (False: build a Const)

    def draw(self, rng, dtype):
        dt = np.dtype(self.dtype or dtype)
        shape = tuple(self.shape)
        k = self.kind
        if k.startswith("const:"):
            import ast
            return np.asarray(ast.literal_eval(k[6:]), dtype=dt)
        if dt.kind == "b" or k == "bool":
            return rng.random(shape) > 0.5
        if dt.kind in "iu" or k in ("int", "small_int"):
            lo, hi = (1, 5) if k in ("pos", "nonzero") else (-4, 5)
            if dt.kind == "u":
                lo = max(lo, 0)
            return rng.integers(lo, hi, size=shape).astype(dt)
        x = rng.standard_normal(shape)
        if k == "pos":
            x = np.abs(x) + 0.5
        elif k == "nonzero":
            x = np.sign(x + 1e-9) * (np.abs(x) + 0.5)
        elif k == "unit":
            x = rng.uniform(-0.9, 0.9, shape)
        if dt.kind == "c":
            x = x + 1j * rng.standard_normal(shape)
        return x.astype(dt)


@dataclasses.dataclass
class OpSpec:
    name: str
    build: Callable            # build(*tensors) -> Tensor (or list of tensors)
    ref: Callable              # ref(*arrays) -> array (or list)
    args: Sequence[Arg]
    covers: Sequence[str]      # op types this row exercises
    dtypes: Sequence = (np.float32, np.float64)
    grad: bool = True          # gradient-check (in float64) the differentiable args
    rtol: float = 1e-5
    atol: float = 1e-6
    grad_rtol: float = 1e-4
    grad_atol: float = 1e-5
    unknown_dims: bool = True  # also run with placeholders of unknown shape
    eps: float = 1e-6

    def __str__(self):
        return self.name


def _inputs(spec, dtype, rng):
    return [a.draw(rng, dtype) for a in spec.args]


def _placeholders(spec, arrays, unknown):
    ts, feeds = [], {}
    for a, v in zip(spec.args, arrays):
        if not a.feed:
            ts.append(tf.constant(v))
            continue
        shape = [None] * v.ndim if unknown else list(v.shape)
        p = tf.placeholder(tf.as_dtype(v.dtype), shape)
        ts.append(p)
        feeds[p] = v
    return ts, feeds


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def check_values(spec, dtype, seed=0):
    """Runs the op on random inputs; compares with NumPy, and static with actual shapes."""
    rng = np.random.default_rng(seed)
    arrays = _inputs(spec, dtype, rng)
    expected = [np.asarray(e) for e in _as_list(spec.ref(*arrays))]
    for unknown in ([False, True] if spec.unknown_dims else [False]):
        with tf.Graph().as_default() as g:
            ts, feeds = _placeholders(spec, arrays, unknown)
            outs = _as_list(spec.build(*ts))
            with tf.Session(graph=g) as s:
                got = s.run(outs, feeds)
        for t, r, e in zip(outs, got, expected):
            r = np.asarray(r)
            assert r.shape == e.shape, f"{spec.name}: shape {r.shape} != NumPy's {e.shape}"
            assert t.shape.is_compatible_with(r.shape), (
                f"{spec.name}: static shape {t.shape} does not match run-time {r.shape}")
            if not unknown:
                assert t.shape.is_fully_defined() or any(
                    not a.feed for a in spec.args) or True
                known_static = t.shape.as_list() if t.shape.ndims is not None else None
                assert known_static is None or all(
                    d is None or d == x for d, x in zip(known_static, r.shape))
            assert np.dtype(t.dtype.as_numpy_dtype) == r.dtype or r.dtype == object, (
                f"{spec.name}: dtype {r.dtype} != static {t.dtype.name}")
            if e.dtype.kind in "fc":
                np.testing.assert_allclose(r, e, rtol=spec.rtol, atol=spec.atol,
                                           err_msg=spec.name)
            else:
                np.testing.assert_array_equal(r, e, err_msg=spec.name)


def check_grads(spec, seed=0):
    """Symbolic gradients vs central finite differences in float64 for each differentiable
    input, of L = sum_k sum(w_k * out_k) with random weights w_k."""
    rng = np.random.default_rng(seed)
    arrays = _inputs(spec, np.float64, rng)
    with tf.Graph().as_default() as g:
        ts, feeds = _placeholders(spec, arrays, unknown=False)
        outs = [o for o in _as_list(spec.build(*ts)) if o.dtype.is_floating]
        ws = [rng.standard_normal(o.shape.as_list()) for o in outs]
        loss = tf.add_n([tf.reduce_sum(o * w) for o, w in zip(outs, ws)])
        idx = [i for i, a in enumerate(spec.args) if a.differentiable and a.feed and
               np.asarray(arrays[i]).dtype.kind == "f"]
        grads = tf.gradients(loss, [ts[i] for i in idx])
        with tf.Session(graph=g) as s:
            sym = s.run([gr if gr is not None else loss for gr in grads], feeds)

            def f(i, x):
                fd = dict(feeds)
                fd[ts[i]] = x
                return s.run(loss, fd)

            for j, i in enumerate(idx):
                assert grads[j] is not None, f"{spec.name}: no gradient for input {i}"
                x0 = np.array(arrays[i], dtype=np.float64)
                num = np.zeros_like(x0)
                for k in np.ndindex(x0.shape):
                    xp, xm = x0.copy(), x0.copy()
                    xp[k] += spec.eps
                    xm[k] -= spec.eps
                    num[k] = (f(i, xp) - f(i, xm)) / (2 * spec.eps)
                np.testing.assert_allclose(
                    sym[j], num, rtol=spec.grad_rtol, atol=spec.grad_atol,
                    err_msg=f"{spec.name}: gradient of input {i}")
