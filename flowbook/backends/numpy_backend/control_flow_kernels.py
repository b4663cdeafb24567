"""Kernels for control flow (flowbook/ops/control_flow*.py): If, Case, While, WhileGrad.

The branch and loop bodies are Functions run by the Session's FunctionRunner
(``resources.functions``), each with its own compiled plan; these kernels only choose what
runs and move values in and out. Nothing here depends on NumPy beyond reading the selector.
"""

import numpy as np

from ...errors import InvalidArgumentError
from . import BACKEND


def _outputs(values, n):
    if n == 1:
        return values[0]
    return tuple(values)


@BACKEND.factory("If")
def if_kernel(op, res):
    then_fn, else_fn = op._attrs["_spec"].functions
    run = res.functions.run
    n = len(op._outputs)

    def k(pred, *args):
        return _outputs(run(then_fn if pred else else_fn, args), n)
    return k


@BACKEND.factory("Case")
def case_kernel(op, res):
    fns = op._attrs["_spec"].functions
    last = len(fns) - 1
    run = res.functions.run
    n = len(op._outputs)

    def k(index, *args):
        i = int(index)
        return _outputs(run(fns[i if 0 <= i < last else last], args), n)
    return k


def _shape_ok(shape, dims):
    return len(shape) == len(dims) and all(d is None or d == s for d, s in zip(dims, shape))


@BACKEND.factory("While")
def while_kernel(op, res):
    spec = op._attrs["_spec"]
    run = res.functions.run
    cond, body = spec.cond, spec.body
    nv, nc, has_max = spec.n_vars, spec.n_caps, spec.has_max
    n_acc = len(spec.accumulate)
    counted = spec.counted
    checks = [(j, s.as_list()) for j, s in enumerate(spec.shapes) if s.ndims is not None]
    names = [t.name for t in op._inputs[:nv]]

    def k(*args):
        vals = list(args[:nv])
        caps = list(args[nv:nv + nc])
        limit = int(args[-1]) if has_max else -1
        accs = [[] for _ in range(n_acc)]
        it = 0
        while it != limit:
            if not run(cond, vals + caps)[0]:
                break
            out = run(body, vals + caps)
            vals = out[:nv]
            for j, dims in checks:
                if not _shape_ok(np.shape(vals[j]), dims):
                    raise InvalidArgumentError(
                        None, op, f"Loop variable {j} ({names[j]}) has shape "
                        f"{list(np.shape(vals[j]))} after iteration {it + 1}, but its shape "
                        f"invariant is {spec.shapes[j]}. Pass a less specific invariant in "
                        "shape_invariants to allow it to change.")
            for a, x in zip(accs, out[nv:]):
                a.append(x)
            it += 1
        if counted:
            return tuple(vals) + (np.int32(it),) + tuple(accs)
        return _outputs(vals, len(vals))
    return k


@BACKEND.factory("WhileGrad")
def while_grad_kernel(op, res):
    spec = op._attrs["_spec"]
    run = res.functions.run
    fn = spec.fn
    n_acc, n_diff, n_caps = spec.n_acc, spec.n_diff, spec.n_caps
    cap_grads = spec.cap_grads
    n_out = len(op._outputs)

    def k(count, *args):
        accs = args[:n_acc]
        grads = list(args[n_acc:n_acc + n_diff])
        caps = list(args[n_acc + n_diff:n_acc + n_diff + n_caps])
        totals = [None] * len(cap_grads)
        for it in range(int(count) - 1, -1, -1):
            out = run(fn, grads + [a[it] for a in accs] + caps)
            grads = out[:n_diff]
            for j, g in enumerate(out[n_diff:]):
                totals[j] = g if totals[j] is None else totals[j] + g
        for j, c in enumerate(cap_grads):
            if totals[j] is None:
                totals[j] = np.zeros_like(caps[c])
        return _outputs(grads + totals, n_out)
    return k
