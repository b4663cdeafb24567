"""``tf.summary``: summary ops and event files that TensorBoard reads."""
