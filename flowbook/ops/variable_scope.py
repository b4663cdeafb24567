"""variable_scope / get_variable: named, shareable variables, with TF1's reuse rules and errors."""

import contextlib

from ..graph import dtypes as _dtypes
from ..graph.graph import GraphKeys, get_default_graph, graph_of
from ..graph.operation import Tensor
from ..graph.shape import TensorShape
from . import init_ops
from .variables import Variable

__all__ = ["VariableScope", "variable_scope", "variable_op_scope", "get_variable",
           "get_variable_scope", "AUTO_REUSE", "get_local_variable", "no_regularizer"]


class _ReuseMode:
    def __repr__(self):
        return "tf.AUTO_REUSE"


AUTO_REUSE = _ReuseMode()


def no_regularizer(_):
    """Use as regularizer= to turn off an enclosing scope's regularizer."""
    return None


class _Store:
    """Per-graph variable store: variables by full name, and scope counts for default names."""

    def __init__(self):
        self.vars = {}
        self.scope_counts = {}
        self.stack = [VariableScope(False)]


def _store(graph=None):
    g = graph or get_default_graph()
    if g._var_store is None:
        g._var_store = _Store()
    return g._var_store


class VariableScope:
    """The state of a variable scope: its name, reuse flag and default initializer/dtype/…"""

    def __init__(self, reuse, name="", initializer=None, regularizer=None, caching_device=None,
                 partitioner=None, custom_getter=None, name_scope="", dtype=_dtypes.float32,
                 use_resource=None, constraint=None):
        self._reuse = reuse
        self._name = name
        self._initializer = initializer
        self._regularizer = regularizer
        self._caching_device = caching_device
        self._partitioner = partitioner
        self._custom_getter = custom_getter
        self._name_scope = name_scope
        self._dtype = _dtypes.as_dtype(dtype)
        self._use_resource = use_resource
        self._constraint = constraint

    name = property(lambda self: self._name)
    original_name_scope = property(lambda self: self._name_scope)
    reuse = property(lambda self: self._reuse)
    initializer = property(lambda self: self._initializer)
    dtype = property(lambda self: self._dtype)
    regularizer = property(lambda self: self._regularizer)
    caching_device = property(lambda self: self._caching_device)
    partitioner = property(lambda self: self._partitioner)
    custom_getter = property(lambda self: self._custom_getter)
    use_resource = property(lambda self: self._use_resource)
    constraint = property(lambda self: self._constraint)

    def reuse_variables(self):
        """From now on, get_variable in this scope returns existing variables."""
        self._reuse = True

    def set_initializer(self, initializer):
        self._initializer = initializer

    def set_dtype(self, dtype):
        self._dtype = _dtypes.as_dtype(dtype)

    def set_regularizer(self, regularizer):
        self._regularizer = regularizer

    def set_caching_device(self, caching_device):
        self._caching_device = caching_device

    def set_partitioner(self, partitioner):
        self._partitioner = partitioner

    def set_custom_getter(self, custom_getter):
        self._custom_getter = custom_getter

    def set_use_resource(self, use_resource):
        self._use_resource = use_resource

    def get_collection(self, name):
        scope = self._name + "/" if self._name else ""
        return get_default_graph().get_collection(name, scope)

    def trainable_variables(self):
        return self.get_collection(GraphKeys.TRAINABLE_VARIABLES)

    def global_variables(self):
        return self.get_collection(GraphKeys.GLOBAL_VARIABLES)

    def local_variables(self):
        return self.get_collection(GraphKeys.LOCAL_VARIABLES)

    def get_variable(self, var_store, name, shape=None, dtype=None, initializer=None,
                     regularizer=None, reuse=None, trainable=None, collections=None,
                     caching_device=None, partitioner=None, validate_shape=True,
                     use_resource=None, custom_getter=None, constraint=None, **kwargs):
        if regularizer is None:
            regularizer = self._regularizer
        if initializer is None:
            initializer = self._initializer
        if dtype is None:
            dtype = self._dtype
        if constraint is None:
            constraint = self._constraint
        if reuse is None or reuse is False:
            reuse = self._reuse
        if custom_getter is None:
            custom_getter = self._custom_getter
        full_name = f"{self._name}/{name}" if self._name else name
        g = get_default_graph()
        with g.name_scope(None):
            kw = dict(shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                      reuse=reuse, trainable=trainable, collections=collections,
                      validate_shape=validate_shape, constraint=constraint)
            if custom_getter is not None:
                return custom_getter(lambda n, *a, **k: _get_or_create(var_store, n, *a, **k),
                                     full_name, **kw)
            return _get_or_create(var_store, full_name, **kw)

    def __repr__(self):
        return f"<VariableScope name={self._name!r} reuse={self._reuse!r}>"


