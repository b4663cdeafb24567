"""flowbook: TF1-style dataflow graphs you can see and run, made for Jupyter.

``import flowbook as tf`` runs classic ``tf.compat.v1`` graph-mode programs: build a graph of
ops, then run the parts you need in a Session. ``%load_ext flowbook`` adds the notebook layer.
"""

__version__ = "0.1.0"
VERSION = __version__
COMPILER_VERSION = "flowbook"
GIT_VERSION = "flowbook-" + __version__

from . import errors  # noqa: E402
from .graph import dtypes  # noqa: E402
from .graph.dtypes import *  # noqa: E402,F401,F403
from .graph.dtypes import DType, as_dtype  # noqa: E402,F401
from .graph.device import DeviceSpec  # noqa: E402,F401
from .graph.graph import (Graph, GraphKeys, get_default_graph, reset_default_graph,  # noqa: E402
                          name_scope)
from .graph.operation import Operation, Tensor, get_default_session  # noqa: E402,F401
from .graph.shape import Dimension, TensorShape  # noqa: E402,F401
from . import ops as _ops  # noqa: E402  (registers every op type)
from .ops.registry import RegisterGradient, NotDifferentiable  # noqa: E402,F401
from .ops.convert import convert_to_tensor, register_tensor_conversion_function  # noqa: E402,F401
from .ops.array_ops import *  # noqa: E402,F401,F403
from .ops.math_ops import *  # noqa: E402,F401,F403
from .ops.cast_ops import *  # noqa: E402,F401,F403
from .ops.logic_ops import *  # noqa: E402,F401,F403
from .ops.unary_ops import *  # noqa: E402,F401,F403
from .ops.elementwise_ops import *  # noqa: E402,F401,F403
from .ops.reduction_ops import *  # noqa: E402,F401,F403
from .ops.scan_ops import *  # noqa: E402,F401,F403
from .ops.debug_ops import *  # noqa: E402,F401,F403
from .ops.assert_ops import *  # noqa: E402,F401,F403
from .ops.state_ops import assign, assign_add, assign_sub  # noqa: E402,F401
from .ops.control_ops import no_op, group, tuple, with_dependencies  # noqa: E402,F401
from .ops.random_ops import *  # noqa: E402,F401,F403
from .ops.slicing import strided_slice  # noqa: E402,F401
from .ops.manip_ops import *  # noqa: E402,F401,F403
from .ops.pad_ops import *  # noqa: E402,F401,F403
from .ops.join_ops import *  # noqa: E402,F401,F403
from .ops.gather_ops import *  # noqa: E402,F401,F403
from .ops.creation_ops import *  # noqa: E402,F401,F403
from .ops.linalg_ops import *  # noqa: E402,F401,F403
from .ops.einsum_ops import *  # noqa: E402,F401,F403
from .ops.variables import *  # noqa: E402,F401,F403
from .ops.variable_scope import *  # noqa: E402,F401,F403
from .ops.init_ops import *  # noqa: E402,F401,F403
from .autodiff import gradients, hessians, UnconnectedGradients, AggregationMethod  # noqa: E402,F401,E501
from .runtime import (ConfigProto, GPUOptions, GraphOptions, OptimizerOptions,  # noqa: E402
                      RunMetadata, RunOptions, Session, InteractiveSession)
from . import initializers, random, logging, compat  # noqa: E402,F401
from . import math, nn, losses, linalg, debugging, image, train, summary  # noqa: E402,F401
from .graph.graph_def import GraphDef  # noqa: E402,F401
from .graph.operation import NodeDef  # noqa: E402,F401
from .ops.importer import import_graph_def  # noqa: E402,F401
from .train.meta_graph import MetaGraphDef  # noqa: E402,F401
from .summary.protos import (Summary, SummaryMetadata, HistogramProto, Event,  # noqa: E402,F401
                             SessionLog)

newaxis = None


def control_dependencies(control_inputs):
    """Ops built in the block run after ``control_inputs`` (ops, tensors; None clears)."""
    from .ops.control_ops import control_dependencies as cd
    return cd(control_inputs)


def device(device_name_or_function):
    """Requests a device ('/cpu:0', '/gpu:0', a DeviceSpec or a function) for ops built inside."""
    return get_default_graph().device(device_name_or_function)


def colocate_with(op, ignore_existing=False):
    return get_default_graph().colocate_with(op, ignore_existing)


def add_to_collection(name, value):
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value):
    get_default_graph().add_to_collections(names, value)


def get_collection(key, scope=None):
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key):
    return get_default_graph().get_collection_ref(key)


def executing_eagerly():
    """Always False: flowbook is graph mode, like TF1."""
    return False


def disable_eager_execution():
    """No-op: flowbook is always in graph mode."""


def disable_v2_behavior():
    """No-op: flowbook always behaves like TF1."""


def enable_eager_execution(*args, **kwargs):
    raise NotImplementedError("flowbook is graph mode only (TF1); build a graph and run it in "
                              "a Session.")


def load_ipython_extension(ipython):
    """``%load_ext flowbook``: registers the %%flow magic and the graph view."""
    from .notebook import load_ipython_extension as _load
    _load(ipython)


def unload_ipython_extension(ipython):
    from .notebook import unload_ipython_extension as _unload
    _unload(ipython)
from .ops.control_flow import cond, case, switch_case  # noqa: E402,F401
from .ops.control_flow_while import while_loop  # noqa: E402,F401
from .ops.clip_ops import (clip_by_norm, global_norm, clip_by_global_norm,  # noqa: E402,F401
                           clip_by_average_norm)
