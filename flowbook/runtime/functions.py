"""Running function bodies (cond branches, loop bodies) inside a Session.

A FunctionRunner belongs to one Session (it is ``session._resources.functions``). For each
Function it compiles a plan once, with the Session's own plan compiler, placement and
backends: the Function's inputs are its feeds (values are passed through as they are, so a
variable reference stays a reference) and its outputs are the fetches (returned raw, as
kernels produce them). A plan is recompiled when its graph's ops change (``_epoch``) or when
gradients extend the Function (``version``).
"""

import threading
import weakref

from .plan import compile_plan

__all__ = ["FunctionRunner"]


def _same(v):
    return v


class _BodySession:
    """What compile_plan needs of a Session, for a function body's graph."""

    def __init__(self, session, graph):
        self.graph = graph
        self._resources = session._resources
        self._place = session._place
        self._backend_for = session._backend_for
        self._devices = session._devices


class _Compiled:
    __slots__ = ("version", "epoch", "plan", "feed_at", "n_out")

    def __init__(self, version, epoch, plan, feed_at, n_out):
        self.version = version
        self.epoch = epoch
        self.plan = plan
        self.feed_at = feed_at
        self.n_out = n_out


class FunctionRunner:
    """Runs Functions for one Session (see module docstring)."""

    def __init__(self, session):
        self._session = weakref.ref(session)
        self._compiled = {}
        self._lock = threading.Lock()

    def run(self, fn, values):
        """The outputs of ``fn`` (a list; None where fn has no output) for input ``values``
        (aligned with ``fn.inputs``; values at positions where fn has no input are unused)."""
        c = self._compiled.get(fn)
        if c is None or c.version != fn.version or c.epoch != fn.graph._epoch:
            c = self._compile(fn)
        feed_at = c.feed_at
        return c.plan.run([values[i] for i in feed_at] if feed_at else ())

    def _compile(self, fn):
        session = self._session()
        if session is None:
            raise RuntimeError("Attempted to use a closed Session.")
        with self._lock:
            feed_at = [i for i, t in enumerate(fn.inputs) if t is not None]
            fetch_at = [i for i, t in enumerate(fn.outputs) if t is not None]
            plan = compile_plan(_BodySession(session, fn.graph),
                                [fn.outputs[i] for i in fetch_at],
                                [fn.inputs[i] for i in feed_at])
            plan.feed_convs = [(slot, _same) for slot, _ in plan.feed_convs]
            fetched = [fn.outputs[i] for i in fetch_at]
            unique = list(dict.fromkeys(fetched))       # compile_plan fetches each tensor once
            slots = [plan.fetch_slots[unique.index(t)] for t in fetched]
            n_out = len(fn.outputs)
            if len(fetch_at) == n_out:
                plan.build = lambda vals: [vals[s] for s in slots]
            else:
                where = list(zip(fetch_at, slots))

                def build(vals):
                    out = [None] * n_out
                    for i, s in where:
                        out[i] = vals[s]
                    return out
                plan.build = build
            c = _Compiled(fn.version, fn.graph._epoch, plan, feed_at, n_out)
            self._compiled[fn] = c
            return c
