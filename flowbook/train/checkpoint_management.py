"""The "checkpoint" state file and the functions that find checkpoints (TF1's names).

The state file is TF1's text format (``model_checkpoint_path: "model.ckpt-100"`` plus one
``all_model_checkpoint_paths`` line per kept checkpoint), so TF1 tools read it. It is parsed
here as data (a few quoted fields), never executed, and written atomically (temporary file,
fsync, rename) *after* the checkpoint it names is complete.
"""

import os
import re

from .. import logging as _logging
from ..backends import checkpoint_io

__all__ = ["CheckpointState", "generate_checkpoint_state_proto", "update_checkpoint_state",
           "get_checkpoint_state", "latest_checkpoint", "checkpoint_exists",
           "get_checkpoint_mtimes", "remove_checkpoint", "meta_graph_filename"]


class CheckpointState:
    """TF1's CheckpointState: the newest checkpoint and the ones still kept, oldest first."""

    def __init__(self, model_checkpoint_path="", all_model_checkpoint_paths=(),
                 all_model_checkpoint_timestamps=(), last_preserved_timestamp=0.0):
        self.model_checkpoint_path = model_checkpoint_path
        self.all_model_checkpoint_paths = list(all_model_checkpoint_paths)
        self.all_model_checkpoint_timestamps = list(all_model_checkpoint_timestamps)
        self.last_preserved_timestamp = last_preserved_timestamp

    def __eq__(self, other):
        return isinstance(other, CheckpointState) and vars(self) == vars(other)

    def __str__(self):
        lines = []
        if self.model_checkpoint_path:
            lines.append(f"model_checkpoint_path: {_quote(self.model_checkpoint_path)}")
        lines += [f"all_model_checkpoint_paths: {_quote(p)}"
                  for p in self.all_model_checkpoint_paths]
        lines += [f"all_model_checkpoint_timestamps: {t!r}"
                  for t in self.all_model_checkpoint_timestamps]
        if self.last_preserved_timestamp:
            lines.append(f"last_preserved_timestamp: {self.last_preserved_timestamp!r}")
        return "".join(line + "\n" for line in lines)

    def __repr__(self):
        return f"CheckpointState({self.model_checkpoint_path!r}, " \
               f"{len(self.all_model_checkpoint_paths)} kept)"


# --- the text format (a tiny subset of protobuf's: scalar fields, C escapes) ------------------
def _quote(s):
    out = []
    for b in s.encode("utf-8"):
        c = chr(b)
        if c in '"\\':
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\n")
        elif 32 <= b < 127:
            out.append(c)
        else:
            out.append(f"\\{b:03o}")
    return '"' + "".join(out) + '"'


_ESC = {"n": b"\n", "t": b"\t", "r": b"\r", '"': b'"', "'": b"'", "\\": b"\\", "a": b"\a",
        "b": b"\b", "f": b"\f", "v": b"\v", "?": b"?"}
_FIELD = re.compile(r'\s*([A-Za-z_]+)\s*:\s*("(?:[^"\\\n]|\\.)*"|[-+0-9.eEinfINF]+)\s*')


def _unquote(tok):
    body = tok[1:-1]
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        nxt = body[i + 1]
        if nxt in "01234567":
            j = i + 1
            while j < len(body) and j < i + 4 and body[j] in "01234567":
                j += 1
            out.append(int(body[i + 1:j], 8) & 0xFF)
            i = j
        elif nxt == "x":
            j = i + 2
            while j < len(body) and j < i + 4 and body[j] in "0123456789abcdefABCDEF":
                j += 1
            out.append(int(body[i + 2:j], 16))
            i = j
        else:
            out += _ESC.get(nxt, nxt.encode())
            i += 2
    return out.decode("utf-8", errors="replace")


def _parse_state(text):
    """CheckpointState from the text format; ValueError naming the first bad line."""
    st = CheckpointState()
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _FIELD.match(text, pos)
        if m is None:
            line = text[pos:].strip().splitlines()[0]
            raise ValueError(f"cannot parse {line!r}")
        key, tok = m.group(1), m.group(2)
        is_str = tok.startswith('"')
        if key in ("model_checkpoint_path", "all_model_checkpoint_paths") and is_str:
            val = _unquote(tok)
            if key == "model_checkpoint_path":
                st.model_checkpoint_path = val
            else:
                st.all_model_checkpoint_paths.append(val)
        elif key in ("all_model_checkpoint_timestamps", "last_preserved_timestamp") \
                and not is_str:
            if key == "last_preserved_timestamp":
                st.last_preserved_timestamp = float(tok)
            else:
                st.all_model_checkpoint_timestamps.append(float(tok))
        else:
            raise ValueError(f"unexpected field {key}: {tok}")
        pos = m.end()
    return st


# --- public functions ------------------------------------------------------------------------
def _state_path(save_dir, latest_filename):
    return os.path.join(save_dir, latest_filename or "checkpoint")


