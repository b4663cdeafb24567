"""Meta graphs: a graph plus its collections and Saver, to rebuild a model without its code.

``export_meta_graph`` (and every ``Saver.save``) writes a ``.meta`` file: JSON holding TF's
MetaGraphDef fields — ``meta_info_def``, ``graph_def`` (TF's GraphDef layout, see
flowbook/graph/graph_def.py), ``saver_def`` and ``collection_def`` (``node_list`` of tensor and
op names, ``variable_list`` of TF's VariableDef fields, ``int64_list``, ``float_list``,
``bytes_list``). ``import_meta_graph`` imports the graph, refills the collections (Variables
come back as Variable objects) and returns a Saver built from the SaverDef, so
``saver.restore(sess, path)`` then works. The files are data (JSON), never code; TF's binary
.meta files are not read.
"""

import base64
import json
import os

from .. import __version__
from .. import logging as _logging
from ..backends.checkpoint_io import atomic_write_bytes
from ..graph.graph import get_default_graph
from ..graph.graph_def import GraphDef
from ..graph.operation import Operation, Tensor
from ..ops.variables import Variable

__all__ = ["SaverDef", "MetaGraphDef", "export_meta_graph", "import_meta_graph",
           "write_graph"]

FORMAT = "flowbook.meta_graph"


class SaverDef:
    """TF's SaverDef: the names of a Saver's ops and its keep policy."""

    LEGACY, V1, V2 = 0, 1, 2
    _FIELDS = ("filename_tensor_name", "save_tensor_name", "restore_op_name", "max_to_keep",
               "sharded", "keep_checkpoint_every_n_hours", "version")

    def __init__(self, filename_tensor_name="", save_tensor_name="", restore_op_name="",
                 max_to_keep=0, sharded=False, keep_checkpoint_every_n_hours=0.0, version=2):
        self.filename_tensor_name = filename_tensor_name
        self.save_tensor_name = save_tensor_name
        self.restore_op_name = restore_op_name
        self.max_to_keep = max_to_keep
        self.sharded = sharded
        self.keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self.version = version

    def to_dict(self):
        return {f: getattr(self, f) for f in self._FIELDS}

    @classmethod
    def from_dict(cls, d):
        return cls(**{k: v for k, v in d.items() if k in cls._FIELDS})

    def with_scope(self, scope):
        """A copy whose names are prefixed by ``scope`` ("s" → "s/save/Const:0")."""
        if not scope:
            return self
        d = self.to_dict()
        for f in self._FIELDS[:3]:
            d[f] = f"{scope.rstrip('/')}/{d[f]}"
        return SaverDef.from_dict(d)

    def __eq__(self, other):
        return isinstance(other, SaverDef) and self.to_dict() == other.to_dict()

    def __str__(self):
        lines = []
        for f in self._FIELDS:
            v = getattr(self, f)
            if f == "version":
                lines.append(f"version: {['LEGACY', 'V1', 'V2'][v]}")
            elif isinstance(v, str):
                lines.append(f'{f}: "{v}"')
            elif isinstance(v, bool):
                if v:
                    lines.append(f"{f}: true")
            elif v:
                lines.append(f"{f}: {v:g}")
        return "\n".join(lines) + "\n"

    __repr__ = __str__


# --- collections -----------------------------------------------------------------------------
def _variable_def(v):
    return {"variable_name": v.name, "initializer_name": v.initializer.name,
            "snapshot_name": v.value().name, "initial_value_name": v.initial_value.name,
            "trainable": v.trainable}


def _b64(x):
    return base64.b64encode(x.encode() if isinstance(x, str) else x).decode()


def _collection_def(key, items):
    """TF's CollectionDef for a collection of one kind of item (None: not serializable)."""
    first = items[0]
    if isinstance(first, Variable):
        kind, conv, want = "variable_list", _variable_def, Variable
    elif isinstance(first, (Tensor, Operation)):
        kind, conv, want = "node_list", (lambda x: x.name), (Tensor, Operation)
    elif isinstance(first, bool):
        return None
    elif isinstance(first, int):
        kind, conv, want = "int64_list", int, int
    elif isinstance(first, float):
        kind, conv, want = "float_list", float, float
    elif isinstance(first, (str, bytes)):
        kind, conv, want = "bytes_list", _b64, (str, bytes)
    else:
        return None
    if not all(isinstance(x, want) and not isinstance(x, bool) for x in items):
        return None
    return {kind: {"value": [conv(x) for x in items]}}


def _collections_of(graph, collection_list, export_scope):
    out = {}
    keys = collection_list if collection_list is not None else graph.get_all_collection_keys()
    for key in keys:
        items = graph.get_collection(key)
        if not items:
            continue
        cd = _collection_def(key, items)
        if cd is None:
            _logging.warning("Issue encountered when serializing %s: its items (%s) are not "
                             "tensors, ops, variables, numbers or strings; skipped.", key,
                             type(items[0]).__name__)
            continue
        out[key] = cd
    return out


