"""Debugging ops: check_numerics, add_check_numerics_ops, Print, print, Assert.

These ops act when the session runs them: CheckNumerics raises InvalidArgumentError on NaN or
Inf naming the node that produced the tensor; Print passes its input through and writes the
listed tensors to sys.stderr; PrintV2 (tf.print) writes to the stream chosen, resolved when it
runs, so in a notebook the text shows under the cell; Assert raises InvalidArgumentError with
its data when the condition is false. The library writes to the streams, it never print()s.
"""

import logging as _pylogging
import sys

from ..graph import dtypes as _dtypes
from ..graph.graph import get_default_graph, name_scope
from ..graph.operation import Tensor
from .convert import convert_to_tensor
from .registry import register_op, apply_op, apply_op1
from . import control_ops

__all__ = ["check_numerics", "add_check_numerics_ops", "Print", "print", "Assert",
           "verify_tensor_all_finite"]


# --- CheckNumerics ---------------------------------------------------------------------------
def _check_numerics_infer(inputs, attrs):
    x = inputs[0]
    if not x._dtype.base_dtype.is_floating:
        raise TypeError(f"check_numerics needs a floating tensor, got "
                        f"{x._dtype.base_dtype.name} (integers cannot be NaN or Inf).")
    return x._dtype.base_dtype, x._shape


def _check_numerics_grad(op, g):
    msg = ("Not a number (NaN) or infinity (Inf) values detected in gradient. "
           + op._attrs["message"])
    return (apply_op1("CheckNumerics", (g,), {"message": msg}),)


register_op("CheckNumerics", inputs=("tensor",), input_types=(None,),
            infer=_check_numerics_infer, grad=_check_numerics_grad,
            doc="y = x, raising InvalidArgumentError if x has a NaN or an Inf")


def check_numerics(tensor, message, name=None):
    """``tensor`` unchanged; running it raises InvalidArgumentError (with ``message`` and the
    node that produced the tensor) if any entry is NaN or infinite."""
    return apply_op1("CheckNumerics", (tensor,), {"message": str(message)}, name)


def add_check_numerics_ops():
    """A CheckNumerics after every floating output of every op in the default graph, run
    together by the returned group op (TF1's tool to find where NaNs first appear: each check
    runs after the previous one, in creation order, so the first failure is the earliest)."""
    g = get_default_graph()
    check = []
    for op in g.get_operations():
        for out in op.outputs:
            d = out.dtype
            if d._is_ref or d.base_dtype not in (_dtypes.float16, _dtypes.float32,
                                                 _dtypes.float64):
                continue
            with g.control_dependencies(check):
                check = [check_numerics(out, message=f"{op.name}:{out.value_index}")]
    return control_ops.group(*check)


def verify_tensor_all_finite(t=None, msg=None, name=None, x=None, message=None):
    """``t`` after a check that it holds no NaN or Inf (raises InvalidArgumentError with
    ``msg`` when it runs otherwise)."""
    t = _one_of(t, x, "t", "x")
    msg = _one_of(msg, message, "msg", "message")
    with name_scope(name, "VerifyFinite", [t]):
        t = convert_to_tensor(t, name="t")
        g = t.graph
        with g.colocate_with(t):
            verify = check_numerics(t, message=msg if msg is not None else "")
            return control_ops.with_dependencies([verify], t)


def _one_of(a, b, na, nb):
    if a is not None and b is not None:
        raise ValueError(f"Pass only one of '{na}' and '{nb}' (the latter is its other name).")
    return a if a is not None else b


# --- Print (TF1's tf.Print) ------------------------------------------------------------------
def _print_infer(inputs, attrs):
    x = inputs[0]
    return x._dtype.base_dtype, x._shape


def _print_grad(op, g):
    return (g,) + (None,) * (len(op._inputs) - 1)


register_op("Print", inputs=("input", "data*"), input_types=(None, None),
            infer=_print_infer, grad=_print_grad, stateful=True,
            doc="y = input; when run, writes message and the data tensors to sys.stderr")


def Print(input_, data, message=None, first_n=None, summarize=None, name=None):  # noqa: N802
    """``input_`` passed through; each time it runs (only the first ``first_n`` times if
    given) it writes ``message`` followed by each tensor of ``data`` (its first ``summarize``
    entries, default 3) to sys.stderr. Only what is run prints: use its result."""
    data = list(data) if isinstance(data, (list, tuple)) else [data]
    attrs = {"message": "" if message is None else str(message),
             "first_n": -1 if first_n is None else int(first_n),
             "summarize": 3 if summarize is None else int(summarize)}
    return apply_op1("Print", (input_, data), attrs, name)


# --- PrintV2 (tf.print) ----------------------------------------------------------------------
register_op("PrintV2", inputs=("inputs*",), input_types=(None,),
            infer=lambda inputs, attrs: [], not_differentiable="no outputs", stateful=True,
            doc="when run, writes its inputs (formatted like NumPy) to the output stream")

