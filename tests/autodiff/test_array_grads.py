"""Gradient checks beyond the spec table's first-order check, for the array and matrix ops:

- rows whose outputs have a static shape known only at run time (a perm, multiples or
  paddings fed as a tensor), whose gradients take the rules' dynamic paths;
- second derivatives: the ops a gradient rule builds must themselves be differentiable, so
  d/dx sum(v * dL/dx) is checked against finite differences of dL/dx (L = sum(w * y * y),
  which makes even linear ops' first gradients depend on x).
"""

import numpy as np
import pytest

import flowbook as tf
from tests.opcheck import _inputs, _placeholders, _as_list
from tests.ops.specs import ALL_SPECS

BY_NAME = {s.name: s for s in ALL_SPECS}

# Rows whose gradients the spec table cannot check (their output shapes are not static).
DYNAMIC = [s.name for s in ALL_SPECS if getattr(s, "dynamic_grad", False)]

SECOND_ORDER = [
    "transpose_perm", "transpose_tensor_perm", "expand_dims", "squeeze_axis", "tile",
    "tile_tensor_multiples", "reverse", "reverse_sequence", "pad", "pad_constant_values",
    "pad_tensor_paddings", "pad_reflect", "pad_symmetric", "slice", "slice_tensor_begin",
    "concat", "concat_tensor_axis", "stack_unstack", "unstack_one_used", "stack_scalars",
    "split_equal", "split_one_used", "split_sizes",
    "gather", "gather_axis1_matrix_indices", "gather_negative_axis_int64", "gather_tensor_axis",
    "gather_nd", "scatter_nd", "boolean_mask",
    "batch_matmul_broadcast", "batch_matmul_adjoints", "batch_matmul_adj_x",
    "batch_matmul_adj_y", "batch_matmul_rank2_rank3", "matrix_diag", "matrix_diag_part_square",
    "matrix_diag_part_wide", "matrix_set_diag", "diag", "diag_part", "trace",
    "matrix_inverse", "matrix_inverse_adjoint", "matrix_determinant", "einsum_matmul",
    "einsum_sum_out", "einsum_trace_diag", "einsum_ellipsis_broadcast", "einsum_bilinear",
    "tensordot_pairs", "strided_slice_masks", "getitem_mixed",
]


def _numeric(f, x0, eps):
    num = np.zeros_like(x0)
    for k in np.ndindex(x0.shape):
        xp, xm = x0.copy(), x0.copy()
        xp[k] += eps
        xm[k] -= eps
        num[k] = (f(xp) - f(xm)) / (2 * eps)
    return num


def _check(spec, order, seed=0):
    rng = np.random.default_rng(seed)
    arrays = _inputs(spec, np.float64, rng)
    with tf.Graph().as_default() as g:
        ts, feeds = _placeholders(spec, arrays, unknown=False)
        outs = [o for o in _as_list(spec.build(*ts)) if o.dtype.is_floating]
        with tf.Session(graph=g) as s:
            shapes = [np.shape(v) for v in s.run(outs, feeds)]
        ws = [tf.constant(rng.standard_normal(sh)) for sh in shapes]
        idx = [i for i, a in enumerate(spec.args) if a.differentiable and a.feed and
               np.asarray(arrays[i]).dtype.kind == "f"]
        xs = [ts[i] for i in idx]
        if order == 1:
            loss = tf.add_n([tf.reduce_sum(o * w) for o, w in zip(outs, ws)])
            target, derivs = loss, tf.gradients(loss, xs)
        else:
            loss = tf.add_n([tf.reduce_sum(o * o * w) for o, w in zip(outs, ws)])
            firsts = tf.gradients(loss, xs)
            vs = [tf.constant(rng.standard_normal(arrays[i].shape)) for i in idx]
            target = tf.add_n([tf.reduce_sum(gr * v) for gr, v in zip(firsts, vs)])
            derivs = tf.gradients(target, xs)
        assert all(d is not None for d in derivs), f"{spec.name}: a derivative is None"
        with tf.Session(graph=g) as s:
            sym = s.run(derivs, feeds)
            for j, i in enumerate(idx):
                def f(x, i=i):
                    fd = dict(feeds)
                    fd[ts[i]] = x
                    return s.run(target, fd)
                num = _numeric(f, np.array(arrays[i], dtype=np.float64), spec.eps)
                np.testing.assert_allclose(sym[j], num, rtol=spec.grad_rtol * 10,
                                           atol=spec.grad_atol * 10,
                                           err_msg=f"{spec.name}: order {order}, input {i}")


@pytest.mark.parametrize("name", DYNAMIC)
def test_gradient_with_runtime_shapes(name):
    _check(BY_NAME[name], 1)


@pytest.mark.parametrize("name", SECOND_ORDER)
def test_second_derivative_matches_finite_differences(name):
    _check(BY_NAME[name], 2)
