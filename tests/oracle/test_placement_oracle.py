"""Placement against TensorFlow (CPU-only TF): the same error class for an explicit GPU
request without a GPU, the same soft-placement result and the same log lines."""

import subprocess
import sys

import pytest

import flowbook as fb

pytest.importorskip("tensorflow")

SCRIPT = """
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()
with tf.device("/gpu:0"):
    c = tf.matmul(tf.ones([2, 2]), tf.ones([2, 2]), name="mm")
try:
    tf.Session().run(c)
except tf.errors.InvalidArgumentError as e:
    print("InvalidArgumentError", "Cannot assign a device for operation" in str(e))
cfg = tf.ConfigProto(allow_soft_placement=True, log_device_placement=True)
print(tf.Session(config=cfg).run(c).tolist())
"""


@pytest.mark.tf_oracle
def test_gpu_request_without_gpu_matches_tf(capfd):
    tf_run = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            timeout=300)
    tf_log = {ln for ln in tf_run.stdout.splitlines() if ln.startswith(("mm:", "ones"))}
    assert "InvalidArgumentError True" in tf_run.stdout
    with fb.device("/gpu:0"):
        c = fb.matmul(fb.ones([2, 2]), fb.ones([2, 2]), name="mm")
    with fb.Session() as s, pytest.raises(fb.errors.InvalidArgumentError,
                                          match="Cannot assign a device for operation"):
        s.run(c)
    cfg = fb.ConfigProto(allow_soft_placement=True, log_device_placement=True)
    with fb.Session(config=cfg) as s:
        assert str(s.run(c).tolist()) in tf_run.stdout
    fb_log = {ln for ln in capfd.readouterr().err.splitlines() if ln.startswith(("mm:", "ones"))}
    assert tf_log and fb_log == tf_log