def _default_initializer(name, dtype):
    if dtype.is_floating:
        return init_ops.glorot_uniform_initializer()
    if dtype.is_integer or dtype.is_unsigned or dtype.is_bool:
        return init_ops.zeros_initializer()
    raise ValueError(f"An initializer for variable {name} of {dtype.name} is required")


def _get_or_create(store, name, shape=None, dtype=_dtypes.float32, initializer=None,
                   regularizer=None, reuse=None, trainable=None, collections=None,
                   validate_shape=True, constraint=None, **_):
    if store is None:
        store = _store()
    dtype = _dtypes.as_dtype(dtype).base_dtype
    if name in store.vars:
        if reuse is False or reuse is None:
            raise ValueError(
                f"Variable {name} already exists, disallowed. Did you mean to set reuse=True or "
                "reuse=tf.AUTO_REUSE in VarScope? (In a notebook, re-running a cell re-creates "
                "its variables: use %%flow, or tf.reset_default_graph() before rebuilding.)")
        found = store.vars[name]
        if shape is not None and not TensorShape(shape).is_compatible_with(found.get_shape()):
            raise ValueError(
                f"Trying to share variable {name}, but specified shape {TensorShape(shape)} and "
                f"found shape {found.get_shape()}.")
        if dtype is not found.dtype.base_dtype:
            raise ValueError(
                f"Trying to share variable {name}, but specified dtype {dtype.name} and found "
                f"dtype {found.dtype.name}.")
        return found
    if reuse is True:
        raise ValueError(
            f"Variable {name} does not exist, or was not created with tf.get_variable(). Did "
            "you mean to set reuse=tf.AUTO_REUSE in VarScope?")
    from_value = initializer is not None and not callable(initializer) or isinstance(
        initializer, Tensor)
    if from_value:
        if shape is not None:
            raise ValueError("If initializer is a constant, do not specify shape.")
        init_val = initializer
        var_dtype = None
    else:
        shape = TensorShape(shape)
        if not shape.is_fully_defined():
            raise ValueError(
                f"Shape of a new variable ({name}) must be fully defined, but instead was "
                f"{shape}.")
        if initializer is None:
            initializer = _default_initializer(name, dtype)
        if isinstance(initializer, type):
            initializer = initializer(dtype=dtype)
        dims = shape.as_list()

        def init_val():
            return initializer(dims, dtype=dtype, partition_info=None)
        var_dtype = dtype
    if trainable is None:
        trainable = True
    v = Variable(initial_value=init_val, name=name, trainable=trainable,
                 collections=collections, dtype=var_dtype, validate_shape=validate_shape,
                 constraint=constraint)
    store.vars[name] = v
    if regularizer is not None:
        g = v.graph
        with g.colocate_with(v.op), g.name_scope(name + "/Regularizer/"):
            loss = regularizer(v)
        if loss is not None:
            g.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)
    return v


def get_variable_scope():
    """The current VariableScope (the root scope has name '')."""
    return _store().stack[-1]


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                 trainable=None, collections=None, caching_device=None, partitioner=None,
                 validate_shape=True, use_resource=None, custom_getter=None, constraint=None,
                 synchronization=None, aggregation=None):
    """Gets an existing variable ``scope/name`` (when reusing) or creates a new one."""
    return get_variable_scope().get_variable(
        _store(), name, shape=shape, dtype=dtype, initializer=initializer,
        regularizer=regularizer, trainable=trainable, collections=collections,
        validate_shape=validate_shape, custom_getter=custom_getter, constraint=constraint)


