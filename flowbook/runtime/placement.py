"""The placer: assigns each op of a plan to a device, and explains every choice.

TF1's rules, applied to colocation groups (ops that must share a device):
- ops joined by reference edges (a variable and its Assign/AssignAdd/...) and ops built under
  ``tf.colocate_with`` form one group; a group is placed as a whole;
- an explicitly requested device is honoured when it exists and has kernels for the group;
- ops with no request go to the first device with kernels for them (GPUs before the CPU, as TF);
- otherwise ``allow_soft_placement`` moves the group to a device that exists and has the
  kernels (same device type first, then GPUs, then the CPU), and without it the run fails with
  InvalidArgumentError naming the op, the request and the devices;
- once a session has placed a group, later plans keep it there (values of variables live on
  that device).
"""

from .. import errors
from ..graph.device import DeviceSpec
from .placement_log import Placement, PlacementLog, log_placements, set_placement_logger  # noqa: F401

__all__ = ["CPU0", "Placement", "PlacementLog", "Placer", "available_devices", "place",
           "log_placements", "device_type"]

CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0"
_GPU_PREFIX = "/job:localhost/replica:0/task:0/device:GPU:"

# Ops that read only a variable's metadata (initialised or not) through a reference input:
# they need not sit on the variable's device, and must not drag variables to the CPU.
METADATA_REF_OPS = frozenset({"ReportUninitializedVariables"})


def device_type(full):
    """'GPU' for '/job:localhost/.../device:GPU:0'."""
    return full.rsplit(":", 2)[-2]


def available_devices(config=None):
    """Full names of the devices a session can use: the CPU, then each GPU that CuPy sees
    (none when CuPy is missing, no GPU is present, or ConfigProto(device_count={'GPU': 0}))."""
    want = None
    if config is not None and config.device_count:
        want = config.device_count.get("GPU")
    if want == 0:
        return [CPU0]
    from ..backends.cupy_backend import device_count
    n = device_count()
    if want is not None:
        n = min(n, int(want))
    return [CPU0] + [f"{_GPU_PREFIX}{i}" for i in range(n)]


def _matches(spec, full):
    d = DeviceSpec.from_string(full)
    for f in ("job", "replica", "task"):
        v = getattr(spec, f)
        if v is not None and v != getattr(d, f):
            return False
    if spec.device_type is not None and spec.device_type != d.device_type:
        return False
    if spec.device_index is not None and spec.device_index != d.device_index:
        return False
    return True


