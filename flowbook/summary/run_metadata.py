"""flowbook's RunMetadata and MetaGraphDef as TF's protocol buffers, for event files.

TensorBoard's graph view reads per-op compute time from ``all_start_micros`` /
``all_end_rel_micros`` and memory from ``memory[].total_bytes``; flowbook's step stats carry
nanosecond times and each output's bytes, so times round up to whole microseconds (an op that
ran at all shows at least 1 µs) and an op's memory is the bytes of the outputs it produced.
"""

import base64
import math

from .. import _tensorboard as tb
from ..graph import dtypes as _dtypes
from ..graph.attr_value import dtype_enum_name

__all__ = ["run_metadata_proto", "meta_graph_proto"]


def _dtype_enum(name):
    try:
        return tb.proto("types_pb2").DataType.Value(dtype_enum_name(_dtypes.as_dtype(name)))
    except (TypeError, ValueError, KeyError):
        return 0


def run_metadata_proto(md):
    """TF's RunMetadata proto from flowbook's RunMetadata (a proto passes through)."""
    cfg = tb.config_pb2()
    if isinstance(md, cfg.RunMetadata):
        return md
    out = cfg.RunMetadata()
    for ds in getattr(md.step_stats, "dev_stats", []):
        dev = out.step_stats.dev_stats.add(device=ds.device)
        for ns in ds.node_stats:
            n = dev.node_stats.add(node_name=ns.node_name, timeline_label=ns.timeline_label,
                                   all_start_micros=int(ns.all_start_micros),
                                   op_start_rel_micros=int(ns.op_start_rel_micros),
                                   scheduled_micros=int(ns.scheduled_micros),
                                   thread_id=int(ns.thread_id),
                                   all_start_nanos=int(ns.all_start_nanos),
                                   op_end_rel_nanos=int(ns.op_end_rel_nanos))
            micros = max(int(ns.all_end_rel_micros), math.ceil(int(ns.op_end_rel_nanos) / 1000))
            n.op_end_rel_micros = n.all_end_rel_micros = micros
            total, allocator = 0, ""
            for o in ns.output:
                td = o.tensor_description
                ad = td.allocation_description
                po = n.output.add(slot=o.slot)
                po.tensor_description.dtype = _dtype_enum(td.dtype) if td.dtype else 0
                for d in td.shape:
                    po.tensor_description.shape.dim.add(size=int(d))
                pad = po.tensor_description.allocation_description
                pad.requested_bytes = int(ad.requested_bytes)
                pad.allocated_bytes = int(ad.allocated_bytes)
                pad.allocator_name = ad.allocator_name
                total += int(ad.allocated_bytes)
                allocator = allocator or ad.allocator_name
            if total:
                n.memory.add(allocator_name=allocator or "cpu", total_bytes=total,
                             peak_bytes=total)
    return out


def meta_graph_proto(mgd):
    """TF's MetaGraphDef proto from flowbook's MetaGraphDef (variables as VariableDef)."""
    mpb = tb.proto("meta_graph_pb2")
    if isinstance(mgd, mpb.MetaGraphDef):
        return mgd
    out = mpb.MetaGraphDef()
    out.graph_def.CopyFrom(mgd.graph_def.to_proto())
    info = mgd.meta_info_def
    out.meta_info_def.tensorflow_version = info.get("tensorflow_version", "")
    out.meta_info_def.tensorflow_git_version = info.get("tensorflow_git_version", "")
    if mgd.saver_def is not None:
        tb.parse_dict(mgd.saver_def.to_dict(), out.saver_def)
    var_pb = tb.proto("variable_pb2")
    for key, cd in mgd.collection_def.items():
        (kind, body), = cd.items()
        values = body.get("value", [])
        c = out.collection_def[key]
        if kind == "node_list":
            c.node_list.value.extend(values)
        elif kind == "int64_list":
            c.int64_list.value.extend(values)
        elif kind == "float_list":
            c.float_list.value.extend(values)
        elif kind == "bytes_list":
            c.bytes_list.value.extend(base64.b64decode(v) for v in values)
        elif kind == "variable_list":
            c.bytes_list.value.extend(var_pb.VariableDef(**v).SerializeToString()
                                      for v in values)
    return out

