"""Kernels for concat, unstack and split (flowbook/ops/join_ops.py); splits return views."""

import numpy as np

from . import BACKEND
from ._util import invalid


def _axis(a, rank, what):
    a = int(a)
    if not -rank <= a < rank:
        raise invalid(f"{what}: axis {a} is out of range for tensors of rank {rank}.")
    return a % rank


def _concat(*args, N):  # noqa: N803 (TF's attr name)
    values, axis = args[:-1], args[-1]
    r = np.ndim(values[0])
    if r == 0:
        raise invalid("Can't concatenate scalars (use tf.stack instead).")
    a = _axis(axis, r, "concat")
    shapes = [np.shape(v) for v in values]
    s0 = shapes[0]
    for i, s in enumerate(shapes):
        if len(s) != r or s[:a] != s0[:a] or s[a + 1:] != s0[a + 1:]:
            raise invalid(f"concat: the values must have the same shape except along axis {a},"
                          f" got shapes {[list(t) for t in shapes]} (values[{i}] differs).")
    return np.concatenate(values, axis=a)


_concat.specialize = lambda N: (lambda *args: _concat(*args, N=N))  # noqa: N803
BACKEND.kernel("ConcatV2")(_concat)


@BACKEND.kernel("Unpack")
def unpack(x, num, axis):
    x = np.asarray(x)
    a = _axis(axis, x.ndim, "unstack")
    if x.shape[a] != num:
        raise invalid(f"unstack: num = {num} but dimension {a} of the input shape "
                      f"{list(x.shape)} is {x.shape[a]}.")
    return tuple(np.moveaxis(x, a, 0))


@BACKEND.kernel("Split")
def split(axis, x, num_split):
    x = np.asarray(x)
    a = _axis(axis, x.ndim, "split")
    if x.shape[a] % num_split:
        raise invalid(f"split: dimension {a} of shape {list(x.shape)} has size {x.shape[a]}, "
                      f"which is not divisible into {num_split} equal parts.")
    return tuple(np.split(x, num_split, axis=a))


@BACKEND.kernel("SplitV")
def split_v(x, size_splits, axis, num_split):
    x = np.asarray(x)
    a = _axis(axis, x.ndim, "split")
    sizes = size_splits.tolist()
    dim = x.shape[a]
    rest = sum(s for s in sizes if s != -1)
    if len(sizes) != num_split or sizes.count(-1) > 1 or any(s < -1 for s in sizes) or (
            rest != dim if -1 not in sizes else rest > dim):
        raise invalid(f"split: size_splits {sizes} do not fit dimension {a} of shape "
                      f"{list(x.shape)} (size {dim}): they must add up to it, with at most one "
                      "-1 standing for the rest.")
    sizes = [dim - rest if s == -1 else s for s in sizes]
    return tuple(np.split(x, np.cumsum(sizes)[:-1].tolist(), axis=a))
