"""The runtime: Session, compiled plans, placement, and the TF1 config/metadata messages."""

from .config import ConfigProto, GPUOptions, GraphOptions, OptimizerOptions, RunMetadata, \
    RunOptions
from .session import Session, InteractiveSession, get_default_session

__all__ = ["ConfigProto", "GPUOptions", "GraphOptions", "OptimizerOptions", "RunMetadata",
           "RunOptions", "Session", "InteractiveSession", "get_default_session"]