class MetaGraphDef:
    """TF's MetaGraphDef as data: meta_info_def, graph_def, saver_def, collection_def."""

    def __init__(self, graph_def=None, saver_def=None, collection_def=None, meta_info_def=None):
        self.graph_def = graph_def if graph_def is not None else GraphDef()
        self.saver_def = saver_def
        self.collection_def = dict(collection_def or {})
        self.meta_info_def = dict(meta_info_def or {
            "meta_graph_version": "", "tensorflow_version": f"flowbook-{__version__}",
            "tensorflow_git_version": "flowbook"})

    def HasField(self, name):  # noqa: N802 (protobuf's name)
        return getattr(self, name, None) is not None

    def to_dict(self):
        d = {"format": FORMAT, "version": 1, "meta_info_def": self.meta_info_def,
             "graph_def": self.graph_def.to_dict(), "collection_def": self.collection_def}
        if self.saver_def is not None:
            d["saver_def"] = self.saver_def.to_dict()
        return d

    @classmethod
    def from_dict(cls, d):
        if d.get("format") != FORMAT:
            raise ValueError("not a flowbook meta graph (no 'format': "
                             f"'{FORMAT}' field)")
        sd = d.get("saver_def")
        return cls(GraphDef.from_dict(d["graph_def"]),
                   SaverDef.from_dict(sd) if sd else None,
                   d.get("collection_def"), d.get("meta_info_def"))

    def to_json(self, indent=None):
        return json.dumps(self.to_dict(), indent=indent)

    def SerializeToString(self):  # noqa: N802
        return self.to_json().encode()

    def ParseFromString(self, data):  # noqa: N802
        other = MetaGraphDef.from_dict(json.loads(data))
        self.__dict__.update(other.__dict__)

    def __repr__(self):
        return (f"<flowbook MetaGraphDef: {len(self.graph_def.node)} nodes, "
                f"{len(self.collection_def)} collections, saver: {self.saver_def is not None}>")


def export_meta_graph(filename=None, meta_info_def=None, graph_def=None, saver_def=None,
                      collection_list=None, as_text=False, graph=None, export_scope=None,
                      clear_devices=False, clear_extraneous_savers=False,
                      strip_default_attrs=False, save_debug_info=False, **kwargs):
    """The MetaGraphDef of ``graph`` (default graph); also written to ``filename`` if given."""
    if export_scope:
        raise NotImplementedError("export_meta_graph(export_scope=...) is not supported by "
                                  "flowbook; export the whole graph.")
    graph = graph or get_default_graph()
    gd = graph_def if graph_def is not None else graph.as_graph_def(add_shapes=True)
    if clear_devices:
        for n in gd.node:
            n.device = ""
    mgd = MetaGraphDef(gd, saver_def, _collections_of(graph, collection_list, export_scope),
                       meta_info_def)
    if filename:
        atomic_write_bytes(os.fspath(filename),
                           mgd.to_json(indent=1 if as_text else None).encode())
    return mgd


def read_meta_graph_file(filename):
    try:
        with open(filename, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise OSError(f"File {filename} does not exist.") from None
    try:
        return MetaGraphDef.from_dict(json.loads(data.decode("utf-8")))
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as e:
        raise ValueError(f"Cannot read meta graph '{filename}': {e}. flowbook reads the "
                         ".meta files flowbook writes (JSON); TensorFlow's binary .meta "
                         "files are not supported.") from None


def _variable_from_def(graph, d, scope):
    """A Variable object for ops that already exist (TF's Variable(variable_def=...))."""
    v = Variable.__new__(Variable)
    el = graph.as_graph_element
    v._variable = el(scope + d["variable_name"])
    v._initializer_op = el(scope + d["initializer_name"], allow_tensor=False)
    v._snapshot = el(scope + d["snapshot_name"])
    init = d.get("initial_value_name")
    v._initial_value = el(scope + init) if init else v._snapshot
    v._trainable = bool(d.get("trainable", True))
    v._constraint = None
    v._caching_device = None
    v._name_str = v._variable.op.name
    return v


def import_meta_graph(meta_graph_or_file, clear_devices=False, import_scope=None,
                      **kwargs):
    """Imports a meta graph into the default graph; returns its Saver (or None).

    Collections are refilled (Variables as Variable objects); with ``import_scope`` every name
    gets that prefix.
    """
    from ..ops.importer import import_graph_def
    from .saver import Saver
    mgd = meta_graph_or_file
    if not isinstance(mgd, MetaGraphDef):
        mgd = read_meta_graph_file(os.fspath(mgd))
    gd = mgd.graph_def
    if clear_devices:
        for n in gd.node:
            n.device = ""
    graph = get_default_graph()
    import_graph_def(gd, name=import_scope or "", input_map=kwargs.get("input_map"))
    scope = (import_scope.rstrip("/") + "/") if import_scope else ""
    variables = {}
    for key, cd in mgd.collection_def.items():
        (kind, body), = cd.items()
        values = body.get("value", [])
        for x in values:
            if kind == "variable_list":
                v = variables.get(x["variable_name"])
                if v is None:
                    v = variables[x["variable_name"]] = _variable_from_def(graph, x, scope)
                graph.add_to_collection(key, v)
            elif kind == "node_list":
                graph.add_to_collection(key, graph.as_graph_element(scope + x))
            elif kind == "int64_list":
                graph.add_to_collection(key, int(x))
            elif kind == "float_list":
                graph.add_to_collection(key, float(x))
            elif kind == "bytes_list":
                graph.add_to_collection(key, base64.b64decode(x))
    if mgd.saver_def is not None:
        return Saver(saver_def=mgd.saver_def.with_scope(import_scope))
    if variables:
        return Saver()
    _logging.info("Saver not created because there are no variables in the graph to restore")
    return None


def write_graph(graph_or_graph_def, logdir, name, as_text=True):
    """Writes a graph (or GraphDef) to ``logdir/name`` in TF's format: text (.pbtxt) or
    binary (.pb) protobuf — needs the tensorboard package — or flowbook's JSON when ``name``
    ends in ".json". Returns the path. Written atomically."""
    gd = graph_or_graph_def
    if not isinstance(gd, GraphDef):
        gd = gd.as_graph_def()
    os.makedirs(logdir, exist_ok=True)
    path = os.path.join(logdir, name)
    if name.endswith(".json"):
        data = gd.to_json(indent=1).encode()
    elif as_text:
        data = gd.to_text().encode()
    else:
        data = gd.SerializeToString()
    atomic_write_bytes(path, data)
    return path
