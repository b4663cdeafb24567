"""GPU: one training step of an MLP (batch 4096, layers 4096 wide) on flowbook's CuPy backend,
against PyTorch eager on the same GPU (target ≤ 1.1x its time) and hand-written CuPy.

GPU only: prints "skipped: no GPU" elsewhere. ``python -m benchmarks.bench_gpu`` runs it alone.
The data lives on the GPU in all three (flowbook: constants, uploaded once per plan), so the
figures compare kernels and per-step overhead, not host-to-device transfers.
"""

import numpy as np

from .harness import machine, per_call, table

BATCH, WIDTH, CLASSES, LR = 4096, 4096, 10, 0.01


def _data(batch, width, classes):
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((batch, width)).astype(np.float32)
    ys = rng.integers(0, classes, batch).astype(np.int32)
    ws = [(rng.standard_normal((a, b)) * np.sqrt(2.0 / a)).astype(np.float32)
          for a, b in ((width, width), (width, width), (width, classes))]
    return xs, ys, ws


def flowbook_step(cp, batch=BATCH, width=WIDTH, classes=CLASSES):
    """A function running one flowbook training step on the GPU (synchronized)."""
    import flowbook as tf
    xs, ys, ws = _data(batch, width, classes)
    g = tf.Graph()
    with g.as_default():
        x, y = tf.constant(xs), tf.constant(ys)
        h = x
        for i, w0 in enumerate(ws):
            w = tf.Variable(w0)
            b = tf.Variable(tf.zeros([w0.shape[1]]))
            h = tf.matmul(h, w) + b
            if i < len(ws) - 1:
                h = tf.nn.relu(h)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y,
                                                                             logits=h))
        step = tf.train.GradientDescentOptimizer(LR).minimize(loss)
        init = tf.global_variables_initializer()
    sess = tf.Session(graph=g)
    sess.run(init)
    sync = cp.cuda.get_current_stream().synchronize

    def run():
        sess.run(step)
        sync()
    run.session = sess
    run.loss = lambda: sess.run(loss)
    return run


def cupy_step(cp, batch=BATCH, width=WIDTH, classes=CLASSES):
    """The same step written by hand in CuPy (forward, backward, SGD update)."""
    xs, ys, ws = _data(batch, width, classes)
    x, y = cp.asarray(xs), cp.asarray(ys)
    params = [[cp.asarray(w), cp.zeros(w.shape[1], cp.float32)] for w in ws]
    rows = cp.arange(batch)
    sync = cp.cuda.get_current_stream().synchronize

    def run():
        acts = [x]
        h = x
        for i, (w, b) in enumerate(params):
            h = h @ w + b
            if i < len(params) - 1:
                h = cp.maximum(h, 0)
                acts.append(h)
        z = h - h.max(axis=1, keepdims=True)
        p = cp.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        p[rows, y] -= 1
        d = p / batch
        for i in range(len(params) - 1, -1, -1):
            w, b = params[i]
            gw, gb = acts[i].T @ d, d.sum(axis=0)
            if i:
                d = (d @ w.T) * (acts[i] > 0)
            w -= LR * gw
            b -= LR * gb
        sync()
    run.params = params
    return run


def torch_step(batch=BATCH, width=WIDTH, classes=CLASSES):
    """The same step in PyTorch eager on cuda:0 (None when PyTorch/CUDA is missing)."""
    try:
        import torch
    except ImportError:
        return None
    if not torch.cuda.is_available():
        return None
    xs, ys, ws = _data(batch, width, classes)
    dev = torch.device("cuda:0")
    x = torch.from_numpy(xs).to(dev)
    y = torch.from_numpy(ys).long().to(dev)
    params = []
    for w in ws:
        params += [torch.from_numpy(w).to(dev).requires_grad_(),
                   torch.zeros(w.shape[1], device=dev, requires_grad=True)]
    opt = torch.optim.SGD(params, lr=LR)

    def run():
        h = x
        for i in range(0, len(params), 2):
            h = h @ params[i] + params[i + 1]
            if i < len(params) - 2:
                h = torch.relu(h)
        loss = torch.nn.functional.cross_entropy(h, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        torch.cuda.synchronize()
    return run


def _gpu():
    try:
        import cupy as cp
        if cp.cuda.runtime.getDeviceCount() > 0:
            return cp
    except Exception:  # noqa: BLE001 (no CuPy, no driver, no device)
        pass
    return None


def mlp_training_step():
    name = f"MLP train step, batch {BATCH}, 3 layers {WIDTH} wide (GPU)"
    cp = _gpu()
    if cp is None:
        return [(name, "skipped: no GPU", None, "")]
    fb = per_call(flowbook_step(cp), min_time=2.0, repeats=5)
    hand = per_call(cupy_step(cp), min_time=2.0, repeats=5)
    rows = [(name + " vs hand-written CuPy", fb, hand, "close to 1x")]
    t = torch_step()
    if t is None:
        rows.append((name + " vs PyTorch eager", fb, "PyTorch with CUDA not installed",
                     "≤ 1.1x"))
    else:
        rows.append((name + " vs PyTorch eager", fb, per_call(t, min_time=2.0, repeats=5),
                     "≤ 1.1x"))
    return rows


WORKLOADS = [mlp_training_step]


if __name__ == "__main__":
    rows = mlp_training_step()
    if rows[0][1] == "skipped: no GPU":
        print("skipped: no GPU")
    else:
        print(machine())
        print(table(rows))
