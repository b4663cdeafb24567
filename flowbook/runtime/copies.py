"""Cross-device copies in a plan: the whitepaper's Send/Recv pair as one explicit step.

Every tensor slot of a plan has a location (the device whose memory holds it: a GPU, or the
CPU for CPU ops, feeds, and the host-memory inputs/outputs of GPU kernels). Where a consumer
needs a tensor somewhere else, the plan gets a copy step right before the consumer; a tensor
is copied at most once per destination device and the copy is shared by later consumers.
Fetched tensors are copied to the CPU at the end of the run (fetches come back as NumPy
arrays). Copies of constants are made once, when the plan is compiled.

References (a variable passed to Assign & co.) are never copied: the placer keeps those ops on
the variable's device. A copy of a variable's value reads it when the copy step runs.
"""

from ..backends.base import VarCell
from .placement import CPU0
from .placement_log import Placement

__all__ = ["Copier", "CopyNode"]


def _short(dev):
    return dev.rsplit("device:", 1)[-1]


class CopyNode:
    """A copy step of a plan (stands in for an op in traces and error messages)."""

    __slots__ = ("_name", "_type", "_inputs", "node_def", "tensor", "src", "dst", "kind",
                 "consumers", "static")

    def __init__(self, tensor, src, dst, kind):
        self._name = f"{tensor._op._name}/_copy_{tensor._value_index}_to_{_short(dst)}"
        self._type = "_Copy"
        self._inputs = (tensor,)
        self.node_def = None
        self.tensor = tensor
        self.src = src
        self.dst = dst
        self.kind = kind            # "edge", "feed" (a fed value) or "fetch"
        self.consumers = []
        self.static = False

    @property
    def name(self):
        return self._name

    @property
    def type(self):
        return self._type

    def record(self, nbytes=None, micros=None):
        """The copy as plain data (what RunMetadata.copies holds)."""
        r = {"name": self._name, "tensor": self.tensor.name, "src_device": self.src,
             "dst_device": self.dst, "kind": self.kind, "consumers": list(self.consumers),
             "static": self.static}
        if nbytes is not None:
            r["bytes"] = nbytes
        if micros is not None:
            r["micros"] = micros
        return r

    def __repr__(self):
        return (f"<copy {self.tensor.name}: {_short(self.src)} → {_short(self.dst)} "
                f"({self.kind})>")


class Copier:
    """Tracks slot locations while a plan compiles and adds the copy steps it needs."""

    def __init__(self, template, placements, backend_for, static_slots):
        self.template = template
        self.placements = placements
        self.backend_for = backend_for
        self.static_slots = static_slots   # slots whose value is fixed at compile time
        self.loc = {}
        self.cache = {}                    # (source slot, destination device) -> slot
        self.nodes = []
        self.feed_slots = set()

    def feed(self, slot):
        self.loc[slot] = CPU0
        self.feed_slots.add(slot)

    def outputs(self, op, outs, dev, backend):
        host = getattr(backend, "host_outputs", None)
        host = host.get(op._type, ()) if host and dev != CPU0 else ()
        loc = self.loc
        for i, s in enumerate(outs):
            if s not in loc:
                loc[s] = CPU0 if i in host else dev

    def inputs(self, op, ins, dev, backend, raw):
        """``ins`` with each slot replaced by a copy on the device where ``op`` reads it."""
        if dev == CPU0:
            host = any_ = ()
        else:
            host = backend.host_inputs.get(op._type, ())
            any_ = backend.any_inputs.get(op._type, ())
        refs = op._opdef.ref_inputs
        out = ins
        n = len(ins)
        for i, s in enumerate(ins):
            src = self.loc.get(s, CPU0)
            if i in any_:
                continue
            need = CPU0 if (i in host or i - n in host) else dev
            if src == need:
                continue
            t = op._inputs[i]
            if i in refs and t._dtype._is_ref:
                continue
            if out is ins:
                out = list(ins)
            out[i] = self._copy(t, s, src, need, op._name, raw)
        return out

    def fetches(self, elements, slots, raw):
        """Fetch slots after copying every fetched device tensor to the CPU."""
        out = []
        for e, s in zip(elements, slots):
            if s is None or self.loc.get(s, CPU0) == CPU0:
                out.append(s)
                continue
            # A fetched variable is read at the end of the run, after its updates.
            reuse = type(self.template[s]) is not VarCell
            out.append(self._copy(e, s, self.loc[s], CPU0, "(fetch)", raw, kind="fetch",
                                  reuse=reuse))
        return out

    def _copy(self, tensor, s, src, dst, consumer, raw, kind=None, reuse=True):
        key = (s, dst)
        got = self.cache.get(key) if reuse else None
        if got is not None:
            node, slot = got
            node.consumers.append(consumer)
            return slot
        node = CopyNode(tensor, src, dst, kind or ("feed" if s in self.feed_slots else "edge"))
        node.consumers.append(consumer)
        slot = len(self.template)
        self.template.append(None)
        self.loc[slot] = dst
        fn = self._transfer(src, dst)
        self.placements[node] = Placement(node._name, "_Copy", "", dst,
                                          f"copy of {tensor.name} from {_short(src)}")
        value = self.template[s]
        if s in self.static_slots and value is not None and type(value) is not VarCell:
            self.template[slot] = fn(value)       # constants cross once, at compile time
            self.static_slots.add(slot)
            node.static = True
        else:
            raw.append((node, fn, [s], [slot]))
        self.nodes.append(node)
        if reuse:
            self.cache[key] = (node, slot)
        return slot

    def _transfer(self, src, dst):
        if dst == CPU0:
            move = self.backend_for(src).download
        else:
            move = self.backend_for(dst).upload

        def copy(x):
            if type(x) is VarCell:
                x = x.read()
            return move(x)
        return copy
