"""Graph: the append-only container of operations, with TF1's naming, scopes and collections.

A Graph holds operations in creation order (which is also a valid execution order), a name
table (case-insensitive uniquing: add, add_1, ...), the name-scope, control-dependency, device
and colocation stacks that apply to ops being built, collections, and observers that hear of
every op added (the live notebook view subscribes there).
"""

import contextlib
import re
import threading
import weakref

from . import device as _device
from .operation import Operation, Tensor

__all__ = ["Graph", "GraphKeys", "get_default_graph", "reset_default_graph"]

_VALID_OP_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\-/>]*$")
_VALID_SCOPE_NAME = re.compile(r"^[A-Za-z0-9_.\-/>]*$")


class GraphKeys:
    """Standard collection names (TF1's values, so exported graphs match)."""

    GLOBAL_VARIABLES = "variables"
    VARIABLES = GLOBAL_VARIABLES
    LOCAL_VARIABLES = "local_variables"
    METRIC_VARIABLES = "metric_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    QUEUE_RUNNERS = "queue_runners"
    TABLE_INITIALIZERS = "table_initializer"
    ASSET_FILEPATHS = "asset_filepaths"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    CONCATENATED_VARIABLES = "concatenated_variables"
    SAVERS = "savers"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    SAVEABLE_OBJECTS = "saveable_objects"
    RESOURCES = "resources"
    LOCAL_RESOURCES = "local_resources"
    TRAINABLE_RESOURCE_VARIABLES = "trainable_resource_variables"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"
    READY_FOR_LOCAL_INIT_OP = "ready_for_local_init_op"
    SUMMARY_OP = "summary_op"
    GLOBAL_STEP = "global_step"
    EVAL_STEP = "eval_step"
    TRAIN_OP = "train_op"
    COND_CONTEXT = "cond_context"
    WHILE_CONTEXT = "while_context"


# --- thread-local default stacks -------------------------------------------------------------
class _ThreadState(threading.local):
    def __init__(self):
        self.graph_stack = []
        self.session_stack = []


_state = _ThreadState()
_global_default_graph = None
_global_lock = threading.Lock()


def _thread_state():
    return _state


def get_default_graph():
    """The innermost graph entered with ``as_default()`` in this thread, else the global one."""
    stack = _state.graph_stack
    if stack:
        return stack[-1]
    global _global_default_graph
    if _global_default_graph is None:
        with _global_lock:
            if _global_default_graph is None:
                _global_default_graph = Graph()
    return _global_default_graph


def reset_default_graph():
    """Replaces the global default graph with a new empty one (not allowed inside as_default)."""
    if _state.graph_stack:
        raise AssertionError(
            "Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared "
            "graph, exit the nesting and create a new graph.")
    global _global_default_graph
    _global_default_graph = Graph()


class _ControlController:
    __slots__ = ("control_inputs", "created")

    def __init__(self, control_inputs):
        self.control_inputs = control_inputs
        self.created = set()


