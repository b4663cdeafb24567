"""Kernels for checkpoint ops (flowbook/ops/io_ops.py): the file work of tf.train.Saver.

SaveV2 hands the values to checkpoint_io.write (atomic, index last). RestoreV2 reads and
checks *every* requested tensor (present, dtype, shape, checksum) before returning any, so the
Assign ops after it run only when the whole checkpoint fits: a bad checkpoint changes nothing.
"""

import numpy as np

from ... import errors
from .. import checkpoint_io
from . import BACKEND


def _text(x):
    x = x.item() if isinstance(x, np.ndarray) else x
    return x.decode() if isinstance(x, bytes) else str(x)


def _check_slices(op, slices):
    if any(_text(s) for s in np.asarray(slices).reshape(-1)):
        raise errors.UnimplementedError(
            None, op, f"{op.type} '{op.name}': saving or restoring slices of tensors "
            "(shape_and_slices) is not supported by flowbook; save whole tensors.")


@BACKEND.factory("SaveV2")
def save_v2(op, res):
    def k(prefix, names, slices, *tensors):
        _check_slices(op, slices)
        names = [_text(n) for n in np.asarray(names).reshape(-1)]
        if len(names) != len(tensors):
            raise errors.InvalidArgumentError(
                None, op, f"SaveV2 got {len(tensors)} tensors for {len(names)} names.")
        checkpoint_io.write(_text(prefix), names, list(tensors))
        return None
    return k


def _describe(shape):
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


@BACKEND.factory("RestoreV2")
def restore_v2(op, res):
    dtypes = op._attrs["dtypes"]
    expected = op._attrs.get("_expected_shapes")

    def k(prefix, names, slices):
        _check_slices(op, slices)
        prefix = _text(prefix)
        names = [_text(n) for n in np.asarray(names).reshape(-1)]
        if len(names) != len(dtypes):
            raise errors.InvalidArgumentError(
                None, op, f"RestoreV2 got {len(names)} names for {len(dtypes)} dtypes.")
        with checkpoint_io.Reader(prefix) as reader:
            missing = [n for n in names if not reader.has(n)]
            if missing:
                others = [n for n in reader.names() if n not in names]
                hint = (f" The checkpoint holds these other tensors: {others[:10]}"
                        f"{' ...' if len(others) > 10 else ''}." if others else "")
                raise errors.NotFoundError(
                    None, op, f"Key {missing[0]} not found in checkpoint '{prefix}'"
                    f"{f' (nor {missing[1:]})' if len(missing) > 1 else ''}: the variables "
                    f"being restored are not all in this checkpoint.{hint} Restore a "
                    "checkpoint saved from this model, or build the Saver with var_list= "
                    "the variables it does hold.")
            problems = []
            for i, n in enumerate(names):
                dtype, shape = reader.infos[n]
                if dtype is not dtypes[i]:
                    problems.append(f"tensor_name = {n}; expected dtype {dtypes[i].name} does "
                                    f"not equal original dtype {dtype.name}")
                elif expected is not None and not expected[i].is_compatible_with(shape):
                    problems.append(f"tensor_name = {n}; the variable has shape "
                                    f"{_describe(expected[i].as_list())} but the checkpoint "
                                    f"holds shape {list(shape)}")
            if problems:
                raise errors.InvalidArgumentError(
                    None, op, f"Checkpoint '{prefix}' does not fit the variables being "
                    "restored (nothing was restored): " + "; ".join(problems) + ". Was it "
                    "saved from a different model?")
            values = []
            for n in names:
                v = reader.get(n)
                if v.flags.writeable:
                    v.flags.writeable = False
                values.append(v)
        return values[0] if len(values) == 1 else tuple(values)
    return k
