"""Kernels for transpose, expand_dims, squeeze, tile and reverse (ops/manip_ops.py).

Results may be views of their inputs (transpose, slice, reverse): kernels never write into
their inputs, so sharing memory is safe and saves a copy.
"""

import numpy as np

from . import BACKEND
from ._util import invalid


def _perm(x, perm):
    p = perm.tolist()
    r = np.ndim(x)
    if len(p) != r or sorted(a % r if -r <= a < r else -1 for a in p) != list(range(r)):
        raise invalid(f"transpose expects a permutation of the {r} dimensions of a tensor of "
                      f"shape {list(np.shape(x))}, got perm {p}.")
    return p


@BACKEND.kernel("Transpose")
def transpose(x, perm):
    return np.transpose(x, _perm(x, perm))


@BACKEND.kernel("ConjugateTranspose")
def conjugate_transpose(x, perm):
    return np.conj(np.transpose(x, _perm(x, perm)))


@BACKEND.kernel("InvertPermutation")
def invert_permutation(x):
    n = x.size
    if x.ndim != 1 or n and (x.min() < 0 or x.max() >= n or np.unique(x).size != n):
        raise invalid(f"invert_permutation needs a permutation of 0..{n - 1}, got "
                      f"{x.tolist()}.")
    out = np.empty_like(x)
    out[x] = np.arange(n, dtype=x.dtype)
    return out


@BACKEND.kernel("ExpandDims")
def expand_dims(x, dim):
    a = int(np.reshape(dim, ()))
    r = np.ndim(x)
    if not -r - 1 <= a <= r:
        raise invalid(f"expand_dims: axis {a} is out of range for a tensor of shape "
                      f"{list(np.shape(x))}; it must be in [{-r - 1}, {r}].")
    return np.expand_dims(x, a)


def _squeeze(x, squeeze_dims):
    return _squeezer(squeeze_dims)(x)


def _squeezer(squeeze_dims):
    axes = tuple(squeeze_dims)

    def squeeze(x):
        x = np.asarray(x)
        if not axes:
            return np.squeeze(x)
        for a in axes:
            if not -x.ndim <= a < x.ndim or x.shape[a] != 1:
                raise invalid(f"Can not squeeze dim[{a}], expected a dimension of 1, got "
                              f"shape {list(x.shape)}.")
        return np.squeeze(x, axis=axes)
    return squeeze


_squeeze.specialize = _squeezer
BACKEND.kernel("Squeeze")(_squeeze)


@BACKEND.kernel("Tile")
def tile(x, multiples):
    m = multiples.tolist()
    if len(m) != np.ndim(x) or any(v < 0 for v in m):
        raise invalid(f"tile: multiples {m} must hold one non-negative entry per dimension of "
                      f"the input of shape {list(np.shape(x))}.")
    return np.tile(x, m)


@BACKEND.kernel("ReverseV2")
def reverse(x, axis):
    r = np.ndim(x)
    ax = [a % r if -r <= a < r else None for a in np.atleast_1d(axis).tolist()]
    if None in ax or len(set(ax)) != len(ax):
        raise invalid(f"reverse: axis {axis.tolist()} must name distinct dimensions of a "
                      f"tensor of shape {list(np.shape(x))}.")
    return np.flip(x, axis=tuple(ax)) if ax else x


def _reverse_sequence(x, lens, seq_dim, batch_dim):
    n, b = x.shape[seq_dim], x.shape[batch_dim]
    if lens.shape != (b,) or lens.size and (lens.min() < 0 or lens.max() > n):
        raise invalid(f"reverse_sequence: seq_lengths {lens.tolist()} must hold {b} lengths in "
                      f"[0, {n}] (input shape {list(x.shape)}).")
    i = np.arange(n)
    lens = lens.astype(np.int64)[:, None]
    idx = np.where(i < lens, lens - 1 - i, i)          # [batch, seq]
    if seq_dim < batch_dim:
        idx = idx.T
    shape = [1] * x.ndim
    shape[seq_dim], shape[batch_dim] = n, b
    return np.take_along_axis(x, idx.reshape(shape), axis=seq_dim)


BACKEND.kernel("ReverseSequence")(_reverse_sequence)
