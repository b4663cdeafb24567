"""``tf.nn``: the nn API under its TF1 names."""