class Graph:
    """A TF1 dataflow graph: operations in creation order plus the scopes that name them."""

    _outer_graph = None     # a function body (ops/func_graph.py) names the graph it nests in

    def __init__(self):
        self._ops = []
        self._by_name = {}
        self._names_in_use = {}
        self._name_stack = ""
        self._control_stack = []
        self._device_stack = []         # entries: (kind, value, merged-string-or-None)
        self._device_fast = ""          # merged device when the stack holds only strings
        self._device_has_fn = False
        self._colocation_stack = []
        self._collections = {}
        self._finalized = False
        self._epoch = 0                 # bumped when existing ops change (plans recompile)
        self._next_id = 0               # ops ever added (ids stay unique after _retire_ops)
        self._retired = weakref.WeakKeyDictionary()   # retired op -> why (see _retire_ops)
        self._observers = []
        self._compile_observers = []    # callback(session, plan) after a plan is compiled
        self._seed = None
        self._unfeedable = set()
        self._unfetchable = set()
        self._lock = threading.RLock()
        self._gradient_override_map = {}
        self._var_store = None          # variable_scope's store (see ops/variable_scope.py)
        self._var_scope_stack = None
        self._attr_scope = {}
        self._building_function = False

    # --- default-ness -------------------------------------------------------------------------
    @contextlib.contextmanager
    def as_default(self):
        """Makes this graph the default for ops built in the ``with`` block (nestable)."""
        stack = _state.graph_stack
        stack.append(self)
        try:
            yield self
        finally:
            if stack and stack[-1] is self:
                stack.pop()
            else:  # tolerate out-of-order exits (generators, notebook interrupts)
                try:
                    stack.remove(self)
                except ValueError:
                    pass

    # --- basic facts --------------------------------------------------------------------------
    @property
    def version(self):
        """Number of ops ever added: increases with every new op."""
        return self._next_id

    @property
    def finalized(self):
        return self._finalized

    def finalize(self):
        """Makes the graph read-only: adding an op afterwards raises RuntimeError."""
        self._finalized = True

    def _unsafe_unfinalize(self):
        self._finalized = False

    @property
    def seed(self):
        return self._seed

    @seed.setter
    def seed(self, seed):
        self._seed = seed

    @property
    def _last_id(self):
        return self._next_id

    @property
    def building_function(self):
        return self._building_function

    @property
    def graph_def_versions(self):
        return None

    # --- observers ----------------------------------------------------------------------------
    def add_observer(self, callback):
        """Calls ``callback(op)`` after every op added to this graph; returns the callback."""
        if callback not in self._observers:
            self._observers.append(callback)
        return callback

    def remove_observer(self, callback):
        try:
            self._observers.remove(callback)
        except ValueError:
            pass

    # --- lookup -------------------------------------------------------------------------------
    def get_operations(self):
        """All operations, in creation order."""
        return list(self._ops)

    def get_operation_by_name(self, name):
        if not isinstance(name, str):
            raise TypeError(f"Operation names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=False, allow_operation=True)

    def get_tensor_by_name(self, name):
        if not isinstance(name, str):
            raise TypeError(f"Tensor names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=True, allow_operation=False)

    def _get_operation_by_name_unsafe(self, name):
        return self._by_name[name]

    def as_graph_element(self, obj, allow_tensor=True, allow_operation=True):
        """Resolves a Tensor, Operation, name string or convertible object to one of this graph."""
        if allow_tensor and allow_operation:
            types_str = "Tensor or Operation"
        elif allow_tensor:
            types_str = "Tensor"
        else:
            types_str = "Operation"
        conv = getattr(obj, "_as_graph_element", None)
        if conv is not None and not isinstance(obj, (Tensor, Operation)):
            obj = conv()
        if isinstance(obj, str):
            name = obj
            if ":" in name and allow_tensor:
                op_name, _, out = name.rpartition(":")
                try:
                    out_n = int(out)
                except ValueError:
                    raise ValueError(
                        f"The name {name!r} looks a like a Tensor name, but is not a valid one. "
                        'Tensor names must be of the form "<op_name>:<output_index>".') from None
                op = self._by_name.get(op_name)
                if op is None:
                    raise KeyError(
                        f"The name {name!r} refers to a Tensor which does not exist. The "
                        f"operation, {op_name!r}, does not exist in the graph.")
                if not 0 <= out_n < len(op._outputs):
                    raise KeyError(
                        f"The name {name!r} refers to a Tensor which does not exist. The "
                        f"operation, {op_name!r}, exists but only has {len(op._outputs)} "
                        "outputs.")
                return op._outputs[out_n]
            if ":" in name and not allow_tensor:
                raise ValueError(f"Name {name!r} appears to refer to a Tensor, not a {types_str}.")
            if not allow_operation:
                if name in self._by_name:
                    raise ValueError(
                        f"The name {name!r} refers to an Operation, not a {types_str}. Tensor "
                        'names must be of the form "<op_name>:<output_index>".')
                raise ValueError(
                    f"The name {name!r} looks like an (invalid) Operation name, not a "
                    f'{types_str}. Tensor names must be of the form "<op_name>:<output_index>".')
            op = self._by_name.get(name)
            if op is None:
                raise KeyError(f"The name {name!r} refers to an Operation not in the graph.")
            return op
        if isinstance(obj, Tensor) and allow_tensor:
            if obj._op._graph is not self:
                raise ValueError(f"Tensor {obj} is not an element of this graph.")
            return obj
        if isinstance(obj, Operation) and allow_operation:
            if obj._graph is not self:
                raise ValueError(f"Operation {obj!r} is not an element of this graph.")
            return obj
        raise TypeError(f"Can not convert a {type(obj).__name__} into a {types_str}.")

    # --- naming -------------------------------------------------------------------------------
    def get_name_scope(self):
        return self._name_stack

    def unique_name(self, name, mark_as_used=True):
        """``name`` prefixed by the current scope and made unique (case-insensitively)."""
        if self._name_stack:
            name = self._name_stack + "/" + name
        key = name.lower()
        used = self._names_in_use
        i = used.get(key, 0)
        if mark_as_used:
            used[key] = i + 1
        if i > 0:
            base = key
            while key in used:
                key = f"{base}_{i}"
                i += 1
            if mark_as_used:
                used[key] = 1
            name = f"{name}_{i - 1}"
        return name

    def _op_name(self, name, default):
        """The final name of a new op: explicit names are checked, "x/" means exactly "x"."""
        if name is None:
            return self.unique_name(default)
        if not isinstance(name, str):
            name = str(name)
        if name and name[-1] == "/":
            return name[:-1]
        if not _VALID_OP_NAME.match(name):
            raise ValueError(f"'{name}' is not a valid node name")
        return self.unique_name(name)

    @contextlib.contextmanager
    def name_scope(self, name):
        """Opens a name scope: "s" → unique "s/" (s_1/ on re-entry), "s/" absolute, None resets."""
        if name:
            if not isinstance(name, str):
                name = str(name)
            regex = _VALID_SCOPE_NAME if self._name_stack else _VALID_OP_NAME
            if not regex.match(name):
                raise ValueError(f"'{name}' is not a valid scope name")
        old = self._name_stack
        if not name:
            new = ""
        elif name[-1] == "/":
            new = name[:-1]
        else:
            new = self.unique_name(name)
        self._name_stack = new
        try:
            yield "" if not new else new + "/"
        finally:
            self._name_stack = old

    # --- control dependencies -----------------------------------------------------------------
    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        """Ops built inside run only after ``control_inputs``; None clears outer dependencies."""
        if control_inputs is None:
            old = self._control_stack
            self._control_stack = []
            try:
                yield
            finally:
                self._control_stack = old
            return
        ops = []
        for c in control_inputs:
            if hasattr(c, "_as_graph_element") and not isinstance(c, (Tensor, Operation)):
                c = c._as_graph_element()
            if isinstance(c, Tensor):
                c = c._op
            if not isinstance(c, Operation):
                raise TypeError(f"Control input must be an Operation, a Tensor or a Variable: {c!r}")
            if c._graph is not self:
                raise ValueError(f"Control input {c._name} must be from the same graph.")
            if c not in ops:
                ops.append(c)
        controller = _ControlController(ops)
        self._control_stack.append(controller)
        try:
            yield
        finally:
            try:
                self._control_stack.remove(controller)
            except ValueError:
                pass

    def _control_inputs_for(self, inputs):
        input_ops = [t._op for t in inputs]
        ret = []
        for c in self._control_stack:
            if any(op in c.created for op in input_ops):
                continue  # dominated: an input already runs after this scope's controls
            for ci in c.control_inputs:
                if ci not in input_ops and ci not in ret:
                    ret.append(ci)
        return ret

    @contextlib.contextmanager
    def _init_scope(self):
        """Clears control dependencies (as TF's init_scope does for variable creation)."""
        old = self._control_stack
        self._control_stack = []
        try:
            yield
        finally:
            self._control_stack = old

    # --- devices ------------------------------------------------------------------------------
    @contextlib.contextmanager
    def device(self, device_name_or_function):
        """Requests a device for ops built inside; strings merge with outer scopes, None resets."""
        spec = device_name_or_function
        if spec is not None and not callable(spec):
            if hasattr(spec, "to_string"):
                spec = spec.to_string()
            spec = _device.canonical_name(spec)   # validates early, with a clear message
        old = (self._device_stack, self._device_fast, self._device_has_fn)
        if spec is None:
            self._device_stack = self._device_stack + [(None, None)]
            self._device_fast, self._device_has_fn = "", False
        elif callable(spec):
            self._device_stack = self._device_stack + [("fn", spec)]
            self._device_has_fn = True
        else:
            self._device_stack = self._device_stack + [("str", spec)]
            if not self._device_has_fn:
                self._device_fast = _device.merge_device(self._device_fast, spec)
        try:
            yield
        finally:
            self._device_stack, self._device_fast, self._device_has_fn = old

    def _device_for(self, op):
        if not self._device_has_fn:
            return self._device_fast
        # TF's rule: apply scopes innermost first; a string scope merges *under* what inner
        # scopes chose, a function sees the op (with the inner choice) and decides.
        current = ""
        for kind, value in reversed(self._device_stack):
            if kind is None:
                break
            if kind == "fn":
                op._device = current
                got = value(op)
                if hasattr(got, "to_string"):
                    got = got.to_string()
                current = _device.canonical_name(got or "")
            else:
                current = _device.merge_device(value, current) if current else value
        return current

    @contextlib.contextmanager
    def colocate_with(self, op, ignore_existing=False):
        """Ops built inside are placed with ``op`` (same device, same colocation group)."""
        if op is None:
            old = self._colocation_stack
            self._colocation_stack = []
            try:
                yield
            finally:
                self._colocation_stack = old
            return
        if hasattr(op, "_as_graph_element") and not isinstance(op, (Tensor, Operation)):
            op = op._as_graph_element()
        if isinstance(op, Tensor):
            op = op._op
        if not isinstance(op, Operation):
            raise TypeError(f"colocate_with needs an op, a tensor or a variable, not {op!r}")
        old_stack = self._colocation_stack
        old_dev = (self._device_stack, self._device_fast, self._device_has_fn)
        self._colocation_stack = ([] if ignore_existing else old_stack) + [op]
        # Inside colocate_with, outer device scopes are ignored: the op goes where `op` is.
        self._device_stack, self._device_fast, self._device_has_fn = [], op._device, False
        try:
            yield
        finally:
            self._colocation_stack = old_stack
            self._device_stack, self._device_fast, self._device_has_fn = old_dev

    @contextlib.contextmanager
    def gradient_override_map(self, op_type_map):
        """Ops of the given types built inside use the named registered gradient instead."""
        old = self._gradient_override_map
        self._gradient_override_map = {**old, **op_type_map}
        try:
            yield
        finally:
            self._gradient_override_map = old

    # --- adding ops ---------------------------------------------------------------------------
    def _add_op(self, op_type, opdef, name, inputs, attrs, out_specs):
        """Creates and records an Operation; names were chosen and shapes inferred already."""
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")
        op = Operation.__new__(Operation)
        op._graph = self
        op._name = name
        op._type = op_type
        op._opdef = opdef
        op._inputs = inputs
        op._attrs = attrs
        op._control_outputs = ()
        op._meta = None
        op._colocation = None
        op._control_inputs = tuple(self._control_inputs_for(inputs)) if self._control_stack else ()
        op._outputs = tuple([Tensor(op, i, d, s) for i, (d, s) in enumerate(out_specs)])
        if self._colocation_stack:
            op._colocation = [c._colocation[0] if c._colocation else c._name
                              for c in self._colocation_stack[-1:]]
        op._device = self._device_fast if not self._device_has_fn else self._device_for(op)
        if self._gradient_override_map and op_type in self._gradient_override_map:
            op._attrs = dict(attrs)
            op._attrs["_gradient_op_type"] = self._gradient_override_map[op_type]
        with self._lock:
            if name in self._by_name:
                raise ValueError(
                    f"Duplicate node name in graph: '{name}'. Choose another name, or let "
                    "flowbook pick one (name=None).")
            op._id = self._next_id
            self._next_id += 1
            self._ops.append(op)
            self._by_name[name] = op
        for t in inputs:
            c = t._consumers
            if c is None:
                t._consumers = [op]
            else:
                c.append(op)
        for c in op._control_inputs:
            c._control_outputs = c._control_outputs + (op,)
        for c in self._control_stack:
            c.created.add(op)
        if self._observers:
            for cb in list(self._observers):
                cb(op)
        return op

    # --- collections --------------------------------------------------------------------------
    def add_to_collection(self, name, value):
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names, value):
        if isinstance(names, str):
            names = [names]
        for n in dict.fromkeys(names):
            self.add_to_collection(n, value)

    def get_collection_ref(self, name):
        return self._collections.setdefault(name, [])

    def get_collection(self, name, scope=None):
        """A copy of the collection; with ``scope``, only items whose name matches it (re.match)."""
        items = self._collections.get(name)
        if items is None:
            return []
        if scope is None:
            return list(items)
        regex = re.compile(scope)
        out = []
        for item in items:
            n = getattr(item, "name", None)
            if isinstance(n, str) and regex.match(n):
                out.append(item)
        return out

    def get_all_collection_keys(self):
        return [k for k in self._collections if isinstance(k, str)]

    def clear_collection(self, name):
        self._collections.pop(name, None)

    @property
    def collections(self):
        return list(self._collections)

    # --- retiring ops (not TF1: the notebook's re-run of a %%flow cell) ------------------------
    def _retire_ops(self, ops, names=(), reason=""):
        """Removes ``ops`` from the graph; returns the surviving ops that consume them (directly
        or through other ops), in creation order.

        Retired ops leave the name table, collections, the variable store and the consumer
        lists of the ops that stay; their names and the scope names in ``names`` become free
        again (so the replacements get the same names). ``_epoch`` is bumped so cached plans
        recompile, and a plan that still needs a retired op fails, saying ``reason``.
        """
        dead = set(ops)
        if not dead:
            return []
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")
        with self._lock:
            self._ops = [op for op in self._ops if op not in dead]
            freed = {n.lower() for n in names}
            for op in dead:
                if self._by_name.get(op._name) is op:
                    del self._by_name[op._name]
                freed.add(op._name.lower())
                self._retired[op] = reason or "it was removed from the graph"
                for t in op._inputs:
                    if t._op not in dead and t._consumers:
                        t._consumers = [c for c in t._consumers if c is not op]
                for c in op._control_inputs:
                    if c not in dead:
                        c._control_outputs = tuple(x for x in c._control_outputs if x is not op)
            used = self._names_in_use
            for key in freed:
                used.pop(key, None)
            for key in freed:   # "add_2" freed: "add" probes again from add_1 (skips names in use)
                base, _, n = key.rpartition("_")
                if n.isdigit() and base in used:
                    used[base] = 1
            for items in self._collections.values():
                items[:] = [v for v in items if _element_op(v) not in dead]
            if self._var_store is not None:
                store = self._var_store.vars
                for k in [k for k, v in store.items() if _element_op(v) in dead]:
                    del store[k]
            self._unfeedable = {t for t in self._unfeedable if t._op not in dead}
            self._unfetchable = {op for op in self._unfetchable if op not in dead}
            self._epoch += 1
            stale = []
            bad = set(dead)
            for op in self._ops:
                if any(t._op in bad for t in op._inputs) or any(
                        c in bad for c in op._control_inputs):
                    bad.add(op)
                    stale.append(op)
            return stale

    # --- feeding / fetching -------------------------------------------------------------------
    def prevent_feeding(self, tensor):
        self._unfeedable.add(tensor)
        self._epoch += 1

    def is_feedable(self, tensor):
        return tensor not in self._unfeedable

    def prevent_fetching(self, op):
        self._unfetchable.add(op)
        self._epoch += 1

    def is_fetchable(self, tensor_or_op):
        if isinstance(tensor_or_op, Tensor):
            return tensor_or_op._op not in self._unfetchable
        return tensor_or_op not in self._unfetchable

    def __repr__(self):
        return f"<flowbook.Graph with {len(self._ops)} ops>"

    # --- serialization (flowbook/graph/graph_def.py) -------------------------------------------
    def as_graph_def(self, from_version=None, add_shapes=False):
        """This graph as a GraphDef (TF's layout; ``add_shapes`` adds "_output_shapes")."""
        from .graph_def import graph_to_graph_def
        return graph_to_graph_def(self, from_version, add_shapes)


def _element_op(value):
    """The Operation behind a collection item (op, tensor, variable), or None."""
    if isinstance(value, Operation):
        return value
    if isinstance(value, Tensor):
        return value._op
    el = getattr(value, "_as_graph_element", None)
    if el is not None:
        try:
            el = el()
        except Exception:  # noqa: BLE001 (objects that cannot say are kept)
            return None
        return el._op if isinstance(el, Tensor) else el if isinstance(el, Operation) else None
    return None


# --- module-level helpers on the default graph ----------------------------------------------
def graph_of(values, default=None):
    """The graph the tensors among ``values`` belong to (ValueError if they disagree)."""
    found = None
    first = None
    for v in values:
        if isinstance(v, Tensor):
            g = v._op._graph
        elif isinstance(v, Operation):
            g = v._graph
        else:
            el = getattr(v, "_as_graph_element", None)
            if el is None:
                continue
            try:
                e = el()
            except Exception:  # noqa: BLE001 (objects that cannot say: ignore, as TF does)
                continue
            g = e.graph if isinstance(e, (Tensor, Operation)) else None
            if g is None:
                continue
        if found is None:
            found, first = g, v
        elif g is not found:
            inner = _inner_of(g, found)
            if inner is not None:
                found = inner
                continue
            raise ValueError(
                f"{v} must be from the same graph as {first} (they belong to two different "
                "Graph objects). Build all ops of one computation inside the same "
                "`with graph.as_default():` block.")
    if found is None:
        return default if default is not None else get_default_graph()
    if _state.graph_stack:
        # Building a function body (a cond branch, a loop body) on top of ``found``: the new
        # ops belong to the body, which captures the outer values it uses.
        top = _state.graph_stack[-1]
        if top is not found and top._outer_graph is not None and _inner_of(top, found) is top:
            return top
    return found


def _inner_of(a, b):
    """Of two graphs, the one nested (as a function body) inside the other, else None."""
    for inner, outer in ((a, b), (b, a)):
        g = inner._outer_graph
        while g is not None:
            if g is outer:
                return inner
            g = g._outer_graph
    return None


@contextlib.contextmanager
def name_scope(name, default_name=None, values=None):
    """TF1's ``tf.name_scope(name, default_name=None, values=None)``, on the values' graph."""
    g = graph_of(values) if values else get_default_graph()
    n = name if name is not None else default_name
    if n is None and name is None and default_name is None:
        with g.name_scope(None) as scope:
            yield scope
        return
    stack = _state.graph_stack
    pushed = not stack or stack[-1] is not g
    if pushed:
        stack.append(g)
    try:
        with g.name_scope(n) as scope:
            yield scope
    finally:
        if pushed:
            stack.remove(g)
