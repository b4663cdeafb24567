"""Session: runs parts of a graph. Holds this session's variable values and compiled plans."""

import contextlib
import gc
import threading

from ..backends.base import SessionResources
from ..graph.graph import get_default_graph, _thread_state
from ..graph.operation import get_default_session
from .config import ConfigProto
from . import devices as _devices
from .placement import Placer, PlacementLog, available_devices, log_placements
from .functions import FunctionRunner
from .plan import compile_plan, fetch_key

__all__ = ["Session", "InteractiveSession", "get_default_session"]


@contextlib.contextmanager
def _gc_paused():
    """Pauses the cyclic GC while a plan compiles: compiling allocates many small objects,
    and full collections over a big graph would otherwise cost more than the compile."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class _DeviceAttributes:
    def __init__(self, name, device_type, memory_limit_bytes, incarnation=0):
        self.name = name
        self.device_type = device_type
        self.memory_limit_bytes = memory_limit_bytes
        self.incarnation = incarnation

    def __repr__(self):
        return f"_DeviceAttributes({self.name}, {self.device_type}, {self.memory_limit_bytes})"


class BaseSession:
    """The TF1 Session API: run(fetches, feed_dict), close, as_default, context manager."""

    def __init__(self, target="", graph=None, config=None):
        if target not in ("", None, "local") and not str(target).startswith("local"):
            raise NotImplementedError(
                f"flowbook runs graphs in this process; the distributed target {target!r} is "
                "not supported. Use tf.Session() with no target.")
        if graph is None:
            graph = get_default_graph()
        elif not hasattr(graph, "_ops"):
            raise TypeError(f"graph must be a tf.Graph, but got {type(graph)}")
        if config is not None and not isinstance(config, ConfigProto):
            raise TypeError(f"config must be a tf.ConfigProto, but got {type(config)}")
        self._graph = graph
        self._config = config
        self._target = target or ""
        self._closed = False
        self._plans = {}
        self._resources = SessionResources()
        self._resources.functions = FunctionRunner(self)   # runs cond/while bodies
        self._lock = threading.RLock()
        self._devices = available_devices(config)
        _devices.configure_gpus(config, self._devices)
        self._placer = Placer(graph, self._devices,
                              bool(config is not None and config.allow_soft_placement),
                              _devices.supports)
        self._backends = {}
        self._placements = {}
        self._logged = set()
        self._default_cms = []

    # --- properties ---------------------------------------------------------------------------
    @property
    def graph(self):
        return self._graph

    @property
    def graph_def(self):
        return self._graph.as_graph_def()

    @property
    def sess_str(self):
        return self._target

    @property
    def config(self):
        return self._config

    def list_devices(self):
        return [_DeviceAttributes(d, d.rsplit(":", 2)[-2], _devices.memory_limit(d))
                for d in self._devices]

    def placement_log(self):
        """Placements of every op this session has run: op, type, requested, assigned, reason
        (a PlacementLog: a list that prints as a table, and renders as one in notebooks)."""
        return PlacementLog(sorted(self._placements.values(), key=lambda p: self._graph._by_name[
            p.op_name]._id if p.op_name in self._graph._by_name else 0))

    # --- lifecycle ----------------------------------------------------------------------------
    def close(self):
        """Frees this session's variable values and plans; later runs raise RuntimeError."""
        self._closed = True
        self._plans = {}
        self._resources = SessionResources()
        self._resources.functions = FunctionRunner(self)

    def __enter__(self):
        g_cm = self._graph.as_default()
        s_cm = self.as_default()
        g_cm.__enter__()
        s_cm.__enter__()
        self._default_cms.append((g_cm, s_cm))
        return self

    def __exit__(self, exc_type, exc, tb):
        if self._default_cms:
            g_cm, s_cm = self._default_cms.pop()
            s_cm.__exit__(exc_type, exc, tb)
            g_cm.__exit__(exc_type, exc, tb)
        self.close()
        return False

    @contextlib.contextmanager
    def as_default(self):
        """Makes this the default session (for Tensor.eval and Operation.run) in the block."""
        stack = _thread_state().session_stack
        stack.append(self)
        try:
            yield self
        finally:
            if stack and stack[-1] is self:
                stack.pop()
            else:
                try:
                    stack.remove(self)
                except ValueError:
                    pass

    # --- running ------------------------------------------------------------------------------
    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Computes ``fetches`` (a tensor, op, name, or any nesting of lists/tuples/dicts of
        them), feeding ``feed_dict``; returns values in the same structure (ops give None)."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        try:
            key = (fetch_key(fetches), tuple(feed_dict) if feed_dict else ())
            plan = self._plans.get(key)
        except TypeError:
            key = plan = None
        if plan is None or plan.epoch != self._graph._epoch:
            plan = self._compile(fetches, tuple(feed_dict) if feed_dict else (), key)
        trace = run_metadata if (options is not None and options.trace_level and
                                 run_metadata is not None) else None
        out = plan.run(feed_dict.values() if feed_dict else (), trace)
        if run_metadata is not None and trace is None and plan.copy_nodes:
            run_metadata.copies = plan.copy_records()
        return out

    def _compile(self, fetches, feed_keys, key):
        with self._lock, _gc_paused():
            if self._closed:
                raise RuntimeError("Attempted to use a closed Session.")
            plan = compile_plan(self, fetches, feed_keys)
            if len(self._devices) > 1:
                plan.on_error = _devices.release_gpu_memory
            for cb in list(self._graph._compile_observers):
                cb(self, plan)     # e.g. the notebook's lazy-loading check
            if key is not None:
                if len(self._plans) > 512:
                    self._plans.clear()
                self._plans[key] = plan
            return plan

    def _place(self, ops):
        placements = self._placer.place(ops)
        new = [p for op, p in placements.items() if op not in self._placements]
        for op, p in placements.items():
            self._placements[op] = p
        if new and self._config is not None and self._config.log_device_placement:
            log_placements(new)
        return placements

    def _backend_for(self, device):
        b = self._backends.get(device)
        if b is None:
            b = self._backends[device] = _devices.backend_for(device)
        return b

    def make_callable(self, fetches, feed_list=None, accept_options=False):
        """A function running ``fetches`` with positional feed values (for ``feed_list``)."""
        feed_list = list(feed_list or [])
        if accept_options:
            def call_with_options(*args, options=None, run_metadata=None):
                return self.run(fetches, dict(zip(feed_list, args)), options, run_metadata)
            return call_with_options

        def call(*args):
            if len(args) != len(feed_list):
                raise TypeError(f"This callable takes {len(feed_list)} feed values, got "
                                f"{len(args)}.")
            return self.run(fetches, dict(zip(feed_list, args)) if feed_list else None)
        return call

    def partial_run_setup(self, fetches, feeds=None):
        raise NotImplementedError("partial_run is not supported by flowbook.")

    def partial_run(self, handle, fetches, feed_dict=None):
        raise NotImplementedError("partial_run is not supported by flowbook.")

    @staticmethod
    def reset(target, containers=None, config=None):
        """Distributed-session reset: nothing to do in flowbook (state is per Session)."""

    def __repr__(self):
        state = "closed" if self._closed else "open"
        return f"<flowbook.Session ({state}) on a graph of {len(self._graph._ops)} ops>"


class Session(BaseSession):
    """A TF1 Session: ``with tf.Session() as sess: sess.run(...)``."""


class InteractiveSession(BaseSession):
    """A Session that installs itself as the default session (and its graph as default)."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        self._interactive_cms = (self._graph.as_default(), self.as_default())
        for cm in self._interactive_cms:
            cm.__enter__()
        self._explicitly_closed = False

    def close(self):
        super().close()
        if not self._explicitly_closed:
            self._explicitly_closed = True
            for cm in reversed(self._interactive_cms):
                try:
                    cm.__exit__(None, None, None)
                except Exception:  # noqa: BLE001 (already popped elsewhere)
                    pass

