"""``tf.image``: the image API under its TF1 names."""
