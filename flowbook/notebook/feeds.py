"""Feed editors: one ipywidget per placeholder a run needs, built from its dtype and shape.

Scalars get a number box (or a checkbox for bool); arrays get a text field read with
``ast.literal_eval``. Every entry is checked against the placeholder's dtype and static shape:
a bad entry shows the error beside the field and the previous value stays. A feed can instead
be bound to a variable of the namespace, read when the run starts. Nothing is eval-ed.
"""

import ast

import ipywidgets as W
import numpy as np

__all__ = ["FeedEditor", "check_feed", "needed_placeholders"]


def check_feed(tensor, value):
    """``value`` as an array of the tensor's dtype and a compatible shape, else ValueError."""
    npd = np.dtype(tensor._dtype.base_dtype.as_numpy_dtype)
    try:
        a = np.asarray(value)
        if a.dtype.kind in "SUO" and npd.kind not in "SUO":
            raise ValueError(f"expected numbers ({tensor._dtype.name}), got {a.dtype.kind!r} "
                             "data")
        if npd.kind in "iu" and a.dtype.kind == "f" and not np.all(np.mod(a, 1) == 0):
            raise ValueError(f"expected integers ({tensor._dtype.name}), got {value!r}")
        a = a.astype(npd)
    except (TypeError, ValueError, OverflowError) as e:
        raise ValueError(f"not a {tensor._dtype.name} value: {e}") from None
    dims = tensor._shape._dims
    if dims is not None and (a.ndim != len(dims) or any(
            d is not None and d != s for d, s in zip(dims, a.shape))):
        want = "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"
        raise ValueError(f"shape {list(a.shape)} does not fit {want}")
    return a


def needed_placeholders(graph, fetches):
    """Placeholders that running ``fetches`` needs when nothing is fed, in creation order."""
    from .preview import will_run
    return [op._outputs[0] for op in will_run(graph, fetches) if op._type == "Placeholder"]


class FeedEditor(W.HBox):
    """Edits the value fed to one placeholder (see module docstring)."""

    def __init__(self, tensor, on_change=None):
        self.tensor = tensor
        self.value = None                # the last valid value (an array), or None
        self._on_change = on_change
        dims = tensor._shape._dims
        kind = np.dtype(tensor._dtype.base_dtype.as_numpy_dtype).kind
        self.scalar = dims == ()
        desc = f"{tensor.name} {tensor._dtype.name}" + (
            "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"
            if dims is not None else "[?*]")
        self.label = W.Label(desc, layout=W.Layout(min_width="12em"))
        if self.scalar and kind == "b":
            self.field = W.Checkbox(value=False, indent=False)
        elif self.scalar and kind in "iu":
            self.field = W.IntText(value=0, layout=W.Layout(width="8em"))
        elif self.scalar and kind == "f":
            self.field = W.FloatText(value=0.0, layout=W.Layout(width="8em"))
        else:
            self.field = W.Text(placeholder="[[1, 2], [3, 4]]", layout=W.Layout(width="16em"))
        self.bind = W.Text(placeholder="or a variable name", layout=W.Layout(width="10em"))
        self.error = W.HTML("")
        self._restoring = False
        self.field.observe(self._edited, names=["value"])
        self.bind.observe(self._bound, names=["value"])
        super().__init__([self.label, self.field, self.bind, self.error])
        if self.scalar and kind in "biuf":
            self.value = check_feed(tensor, self.field.value)

    def _edited(self, change):
        if self._restoring:
            return
        try:
            if isinstance(self.field, W.Text):
                text = change["new"].strip()
                if not text:
                    self.value = None
                    self.error.value = ""
                    self._changed()
                    return
                try:
                    raw = ast.literal_eval(text)
                except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                    raise ValueError("write a Python literal such as [[1, 2], [3, 4]]") \
                        from None
            else:
                raw = change["new"]
            self.value = check_feed(self.tensor, raw)
            self.error.value = ""
        except ValueError as e:
            self.error.value = f"<span class='fb-err' style='color:#c62828'>{_esc(e)}</span>"
            self._restoring = True
            try:
                self.field.value = change["old"]     # keep the previous value
            finally:
                self._restoring = False
            return
        self._changed()

    def _bound(self, change):
        name = change["new"].strip()
        if name and not name.isidentifier():
            self.error.value = (f"<span style='color:#c62828'>{_esc(name)!s} is not a variable "
                                "name</span>")
            return
        self.error.value = ""
        self._changed()

    def _changed(self):
        if self._on_change is not None:
            self._on_change(self)

    def set_value(self, value):
        """Sets the field from Python (checked like typed input); raises ValueError."""
        a = check_feed(self.tensor, value)
        self._restoring = True
        try:
            if isinstance(self.field, W.Text):
                self.field.value = repr(a.tolist())
            else:
                self.field.value = a.item()
        finally:
            self._restoring = False
        self.value = a
        self.error.value = ""
        self._changed()

    def current(self, namespace):
        """The value to feed now: the bound variable's, else the field's (None: unset)."""
        name = self.bind.value.strip()
        if name:
            if namespace is None or name not in namespace:
                raise ValueError(f"feed {self.tensor.name}: no variable {name!r} in the "
                                 "namespace")
            return check_feed(self.tensor, namespace[name])
        return self.value

    def has_value(self):
        return bool(self.bind.value.strip()) or self.value is not None

    def __repr__(self):
        return f"FeedEditor({self.tensor.name})"


def _esc(x):
    import html
    return html.escape(str(x))
