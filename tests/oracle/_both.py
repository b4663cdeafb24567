"""Runs one graph-building function in TensorFlow (tf.compat.v1) and in flowbook."""

import numpy as np

import flowbook as fb


def tf1():
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    return tf


def run_both(build, *arrays, grad_wrt=None, seed=0):
    """build(lib, *placeholders) -> tensor or list; returns ([tf values], [flowbook values]).

    With ``grad_wrt`` (indices of inputs), gradients of sum(out * w) (random w, one per
    output) with respect to those inputs are appended to the values.
    """
    results = []
    for lib in (tf1(), fb):
        g = lib.Graph()
        with g.as_default():
            phs = [lib.placeholder(lib.as_dtype(np.asarray(a).dtype), np.shape(a))
                   for a in arrays]
            out = build(lib, *phs)
            outs = list(out) if isinstance(out, (list, tuple)) else [out]
            if grad_wrt:
                rng = np.random.default_rng(seed)
                loss = lib.add_n([lib.cast(lib.reduce_sum(o * rng.standard_normal(
                    o.shape.as_list()).astype(o.dtype.as_numpy_dtype)), lib.float64)
                    for o in outs if o.dtype.is_floating])
                grads = lib.gradients(loss, [phs[i] for i in grad_wrt])
                outs = outs + [lib.convert_to_tensor(g) for g in grads]   # IndexedSlices
            with lib.Session(graph=g) as s:
                results.append(s.run(outs, dict(zip(phs, arrays))))
    return results


def assert_same(build, *arrays, grad_wrt=None, rtol=1e-5, atol=1e-5):
    ref, got = run_both(build, *arrays, grad_wrt=grad_wrt)
    assert len(ref) == len(got)
    for i, (r, v) in enumerate(zip(ref, got)):
        r, v = np.asarray(r), np.asarray(v)
        assert r.shape == v.shape, f"output {i}: shape {v.shape} != TF's {r.shape}"
        assert r.dtype == v.dtype, f"output {i}: dtype {v.dtype} != TF's {r.dtype}"
        if r.dtype.kind in "fc":
            np.testing.assert_allclose(v, r, rtol=rtol, atol=atol, err_msg=f"output {i}")
        else:
            np.testing.assert_array_equal(v, r, err_msg=f"output {i}")


def node_names(build, *placeholder_shapes, dtype=np.float32):
    """{lib: [(name, type), ...]} of the ops build() adds after the placeholders."""
    out = []
    for lib in (tf1(), fb):
        g = lib.Graph()
        with g.as_default():
            phs = [lib.placeholder(lib.as_dtype(dtype), s, name=f"in{i}")
                   for i, s in enumerate(placeholder_shapes)]
            build(lib, *phs)
            out.append([(op.name, op.type) for op in g.get_operations()
                        if op.type != "Placeholder"])
    return out
