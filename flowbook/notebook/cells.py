"""Cells own the ops they build: running a %%flow cell again replaces them, safely.

A CellRegistry (one per graph) records, for every %%flow cell, the ops it created and the
names it claimed (ops and name scopes), plus the default variable-scope names it used. When
the same cell runs again, its previous ops are retired from the graph (Graph._retire_ops):
the new ops take the same names (no x_1 copies) and get_variable does not find an old
"w" ("Variable w already exists"). Variable values survive in the notebook's session when
the new variable has the old one's name, dtype and shape (unless reset). Ops of other cells
that consumed the replaced tensors become *stale*: they stay, marked in the view, and the
message names the cells to re-run; running them raises FailedPreconditionError saying so.
"""

import contextlib

__all__ = ["CellRegistry", "CellRecord"]


class CellRecord:
    """One %%flow cell: its key, label ("In [3]"), ops, and the names it claimed."""

    __slots__ = ("key", "label", "ops", "names", "scope_counts")

    def __init__(self, key, label):
        self.key = key
        self.label = label
        self.ops = []
        self.names = []
        self.scope_counts = {}

    def __repr__(self):
        return f"CellRecord({self.label}, {len(self.ops)} ops)"


class CellRegistry:
    """The cells that built a graph's ops (see module docstring)."""

    def __init__(self, graph):
        self.graph = graph
        self.cells = {}          # key -> CellRecord
        self.owner = {}          # op -> CellRecord
        self.stale = {}          # op -> message

    def label_of(self, op):
        rec = self.owner.get(op)
        return rec.label if rec is not None else None

    def stale_names(self):
        """{op name: why} for the stale ops still in the graph."""
        by = self.graph._by_name
        return {op._name: why for op, why in self.stale.items() if by.get(op._name) is op}

    @contextlib.contextmanager
    def running(self, key, label, sessions=(), reset=False):
        """Runs a cell's body: replaces the ops of its previous run, records the new ones."""
        g = self.graph
        kept = self._retire(key, label) if key in self.cells else {}
        rec = self.cells[key] = CellRecord(key, label)
        start = g.version
        names_before = set(g._names_in_use)
        store = g._var_store
        counts_before = dict(store.scope_counts) if store is not None else {}
        try:
            yield rec
        finally:
            rec.ops = [op for op in g._ops if op._id >= start]
            for op in rec.ops:
                self.owner[op] = rec
            rec.names = [k for k in g._names_in_use if k not in names_before]
            store = g._var_store
            if store is not None:
                rec.scope_counts = {k: v - counts_before.get(k, 0)
                                    for k, v in store.scope_counts.items()
                                    if v > counts_before.get(k, 0)}
            if not reset:
                self._keep_values(rec, kept, sessions)

    def _retire(self, key, label):
        """Retires a cell's previous ops; returns {variable name: (dtype, shape, old op)}."""
        g = self.graph
        old = self.cells.pop(key)
        ops = [op for op in old.ops if g._by_name.get(op._name) is op]
        kept = {op._name: (op._outputs[0]._dtype, op._outputs[0]._shape, op)
                for op in ops if op._type == "VariableV2"}
        stale = g._retire_ops(ops, old.names, reason=(
            f"{label} ran again and replaced it; re-run the cells that use it"))
        for op in ops:
            self.owner.pop(op, None)
            self.stale.pop(op, None)
        store = g._var_store
        if store is not None:
            for k, n in old.scope_counts.items():
                store.scope_counts[k] = max(0, store.scope_counts.get(k, 0) - n)
        users = sorted({self.owner[op].label for op in stale if op in self.owner})
        rerun = f"re-run {', '.join(users)}" if users else "re-run the cells that built them"
        for op in stale:
            self.stale.setdefault(op, f"built on ops that {label} replaced when it ran "
                                      f"again: {rerun}")
        return kept

    def _keep_values(self, rec, kept, sessions):
        """Moves session values of replaced variables onto their same-named replacements."""
        if not kept:
            return
        for op in rec.ops:
            old = kept.get(op._name)
            if op._type != "VariableV2" or old is None:
                continue
            dtype, shape, old_op = old
            t = op._outputs[0]
            if t._dtype != dtype or t._shape._dims != shape._dims:
                continue
            for sess in sessions:
                cells = sess._resources.cells
                cell = cells.pop(old_op, None)
                if cell is not None and cell.value is not None:
                    cells[op] = cell

    def cell_rows(self):
        """(label, op count, stale count) per cell, in the order they last ran."""
        out = []
        stale = self.stale_names()
        for rec in self.cells.values():
            live = [op for op in rec.ops if self.graph._by_name.get(op._name) is op]
            out.append((rec.label, len(live), sum(op._name in stale for op in live)))
        return out
