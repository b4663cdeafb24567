"""SIGKILL during saves: the previous checkpoint always restores exactly, and
tf.train.latest_checkpoint never names a partial one.

A child process saves a ~300 MB model in a loop (every variable holds step + i); the test
kills it with SIGKILL at random moments, then checks the directory as a restarted program
would. Bounded: about 25 seconds.
"""

import os
import random
import select
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

import flowbook as tf

N = 25_000_000          # float32 elements per variable: 100 MB each, 3 variables
CHILD = r"""
import sys
import flowbook as tf
d, step = sys.argv[1], int(sys.argv[2])
N = int(sys.argv[3])
step_t = tf.placeholder(tf.float32, [])
vs = [tf.Variable(tf.fill([N], 0.0), name=f"v{i}") for i in range(3)]
assigns = [v.assign(tf.fill([N], step_t) + float(i)) for i, v in enumerate(vs)]
saver = tf.train.Saver(max_to_keep=2)
sess = tf.Session()
sess.run(tf.global_variables_initializer())
import time
while True:
    sess.run(assigns, {step_t: step})
    print("saving", flush=True)
    t0 = time.time()
    saver.save(sess, d + "/model", global_step=step)
    print(step, time.time() - t0, flush=True)
    step += 1
"""


def _read_lines(proc, until=None, timeout=30.0):
    """Lines the child printed so far (waits for a line equal to ``until`` if given)."""
    lines = []
    end = time.time() + timeout
    buf = b""
    fd = proc.stdout.fileno()
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if not r:
            if until is None:
                break
            continue
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        buf += chunk
        *done, buf = buf.split(b"\n")
        lines += [x.decode() for x in done]
        if until is not None and until in lines:
            break
    return lines


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
def test_sigkill_while_saving_never_loses_the_previous_checkpoint(tmp_path):
    rng = random.Random(1234)
    d = str(tmp_path)
    vs = [tf.Variable(tf.fill([N], -1.0), name=f"v{i}") for i in range(3)]
    saver = tf.train.Saver()
    sess = tf.Session()
    deadline = time.time() + 25
    kills = interrupted = restores = mid_save = 0
    next_step = 1
    last_done = None
    save_time = 0.5             # seconds one save takes; measured by the child as it runs
    seen_partial = set()
    while time.time() < deadline and kills < 12:
        child = subprocess.Popen([sys.executable, "-c", CHILD, d, str(next_step), str(N)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 cwd=os.path.dirname(os.path.dirname(os.path.dirname(
                                     os.path.abspath(__file__)))))
        try:
            lines = _read_lines(child, until="saving")
            assert "saving" in lines, child.stderr.read()
            # Kill at a random moment of (mostly) a save in progress, sometimes just after.
            time.sleep(rng.uniform(0.0, 1.3 * save_time))
            child.send_signal(signal.SIGKILL)
            child.wait(10)
            lines += _read_lines(child)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
            child.stdout.close()
            child.stderr.close()
        kills += 1
        done = [x.split() for x in lines if x[:1].isdigit()]
        # killed inside Saver.save: it announced a save and did not report it finished
        mid_save += lines.count("saving") > len(done)
        printed = [int(x[0]) for x in done]
        save_time = max([save_time] + [float(x[1]) for x in done])
        if printed:
            last_done = printed[-1]
        next_step = (last_done or 0) + 1 + 1000 * kills   # fresh step numbers every run

        files = os.listdir(d)
        partial = [f for f in files if ".tmp" in f or (".data-" in f and not os.path.exists(
            os.path.join(d, f.split(".data-")[0] + ".index")))]
        interrupted += bool(set(partial) - seen_partial)
        seen_partial.update(partial)
        latest = tf.train.latest_checkpoint(d)
        if last_done is None:
            continue
        assert latest is not None, f"no checkpoint after a completed save; files: {files}"
        step = int(latest.rsplit("-", 1)[1])
        # The newest completed save is there (one more may have completed unreported).
        assert step >= last_done
        st = tf.train.get_checkpoint_state(d)
        for p in st.all_model_checkpoint_paths:
            assert tf.train.checkpoint_exists(p), f"state file names missing {p}"
        saver.restore(sess, latest)
        restores += 1
        for i, v in enumerate(vs):
            val = sess.run(v)
            assert val.min() == val.max() == step + i, (
                f"{v.name} restored from {latest} is not exactly its saved value")
    sess.close()
    assert restores >= 3, f"only {restores} checkpoints were checked in {kills} kills"
    assert mid_save >= 1, "no kill landed in the middle of a save; the test proved nothing"
    assert interrupted <= mid_save     # files left half-written only by kills inside saves
