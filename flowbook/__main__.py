"""``python -m flowbook``: a two-minute tour of a dataflow graph, printed to the terminal."""

import numpy as np

import flowbook as tf


def main():
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, shape=[None, 2], name="x")
        w = tf.Variable([[1.0], [2.0]], name="w")
        b = tf.Variable(0.5, name="b")
        y = tf.add(tf.matmul(x, w), b, name="y")
        loss = tf.reduce_mean(tf.square(y) if hasattr(tf, "square") else y * y, name="loss")
        grad_w, grad_b = tf.gradients(loss, [w, b])
        unused = tf.multiply(w, 100.0, name="never_run")
        init = tf.global_variables_initializer()

    print("flowbook", tf.__version__, "- a graph is built first, then run in a Session.\n")
    print(f"The graph has {len(graph.get_operations())} ops, for example:")
    for op in graph.get_operations()[:8]:
        ins = ", ".join(t.name for t in op.inputs) or "-"
        print(f"  {op.name:<22} {op.type:<14} inputs: {ins}")
    print("  ...\n")
    with tf.Session(graph=graph) as sess:
        sess.run(init)
        feed = {x: np.array([[1.0, 1.0], [2.0, 0.0]], dtype=np.float32)}
        meta = tf.RunMetadata()
        out = sess.run({"y": y, "loss": loss, "dloss/dw": grad_w, "dloss/db": grad_b}, feed,
                       options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
                       run_metadata=meta)
        for k, v in out.items():
            print(f"{k:>9} = {np.array2string(np.asarray(v), prefix=' ' * 12)}")
        ran = [s.node_name for d in meta.step_stats.dev_stats for s in d.node_stats]
        print(f"\nThat run executed {len(ran)} of {len(graph.get_operations())} ops; "
              f"'{unused.op.name}' was not needed, so it did not run.")
    print("\nNext: pip install -e '.[notebook]' and open notebooks/ in JupyterLab.")


if __name__ == "__main__":
    main()
