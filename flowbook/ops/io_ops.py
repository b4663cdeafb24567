"""Checkpoint ops: SaveV2 writes tensors to a checkpoint, RestoreV2 reads them back.

They are TF1's ops with TF1's inputs, so a Saver's graph looks like TF1's ("save/SaveV2",
"save/RestoreV2", "save/restore_all") and running them by name works as in TF1. The file
format is flowbook's (see flowbook/backends/checkpoint_io.py): safetensors or .npz data plus a
JSON index, written atomically.
"""

from ..graph import dtypes as _dtypes
from ..graph.shape import TensorShape, _UNKNOWN
from .registry import register_op, apply_op

__all__ = ["save_v2", "restore_v2"]

_STRINGS = (_dtypes.string, _dtypes.string, _dtypes.string)


def _save_infer(inputs, attrs):
    prefix, names, slices = inputs[:3]
    for t, what in ((prefix, "prefix"), (names, "tensor_names"), (slices, "shape_and_slices")):
        if t._dtype.base_dtype is not _dtypes.string:
            raise TypeError(f"SaveV2's {what} must be a string tensor, got {t._dtype.name}.")
    n = len(inputs) - 3
    if names._shape.ndims is not None and names._shape.as_list() not in ([n], [None]):
        raise ValueError(f"SaveV2 got {n} tensors but tensor_names has shape {names._shape}.")
    return []


register_op("SaveV2", inputs=("prefix", "tensor_names", "shape_and_slices", "tensors*"),
            input_types=_STRINGS + (None,), infer=_save_infer, stateful=True,
            not_differentiable="writes files",
            doc="writes tensors[i] under tensor_names[i] to checkpoint prefix")


def _restore_infer(inputs, attrs):
    for t in inputs:
        if t._dtype.base_dtype is not _dtypes.string:
            raise TypeError(f"RestoreV2 takes string inputs, got {t._dtype.name}.")
    shapes = attrs.get("_expected_shapes")
    return [(d, TensorShape(shapes[i]) if shapes else _UNKNOWN)
            for i, d in enumerate(attrs["dtypes"])]


register_op("RestoreV2", inputs=("prefix", "tensor_names", "shape_and_slices"),
            input_types=_STRINGS, infer=_restore_infer, stateful=True,
            not_differentiable="reads files",
            doc="y[i] = tensor tensor_names[i] read from checkpoint prefix")


def save_v2(prefix, tensor_names, shape_and_slices, tensors, name=None):
    """Writes ``tensors`` under ``tensor_names`` to checkpoint ``prefix`` (an op, no output)."""
    tensors = list(tensors)
    dtypes = [t.dtype.base_dtype for t in tensors]
    return apply_op("SaveV2", (prefix, list(tensor_names), list(shape_and_slices), tensors),
                    {"dtypes": dtypes}, name)


def restore_v2(prefix, tensor_names, shape_and_slices, dtypes, name=None, expected_shapes=None):
    """Reads ``tensor_names`` from checkpoint ``prefix``; one output per name.

    ``expected_shapes`` (flowbook's addition): when given, RestoreV2 checks every stored shape
    before returning anything, so a mismatched checkpoint changes no variable.
    """
    attrs = {"dtypes": [_dtypes.as_dtype(d).base_dtype for d in dtypes]}
    if expected_shapes is not None:
        attrs["_expected_shapes"] = [TensorShape(s) for s in expected_shapes]
    op = apply_op("RestoreV2", (prefix, list(tensor_names), list(shape_and_slices)), attrs,
                  name)
    return list(op._outputs)
