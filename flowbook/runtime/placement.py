"""The placer: assigns each op of a plan to a device, and explains every choice.

Rules (TF1's): an explicitly requested device is honoured when it exists; otherwise
allow_soft_placement moves the op to a device that exists (the CPU), and without it the run
fails with InvalidArgumentError naming the op and the devices available.
"""

import sys

from .. import errors
from ..graph.device import DeviceSpec

__all__ = ["CPU0", "Placement", "available_devices", "place"]

CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0"


class Placement:
    """One op's placement: requested device, assigned device, and why."""

    __slots__ = ("op_name", "op_type", "requested", "assigned", "reason")

    def __init__(self, op_name, op_type, requested, assigned, reason):
        self.op_name = op_name
        self.op_type = op_type
        self.requested = requested
        self.assigned = assigned
        self.reason = reason

    def as_dict(self):
        return {k: getattr(self, k) for k in self.__slots__}

    def __repr__(self):
        return (f"Placement({self.op_name}: requested {self.requested or '(none)'} → "
                f"{self.assigned}: {self.reason})")


def available_devices(config=None):
    """Full names of the devices a session can use (the CPU, plus GPUs when the GPU layer
    provides them)."""
    return [CPU0]


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


def place(ops, config, devices):
    """Returns ``{op: Placement}`` for ``ops`` on ``devices`` (see module docstring)."""
    soft = bool(config is not None and config.allow_soft_placement)
    out = {}
    cache = {}
    for op in ops:
        req = op._device
        got = cache.get(req)
        if got is None:
            got = cache[req] = _choose(req, devices, soft, op)
        if got[0] is None:
            raise errors.InvalidArgumentError(
                op.node_def, op,
                f"Cannot assign a device for operation '{op._name}' ({op._type}): it was "
                f"explicitly assigned to {req} but available devices are "
                f"[ {', '.join(devices)} ]. Make sure the device specification refers to a "
                "valid device, or create the session with "
                "tf.ConfigProto(allow_soft_placement=True) to let flowbook place it.")
        out[op] = Placement(op._name, op._type, req, got[0], got[1])
    return out


def _choose(req, devices, soft, op):
    if not req:
        return devices[0], "no device requested: default device"
    spec = DeviceSpec.from_string(req)
    for d in devices:
        if _matches(spec, d):
            return d, "requested"
    if soft:
        return devices[0], f"soft placement: {req} is not available here"
    return None, None


_loggers = []   # functions(placements) shown instead of the stderr lines (the notebook's table)


def set_placement_logger(fn):
    """Installs ``fn(placements)`` to show log_device_placement output (None removes it)."""
    _loggers[:] = [fn] if fn is not None else []


def log_placements(placements, stream=None):
    """Writes TF's placement log lines ("name: (Type): device") for ``placements``."""
    if stream is None and _loggers:
        _loggers[0](list(placements))
        return
    stream = stream or sys.stderr
    for p in placements:
        stream.write(f"{p.op_name}: ({p.op_type}): {p.assigned}\n")
