"""A Plan is what one Session.run signature executes, compiled once and then reused.

Compiling: resolve fetches (any nesting of lists, tuples, namedtuples and dicts) and feeds;
prune the graph to the ops the fetches need (a fed tensor cuts off its producer); order them
(creation order is topological); place them on devices; bind kernels; give every tensor a
slot and free each slot after its last consumer. Running: copy the slot template, convert
feeds, call the steps, build the fetch structure. Per-call work is only that.
"""

import time

import numpy as np

from .. import errors
from ..backends.base import VarCell
from ..graph import dtypes as _dtypes
from ..graph.operation import Operation, Tensor
from .copies import Copier

__all__ = ["Plan", "compile_plan", "prune", "fetch_key", "resolve_fetches"]


# --- fetches ---------------------------------------------------------------------------------
def fetch_key(fetches):
    """A hashable key for a fetch structure (TypeError if a leaf is unhashable)."""
    t = type(fetches)
    if t is Tensor or t is Operation or t is str:
        return fetches
    if t is list:
        return ("[",) + tuple(fetch_key(f) for f in fetches)
    if t is tuple:
        return ("(",) + tuple(fetch_key(f) for f in fetches)
    if t is dict:
        return ("{",) + tuple((k, fetch_key(v)) for k, v in fetches.items())
    if isinstance(fetches, (list, tuple)):
        return (t,) + tuple(fetch_key(f) for f in fetches)
    if isinstance(fetches, dict):
        return (t,) + tuple((k, fetch_key(v)) for k, v in fetches.items())
    hash(fetches)
    return fetches


def _resolve_leaf(graph, fetch):
    if fetch is None:
        raise TypeError('Argument `fetch` = None has invalid type "NoneType". Cannot be None')
    try:
        el = graph.as_graph_element(fetch, allow_tensor=True, allow_operation=True)
    except TypeError as e:
        raise TypeError(
            f'Argument `fetch` = {fetch!r} has invalid type "{type(fetch).__name__}", must be a '
            f"string or Tensor. ({e})") from None
    except (ValueError, KeyError) as e:
        msg = e.args[0] if e.args else str(e)
        raise ValueError(f"Argument `fetch` = {fetch} cannot be interpreted as a Tensor. "
                         f"({msg})") from None
    if not graph.is_fetchable(el):
        raise ValueError(f"Operation {el.name!r} has been marked as not fetchable.")
    return el


def resolve_fetches(graph, fetches):
    """(elements, builder): unique graph elements and a function rebuilding the structure."""
    elements = []
    index = {}

    def mapper(f):
        if isinstance(f, (list, tuple)):
            subs = [mapper(x) for x in f]
            t = type(f)
            if t is list:
                return lambda r: [s(r) for s in subs]
            if t is tuple:
                return lambda r: tuple([s(r) for s in subs])
            if hasattr(t, "_fields"):
                return lambda r: t(*[s(r) for s in subs])
            return lambda r: t([s(r) for s in subs])
        if isinstance(f, dict):
            keys = list(f)
            subs = [mapper(f[k]) for k in keys]
            t = type(f)
            if t is dict:
                return lambda r: {k: s(r) for k, s in zip(keys, subs)}
            factory = getattr(f, "default_factory", None)
            if factory is not None:
                return lambda r: t(factory, [(k, s(r)) for k, s in zip(keys, subs)])
            return lambda r: t([(k, s(r)) for k, s in zip(keys, subs)])
        el = _resolve_leaf(graph, f)
        pos = index.get(el)
        if pos is None:
            pos = index[el] = len(elements)
            elements.append(el)
        if isinstance(el, Operation):
            return lambda r: None
        return lambda r: r[pos]

    return elements, mapper(fetches)


def _resolve_feed(graph, key):
    if type(key) is Tensor and key._op._graph is graph:
        t = key
    else:
        try:
            t = graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
        except Exception as e:  # noqa: BLE001 (TF reports any failure this way)
            msg = e.args[0] if e.args else str(e)
            raise TypeError(f"Cannot interpret feed_dict key as Tensor: {msg}") from None
    if not graph.is_feedable(t):
        raise ValueError(f"Tensor {t} may not be fed.")
    return t


