"""Device strings as TF1 accepts them: parsing, merging (nested device scopes) and printing.

"/gpu:0", "/device:GPU:0", "/job:worker/task:1/cpu:0" and "GPU:0" all parse into a DeviceSpec;
``to_string`` prints TF's canonical form ("/job:worker/task:1/device:CPU:0").
"""

import re

__all__ = ["DeviceSpec", "canonical_name", "merge_device"]

_FIELD = re.compile(r"^(job|replica|task|device|cpu|gpu)$", re.IGNORECASE)


class DeviceSpec:
    """A (partial) device specification: job, replica, task, device_type, device_index."""

    __slots__ = ("job", "replica", "task", "device_type", "device_index")

    def __init__(self, job=None, replica=None, task=None, device_type=None, device_index=None):
        self.job = job
        self.replica = None if replica is None else int(replica)
        self.task = None if task is None else int(task)
        self.device_type = None if device_type is None else _norm_type(device_type)
        self.device_index = device_index

    @classmethod
    def from_string(cls, spec):
        """Parses a device string; raises ValueError naming the bad part."""
        self = cls()
        if spec is None:
            return self
        if not isinstance(spec, str):
            raise TypeError(f"Device spec must be a string, got {type(spec).__name__}")
        for part in spec.split("/"):
            if not part:
                continue
            bits = part.split(":")
            n = len(bits)
            key = bits[0].lower()
            if n == 2 and key == "job":
                self.job = bits[1]
            elif n == 2 and key == "replica":
                self.replica = _int(bits[1], spec)
            elif n == 2 and key == "task":
                self.task = _int(bits[1], spec)
            elif n in (1, 2) and key in ("cpu", "gpu"):
                self.device_type = key.upper()
                self.device_index = None if n == 1 or bits[1] == "*" else _int(bits[1], spec)
            elif n == 3 and key == "device":
                self.device_type = _norm_type(bits[1])
                self.device_index = None if bits[2] == "*" else _int(bits[2], spec)
            else:
                raise ValueError(
                    f"Unknown attribute {bits[0]!r} in device specification {spec!r}: use "
                    "forms like '/cpu:0', '/gpu:1', '/device:GPU:0' or '/job:worker/task:0'.")
        return self

    def merge_from(self, other):
        """Fields set in ``other`` override ours (TF's MergeDevice)."""
        for f in self.__slots__:
            v = getattr(other, f)
            if v is not None:
                setattr(self, f, v)
        if other.device_type is not None and other.device_index is None:
            self.device_index = None

    def copy(self):
        c = DeviceSpec()
        for f in self.__slots__:
            setattr(c, f, getattr(self, f))
        return c

    def to_string(self):
        out = []
        if self.job is not None:
            out.append(f"/job:{self.job}")
        if self.replica is not None:
            out.append(f"/replica:{self.replica}")
        if self.task is not None:
            out.append(f"/task:{self.task}")
        if self.device_type is not None:
            idx = "*" if self.device_index is None else self.device_index
            out.append(f"/device:{self.device_type}:{idx}")
        return "".join(out)

    def __eq__(self, other):
        return isinstance(other, DeviceSpec) and self.to_string() == other.to_string()

    def __hash__(self):
        return hash(self.to_string())

    def __repr__(self):
        return f"DeviceSpec({self.to_string()!r})"


def _int(text, spec):
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"Bad number {text!r} in device specification {spec!r}") from None


def _norm_type(t):
    u = t.upper()
    return u if u in ("CPU", "GPU", "TPU") else t


_CANON = {}


def canonical_name(spec):
    """The canonical string for a device spec string (cached: specs repeat a lot)."""
    if not spec:
        return ""
    c = _CANON.get(spec)
    if c is None:
        c = DeviceSpec.from_string(spec).to_string()
        _CANON[spec] = c
    return c


def merge_device(outer, inner):
    """The device string an op gets when ``inner`` is requested inside scope ``outer``."""
    if not outer:
        return canonical_name(inner)
    if not inner:
        return outer
    spec = DeviceSpec.from_string(outer)
    spec.merge_from(DeviceSpec.from_string(inner))
    return spec.to_string()
