"""GraphDef: a graph as data, in TF's layout, for files, TensorBoard, Netron and import.

``Graph.as_graph_def()`` gives a GraphDef whose ``node`` list holds NodeDefs with flowbook's
Python attribute values. Serialized (``to_dict``/``to_json``, or protobuf bytes and text via
the optional ``tensorboard`` package) every node carries TF's layout: op names, inputs as
"op:1" and "^ctrl", attributes as AttrValue with TF's type attributes added for viewers
(``T``, ``Tidx``, ``SrcT``, ... — dropped again on import), ``value`` as a TensorProto and,
with ``add_shapes``, ``_output_shapes``. It is data only: JSON or protobuf, never code.
"""

import json

from . import attr_value as _av
from .operation import NodeDef

__all__ = ["GraphDef", "graph_to_graph_def", "node_to_dict", "node_from_dict", "PRODUCER"]

PRODUCER = 134          # TF 1.15's GraphDef version: tools then read the layout as TF1's
MARKER_ATTR = "_flowbook_py"

# Op types whose attributes hold objects (control-flow bodies) register a codec here:
# {op type: (encode(op, attrs) -> data attrs, decode(attrs, graph, prefix) -> attrs)}. The
# exporter and tf.import_graph_def apply it (see flowbook/ops/control_flow_io.py).
ATTR_CODECS = {}

# TF's type attributes that flowbook infers instead of storing: {op type: {attr: input index}}.
# Every op with inputs also gets "T" (its first input's dtype) unless listed otherwise.
_TF_TYPE_ATTRS = {
    "Cast": {"SrcT": 0}, "Sum": {"T": 0, "Tidx": 1}, "Mean": {"T": 0, "Tidx": 1},
    "Max": {"T": 0, "Tidx": 1}, "Min": {"T": 0, "Tidx": 1}, "Prod": {"T": 0, "Tidx": 1},
    "All": {"Tidx": 1}, "Any": {"Tidx": 1}, "ArgMax": {"T": 0, "Tidx": 1},
    "ArgMin": {"T": 0, "Tidx": 1}, "Reshape": {"T": 0, "Tshape": 1},
    "Fill": {"T": 1, "index_type": 0}, "Range": {"Tidx": 0},
    "StridedSlice": {"T": 0, "Index": 1}, "StridedSliceGrad": {"T": 4, "Index": 0},
    "Select": {"T": 1}, "BroadcastTo": {"T": 0, "Tidx": 1}, "ConcatV2": {"T": 0, "Tidx": -1},
    "Tile": {"T": 0, "Tmultiples": 1}, "Transpose": {"T": 0, "Tperm": 1},
    "Pad": {"T": 0, "Tpaddings": 1}, "ExpandDims": {"T": 0, "Tdim": 1},
    "RandomUniform": {"T": 0}, "RandomStandardNormal": {"T": 0}, "TruncatedNormal": {"T": 0},
    "RandomUniformInt": {"T": 0, "Tout": 1}, "Shape": {"T": 0}, "Size": {"T": 0},
    "GatherV2": {"Tparams": 0, "Tindices": 1, "Taxis": 2}, "SaveV2": {},
    "RestoreV2": {}, "MergeSummary": {}, "ScalarSummary": {"T": 1},
    "HistogramSummary": {"T": 1}, "ImageSummary": {"T": 1}, "TensorSummaryV2": {"T": 1},
    "AudioSummaryV2": {}, "NoOp": {}, "ReportUninitializedVariables": {},
}


def _tf_type_attrs(node_op, input_dtypes):
    table = _TF_TYPE_ATTRS.get(node_op)
    if table is None:
        table = {"T": 0} if input_dtypes else {}
    out = {}
    for k, i in table.items():
        if input_dtypes and -len(input_dtypes) <= i < len(input_dtypes):
            out[k] = input_dtypes[i].base_dtype
    return out


def derived_attr_names(op_type):
    """Attribute names the exporter may add for TF's viewers (removed again on import)."""
    t = _TF_TYPE_ATTRS.get(op_type)
    return set(t) if t is not None else {"T"}


# --- NodeDef <-> dict ------------------------------------------------------------------------
def node_to_dict(node, input_dtypes=None, output_shapes=None, tf_attrs=True):
    """TF's NodeDef JSON layout for one NodeDef (see module docstring)."""
    d = {"name": node.name, "op": node.op}
    if node.input:
        d["input"] = list(node.input)
    if node.device:
        d["device"] = node.device
    attrs = {}
    markers = {}
    for k in sorted(node.attr):
        v = node.attr[k]
        if k == "_class":
            attrs[k] = {"list": {"s": [_av._b64(x if isinstance(x, bytes) else x.encode())
                                       for x in v]}}
            continue
        try:
            enc, marker = _av.encode_attr(v)
        except TypeError as e:
            raise TypeError(f"Cannot serialize attribute '{k}' of node '{node.name}' (op "
                            f"{node.op}): {e}") from None
        attrs[k] = enc
        if marker:
            markers[k] = marker
    derived = derived_attr_names(node.op)
    for k in node.attr:
        if k in derived:     # a real flowbook attribute that shares a name TF derives
            markers[k] = markers.get(k, "") + "+own"
    if tf_attrs and input_dtypes is not None:
        for k, dt in _tf_type_attrs(node.op, input_dtypes).items():
            if k not in node.attr:
                attrs[k] = {"type": _av.dtype_enum_name(dt)}
    if output_shapes is not None:
        attrs["_output_shapes"] = {"list": {"shape": [_av.encode_shape(s)
                                                      for s in output_shapes]}}
    if markers:
        attrs[MARKER_ATTR] = {"s": _av._b64(json.dumps(markers, sort_keys=True).encode())}
    if attrs:
        d["attr"] = attrs
    return d


