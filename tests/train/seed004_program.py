# The training program of seed 004 (/work/shared/seeds/004_*.txt, a Chinese TF1 tutorial),
# ported to Python 3 (indentation restored, comments translated) and run with flowbook.
import flowbook as tf
from numpy.random import RandomState
import numpy as np
graph_1 = tf.Graph()  # make a graph
with graph_1.as_default():
    # define and initialise variables in graph 1
    w1 = tf.Variable(tf.random_normal(shape=[2, 3], stddev=1, dtype=tf.float32, seed=1))
    w2 = tf.Variable(tf.random_normal(shape=[3, 1], stddev=1, dtype=tf.float32, seed=1))
    x = tf.placeholder(dtype=tf.float32, shape=[None, 2], name='x-input')  # None rows: any batch size
    y_ = tf.placeholder(dtype=tf.float32, shape=[None, 1], name='y-input')
    # forward pass
    a = tf.matmul(x, w1)
    y = tf.matmul(a, w2)
    # loss and back-propagation
    y = tf.sigmoid(y)
    cross_entropy = -tf.reduce_mean(y_*tf.log(tf.clip_by_value(y, 1e-10, 1))) + (1-y)*tf.log(tf.clip_by_value(1-y, 1e-10, 1.0))
    # clip_by_value(x, x_min, x_max) keeps x within a sensible range
    train_step = tf.train.AdamOptimizer(learning_rate=0.001).minimize(cross_entropy)  # the training step
if __name__ == "__main__":
    batch_size = 8
    rdm = RandomState(1)
    data_size = 128
    X = rdm.rand(data_size, 2)  # training data
    Y = [int(x1+x2 < 1) for(x1, x2) in X]
    Y = np.array(Y)
    print(type(X))
    print(type(Y))
    # session configuration
    config = tf.ConfigProto(allow_soft_placement=True, log_device_placement=False)
    # read the variables in graph_1
    with tf.Session(graph=graph_1, config=config) as sess:  # in graph 1
        init_op = tf.global_variables_initializer()  # initialise all variables
        sess.run(init_op)
        print("weights before training")
        print(sess.run(w1))
        print(sess.run(w2))
        steps = 1000
        for i in range(steps):
            start = (i * batch_size) % data_size
            end = min(start + batch_size, data_size)
            sess.run(train_step, feed_dict={x: X[start: end], y_: Y[start: end].reshape([-1, 1])})
            # every so often, the cross entropy on all the data
            if i % 50 == 0:
                cross_entropy_value = sess.run(cross_entropy, feed_dict={x: X, y_: Y.reshape([-1, 1])})
                print("The loss is {}".format(cross_entropy_value))
        print("weights after training")
        print(sess.run(w1))
        print(sess.run(w2))
