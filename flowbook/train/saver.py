"""tf.train.Saver: saves and restores variables, keeping the newest ``max_to_keep`` checkpoints.

As in TF1, a Saver adds a "save/" name scope to the graph: ``save/Const`` (the file name to
feed), ``save/SaveV2`` and ``save/control_dependency`` (run it to save), ``save/RestoreV2``,
one ``save/Assign*`` per variable and ``save/restore_all`` (run it to restore). Its SaverDef
names them, so a meta graph can rebuild the Saver without the model's code. The file work is
done by the SaveV2 and RestoreV2 kernels (flowbook/backends/numpy_backend/io_kernels.py);
this module chooses file names, writes the meta graph, updates the "checkpoint" state file
after the checkpoint is complete, and deletes old checkpoints only after that.

As in TF1, restoring from a checkpoint that holds *more* tensors than the Saver restores is
allowed (an inference graph restoring a training checkpoint with optimizer slots); missing
variables, dtype or shape mismatches and damaged files raise before any variable changes.
``sharded=True`` is recorded in the SaverDef but writes one shard (flowbook runs in one
process); slices (``shape_and_slices``) are not supported.
"""

import os
import time

from .. import errors
from .. import logging as _logging
from ..graph.graph import get_default_graph, name_scope
from ..graph.operation import Tensor
from ..graph.shape import TensorShape
from ..ops import array_ops, control_ops, io_ops, state_ops
from ..ops.variables import Variable, global_variables
from . import checkpoint_management as _cm
from .meta_graph import SaverDef

__all__ = ["Saver"]


def _var_name_and_tensor(v):
    """(checkpoint name, tensor to save, variable or None) for one var_list entry."""
    if isinstance(v, Variable):
        return v.op.name, v._ref(), v
    if isinstance(v, Tensor):
        if v.op.type in ("VariableV2", "Variable"):
            return v.op.name, v, v
        return v.op.name, v, None
    raise TypeError(f"Saver's var_list holds {v!r} ({type(v).__name__}); it takes "
                    "tf.Variable objects (or a dict of name -> Variable or Tensor).")


def op_list_to_dict(op_list):
    """TF1's helper: {checkpoint name: Variable or Tensor}, refusing duplicate names."""
    if isinstance(op_list, dict):
        return dict(op_list)
    out = {}
    for v in op_list:
        name = _var_name_and_tensor(v)[0]
        if name in out:
            raise ValueError(f"At least two variables have the same name: {name}")
        out[name] = v
    return out


