"""ConfigProto, RunOptions, RunMetadata and friends: plain objects shaped like TF1's protos.

They accept TF1's field names (unknown names raise ValueError/AttributeError as protobuf does),
so ``tf.ConfigProto(allow_soft_placement=True, log_device_placement=True)`` and
``config.gpu_options.allow_growth = True`` work unchanged.
"""

__all__ = ["ConfigProto", "GPUOptions", "GraphOptions", "OptimizerOptions", "RunOptions",
           "RunMetadata", "StepStats", "DeviceStepStats", "NodeExecStats", "NodeOutput",
           "TensorDescription", "AllocationDescription"]


class _Message:
    """A protobuf-like record with declared fields and defaults."""

    _fields = {}

    def __init__(self, **kwargs):
        for k, default in self._fields.items():
            object.__setattr__(self, k, default() if callable(default) else default)
        for k, v in kwargs.items():
            if k not in self._fields:
                raise ValueError(f'Protocol message {type(self).__name__} has no "{k}" field.')
            object.__setattr__(self, k, v)

    def __setattr__(self, name, value):
        if name not in self._fields:
            raise AttributeError(
                f"Assignment not allowed (no field \"{name}\" in protocol message object).")
        object.__setattr__(self, name, value)

    def CopyFrom(self, other):  # noqa: N802 (protobuf's name)
        for k in self._fields:
            object.__setattr__(self, k, getattr(other, k))

    def MergeFrom(self, other):  # noqa: N802
        for k, default in self._fields.items():
            v = getattr(other, k)
            d = default() if callable(default) else default
            if v != d:
                object.__setattr__(self, k, v)

    def Clear(self):  # noqa: N802
        for k, default in self._fields.items():
            object.__setattr__(self, k, default() if callable(default) else default)

    def __eq__(self, other):
        return type(other) is type(self) and all(
            getattr(self, k) == getattr(other, k) for k in self._fields)

    def __repr__(self):
        parts = []
        for k, default in self._fields.items():
            v = getattr(self, k)
            d = default() if callable(default) else default
            if v != d:
                parts.append(f"{k}={v!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


class OptimizerOptions(_Message):
    L1, L0 = 0, -1
    DEFAULT, OFF, ON_1, ON_2 = 0, -1, 1, 2
    _fields = {"do_common_subexpression_elimination": False, "do_constant_folding": False,
               "max_folded_constant_in_bytes": 0, "do_function_inlining": False,
               "opt_level": 0, "global_jit_level": 0}


class GraphOptions(_Message):
    _fields = {"enable_recv_scheduling": False, "optimizer_options": OptimizerOptions,
               "build_cost_model": 0, "build_cost_model_after": 0, "infer_shapes": False,
               "place_pruned_graph": False, "enable_bfloat16_sendrecv": False,
               "timeline_step": 0, "rewrite_options": dict}


class GPUOptions(_Message):
    _fields = {"per_process_gpu_memory_fraction": 0.0, "allow_growth": False,
               "allocator_type": "", "deferred_deletion_bytes": 0, "visible_device_list": "",
               "polling_active_delay_usecs": 0, "polling_inactive_delay_msecs": 0,
               "force_gpu_compatible": False, "experimental": dict}


class ConfigProto(_Message):
    """Session configuration (TF1 field names). flowbook honours allow_soft_placement,
    log_device_placement, device_count, gpu_options and the thread-count fields."""

    _fields = {"device_count": dict, "intra_op_parallelism_threads": 0,
               "inter_op_parallelism_threads": 0, "use_per_session_threads": False,
               "session_inter_op_thread_pool": list, "placement_period": 0,
               "device_filters": list, "gpu_options": GPUOptions,
               "allow_soft_placement": False, "log_device_placement": False,
               "graph_options": GraphOptions, "operation_timeout_in_ms": 0,
               "rpc_options": dict, "cluster_def": None, "isolate_session_state": False,
               "share_cluster_devices_in_session": False, "experimental": dict}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if isinstance(self.gpu_options, dict):
            object.__setattr__(self, "gpu_options", GPUOptions(**self.gpu_options))
        if isinstance(self.graph_options, dict):
            object.__setattr__(self, "graph_options", GraphOptions(**self.graph_options))
        object.__setattr__(self, "device_count", dict(self.device_count))


class RunOptions(_Message):
    NO_TRACE, SOFTWARE_TRACE, HARDWARE_TRACE, FULL_TRACE = 0, 1, 2, 3
    _fields = {"trace_level": 0, "timeout_in_ms": 0, "inter_op_thread_pool": 0,
               "output_partition_graphs": False, "debug_options": None,
               "report_tensor_allocations_upon_oom": False, "experimental": dict}


class AllocationDescription(_Message):
    _fields = {"requested_bytes": 0, "allocated_bytes": 0, "allocator_name": ""}


class TensorDescription(_Message):
    _fields = {"dtype": "", "shape": tuple, "allocation_description": AllocationDescription}


class NodeOutput(_Message):
    _fields = {"slot": 0, "tensor_description": TensorDescription}


class NodeExecStats(_Message):
    """What one executed op did: when, how long (microseconds), and what it produced."""

    _fields = {"node_name": "", "op_type": "", "all_start_micros": 0,
               "op_start_rel_micros": 0, "op_end_rel_micros": 0, "all_end_rel_micros": 0,
               "all_start_nanos": 0, "op_end_rel_nanos": 0, "output": list,
               "timeline_label": "", "scheduled_micros": 0, "thread_id": 0, "memory": list}


class DeviceStepStats(_Message):
    _fields = {"device": "", "node_stats": list, "thread_names": dict}


class StepStats(_Message):
    _fields = {"dev_stats": list}


class RunMetadata(_Message):
    """Filled by Session.run when RunOptions.trace_level > NO_TRACE: per-op device, time,
    output shapes and bytes (step_stats); ``copies`` lists cross-device transfers."""

    _fields = {"step_stats": StepStats, "cost_graph": None, "partition_graphs": list,
               "function_graphs": list, "copies": list, "fused_groups": list}
