"""Specs for reductions, argmax/argmin, count_nonzero and cumulative sums/products."""

import numpy as np

import flowbook as tf
from tests.opcheck import Arg, OpSpec

F = (np.float32, np.float64)
NUM = (np.float32, np.float64, np.int32, np.int64)


def _lse(x, axis=None, keepdims=False):
    m = np.max(x, axis=axis, keepdims=True)
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


def _cum(fn, identity, axis, exclusive=False, reverse=False):
    def ref(x):
        y = np.flip(x, axis) if reverse else x
        out = fn(y, axis=axis, dtype=x.dtype)
        if exclusive:
            out = np.moveaxis(out, axis, 0)
            out = np.concatenate([np.full((1,) + out.shape[1:], identity, x.dtype), out[:-1]])
            out = np.moveaxis(out, 0, axis)
        return np.flip(out, axis) if reverse else out
    return ref


SPECS = [
    OpSpec("reduce_max_all", tf.reduce_max, np.max, [Arg([3, 4])], ["Max"], NUM),
    OpSpec("reduce_max_axis_keepdims", lambda x: tf.reduce_max(x, 1, keepdims=True),
           lambda x: x.max(1, keepdims=True), [Arg([2, 3, 4])], ["Max"], NUM),
    OpSpec("reduce_min_axes", lambda x: tf.reduce_min(x, [0, -1]), lambda x: x.min((0, 2)),
           [Arg([2, 3, 4])], ["Min"], NUM),
    OpSpec("reduce_min_legacy_names", lambda x: tf.reduce_min(x, reduction_indices=0,
                                                              keep_dims=True),
           lambda x: x.min(0, keepdims=True), [Arg([3, 2])], ["Min"], F),
    OpSpec("reduce_prod_axis", lambda x: tf.reduce_prod(x, 1), lambda x: x.prod(1),
           [Arg([3, 4])], ["Prod"], NUM),
    OpSpec("reduce_prod_all", tf.reduce_prod, np.prod, [Arg([2, 3])], ["Prod"], F),
    # prod is multilinear, so finite differences are exact even at zeros: the zero-aware rule
    # (one zero in a row, two zeros, none) is checked against them.
    OpSpec("reduce_prod_with_zeros", lambda x: tf.reduce_prod(x, 1), lambda x: x.prod(1),
           [Arg([3, 3], "const:[[0.0, 3.0, 0.0], [2.0, 0.0, 4.0], [1.5, -2.0, 3.0]]")],
           ["Prod"], F),
    OpSpec("reduce_prod_with_zeros_keepdims_cols",
           lambda x: tf.reduce_prod(x, [0], keepdims=True), lambda x: x.prod(0, keepdims=True),
           [Arg([3, 3], "const:[[0.0, 3.0, 0.0], [2.0, 0.0, 4.0], [1.5, -2.0, 0.0]]")],
           ["Prod"], F),
    OpSpec("reduce_any_all", lambda x: [tf.reduce_any(x, 1), tf.reduce_all(x),
                                        tf.reduce_any(x, keepdims=True)],
           lambda x: [x.any(1), x.all(), x.any(keepdims=True)], [Arg([3, 4])], ["Any", "All"],
           (np.bool_,), grad=False),
    OpSpec("reduce_logsumexp", lambda x: tf.reduce_logsumexp(x, 1), lambda x: _lse(x, 1),
           [Arg([3, 4])], ["Max", "Exp", "Log", "Sum", "Select", "IsFinite", "StopGradient"],
           F),
    OpSpec("reduce_logsumexp_all_keepdims", lambda x: tf.reduce_logsumexp(x, keepdims=True),
           lambda x: _lse(x, None, True), [Arg([2, 3])], ["Max"], F),
    OpSpec("reduce_logsumexp_large_values", lambda x: tf.reduce_logsumexp(x, 1),
           lambda x: np.array([1000 + np.log(2), -np.inf, 5000 + np.log1p(np.exp(-1.0))],
                              x.dtype),
           [Arg([3, 2], "const:[[1000.0, 1000.0], [-1e400, -1e400], [5000.0, 4999.0]]")],
           ["Max"], F, grad=False),
    OpSpec("reduce_variance_std", lambda x: [tf.math.reduce_variance(x, 1),
                                             tf.math.reduce_std(x, keepdims=True)],
           lambda x: [x.var(1), x.std(keepdims=True)], [Arg([3, 4])], ["Mean", "Square", "Sqrt"],
           F),
    OpSpec("argmax", lambda x: tf.argmax(x, 1), lambda x: x.argmax(1), [Arg([3, 4])],
           ["ArgMax"], NUM, grad=False),
    OpSpec("argmax_default_axis0_int32", lambda x: tf.argmax(x, output_type=tf.int32),
           lambda x: x.argmax(0).astype(np.int32), [Arg([3, 4])], ["ArgMax"], F, grad=False),
    OpSpec("argmin_legacy_dimension", lambda x: tf.argmin(x, dimension=-1),
           lambda x: x.argmin(-1), [Arg([2, 3, 4])], ["ArgMin"], NUM, grad=False),
    OpSpec("argmax_first_of_ties", lambda x: tf.argmax(x, 0), lambda x: x.argmax(0),
           [Arg([4], "const:[1, 5, 5, 2]")], ["ArgMax"], (np.int32,), grad=False),
    OpSpec("count_nonzero", lambda x: [tf.count_nonzero(x), tf.count_nonzero(x, 1),
                                       tf.count_nonzero(x, 0, keepdims=True, dtype=tf.int32)],
           lambda x: [np.int64(np.count_nonzero(x)), np.count_nonzero(x, 1).astype(np.int64),
                      np.count_nonzero(x, 0, keepdims=True).astype(np.int32)],
           [Arg([3, 4], "small_int")], ["NotEqual", "Cast", "Sum"], (np.int32, np.float32),
           grad=False),
    OpSpec("cumsum", tf.cumsum, _cum(np.cumsum, 0, 0), [Arg([4, 3])], ["Cumsum"], NUM),
    OpSpec("cumsum_axis1_exclusive", lambda x: tf.cumsum(x, 1, exclusive=True),
           _cum(np.cumsum, 0, 1, exclusive=True), [Arg([2, 4])], ["Cumsum"], NUM),
    OpSpec("cumsum_reverse", lambda x: tf.cumsum(x, -1, reverse=True),
           _cum(np.cumsum, 0, 1, reverse=True), [Arg([2, 4])], ["Cumsum"], F),
    OpSpec("cumsum_exclusive_reverse", lambda x: tf.cumsum(x, exclusive=True, reverse=True),
           _cum(np.cumsum, 0, 0, exclusive=True, reverse=True), [Arg([5])], ["Cumsum"], NUM),
    OpSpec("cumprod", lambda x: tf.cumprod(x, 1), _cum(np.cumprod, 1, 1), [Arg([2, 4])],
           ["Cumprod", "DivNoNan"], NUM),
    OpSpec("cumprod_exclusive_reverse", lambda x: tf.cumprod(x, exclusive=True, reverse=True),
           _cum(np.cumprod, 1, 0, exclusive=True, reverse=True), [Arg([4], "nonzero")],
           ["Cumprod"], F),
    OpSpec("cumprod_exclusive", lambda x: tf.cumprod(x, 0, exclusive=True),
           _cum(np.cumprod, 1, 0, exclusive=True), [Arg([3, 2], "nonzero")], ["Cumprod"], F),
]