_LOG_LEVELS = {"debug": _pylogging.DEBUG, "info": _pylogging.INFO,
               "warning": _pylogging.WARNING, "warn": _pylogging.WARNING,
               "error": _pylogging.ERROR}


def _stream_name(stream):
    if stream is None or stream is sys.stderr or stream is sys.__stderr__:
        return "stderr"
    if stream is sys.stdout or stream is sys.__stdout__:
        return "stdout"
    if isinstance(stream, str) and stream.startswith("file://"):
        return stream
    fn = getattr(stream, "__name__", None)
    mod = getattr(stream, "__module__", "") or ""
    if fn in _LOG_LEVELS and (mod == "logging" or mod.startswith("flowbook")):
        return f"log({fn})"
    raise ValueError(
        f"Unsupported output stream {stream!r}: use sys.stderr (the default), sys.stdout, a "
        "'file://<path>' string, or a logging function such as tf.logging.info.")


def _template(value, tensors, top):
    """An immutable description of ``value`` for the kernel: tensors become ("T", index)."""
    if isinstance(value, Tensor) or hasattr(value, "_as_graph_element"):
        tensors.append(convert_to_tensor(value))
        return ("T", len(tensors) - 1)
    if isinstance(value, str) and top:
        return ("S", value)
    if isinstance(value, dict):
        return ("D", tuple((repr(k), _template(v, tensors, False))
                           for k, v in sorted(value.items(), key=lambda kv: repr(kv[0]))))
    if isinstance(value, list):
        return ("L", tuple(_template(v, tensors, False) for v in value))
    if isinstance(value, tuple):
        return ("U", tuple(_template(v, tensors, False) for v in value))
    return ("S", repr(value) if isinstance(value, str) else str(value))


def print(*inputs, **kwargs):  # noqa: A001 (TF's name)
    """tf.print: an op that, each time it runs, writes ``inputs`` (tensors formatted like
    NumPy arrays, at most ``summarize`` entries at each end of every dim, default 3; -1 for
    all; Python values as they are) separated by ``sep`` and followed by ``end`` to
    ``output_stream`` (default sys.stderr). Returns the op: run it, or make it a control
    dependency of what you run."""
    output_stream = kwargs.pop("output_stream", sys.stderr)
    summarize = kwargs.pop("summarize", 3)
    sep = kwargs.pop("sep", " ")
    end = kwargs.pop("end", "\n")
    name = kwargs.pop("name", None)
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments for tf.print: {sorted(kwargs)}")
    tensors = []
    template = tuple(_template(v, tensors, True) for v in inputs)
    attrs = {"template": template, "output_stream": _stream_name(output_stream),
             "summarize": 3 if summarize is None else int(summarize), "sep": str(sep),
             "end": str(end)}
    return apply_op("PrintV2", (tensors,), attrs, name)


# --- Assert ----------------------------------------------------------------------------------
def _assert_infer(inputs, attrs):
    c = inputs[0]
    if c._dtype.base_dtype is not _dtypes.bool:
        raise TypeError(f"The condition of Assert must be bool, got "
                        f"{c._dtype.base_dtype.name}.")
    return []


register_op("Assert", inputs=("condition", "data*"), input_types=(_dtypes.bool, None),
            infer=_assert_infer, not_differentiable="no outputs", stateful=True,
            doc="when run, raises InvalidArgumentError with the data if condition is false")


def Assert(condition, data, summarize=None, name=None):  # noqa: N802 (TF's name)
    """An op that, when run, raises InvalidArgumentError listing ``data`` (each tensor's first
    ``summarize`` entries, default 3) if the scalar bool ``condition`` is false. Make it a
    control dependency of what you run (tf.control_dependencies) or run it."""
    with name_scope(name, "Assert", [condition, data]):
        data = list(data) if isinstance(data, (list, tuple)) else [data]
        data = [d if isinstance(d, Tensor) else convert_to_tensor(d, name=f"data_{i}")
                for i, d in enumerate(data)]
        attrs = {"summarize": 3 if summarize is None else int(summarize)}
        return apply_op("Assert", (condition, data), attrs, "Assert")


def constant_value(t):
    """The value of ``t`` when it is known at build time (a Const, or the Shape of a tensor
    with a fully defined shape), else None (TF's tensor_util.constant_value, in part)."""
    op = t.op
    if op.type == "Const":
        return op._attrs["value"]
    if op.type == "Shape" and op.inputs[0].shape.is_fully_defined():
        import numpy as np
        return np.array(op.inputs[0].shape.as_list(), dtype=op._attrs["out_type"].as_numpy_dtype)
    if op.type == "Identity":
        return constant_value(op.inputs[0])
    return None

