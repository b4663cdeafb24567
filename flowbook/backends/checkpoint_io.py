"""The checkpoint file format: tensors in safetensors (or .npz) files plus a small JSON index.

A checkpoint with prefix ``P`` is:

- ``P.data-<token>.safetensors``: every tensor whose dtype safetensors stores (floats,
  integers, bool), under its variable name, so other tools can open it;
- ``P.data-<token>.npz``: the rest (strings, complex numbers), or everything when the
  ``safetensors`` package is not installed; always read with ``allow_pickle=False``;
- ``P.index``: JSON naming the data files and, per tensor, its dtype, shape, file and CRC-32.

Writes are atomic: each file goes to a temporary name, is fsync'ed and renamed; the index is
written last, so a checkpoint exists exactly when its index does (``exists``), and an index
only ever names complete data files. The ``<token>`` is new for every write, so re-saving to
the same prefix never overwrites data that the current index still names. Reads check
everything (JSON, dtypes, shapes, CRCs) and raise TF1's error classes: NotFoundError for a
missing checkpoint or tensor, DataLossError for a truncated or corrupted file.
Nothing here uses pickle; nothing here knows about graphs or sessions.
"""

import json
import os
import secrets
import zlib

import numpy as np

from .. import errors
from ..graph import dtypes as _dtypes

__all__ = ["write", "exists", "Reader", "checkpoint_files", "remove"]

FORMAT = "flowbook.checkpoint"
VERSION = 1
# dtypes the safetensors format stores (its names: F16, F32, ..., BOOL).
_SAFETENSORS_KINDS = {"float16", "float32", "float64", "int8", "int16", "int32", "int64",
                      "uint8", "uint16", "uint32", "uint64", "bool"}


def _have_safetensors():
    try:
        import safetensors.numpy  # noqa: F401
    except ImportError:
        return False
    return True


