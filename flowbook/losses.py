"""``tf.losses``: the losses API under its TF1 names."""
