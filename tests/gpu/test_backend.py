"""The CuPy backend's own logic: kernel coverage of the op registry (every op has a GPU kernel
or a stated reason in LACKS), the mechanical ufunc port, device discovery, random streams."""

import sys

import numpy as np
import pytest

import flowbook as tf
from flowbook.backends import cupy_backend, get_backend
from flowbook.backends.cupy_backend import LACKS
from flowbook.backends.cupy_backend.elementwise import ufunc_of
from flowbook.backends.numpy_backend import BACKEND as NUMPY
from flowbook.ops.registry import registered_ops


def _library_ops():
    """Registered op types, less those that tests register for themselves."""
    out = []
    for d in registered_ops():
        k = NUMPY.kernels.get(d.type) or NUMPY.factories.get(d.type)
        if not (getattr(k, "__module__", "") or "").startswith("tests."):
            out.append(d)
    return out


def test_every_op_has_a_gpu_kernel_or_a_stated_reason(fake_gpu):
    gpu = get_backend("cupy")
    missing = [d.type for d in _library_ops()
               if not gpu.has_kernel(d.type) and d.type not in LACKS]
    assert missing == [], "add a CuPy kernel or a LACKS entry with the reason"
    assert all(isinstance(r, str) and len(r) > 10 for r in LACKS.values())


def test_lacks_lists_only_registered_ops_without_kernels(fake_gpu):
    gpu = get_backend("cupy")
    known = {d.type for d in _library_ops()}
    assert set(LACKS) <= known
    assert [t for t in LACKS if gpu.has_kernel(t)] == []


def test_numpy_ufunc_kernels_are_ported_to_cupy_ufuncs(fake_gpu):
    gpu = get_backend("cupy")
    ported = [t for t, how in gpu.ported.items() if how == "ufunc"]
    assert "Add" in ported and "Log" in ported        # quiet(np.log) unwraps to np.log
    for t in ported:
        assert gpu.kernels[t] is getattr(fake_gpu, ufunc_of(NUMPY.kernels[t]).__name__)


def test_host_memory_inputs_are_declared_for_shape_arguments(fake_gpu):
    gpu = get_backend("cupy")
    assert gpu.host_inputs["Reshape"] == {1}
    assert gpu.host_inputs["Sum"] == {1}
    assert gpu.host_inputs["StridedSlice"] == {1, 2, 3}
    assert gpu.host_outputs["Shape"] == {0} and gpu.any_inputs["Shape"] == {0}


def test_no_cupy_means_no_gpu_and_a_clear_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "cupy", None)    # import cupy -> ImportError
    cupy_backend.reset()
    try:
        assert cupy_backend.device_count() == 0
        with pytest.raises(ImportError, match="pip install cupy-cuda12x"):
            cupy_backend.load_backend()
    finally:
        cupy_backend.reset()


def test_cupy_without_a_device_means_no_gpu(fake_gpus):
    fake_gpus(0)
    assert cupy_backend.device_count() == 0
    with tf.Session() as s:
        assert [d.device_type for d in s.list_devices()] == ["CPU"]


def _draw(seed_graph, op_seed):
    g = tf.Graph()
    with g.as_default():
        if seed_graph is not None:
            tf.set_random_seed(seed_graph)
        u = tf.random_uniform([20000], seed=op_seed)
        n = tf.random_normal([20000], seed=op_seed)
        t = tf.truncated_normal([20000], seed=op_seed)
        i = tf.random_uniform([20000], 3, 9, dtype=tf.int32, seed=op_seed)
    with tf.Session(graph=g) as s:
        first = s.run([u, n, t, i])
        second = s.run(u)
        placed = {p.op_type: p.assigned for p in s.placement_log()}
    return first, second, placed


def test_random_ops_on_gpu_replay_per_session_with_right_statistics(gpu):
    (u, n, t, i), again, placed = _draw(1, 7)
    (u2, n2, t2, i2), _, _ = _draw(1, 7)
    for op in ("RandomUniform", "RandomStandardNormal", "TruncatedNormal", "RandomUniformInt"):
        assert placed[op].endswith("GPU:0")
    np.testing.assert_array_equal(u, u2)
    np.testing.assert_array_equal(t, t2)
    np.testing.assert_array_equal(i, i2)
    assert not np.array_equal(u, again)            # the stream continues across runs
    assert u.dtype == np.float32 and 0 <= u.min() and u.max() < 1
    assert abs(u.mean() - 0.5) < 0.02 and abs(n.mean()) < 0.05 and abs(n.std() - 1) < 0.05
    assert np.abs(t).max() <= 2 and abs(t.std() - 0.88) < 0.05
    assert i.dtype == np.int32 and set(np.unique(i)) == set(range(3, 9))
    (u3, *_), _, _ = _draw(None, None)
    (u4, *_), _, _ = _draw(None, None)
    assert not np.array_equal(u3, u4)              # unseeded: fresh entropy per session
