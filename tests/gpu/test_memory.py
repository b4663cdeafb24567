"""GPU memory: ConfigProto.gpu_options map to CuPy's memory pool, running out of GPU memory
raises ResourceExhaustedError naming the op and the sizes, and the session stays usable."""

import numpy as np
import pytest

import flowbook as tf


def test_memory_fraction_caps_the_pool(gpu):
    cfg = tf.ConfigProto(gpu_options=tf.GPUOptions(per_process_gpu_memory_fraction=0.25))
    with tf.Session(config=cfg) as s:
        pool = gpu.get_default_memory_pool()
        total = gpu.cuda.runtime.memGetInfo()[1]
        assert pool.get_limit() == pytest.approx(0.25 * total, rel=1e-6)
        gpu_dev = [d for d in s.list_devices() if d.device_type == "GPU"][0]
        assert gpu_dev.memory_limit_bytes == pool.get_limit()


def test_allow_growth_sets_no_limit(gpu):
    gpu.get_default_memory_pool().set_limit(size=0)
    cfg = tf.ConfigProto()
    cfg.gpu_options.allow_growth = True
    with tf.Session(config=cfg):
        assert gpu.get_default_memory_pool().get_limit() == 0


def test_out_of_gpu_memory_names_op_and_sizes_and_session_survives(gpu):
    total = gpu.cuda.runtime.memGetInfo()[1]
    frac = 64 * 2 ** 20 / total                # a 64 MiB cap
    cfg = tf.ConfigProto(gpu_options=tf.GPUOptions(per_process_gpu_memory_fraction=frac))
    n = tf.placeholder(tf.int32, [2])
    big = tf.ones(n, dtype=tf.float32, name="big")  # 4 bytes per value
    total_big = tf.reduce_sum(big, name="total")
    small = tf.reduce_sum(tf.ones([4, 4]), name="small")
    with tf.Session(config=cfg) as s:
        with pytest.raises(tf.errors.ResourceExhaustedError) as e:
            s.run(total_big, {n: [8192, 8192]})      # 256 MiB
        msg = str(e.value)
        assert "'big'" in msg and "GPU:0" in msg
        assert "268,435,456 bytes" in msg            # the size that did not fit
        assert e.value.op is not None and e.value.op.name == "big"
        # The session keeps working: smaller work, and the failed graph with a smaller feed.
        assert s.run(small) == 16.0
        assert s.run(total_big, {n: [64, 64]}) == 4096.0


def test_fake_pool_releases_arrays_of_a_failed_run(fake_gpu):
    cfg = tf.ConfigProto(gpu_options=tf.GPUOptions(per_process_gpu_memory_fraction=0.01))
    x = tf.placeholder(tf.float32, [None])
    mid = tf.multiply(x, 2.0, name="mid")                 # 4 MB, fits
    z = tf.add(tf.ones([4_000_000]), tf.reduce_sum(mid), name="z")   # 16 MB does not
    with tf.Session(config=cfg) as s:
        with pytest.raises(tf.errors.ResourceExhaustedError,
                           match=r"'ones' \(Fill\).*16,000,000 bytes"):
            s.run(z, {x: np.ones(1_000_000, np.float32)})
        pool = fake_gpu.get_default_memory_pool()
        assert pool.used < 1_000_000          # the failed run's values were dropped
        assert pool.freed_blocks >= 1         # cached blocks were handed back
