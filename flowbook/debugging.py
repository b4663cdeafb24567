"""``tf.debugging``: the debugging API under its TF1 names."""
