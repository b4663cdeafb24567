"""``tf.linalg``: the linalg API under its TF1 names."""