# --- pruning ---------------------------------------------------------------------------------
def prune(elements, fed):
    """Ops needed to compute ``elements`` when the tensors in ``fed`` are given, in order."""
    stack = []
    for e in elements:
        if isinstance(e, Tensor):
            if e not in fed:
                stack.append(e._op)
        else:
            stack.append(e)
    seen = set()
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        for t in op._inputs:
            if t not in fed and t._op not in seen:
                stack.append(t._op)
        for c in op._control_inputs:
            if c not in seen:
                stack.append(c)
    return sorted(seen, key=_op_id)


def _op_id(op):
    return op._id


# --- feed conversion -------------------------------------------------------------------------
def _feed_converter(t):
    dtype = t._dtype.base_dtype
    npd = np.dtype(dtype.as_numpy_dtype)
    dims = t._shape._dims
    name = t.name
    known = dims is not None and None not in dims

    def check(a):
        s = a.shape
        if known:
            if s != dims:
                _bad_shape(s)
        elif dims is not None:
            if len(s) != len(dims) or any(d is not None and d != x for d, x in zip(dims, s)):
                _bad_shape(s)

    def _bad_shape(s):
        raise ValueError(f"Cannot feed value of shape {s} for Tensor {name}, which has shape "
                         f"{t._shape}")

    if dtype is _dtypes.string:
        from ..ops.convert import to_ndarray

        def conv_str(v):
            a = to_ndarray(v, _dtypes.string)
            check(a)
            return a
        return conv_str

    def conv(v):
        if type(v) is np.ndarray and v.dtype == npd:
            a = v
        else:
            if isinstance(v, (Tensor, Operation)) or hasattr(v, "_as_graph_element"):
                raise TypeError(
                    "The value of a feed cannot be a tf.Tensor object. Acceptable feed values "
                    "include Python scalars, strings, lists, numpy ndarrays, or TensorHandles. "
                    f"For reference, the tensor object was {v} which was passed to the argument "
                    f"`feed_dict` with key {t}.")
            try:
                a = np.asarray(v, dtype=npd)
            except OverflowError:
                raise TypeError(
                    f"Type of feed value {v} with type {type(v)} is not compatible with Tensor "
                    f"type {npd.type}. Try explicitly setting the type of the feed tensor to a "
                    "larger type (e.g. int64).") from None
            except (ValueError, TypeError) as e:
                raise ValueError(f"Cannot convert the value fed for {name} to {dtype.name}: "
                                 f"{e}") from None
        if known and a.shape == dims:
            return a
        check(a)
        return a
    return conv


# --- output post-processing ------------------------------------------------------------------
def _out(v):
    t = type(v)
    if t is np.ndarray:
        if v.ndim == 0:
            return v[()]
        if not v.flags.writeable:
            return v.copy()
        return v
    if t is VarCell:
        return _out(v.read())
    return v


# --- steps -----------------------------------------------------------------------------------
def _deref(fn, positions):
    def k(*args):
        args = list(args)
        for p in positions:
            a = args[p]
            if type(a) is VarCell:
                args[p] = a.read()
        return fn(*args)
    return k


def _make_step(fn, ins, outs, frees):
    """A closure ``step(vals)`` running one op; specialised for the common shapes."""
    n = len(ins)
    if len(outs) == 1 and not frees:
        o = outs[0]
        if n == 1:
            a, = ins

            def step(v):
                v[o] = fn(v[a])
        elif n == 2:
            a, b = ins

            def step(v):
                v[o] = fn(v[a], v[b])
        elif n == 0:
            def step(v):
                v[o] = fn()
        else:
            def step(v):
                v[o] = fn(*[v[i] for i in ins])
        return step
    if len(outs) == 1:
        o = outs[0]
        if n == 2:
            a, b = ins

            def step(v):
                v[o] = fn(v[a], v[b])
                for f in frees:
                    v[f] = None
        else:
            def step(v):
                v[o] = fn(*[v[i] for i in ins])
                for f in frees:
                    v[f] = None
        return step

    def step(v):
        r = fn(*[v[i] for i in ins])
        if outs:
            for o, x in zip(outs, r):
                v[o] = x
        for f in frees:
            v[f] = None
    return step


