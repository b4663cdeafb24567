"""Control flow in GraphDefs: Saver's meta graphs and tf.import_graph_def rebuild the bodies,
so imported models run, keep their gradients, and can be differentiated again."""

import os

import numpy as np

import flowbook as tf
from flowbook.ops.control_flow import branch_graphs


def _model():
    x = tf.placeholder(tf.float32, [], name="x")
    w = tf.Variable(1.5, name="w")
    y = tf.cond(x > 0, lambda: x * w, lambda: x - w)
    _, z = tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * w), [0, y])
    g, = tf.gradients(z, w)
    return x, w, z, g


def test_saver_meta_graph_with_cond_while_and_their_gradients(tmp_path):
    x, w, z, g = _model()
    saver = tf.train.Saver()
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(w.assign(1.25))
        expected = [s.run([z, g], {x: v}) for v in (2.0, -2.0)]
        path = saver.save(s, os.path.join(tmp_path, "model"))
    tf.reset_default_graph()
    restorer = tf.train.import_meta_graph(path + ".meta")
    graph = tf.get_default_graph()
    with tf.Session() as s:
        restorer.restore(s, path)
        got = [s.run([z.name, g.name], {"x:0": v}) for v in (2.0, -2.0)]
        assert got == expected
        # the imported loop can be differentiated again
        z2 = graph.get_tensor_by_name(z.name)
        w2 = graph.get_tensor_by_name("w:0")
        g2, = tf.gradients(z2 * z2, w2)
        zv, gv = s.run([z2, g2], {"x:0": 2.0})
        assert np.isclose(gv, 2 * zv * expected[0][1])


def test_import_graph_def_with_a_prefix_rebuilds_named_bodies(sess):
    x, w, z, g = _model()
    gd = tf.get_default_graph().as_graph_def(add_shapes=True)
    with tf.Graph().as_default() as h:
        tf.import_graph_def(gd, name="copy")
        cond = h.get_operation_by_name("copy/cond")
        bodies = branch_graphs(cond)
        assert sorted(bodies) == ["copy/cond/else_branch", "copy/cond/then_branch"]
        assert cond.get_attr("then_branch") == "copy/cond/then_branch"
        muls = [o.name for o in bodies["copy/cond/then_branch"].get_operations()
                if o.type == "Mul"]
        assert muls[0] == "copy/cond/mul"          # then its gradient ops, under gradients/
        assert all(m.startswith("copy/cond/gradients/") for m in muls[1:])
        assert cond.get_attr("_spec") == tf.get_default_graph().get_operation_by_name(
            "copy/cond").get_attr("_spec")
        with tf.Session(graph=h) as s:
            s.run(h.get_operation_by_name("copy/w/Assign"))
            assert s.run("copy/while:1", {"copy/x:0": 2.0}) == 2.0 * 1.5 ** 4
