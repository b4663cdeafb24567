"""Small graphs the notebook tests draw and run."""

import flowbook as tf


def mlp():
    """x -> layer1 (w, b) -> loss, with gradients, an init op and an unused branch."""
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        with tf.name_scope("layer1"):
            w = tf.Variable([[1.0], [2.0]], name="w")
            b = tf.Variable(0.5, name="b")
            y = tf.add(tf.matmul(x, w), b, name="y")
        loss = tf.reduce_mean(y * y, name="loss")
        grads = tf.gradients(loss, [w, b])
        unused = tf.multiply(w, 3.0, name="unused")
        step = tf.assign_add(b, 1.0, name="step")
        with tf.control_dependencies([step]):
            after = tf.identity(loss, name="after")
        init = tf.global_variables_initializer()
    return g, dict(x=x, w=w, b=b, y=y, loss=loss, grads=grads, unused=unused, step=step,
                   after=after, init=init)


def chain(n, scope=None):
    g = tf.Graph()
    with g.as_default():
        x0 = tf.placeholder(tf.float32, [], name="x0")
        c = tf.constant(1.0, name="one")
        x = x0
        for _ in range(n):
            x = tf.add(x, c)
    return g, x0, x
