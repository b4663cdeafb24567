"""The graph layer: Graph, Operation, Tensor, dtypes, static shapes, devices. No numbers here."""

from . import dtypes
from .device import DeviceSpec
from .graph import Graph, GraphKeys, get_default_graph, reset_default_graph, name_scope, graph_of
from .operation import Operation, Tensor, get_default_session
from .shape import Dimension, TensorShape

__all__ = ["dtypes", "DeviceSpec", "Graph", "GraphKeys", "get_default_graph",
           "reset_default_graph", "name_scope", "graph_of", "Operation", "Tensor",
           "get_default_session", "Dimension", "TensorShape"]