def get_local_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                       trainable=False, collections=None, **kwargs):
    collections = list(collections or []) + [GraphKeys.LOCAL_VARIABLES]
    return get_variable(name, shape, dtype, initializer, regularizer, trainable=False,
                        collections=collections, **kwargs)


def _unique_default(store, prefix):
    cur = store.stack[-1].name
    name = f"{cur}/{prefix}" if cur else prefix
    if store.scope_counts.get(name, 0) == 0:
        return prefix
    idx = 1
    while store.scope_counts.get(f"{name}_{idx}", 0) > 0:
        idx += 1
    return f"{prefix}_{idx}"


@contextlib.contextmanager
def variable_scope(name_or_scope, default_name=None, values=None, initializer=None,
                   regularizer=None, caching_device=None, partitioner=None, custom_getter=None,
                   reuse=None, dtype=None, use_resource=None, constraint=None,
                   auxiliary_name_scope=True):
    """Opens a variable scope (and a name scope): get_variable names and reuse follow it."""
    if name_or_scope is None and default_name is None:
        raise TypeError("If default_name is None then name_or_scope is required")
    if reuse is False:
        reuse = None
    if name_or_scope is None and reuse is True:
        raise ValueError("reuse=True cannot be used without a name_or_scope")
    if not (reuse is None or reuse is True or reuse is AUTO_REUSE):
        raise ValueError(f"reuse must be True, False, None or tf.AUTO_REUSE, got {reuse!r}")
    g = graph_of(values) if values else get_default_graph()
    with g.as_default():
        store = _store(g)
        parent = store.stack[-1]
        if isinstance(name_or_scope, VariableScope):
            new_name = name_or_scope.name
            ns_name = name_or_scope.original_name_scope
            template = name_or_scope
            inherited = name_or_scope.reuse if reuse is None else reuse
        else:
            if name_or_scope is not None:
                if not isinstance(name_or_scope, str):
                    raise TypeError("VariableScope: name_or_scope must be a string or "
                                    "VariableScope.")
                base = name_or_scope
            else:
                base = _unique_default(store, default_name)
            new_name = f"{parent.name}/{base}" if parent.name else base
            ns_name = name_or_scope if name_or_scope is not None else default_name
            template = parent
            inherited = reuse if reuse is not None else parent.reuse
            if inherited is None:
                inherited = False
        ns_cm = g.name_scope(ns_name) if auxiliary_name_scope else contextlib.nullcontext(
            g.get_name_scope() + "/" if g.get_name_scope() else "")
        with ns_cm as scope_ns:
            orig_ns = scope_ns if not isinstance(name_or_scope, VariableScope) else \
                name_or_scope.original_name_scope
            vs = VariableScope(
                inherited, name=new_name,
                initializer=initializer if initializer is not None else template.initializer,
                regularizer=regularizer if regularizer is not None else template.regularizer,
                caching_device=caching_device or template.caching_device,
                partitioner=partitioner or template.partitioner,
                custom_getter=custom_getter or template.custom_getter,
                name_scope=orig_ns,
                dtype=dtype if dtype is not None else template.dtype,
                use_resource=use_resource, constraint=constraint or template.constraint)
            store.scope_counts[new_name] = store.scope_counts.get(new_name, 0) + 1
            store.stack.append(vs)
            try:
                yield vs
            finally:
                store.stack.remove(vs)
                for k in list(store.scope_counts):
                    if k.startswith(new_name + "/"):
                        store.scope_counts[k] = 0


def variable_op_scope(values, name_or_scope, default_name=None, **kwargs):
    """Legacy spelling of variable_scope(name_or_scope, default_name, values)."""
    return variable_scope(name_or_scope, default_name=default_name, values=values, **kwargs)
