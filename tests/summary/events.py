"""A small training run that logs what TF1 course code logs: graph, scalars, a histogram,
run metadata and a session log. Shared by the event-file and TensorBoard-server tests."""

import numpy as np

import flowbook as tf


def write_run(logdir, steps=100):
    """Writes the run to ``logdir``; returns the expected loss per step."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    with tf.name_scope("model"):
        w = tf.Variable([[0.5], [-0.25]], name="weights")
        pred = tf.matmul(x, w, name="pred")
    loss = tf.reduce_mean(pred * pred, name="mse")
    tf.summary.scalar("loss", loss)
    tf.summary.histogram("weights", w)
    merged = tf.summary.merge_all()
    shrink = w.assign(w * 0.99)
    xs = np.array([[1.0, 2.0], [3.0, -1.0]], np.float32)
    expected = []
    with tf.Session() as sess, tf.summary.FileWriter(logdir, sess.graph) as writer:
        writer.add_session_log(tf.SessionLog(status=tf.SessionLog.START), 0)
        sess.run(tf.global_variables_initializer())
        for step in range(steps):
            if step == 1:
                md = tf.RunMetadata()
                summ, lv = sess.run([merged, loss], {x: xs}, options=tf.RunOptions(
                    trace_level=tf.RunOptions.FULL_TRACE), run_metadata=md)
                writer.add_run_metadata(md, "step1", step)
            else:
                summ, lv = sess.run([merged, loss], {x: xs})
            writer.add_summary(summ, step)
            expected.append(float(lv))
            sess.run(shrink)
    return expected
