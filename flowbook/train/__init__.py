"""``tf.train``: optimizers, learning-rate schedules, global step, checkpoints (Saver)."""