def generate_checkpoint_state_proto(save_dir, model_checkpoint_path,
                                    all_model_checkpoint_paths=None,
                                    all_model_checkpoint_timestamps=None,
                                    last_preserved_timestamp=None):
    """A CheckpointState; with a relative ``save_dir`` relative paths become relative to it."""
    if all_model_checkpoint_paths is None:
        all_model_checkpoint_paths = []
    if not all_model_checkpoint_paths or all_model_checkpoint_paths[-1] != \
            model_checkpoint_path:
        _logging.info("%s is not in all_model_checkpoint_paths. Manually adding it.",
                      model_checkpoint_path)
        all_model_checkpoint_paths = list(all_model_checkpoint_paths) + [model_checkpoint_path]
    if not os.path.isabs(save_dir):
        if not os.path.isabs(model_checkpoint_path):
            model_checkpoint_path = os.path.relpath(model_checkpoint_path, save_dir)
        all_model_checkpoint_paths = [p if os.path.isabs(p) else os.path.relpath(p, save_dir)
                                      for p in all_model_checkpoint_paths]
    return CheckpointState(model_checkpoint_path, all_model_checkpoint_paths,
                           all_model_checkpoint_timestamps or (),
                           last_preserved_timestamp or 0.0)


def update_checkpoint_state(save_dir, model_checkpoint_path, all_model_checkpoint_paths=None,
                            latest_filename=None, all_model_checkpoint_timestamps=None,
                            last_preserved_timestamp=None, save_relative_paths=False):
    """Writes the state file in ``save_dir`` (atomically) naming ``model_checkpoint_path``."""
    path = _state_path(save_dir, latest_filename)
    if save_relative_paths:
        rel = (lambda p: os.path.relpath(p, save_dir) if os.path.isabs(p) else p)
        st = CheckpointState(rel(model_checkpoint_path),
                             [rel(p) for p in (all_model_checkpoint_paths or [])],
                             all_model_checkpoint_timestamps or (),
                             last_preserved_timestamp or 0.0)
        if not st.all_model_checkpoint_paths or \
                st.all_model_checkpoint_paths[-1] != st.model_checkpoint_path:
            st.all_model_checkpoint_paths.append(st.model_checkpoint_path)
    else:
        st = generate_checkpoint_state_proto(save_dir, model_checkpoint_path,
                                             all_model_checkpoint_paths,
                                             all_model_checkpoint_timestamps,
                                             last_preserved_timestamp)
    if os.path.abspath(path) == os.path.abspath(str(st.model_checkpoint_path)):
        raise RuntimeError(f"Save path '{model_checkpoint_path}' conflicts with path used for "
                           "checkpoint state. Please use a different save path.")
    checkpoint_io.atomic_write_bytes(path, str(st).encode("utf-8"))


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """The CheckpointState in ``checkpoint_dir`` (relative paths made relative to it), or None
    when there is no state file or it cannot be parsed (a warning says why)."""
    path = _state_path(os.fspath(checkpoint_dir), latest_filename)
    try:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as e:
        _logging.warning("%s: checkpoint state ignored (%s)", path, e)
        return None
    try:
        st = _parse_state(text)
    except ValueError as e:
        _logging.warning("%s: checkpoint state ignored (%s)", path, e)
        return None
    if not st.model_checkpoint_path:
        raise ValueError("Invalid checkpoint state loaded from " + os.fspath(checkpoint_dir))
    d = os.fspath(checkpoint_dir)
    if not os.path.isabs(st.model_checkpoint_path):
        st.model_checkpoint_path = os.path.join(d, st.model_checkpoint_path)
    st.all_model_checkpoint_paths = [p if os.path.isabs(p) else os.path.join(d, p)
                                     for p in st.all_model_checkpoint_paths]
    return st


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The prefix of the newest complete checkpoint in ``checkpoint_dir``, or None."""
    st = get_checkpoint_state(checkpoint_dir, latest_filename)
    if st and st.model_checkpoint_path:
        if checkpoint_io.exists(st.model_checkpoint_path):
            return st.model_checkpoint_path
        _logging.error("Couldn't match files for checkpoint %s", st.model_checkpoint_path)
    return None


def checkpoint_exists(checkpoint_prefix):
    """Whether a complete checkpoint with this prefix exists."""
    return checkpoint_io.exists(checkpoint_prefix)


def get_checkpoint_mtimes(checkpoint_prefixes):
    """Modification times (seconds) of the given checkpoints' index files (missing: skipped)."""
    out = []
    for p in checkpoint_prefixes:
        try:
            out.append(os.stat(os.fspath(p) + ".index").st_mtime)
        except OSError:
            pass
    return out


def remove_checkpoint(checkpoint_prefix, checkpoint_format_version=2, meta_graph_suffix="meta"):
    """Deletes a checkpoint's files (index first, so it stops existing at once) and its meta
    graph."""
    checkpoint_io.remove(checkpoint_prefix)
    try:
        os.unlink(meta_graph_filename(checkpoint_prefix, meta_graph_suffix))
    except OSError:
        pass


def meta_graph_filename(checkpoint_filename, meta_graph_suffix="meta"):
    """"model.ckpt-100" → "model.ckpt-100.meta" (a trailing shard pattern is dropped)."""
    basename = re.sub(r"-[\d\?]+-of-\d+$", "", os.fspath(checkpoint_filename))
    return basename + "." + meta_graph_suffix
