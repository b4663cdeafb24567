"""Reverse-mode autodiff: builds gradient ops in the graph (no numbers)."""

from .gradients import gradients, hessians, UnconnectedGradients, AggregationMethod

__all__ = ["gradients", "hessians", "UnconnectedGradients", "AggregationMethod"]