class Plan:
    """A compiled Session.run signature (see module docstring)."""

    def __init__(self):
        self.epoch = -1
        self.ops = []            # executed ops, in order (static ones included)
        self.placements = {}     # op -> Placement
        self.template = []
        self.feed_convs = []     # (slot, converter) in feed_dict order
        self.steps = []
        self.specs = []          # (op, fn, ins, outs, frees) for traced runs and tools
        self.static_ops = []
        self.fetch_slots = []
        self.build = None
        self.copy_nodes = []     # CopyNode per cross-device copy (see copies.py)
        self.syncs = {}          # device -> synchronize(), for timing traced GPU steps
        self.on_error = None     # called after a failed run (frees cached device memory)

    def copy_records(self):
        """The plan's cross-device copies as plain records (RunMetadata.copies)."""
        return [n.record() for n in self.copy_nodes]

    def run(self, feed_values, run_metadata=None):
        vals = self.template.copy()
        if self.feed_convs:
            for (slot, conv), v in zip(self.feed_convs, feed_values):
                vals[slot] = conv(v)
        if run_metadata is not None:
            self._run_traced(vals, run_metadata)
        else:
            step = None
            try:
                for step in self.steps:
                    step(vals)
            except BaseException as e:  # noqa: BLE001 (re-raised, annotated)
                spec = self.specs[self.steps.index(step)] if step is not None else None
                err = _annotate(e, spec, vals, self.placements)
                self._failed(vals)
                raise err from (None if isinstance(e, errors.OpError) else e)
        return self.build(vals)

    def _run_traced(self, vals, md):
        from .config import DeviceStepStats, NodeExecStats, NodeOutput, StepStats, \
            TensorDescription, AllocationDescription
        per_dev = {}
        start = time.time_ns()
        t_base = time.perf_counter_ns()

        def record(op, t0, t1, outputs):
            dev = self.placements[op].assigned
            outs = []
            for i, x in enumerate(outputs):
                x = x.read() if type(x) is VarCell and x.value is not None else x
                shape = tuple(np.shape(x)) if not isinstance(x, VarCell) else ()
                nbytes = int(getattr(x, "nbytes", 0) or 0)
                dt = getattr(x, "dtype", None)
                outs.append(NodeOutput(slot=i, tensor_description=TensorDescription(
                    dtype=str(dt) if dt is not None else "", shape=shape,
                    allocation_description=AllocationDescription(
                        requested_bytes=nbytes, allocated_bytes=nbytes,
                        allocator_name=dev.rsplit("/", 1)[-1]))))
            st = (start + (t0 - t_base)) // 1000
            ns = NodeExecStats(
                node_name=op._name, op_type=op._type, all_start_micros=st,
                op_start_rel_micros=0, op_end_rel_micros=(t1 - t0) // 1000,
                all_end_rel_micros=(t1 - t0) // 1000, all_start_nanos=start + (t0 - t_base),
                op_end_rel_nanos=t1 - t0, output=outs,
                timeline_label=f"{op._name} = {op._type}("
                               f"{', '.join(t._op._name for t in op._inputs)})")
            per_dev.setdefault(dev, []).append(ns)

        for op in self.static_ops:
            t = time.perf_counter_ns()
            record(op, t, t, [vals[s] for s in self.static_slots[op]])
        copies = [n.record() for n in self.copy_nodes if n.static]
        syncs = self.syncs
        spec = None
        try:
            for spec in self.specs:
                op, fn, ins, outs, frees = spec
                sync = syncs.get(self.placements[op].assigned) if syncs else None
                t0 = time.perf_counter_ns()
                r = fn(*[vals[i] for i in ins])
                if sync is not None:
                    sync()          # GPU kernels are asynchronous: time them to completion
                t1 = time.perf_counter_ns()
                if op._type == "_Copy":
                    copies.append(op.record(int(getattr(r, "nbytes", 0) or 0),
                                            (t1 - t0) // 1000))
                if len(outs) == 1:
                    vals[outs[0]] = r
                    record(op, t0, t1, [r])
                elif outs:
                    for o, x in zip(outs, r):
                        vals[o] = x
                    record(op, t0, t1, list(r))
                else:
                    record(op, t0, t1, [])
                for f in frees:
                    vals[f] = None
        except BaseException as e:  # noqa: BLE001
            err = _annotate(e, spec, vals, self.placements)
            self._failed(vals)
            raise err from (None if isinstance(e, errors.OpError) else e)
        finally:
            md.step_stats = StepStats(dev_stats=[
                DeviceStepStats(device=d, node_stats=s) for d, s in per_dev.items()])
            md.copies = copies

    def _failed(self, vals):
        # Drop this run's intermediate values now: a traceback kept by a notebook would
        # otherwise hold them (and their device memory) alive.
        vals.clear()
        if self.on_error is not None:
            self.on_error()


def _describe_values(op, ins, vals):
    parts = []
    for t, i in zip(op._inputs, ins):
        x = vals[i] if i < len(vals) else None
        if type(x) is VarCell:
            parts.append(f"{t.name}: variable {x.name}")
        elif x is None:
            parts.append(f"{t.name}: (released)")
        else:
            parts.append(f"{t.name}: {getattr(x, 'dtype', type(x).__name__)}"
                         f"{list(np.shape(x))}")
    return "; ".join(parts) or "no inputs"


def _annotate(e, spec, vals, placements=None):
    if spec is None or not isinstance(e, Exception):
        return e
    op, ins = spec[0], spec[2]
    where = f"node '{op._name}' ({op._type})"
    if isinstance(e, errors.OpError):
        if e._op is None:
            e._op = op
        if where not in e._message:
            e._message = f"{e._message}\n  [[{where}]]"
            e.args = (e._message,)
        return e
    desc = _describe_values(op, ins, vals)
    if isinstance(e, MemoryError):
        p = placements.get(op) if placements else None
        on = f" on {p.assigned}" if p is not None else ""
        detail = str(e) or "the allocator gave up"
        return errors.ResourceExhaustedError(
            None, op, f"Out of memory while running {where}{on} with inputs {desc}: "
            f"{detail} Use smaller batches or shapes (on a GPU, ConfigProto.gpu_options."
            "per_process_gpu_memory_fraction caps what flowbook may use). The session is "
            "still usable.")
    return errors.InvalidArgumentError(
        None, op, f"{type(e).__name__} while running {where}: {e}\n  inputs: {desc}")


# --- compilation -----------------------------------------------------------------------------
def compile_plan(session, fetches, feed_keys):
    """Builds the Plan for (fetches, feed keys) in ``session`` (errors as TF1 raises them)."""
    graph = session.graph
    if not graph._ops:
        raise RuntimeError("The Session graph is empty. Add operations to the graph before "
                           "calling run().")
    plan = Plan()
    plan.epoch = graph._epoch
    elements, builder = resolve_fetches(graph, fetches)
    fed = {}
    feed_tensors = []
    for k in feed_keys:
        t = _resolve_feed(graph, k)
        fed[t] = len(feed_tensors)
        feed_tensors.append(t)
    needed = prune(elements, fed)
    if graph._retired:
        _check_retired(graph, needed, elements)
    _check_placeholders(needed, elements, fed)
    plan.placements = session._place(needed)

    slot_of = {}
    template = []
    for t in feed_tensors:
        if t not in slot_of:
            slot_of[t] = len(template)
            template.append(None)
    plan.feed_convs = [(slot_of[t], _feed_converter(t)) for t in feed_tensors]

    raw = []       # (op, fn, ins, outs); copy steps between devices included
    static_slots = {}
    resources = session._resources
    placements = plan.placements
    backend_for = session._backend_for
    backends = {}
    copier = None
    if len(session._devices) > 1:     # ops may sit on different devices: plan the copies
        copier = Copier(template, placements, backend_for, set())
        for t in feed_tensors:
            copier.feed(slot_of[t])
    for op in needed:
        dev = placements[op].assigned
        backend = backends.get(dev)
        if backend is None:
            backend = backends[dev] = backend_for(dev)
        outs = []
        for t in op._outputs:
            n = len(template)
            if t in fed:
                template.append(None)     # computed but unused: the fed value wins
            else:
                slot_of[t] = n
                template.append(None)
            outs.append(n)
        ins = [slot_of[t] for t in op._inputs]
        try:
            fn = backend.bind(op, resources)
        except KeyError:
            raise errors.NotFoundError(
                op.node_def, op, f"No kernel for op type {op._type} (node '{op._name}') on "
                f"device {dev}.") from None
        if op._type in backend.static:
            value = fn()
            for o, v in zip(outs, (value,) if len(outs) == 1 else value):
                template[o] = v
            plan.static_ops.append(op)
            static_slots[op] = outs
            if copier is not None:
                copier.outputs(op, outs, dev, backend)
                copier.static_slots.update(outs)
            continue
        if copier is not None:
            ins = copier.inputs(op, ins, dev, backend, raw)
            copier.outputs(op, outs, dev, backend)
        ref_inputs = op._opdef.ref_inputs
        refs = [i for i, t in enumerate(op._inputs)
                if t._dtype._is_ref and i not in ref_inputs]
        if refs:
            fn = _deref(fn, refs)
        raw.append((op, fn, ins, outs))
    plan.static_slots = static_slots
    plan.ops = needed
    fetch_slots = [slot_of.get(e) if isinstance(e, Tensor) else None for e in elements]
    if copier is not None:
        fetch_slots = copier.fetches(elements, fetch_slots, raw)
        plan.copy_nodes = copier.nodes
        plan.syncs = {d: b.synchronize for d, b in backends.items()
                      if hasattr(b, "synchronize")}

    # Free every slot after its last consumer (fetched, fed and static slots are kept).
    keep = {s_ for s_ in fetch_slots if s_ is not None}
    keep.update(slot_of[t] for t in feed_tensors)
    for outs in static_slots.values():
        keep.update(outs)
    if copier is not None:
        keep.update(copier.static_slots)
    last = {}
    for i, (op, fn, ins, outs) in enumerate(raw):
        for s_ in outs:
            last[s_] = i
        for s_ in ins:
            last[s_] = i
    frees_at = [[] for _ in raw]
    for s_, i in last.items():
        if s_ not in keep:
            frees_at[i].append(s_)
    steps = plan.steps
    specs = plan.specs
    for (op, fn, ins, outs), frees in zip(raw, frees_at):
        steps.append(_make_step(fn, ins, outs, frees))
        specs.append((op, fn, ins, outs, frees))
    plan.template = template
    plan.fetch_slots = fetch_slots
    plan.build = _builder(elements, plan.fetch_slots, builder, fetches)
    return plan


def _builder(elements, slots, builder, fetches):
    if len(elements) == 1 and elements[0] is not None and not isinstance(fetches, (list, tuple,
                                                                                   dict)):
        s = slots[0]
        if s is None:
            return lambda vals: None
        return lambda vals: _out(vals[s])

    def build(vals):
        return builder([None if s is None else _out(vals[s]) for s in slots])
    return build


def _check_retired(graph, needed, elements):
    for op in needed:
        why = graph._retired.get(op)
        if why is not None:
            raise errors.FailedPreconditionError(
                op.node_def, op,
                f"Op '{op._name}' ({op._type}), needed to compute "
                f"{', '.join(repr(e.name) for e in elements)}, is no longer in the graph: {why}.")


def _check_placeholders(needed, elements, fed):
    for op in needed:
        if op._type == "Placeholder":
            users = [e.name for e in elements if op in prune([e], fed)]
            t = op._outputs[0]
            raise errors.InvalidArgumentError(
                op.node_def, op,
                f"You must feed a value for placeholder tensor '{op._name}' with dtype "
                f"{t.dtype.name} and shape {t.shape}: it is needed to compute "
                f"{', '.join(repr(u) for u in users)}. Pass it in feed_dict, e.g. "
                f"sess.run(..., feed_dict={{{op._name}: value}}).")