# --- small file helpers ----------------------------------------------------------------------
def _fsync_dir(path):
    try:
        fd = os.open(path or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _tmp_name(final):
    return f"{final}.tmp{secrets.token_hex(4)}"


def _fsync_file(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path, data):
    """Writes ``data`` to ``path`` through a temporary file, fsync and rename."""
    tmp = _tmp_name(path)
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    _fsync_dir(os.path.dirname(path))


def _unlink_quietly(path):
    try:
        os.unlink(path)
    except OSError:
        pass


# --- encoding tensors ------------------------------------------------------------------------
def _le(arr):
    """``arr`` as a C-contiguous little-endian array (no copy when it already is)."""
    if arr.dtype.byteorder == ">":
        arr = arr.astype(arr.dtype.newbyteorder("<"))
    return arr if arr.flags.c_contiguous else arr.copy(order="C")   # (keeps 0-d arrays 0-d)


def _crc(*arrays):
    c = 0
    for a in arrays:
        c = zlib.crc32(memoryview(a).cast("B"), c) if a.size else c
    return c


def _encode_strings(arr):
    items = [x.encode() if isinstance(x, str) else bytes(x) for x in arr.reshape(-1)]
    lengths = np.array([len(x) for x in items], dtype="<i8")
    data = np.frombuffer(b"".join(items), dtype=np.uint8)
    return lengths, data


def _decode_strings(lengths, data, shape):
    out = np.empty(int(np.prod(shape, dtype=np.int64)), dtype=object)
    buf = data.tobytes()
    pos = 0
    for i, n in enumerate(lengths.tolist()):
        out[i] = buf[pos:pos + n]
        pos += n
    return out.reshape(shape)


def write(prefix, names, arrays):
    """Stores ``arrays`` under ``names`` as checkpoint ``prefix`` (atomically, index last)."""
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise errors.InvalidArgumentError(None, None, f"Duplicate tensor names in checkpoint: "
                                          f"{dup}")
    directory = os.path.dirname(prefix)
    if directory and not os.path.isdir(directory):
        raise errors.NotFoundError(None, None, f"Cannot save checkpoint '{prefix}': the "
                                   f"directory '{directory}' does not exist.")
    base = os.path.basename(prefix)
    token = secrets.token_hex(4)
    use_st = _have_safetensors()
    st, npz, entries = {}, {}, []
    for name, value in sorted(zip(names, arrays), key=lambda p: p[0]):
        arr = np.asarray(value)
        dtype = _dtypes.as_dtype(arr.dtype)
        entry = {"name": name, "dtype": dtype.name, "shape": list(arr.shape)}
        if dtype is _dtypes.string:
            lengths, data = _encode_strings(arr)
            npz[name + ":lengths"], npz[name + ":bytes"] = lengths, data
            entry.update(file="npz", encoding="strings", crc32=_crc(lengths, data))
        else:
            arr = _le(arr)
            target = st if use_st and dtype.name in _SAFETENSORS_KINDS else npz
            target[name] = arr
            entry.update(file="safetensors" if target is st else "npz", encoding="raw",
                         crc32=_crc(arr))
        entries.append(entry)
    files = {}
    written = []
    try:
        if st:
            files["safetensors"] = f"{base}.data-{token}.safetensors"
            _write_safetensors(os.path.join(directory, files["safetensors"]), st)
            written.append(files["safetensors"])
        if npz or not entries:
            files["npz"] = f"{base}.data-{token}.npz"
            _write_npz(os.path.join(directory, files["npz"]), npz)
            written.append(files["npz"])
        index = {"format": FORMAT, "version": VERSION, "files": files, "tensors": entries}
        index["crc32"] = zlib.crc32(_canonical(index))
        atomic_write_bytes(prefix + ".index", json.dumps(index, indent=1).encode())
    except BaseException:
        for f in written:
            _unlink_quietly(os.path.join(directory, f))
        raise
    _remove_stale_data(directory, base, set(files.values()))


def _canonical(index):
    return json.dumps({k: v for k, v in index.items() if k != "crc32"}, sort_keys=True).encode()


def _write_safetensors(path, tensors):
    from safetensors.numpy import save_file
    tmp = _tmp_name(path)
    try:
        save_file(tensors, tmp, metadata={"format": FORMAT})
        _fsync_file(tmp)
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise


def _write_npz(path, tensors):
    tmp = _tmp_name(path)
    try:
        with open(tmp, "wb") as f:
            np.savez(f, **tensors)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise


def _remove_stale_data(directory, base, keep):
    """Deletes data files of an earlier save to the same prefix (and leftover temp files)."""
    start = base + ".data-"
    try:
        listing = os.listdir(directory or ".")
    except OSError:
        return
    for f in listing:
        if f.startswith(start) and f not in keep:
            _unlink_quietly(os.path.join(directory, f))


# --- reading ---------------------------------------------------------------------------------
def exists(prefix):
    """Whether a complete checkpoint with this prefix exists (its index is there)."""
    return os.path.isfile(os.fspath(prefix) + ".index")


def checkpoint_files(prefix):
    """The files of checkpoint ``prefix`` that exist now: index first, then its data files."""
    prefix = os.fspath(prefix)
    directory, base = os.path.split(prefix)
    out = []
    if os.path.isfile(prefix + ".index"):
        out.append(prefix + ".index")
    try:
        listing = sorted(os.listdir(directory or "."))
    except OSError:
        listing = []
    out += [os.path.join(directory, f) for f in listing if f.startswith(base + ".data-")]
    return out


def remove(prefix):
    """Deletes a checkpoint: its index first (so it stops existing), then its data files."""
    for f in checkpoint_files(prefix):
        _unlink_quietly(f)


def _data_loss(prefix, what):
    return errors.DataLossError(
        None, None, f"Checkpoint '{prefix}' is damaged: {what}. It was probably truncated "
        "or corrupted (a disk or copy problem, or a save that was interrupted outside "
        "flowbook); restore an earlier checkpoint instead.")


class Reader:
    """Reads and checks one checkpoint. ``infos``: name -> (DType, shape tuple)."""

    def __init__(self, prefix):
        self.prefix = prefix = os.fspath(prefix)
        path = prefix + ".index"
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except FileNotFoundError:
            raise errors.NotFoundError(
                None, None, f"Unsuccessful checkpoint read: no checkpoint at '{prefix}' (the "
                f"file '{path}' does not exist).") from None
        try:
            index = json.loads(raw.decode())
        except (UnicodeDecodeError, ValueError) as e:
            raise _data_loss(prefix, f"its index file is not valid JSON ({e})") from None
        if not isinstance(index, dict) or index.get("format") != FORMAT:
            raise _data_loss(prefix, "its index file is not a flowbook checkpoint index")
        if index.get("version") != VERSION:
            raise errors.DataLossError(None, None, f"Checkpoint '{prefix}' has format version "
                                       f"{index.get('version')}; this flowbook reads version "
                                       f"{VERSION}.")
        if index.get("crc32") != zlib.crc32(_canonical(index)):
            raise _data_loss(prefix, "its index file fails its checksum")
        self._dir = os.path.dirname(prefix)
        self._files = index["files"]
        self._entries = {e["name"]: e for e in index["tensors"]}
        self.infos = {n: (_dtypes.as_dtype(e["dtype"]), tuple(e["shape"]))
                      for n, e in self._entries.items()}
        self._open = {}

    def names(self):
        return sorted(self._entries)

    def has(self, name):
        return name in self._entries

    def _file(self, kind):
        f = self._open.get(kind)
        if f is None:
            path = os.path.join(self._dir, self._files[kind])
            if not os.path.isfile(path):
                raise _data_loss(self.prefix, f"its data file '{path}' is missing")
            try:
                if kind == "safetensors":
                    from safetensors import safe_open
                    f = safe_open(path, framework="numpy")
                else:
                    f = np.load(path, allow_pickle=False)
            except ImportError:
                raise errors.UnimplementedError(
                    None, None, f"Checkpoint '{self.prefix}' stores tensors in safetensors "
                    "format; install the safetensors package (pip install "
                    "'flowbook[checkpoint]') to read it.") from None
            except Exception as e:  # noqa: BLE001 (any parse failure means a damaged file)
                raise _data_loss(self.prefix, f"its data file '{path}' cannot be read "
                                 f"({type(e).__name__}: {e})") from None
            self._open[kind] = f
        return f

    def _raw(self, kind, key):
        f = self._file(kind)
        try:
            return f.get_tensor(key) if kind == "safetensors" else f[key]
        except Exception as e:  # noqa: BLE001
            raise _data_loss(self.prefix, f"tensor '{key}' cannot be read from its "
                             f"{kind} file ({type(e).__name__}: {e})") from None

    def get(self, name):
        """The stored value of ``name`` (checked against the index and its CRC)."""
        e = self._entries.get(name)
        if e is None:
            raise errors.NotFoundError(None, None, f"Key {name} not found in checkpoint "
                                       f"'{self.prefix}'.")
        dtype, shape = self.infos[name]
        if e["encoding"] == "strings":
            lengths = self._raw(e["file"], name + ":lengths")
            data = self._raw(e["file"], name + ":bytes")
            ok = (lengths.dtype == np.int64 and data.dtype == np.uint8 and
                  lengths.shape == (int(np.prod(shape, dtype=np.int64)),) and
                  int(lengths.sum()) == data.size and _crc(lengths, data) == e["crc32"])
            if not ok:
                raise _data_loss(self.prefix, f"the stored bytes of '{name}' fail their "
                                 "checksum")
            return _decode_strings(lengths, data, shape)
        arr = self._raw(e["file"], name)
        if arr.dtype != np.dtype(dtype.as_numpy_dtype).newbyteorder("<") or \
                tuple(arr.shape) != shape:
            raise _data_loss(self.prefix, f"tensor '{name}' is stored as {arr.dtype}"
                             f"{list(arr.shape)} but its index says {dtype.name}{list(shape)}")
        if _crc(_le(arr)) != e["crc32"]:
            raise _data_loss(self.prefix, f"the stored bytes of '{name}' fail their checksum")
        return arr

    def close(self):
        for f in self._open.values():
            close = getattr(f, "close", None)
            if close is not None:
                close()
        self._open = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