class Saver:
    """Saves and restores variables (see module docstring). TF1's constructor arguments."""

    def __init__(self, var_list=None, reshape=False, sharded=False, max_to_keep=5,
                 keep_checkpoint_every_n_hours=10000.0, name=None, restore_sequentially=False,
                 saver_def=None, builder=None, defer_build=False, allow_empty=False,
                 write_version=2, pad_step_number=False, save_relative_paths=False,
                 filename=None):
        if builder is not None:
            raise NotImplementedError("Saver(builder=...) is not supported by flowbook.")
        if defer_build and var_list:
            raise ValueError("If `var_list` is provided then build cannot be deferred. Either "
                             "set defer_build=False or var_list=None.")
        if write_version != 2:
            _logging.warning("flowbook writes only V2-style checkpoints; write_version=%s "
                             "is ignored.", write_version)
        self._var_list = var_list
        self._reshape = reshape
        self._sharded = sharded
        self._max_to_keep = max_to_keep
        self._keep_every_n_hours = keep_checkpoint_every_n_hours
        self._name = name
        self.saver_def = saver_def
        self._allow_empty = allow_empty
        self._pad_step_number = pad_step_number
        self._save_relative_paths = save_relative_paths
        self._filename = filename
        self._is_built = False
        self._is_empty = False
        self._last_checkpoints = []
        self._next_checkpoint_time = time.time() + keep_checkpoint_every_n_hours * 3600
        if saver_def is not None:
            self._check_saver_def()
            self._is_built = True
        elif not defer_build:
            self.build()

    # --- building the save/ ops ---------------------------------------------------------------
    def build(self):
        """Adds the save/ and restore ops to the default graph (once)."""
        if self._is_built:
            return
        self._is_built = True
        var_list = self._var_list
        if var_list is None:
            var_list = global_variables()
            if not var_list:
                if self._allow_empty:
                    self._is_empty = True
                    return
                raise ValueError("No variables to save")
        entries = []
        seen = set()
        items = var_list.items() if isinstance(var_list, dict) else [(None, v) for v in
                                                                      var_list]
        for key, v in items:
            name, tensor, var = _var_name_and_tensor(v)
            if key is not None:
                name = key
            if name in seen:
                raise ValueError(f"At least two variables have the same name: {name}")
            seen.add(name)
            entries.append((name, tensor, var))
        if not entries:
            if self._allow_empty:
                self._is_empty = True
                return
            raise ValueError("No variables to save")
        entries.sort(key=lambda e: e[0])      # TF1 orders a Saver's tensors by name
        self._entries = entries
        g = entries[0][1].graph
        with g.as_default(), name_scope(self._name, "save"):
            self.saver_def = self._build_ops(g, entries)
        self._check_saver_def()

    def _build_ops(self, g, entries):
        names = [e[0] for e in entries]
        filename = array_ops.placeholder_with_default(self._filename or "model", shape=(),
                                                      name="filename")
        filename_tensor = array_ops.placeholder_with_default(filename, shape=(), name="Const")
        with g.device("/device:CPU:0"):
            save_op = io_ops.save_v2(filename_tensor, names, [""] * len(names),
                                     [e[1] for e in entries], name="SaveV2")
        save_tensor = control_ops.with_dependencies([save_op], filename_tensor)
        restorable = [e for e in entries if e[2] is not None]
        assigns = []
        if restorable:
            shapes = [TensorShape(None) if self._reshape else e[2].shape for e in restorable]
            with g.device("/device:CPU:0"):
                restored = io_ops.restore_v2(
                    filename_tensor, [e[0] for e in restorable], [""] * len(restorable),
                    [e[1].dtype.base_dtype for e in restorable], name="RestoreV2",
                    expected_shapes=shapes)
            if self._reshape:
                # All reshapes run before any assign, so a bad size changes no variable.
                restored = [array_ops.reshape(t, e[2].shape.as_list())
                            if e[2].shape.is_fully_defined() else t
                            for t, e in zip(restored, restorable)]
            for t, (name, ref, var) in zip(restored, restorable):
                with g.colocate_with(ref.op):
                    assigns.append(state_ops.assign(
                        ref, t, validate_shape=not self._reshape and
                        ref.shape.is_fully_defined(), name="Assign"))
        restore_op = control_ops.group(*assigns, name="restore_all")
        return SaverDef(filename_tensor_name=filename_tensor.name,
                        save_tensor_name=save_tensor.name,
                        restore_op_name=restore_op.name,
                        max_to_keep=self._max_to_keep or 0, sharded=self._sharded,
                        keep_checkpoint_every_n_hours=self._keep_every_n_hours)

    def _check_saver_def(self):
        sd = self.saver_def
        for f in ("filename_tensor_name", "save_tensor_name", "restore_op_name"):
            if not getattr(sd, f):
                raise ValueError(f"The saver_def must specify {f}: {sd}")
        self._max_to_keep = sd.max_to_keep
        self._keep_every_n_hours = sd.keep_checkpoint_every_n_hours
        self._sharded = sd.sharded

    def as_saver_def(self):
        """The SaverDef naming this Saver's ops (None for an empty Saver)."""
        return self.saver_def

    def to_proto(self, export_scope=None):
        return self.saver_def

    @staticmethod
    def from_proto(saver_def, import_scope=None):
        return Saver(saver_def=saver_def.with_scope(import_scope) if import_scope else
                     saver_def)

    # --- kept checkpoints ---------------------------------------------------------------------
    @property
    def last_checkpoints(self):
        """Prefixes of the checkpoints this Saver keeps, oldest first."""
        return [p for p, _ in self._last_checkpoints]

    def set_last_checkpoints(self, last_checkpoints):
        if not isinstance(last_checkpoints, list):
            raise TypeError(f"last_checkpoints must be a list, got {type(last_checkpoints)}")
        self._last_checkpoints = [(p, None) for p in last_checkpoints]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time):
        self._last_checkpoints = list(last_checkpoints_with_time)

    def recover_last_checkpoints(self, checkpoint_paths):
        """Takes over existing checkpoints (e.g. after a restart) as this Saver's kept ones."""
        times = _cm.get_checkpoint_mtimes(checkpoint_paths)
        self.set_last_checkpoints_with_time(list(zip(checkpoint_paths, times)))

    def _record_last_checkpoint(self, path):
        if not self._max_to_keep:
            return []
        self._last_checkpoints = [p for p in self._last_checkpoints if p[0] != path]
        self._last_checkpoints.append((path, time.time()))
        doomed = []
        while len(self._last_checkpoints) > self._max_to_keep:
            p = self._last_checkpoints.pop(0)
            if p[1] is not None and p[1] > self._next_checkpoint_time:
                # keep_checkpoint_every_n_hours: this one stays on disk for good.
                self._next_checkpoint_time += self._keep_every_n_hours * 3600
                continue
            doomed.append(p[0])
        return doomed

    # --- save / restore -----------------------------------------------------------------------
    def save(self, sess, save_path, global_step=None, latest_filename=None,
             meta_graph_suffix="meta", write_meta_graph=True, write_state=True,
             strip_default_attrs=False, save_debug_info=False):
        """Saves the variables' values in ``sess`` to ``save_path`` (+ "-<global_step>").

        Returns the checkpoint prefix (pass it to restore). Order of work: data and index
        (atomic), meta graph, the "checkpoint" state file, then deletion of checkpoints beyond
        ``max_to_keep``: a crash at any moment leaves the previous checkpoint usable.
        """
        if not self._is_built:
            raise RuntimeError("`build()` should be called before save if defer_build==True")
        latest_filename = latest_filename or "checkpoint"
        if os.path.split(latest_filename)[0]:
            raise ValueError("'latest_filename' must not contain path components")
        save_path = os.fspath(save_path)
        if global_step is not None:
            if not isinstance(global_step, int):
                global_step = int(sess.run(global_step))
            step = f"{global_step:08d}" if self._pad_step_number else f"{global_step:d}"
            checkpoint_file = f"{save_path}-{step}"
        else:
            checkpoint_file = save_path
            if os.path.basename(save_path) == latest_filename:
                raise ValueError(f"'latest_filename' collides with 'save_path': "
                                 f"'{latest_filename}' and '{save_path}'")
        if not hasattr(sess, "run") or not hasattr(sess, "graph"):
            raise TypeError(f"'sess' must be a Session; {sess}")
        parent = os.path.dirname(save_path)
        if parent and not os.path.isdir(parent):
            raise ValueError(f"Parent directory of {save_path} doesn't exist, can't save.")
        if self._is_empty:
            if write_meta_graph:
                self.export_meta_graph(_cm.meta_graph_filename(checkpoint_file,
                                                               meta_graph_suffix),
                                       graph=sess.graph)
            return None
        sd = self.saver_def
        path = sess.run(sd.save_tensor_name, {sd.filename_tensor_name: checkpoint_file})
        path = path.decode() if isinstance(path, bytes) else str(path)
        if write_meta_graph:
            self.export_meta_graph(_cm.meta_graph_filename(checkpoint_file, meta_graph_suffix),
                                   graph=sess.graph, strip_default_attrs=strip_default_attrs)
        if write_state:
            doomed = self._record_last_checkpoint(path)
            _cm.update_checkpoint_state(parent, path, self.last_checkpoints or [path],
                                        latest_filename,
                                        save_relative_paths=self._save_relative_paths)
            for p in doomed:
                if p != path:
                    _cm.remove_checkpoint(p, meta_graph_suffix=meta_graph_suffix)
        return path

    def restore(self, sess, save_path):
        """Restores the saved variables from checkpoint ``save_path`` into ``sess``.

        Every variable is checked (present, dtype, shape, data intact) before any is changed:
        on error no variable changes. Raises ValueError when there is no checkpoint there,
        NotFoundError for variables missing from it, InvalidArgumentError for dtype or shape
        mismatches, DataLossError for damaged files.
        """
        if self._is_empty:
            return
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        save_path = os.fspath(save_path)
        if not _cm.checkpoint_exists(save_path):
            raise ValueError("The passed save_path is not a valid checkpoint: " + save_path)
        _logging.info("Restoring parameters from %s", save_path)
        sd = self.saver_def
        try:
            sess.run(sd.restore_op_name, {sd.filename_tensor_name: save_path})
        except errors.NotFoundError as e:
            raise _wrap(e, "a Variable name or other graph key that is missing from the "
                        "checkpoint") from None
        except errors.InvalidArgumentError as e:
            raise _wrap(e, "a mismatch between the current graph and the graph from the "
                        "checkpoint") from None

    def export_meta_graph(self, filename=None, collection_list=None, as_text=False,
                          export_scope=None, clear_devices=False,
                          clear_extraneous_savers=False, strip_default_attrs=False,
                          save_debug_info=False, graph=None):
        """Writes the graph, its collections and this Saver's SaverDef (see export_meta_graph)."""
        from .meta_graph import export_meta_graph
        return export_meta_graph(filename=filename, saver_def=self.saver_def,
                                 collection_list=collection_list, as_text=as_text,
                                 export_scope=export_scope, clear_devices=clear_devices,
                                 graph=graph or get_default_graph())

    def __repr__(self):
        n = len(getattr(self, "_entries", ()))
        return f"<flowbook.train.Saver of {n} tensors, keeps {self._max_to_keep}>"


def _wrap(e, cause):
    e2 = type(e)(e.node_def, e.op, f"Restoring from checkpoint failed. This is most likely due "
                 f"to {cause}. Please ensure that you have not altered the graph expected "
                 f"based on the checkpoint. Original error:\n\n{e.message}")
    return e2