def node_from_dict(d):
    """(NodeDef with flowbook attribute values, output shapes or None) from a NodeDef dict."""
    attrs = dict(d.get("attr", {}))
    markers = {}
    if MARKER_ATTR in attrs:
        markers = json.loads(_av._unb64(attrs.pop(MARKER_ATTR)["s"]).decode())
    shapes = attrs.pop("_output_shapes", None)
    if shapes is not None:
        shapes = [_av.decode_shape(s) for s in (shapes.get("list") or {}).get("shape", [])]
    derived = derived_attr_names(d["op"])
    out = {}
    for k, v in attrs.items():
        m = markers.get(k, "")
        own = m.endswith("+own")
        m = m[:-4] if own else m
        if k in derived and not own:
            continue
        if k == "_class":
            out[k] = [_av._unb64(x) for x in (v.get("list") or {}).get("s", [])]
            continue
        out[k] = _av.decode_attr(v, m or None)
    node = NodeDef(d["name"], d["op"], list(d.get("input", [])), d.get("device", ""), out)
    return node, shapes


# --- GraphDef --------------------------------------------------------------------------------
class GraphDef:
    """TF's GraphDef as data: ``node`` (NodeDefs in creation order) and ``versions``."""

    def __init__(self, node=None, versions=None, library=None):
        self.node = list(node or [])
        self.versions = dict(versions or {"producer": PRODUCER})
        self.library = library or {}
        self._extra = {}    # per node name: (input dtypes, output shapes) for the TF layout

    # --- dict / JSON ----------------------------------------------------------------------
    def to_dict(self, tf_attrs=True):
        """The protobuf-JSON layout (json_format.ParseDict reads it into a real GraphDef)."""
        nodes = []
        for n in self.node:
            dts, shapes = self._extra.get(n.name, (None, None))
            nodes.append(node_to_dict(n, dts, shapes, tf_attrs))
        d = {"node": nodes, "versions": dict(self.versions)}
        if self.library:
            d["library"] = self.library
        return d

    @classmethod
    def from_dict(cls, d):
        g = cls(versions=d.get("versions"), library=d.get("library"))
        for nd in d.get("node", []):
            node, shapes = node_from_dict(nd)
            g.node.append(node)
            if shapes is not None:
                g._extra[node.name] = (None, shapes)
        return g

    def to_json(self, indent=None):
        return json.dumps(self.to_dict(), indent=indent)

    @classmethod
    def from_json(cls, text):
        return cls.from_dict(json.loads(text))

    # --- protobuf (needs the optional tensorboard package) ------------------------------------
    def to_proto(self):
        """This GraphDef as TF's protobuf message (``tensorboard.compat.proto.graph_pb2``)."""
        from .. import _tensorboard as tb
        return tb.parse_dict(self.to_dict(), tb.graph_pb2().GraphDef())

    @classmethod
    def from_proto(cls, proto):
        from .. import _tensorboard as tb
        return cls.from_dict(tb.to_dict(proto))

    def SerializeToString(self, deterministic=True):  # noqa: N802 (protobuf's name)
        return self.to_proto().SerializeToString(deterministic=deterministic)

    def ParseFromString(self, data):  # noqa: N802
        """Replaces the contents with a serialized GraphDef (protobuf binary, or our JSON)."""
        other = _parse_bytes(data)
        self.node, self.versions, self.library, self._extra = (
            other.node, other.versions, other.library, other._extra)
        return len(data)

    def MergeFromString(self, data):  # noqa: N802
        other = _parse_bytes(data)
        self.node += other.node
        self._extra.update(other._extra)
        return len(data)

    def ByteSize(self):  # noqa: N802
        return len(self.SerializeToString())

    def to_text(self):
        """TF's text format (.pbtxt), as tf.train.write_graph(as_text=True) writes it."""
        from .. import _tensorboard as tb
        return tb.text_format().MessageToString(self.to_proto())

    def __str__(self):
        try:
            return self.to_text()
        except ImportError:
            return self.to_json(indent=1)

    def __eq__(self, other):
        return isinstance(other, GraphDef) and self.to_json() == other.to_json()

    def __repr__(self):
        return f"<flowbook GraphDef with {len(self.node)} nodes>"


def _parse_bytes(data):
    if isinstance(data, str):
        data = data.encode()
    if data[:1] == b"{":
        return GraphDef.from_json(data.decode())
    from .. import _tensorboard as tb
    proto = tb.graph_pb2().GraphDef()
    try:
        proto.ParseFromString(data)
    except Exception as e:  # noqa: BLE001 (protobuf's DecodeError and friends)
        raise ValueError(f"The bytes are not a serialized GraphDef ({e}).") from None
    return GraphDef.from_proto(proto)


def graph_to_graph_def(graph, from_version=None, add_shapes=False):
    """``graph``'s ops (those added since ``from_version``, if given) as a GraphDef."""
    gd = GraphDef()
    for op in graph._ops:
        if from_version is not None and op._id < from_version:
            continue
        node = op.node_def
        codec = ATTR_CODECS.get(op._type)
        if codec is not None:
            node = NodeDef(node.name, node.op, node.input, node.device, codec[0](op, node.attr))
        gd.node.append(node)
        gd._extra[node.name] = ([t._dtype for t in op._inputs],
                                [t._shape for t in op._outputs] if add_shapes else None)
    return gd