class Placer:
    """Places ops for one session: colocation groups (kept incrementally, the graph is
    append-only), sticky decisions, and the kernel check ``supports(op, device_type)``
    returning None when a kernel exists, else the reason it does not."""

    def __init__(self, graph, devices, soft, supports):
        self.graph = graph
        self.devices = devices
        self.soft = soft
        self.supports = supports
        self._parent = {}
        self._seen = 0
        self._members = None
        self._group_device = {}    # group root -> (device, reason, leader op)
        self._single = {}          # (request, kernel key) -> decision for lone stateless ops
        self._types = sorted({device_type(d) for d in devices} - {"CPU"})
        # GPUs first, then the CPU: TF's device priority for ops with no request.
        self._priority = [d for d in devices if d != CPU0] + [CPU0]

    # --- colocation groups (union-find over the whole graph) -----------------------------------
    def _find(self, op):
        parent = self._parent
        root = op
        while True:
            p = parent.get(root, root)
            if p is root:
                break
            root = p
        while op is not root:          # path compression
            nxt = parent.get(op, op)
            parent[op] = root
            op = nxt
        return root

    def _union(self, a, b):
        ra, rb = self._find(a), self._find(b)
        if ra is rb:
            return
        if ra._id > rb._id:         # the oldest op (e.g. the variable) is the root
            ra, rb = rb, ra
        self._parent.setdefault(ra, ra)
        self._parent[rb] = ra
        decided = self._group_device.pop(rb, None)
        if decided is not None and ra not in self._group_device:
            self._group_device[ra] = decided

    def _update_groups(self):
        ops = self.graph._ops
        if self._seen == len(ops):
            return
        by_name = self.graph._by_name
        for op in ops[self._seen:]:
            refs = op._opdef.ref_inputs
            if op._type not in METADATA_REF_OPS:
                for i, t in enumerate(op._inputs):
                    if t._dtype._is_ref and i in refs:
                        self._union(op, t._op)
            if op._colocation:
                for name in op._colocation:
                    other = by_name.get(name)
                    if other is not None:
                        self._union(op, other)
        self._seen = len(ops)
        self._members = None

    def members(self, root):
        if self._members is None:
            m = {}
            for op in self.graph._ops:
                if op in self._parent:
                    m.setdefault(self._find(op), []).append(op)
            self._members = m
        return self._members.get(root, [root])

    # --- placing ---------------------------------------------------------------------------------
    def place(self, ops):
        """``{op: Placement}`` for ``ops`` (see module docstring)."""
        self._update_groups()
        out = {}
        single = self._single
        for op in ops:
            if op not in self._parent and not op._opdef.stateful:
                # A stateless op alone in its group: the choice depends only on its request
                # and on which device types have its kernel, so it is cached by those.
                key = (op._device, self._kernel_key(op))
                got = single.get(key)
                if got is None:
                    got = self._decide(op)
                    single[key] = (got[0], got[1], None)
                out[op] = Placement(op._name, op._type, op._device, got[0], got[1])
                continue
            root = self._find(op) if op in self._parent else op
            got = self._group_device.get(root)
            if got is None:
                got = self._group_device[root] = self._decide(root)
            dev, reason, leader = got
            if leader is not op:
                missing = self.supports(op, device_type(dev))
                if missing:
                    raise self._colocation_error(op, leader, dev, missing)
                if op._device and not self.soft and not _request_matches(op._device, dev):
                    raise errors.InvalidArgumentError(
                        op.node_def, op,
                        f"Cannot colocate nodes '{leader._name}' and '{op._name}': '{op._name}'"
                        f" requests {op._device} but must run where '{leader._name}' is, "
                        f"{dev} ({_link(op, leader)}). Drop the request, or use "
                        "tf.ConfigProto(allow_soft_placement=True).")
            if leader is not op and not _request_matches(op._device, dev):
                why = f"colocated with '{leader._name}' ({_link(op, leader)}): {reason}"
            else:
                why = reason
            out[op] = Placement(op._name, op._type, op._device, dev, why)
        return out

    def _kernel_key(self, op):
        if not self._types:
            return ()
        return tuple(self.supports(op, t) is None for t in self._types)

    def _decide(self, root):
        group = self.members(root)
        req_op, request = _group_request(group, self.soft)
        unsupported = {}
        for d in self.devices:
            t = device_type(d)
            if t not in unsupported:
                unsupported[t] = next((f"'{o._name}': {r}" for o in group
                                       for r in (self.supports(o, t),) if r), None)

        def ok(d):
            return unsupported[device_type(d)] is None

        if request:
            spec = DeviceSpec.from_string(request)
            matching = [d for d in self.devices if _matches(spec, d)]
            good = [d for d in matching if ok(d)]
            if good:
                return good[0], "requested", req_op
            if not self.soft:
                raise self._error(req_op, request, matching, unsupported)
            # Soft placement: a device of the requested type, else the best device with kernels.
            same = [d for d in self._priority if spec.device_type is not None and
                    device_type(d) == spec.device_type and ok(d)]
            fallback = same or [d for d in self._priority if ok(d)]
            if not fallback:
                raise self._error(req_op, request, matching, unsupported)
            if matching:
                why = (f"soft placement: {request} has no kernel for "
                       f"{unsupported[device_type(matching[0])]}")
            else:
                why = f"soft placement: {request} is not available here"
            return fallback[0], why, req_op
        for d in self._priority:
            if ok(d):
                if d == CPU0 and len(self.devices) > 1:
                    gpu_why = unsupported.get("GPU")
                    return d, f"no device requested; no GPU kernel for {gpu_why}", root
                return d, "no device requested: default device", root
        raise errors.InvalidArgumentError(
            root.node_def, root,
            f"Cannot assign a device for operation '{root._name}' ({root._type}): no device "
            f"has a kernel for it ({'; '.join(f'{k}: {v}' for k, v in unsupported.items())}).")

    def _colocation_error(self, op, leader, dev, missing):
        return errors.InvalidArgumentError(
            op.node_def, op,
            f"Cannot place operation '{op._name}' ({op._type}): it must run on the device of "
            f"'{leader._name}' ({_link(op, leader)}), {dev}, which has no kernel for it "
            f"({missing}). Place '{leader._name}' on a device that can run both, e.g. build it "
            "under tf.device('/cpu:0').")

    def _error(self, op, request, matching, unsupported):
        devs = ", ".join(self.devices)
        if matching:
            t = device_type(matching[0])
            detail = (f"Could not satisfy explicit device specification '{request}' because no "
                      f"supported kernel for {t} devices is available: {unsupported[t]}.")
        else:
            detail = (f"It was explicitly assigned to {request} but available devices are "
                      f"[ {devs} ]. Make sure the device specification refers to a valid "
                      "device.")
        return errors.InvalidArgumentError(
            op.node_def, op,
            f"Cannot assign a device for operation '{op._name}' ({op._type}): {detail} Create "
            "the session with tf.ConfigProto(allow_soft_placement=True) to let flowbook place "
            "it on a device that can run it.")


def _link(op, leader):
    for i, t in enumerate(op._inputs):
        if t._op is leader and t._dtype._is_ref:
            return "reference edge"
    return "same colocation group"


def _request_matches(req, dev):
    return bool(req) and _matches(DeviceSpec.from_string(req), dev)


def _group_request(group, soft):
    """(op, device string) of the group's merged explicit request, or (None, "")."""
    merged = None
    first = None
    for op in group:
        req = op._device
        if not req:
            continue
        spec = DeviceSpec.from_string(req)
        if merged is None:
            merged, first = spec, op
            continue
        conflict = [f for f in ("job", "replica", "task", "device_type", "device_index")
                    if getattr(spec, f) is not None and getattr(merged, f) is not None
                    and getattr(spec, f) != getattr(merged, f)]
        if conflict:
            if soft:
                continue        # the oldest request wins
            raise errors.InvalidArgumentError(
                op.node_def, op,
                f"Cannot colocate nodes '{first._name}' and '{op._name}': they must share a "
                f"device (reference edge or colocate_with) but request different devices "
                f"({merged.to_string()} and {spec.to_string()}). Request one device for both, "
                "or use tf.ConfigProto(allow_soft_placement=True).")
        for f in ("job", "replica", "task", "device_type", "device_index"):
            if getattr(merged, f) is None and getattr(spec, f) is not None:
                setattr(merged, f, getattr(spec, f))
    if merged is None:
        return None, ""
    return first, merged.to_string()


def place(ops, config, devices, supports=None, graph=None):
    """One-shot placement of ``ops`` (a Placer without session memory)."""
    ops = list(ops)
    if graph is None:
        graph = ops[0]._graph if ops else None
    soft = bool(config is not None and config.allow_soft_placement)
    placer = Placer(graph, devices, soft, supports or (lambda op, t: None))
    return placer.place(ops)
