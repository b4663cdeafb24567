"""Reading checkpoints without a graph: tf.train.list_variables, load_variable, load_checkpoint
and NewCheckpointReader (TF1's names; values come back as NumPy arrays, checked for damage)."""

import os

from ..backends import checkpoint_io
from ..graph.attr_value import dtype_enum_name
from . import checkpoint_management as _cm

__all__ = ["CheckpointReader", "NewCheckpointReader", "load_checkpoint", "list_variables",
           "load_variable"]


class CheckpointReader:
    """Reads one checkpoint: its tensors' names, shapes, dtypes and values."""

    def __init__(self, filepattern):
        self._reader = checkpoint_io.Reader(os.fspath(filepattern))

    def has_tensor(self, name):
        return self._reader.has(name)

    def get_tensor(self, name):
        """The stored value of ``name`` (NotFoundError if absent, DataLossError if damaged)."""
        v = self._reader.get(name)
        return v[()] if v.ndim == 0 else v.copy()

    def get_variable_to_shape_map(self):
        return {n: list(s) for n, (_, s) in self._reader.infos.items()}

    def get_variable_to_dtype_map(self):
        return {n: d for n, (d, _) in self._reader.infos.items()}

    def debug_string(self):
        lines = [f"{n} ({dtype_enum_name(d)}) [{','.join(str(x) for x in s)}]"
                 for n, (d, s) in sorted(self._reader.infos.items())]
        return "".join(line + "\n" for line in lines).encode()

    def __repr__(self):
        return f"<CheckpointReader {self._reader.prefix} ({len(self._reader.infos)} tensors)>"


def NewCheckpointReader(filepattern):  # noqa: N802 (TF's name)
    return CheckpointReader(filepattern)


def _checkpoint_filename(ckpt_dir_or_file):
    p = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(p):
        latest = _cm.latest_checkpoint(p)
        if latest is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given "
                             f"directory {p}")
        return latest
    return p


def load_checkpoint(ckpt_dir_or_file):
    """A CheckpointReader for a checkpoint prefix, or for the latest one in a directory."""
    return CheckpointReader(_checkpoint_filename(ckpt_dir_or_file))


def list_variables(ckpt_dir_or_file):
    """[(name, shape)] of every tensor in the checkpoint, sorted by name."""
    shapes = load_checkpoint(ckpt_dir_or_file).get_variable_to_shape_map()
    return [(n, shapes[n]) for n in sorted(shapes)]


def load_variable(ckpt_dir_or_file, name):
    """The stored value of variable ``name`` ("w" or "w:0")."""
    if name.endswith(":0"):
        name = name[:-2]
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)
