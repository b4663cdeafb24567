"""Checkpoints and event files: saving/restoring a 100 MB model, writing 1,000 scalar steps.

References, measured in the same run: np.save of the same arrays to one file (save), and
np.load of it (restore) — what a hand-written, non-atomic, unchecked save costs.
"""

import os
import tempfile

import numpy as np

import flowbook as tf
from .harness import once


def save_restore_100mb():
    d = tempfile.mkdtemp()
    g = tf.Graph()
    with g.as_default():
        vs = [tf.Variable(tf.fill([5_000_000], float(i)), name=f"v{i}") for i in range(5)]
        saver = tf.train.Saver()
    s = tf.Session(graph=g)
    s.run([v.initializer for v in vs])
    path = os.path.join(d, "m")
    save_t = once(lambda _=None: saver.save(s, path, write_meta_graph=False))
    restore_t = once(lambda _=None: saver.restore(s, path))
    arrays = s.run(vs)
    ref_path = os.path.join(d, "ref.npy")
    ref_save = once(lambda _=None: np.save(ref_path, np.stack(arrays)))
    ref_load = once(lambda _=None: np.load(ref_path))
    return [("Saver.save 100 MB (atomic, fsync, CRC)", save_t, ref_save, "≤ 3x np.save"),
            ("Saver.restore 100 MB (checked)", restore_t, ref_load, "≤ 3x np.load")]


def scalar_events():
    try:
        import tensorboard  # noqa: F401
    except ImportError:
        return [("FileWriter: 1,000 scalar steps", "skipped: no tensorboard", None, "")]
    d = tempfile.mkdtemp()
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [])
        summ = tf.summary.scalar("loss", x)
    s = tf.Session(graph=g)
    w = tf.summary.FileWriter(d)

    def run(_=None):
        for step in range(1000):
            w.add_summary(s.run(summ, {x: step}), step)
        w.flush()
    t = once(run, repeats=3)
    w.close()
    return [("summary op + add_summary, 1,000 steps", t, None, "≤ 0.2 s")]


WORKLOADS = [save_restore_100mb, scalar_events]
