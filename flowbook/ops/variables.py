"""tf.Variable (TF1's reference variable) and the variable collections and initializers.

A Variable is three ops: the VariableV2 state op ("v"), its initializer ("v/Assign") and a
snapshot read ("v/read") that other ops consume. Its value lives in each Session separately.
"""

from ..graph import dtypes as _dtypes
from ..graph.graph import GraphKeys, get_default_graph, name_scope, graph_of
from ..graph.operation import Tensor
from ..graph.shape import TensorShape
from .convert import convert_to_tensor, register_tensor_conversion_function
from .registry import apply_op1, apply_op
from . import array_ops, control_ops, state_ops

__all__ = ["Variable", "VariableV1", "global_variables", "trainable_variables",
           "local_variables", "model_variables", "moving_average_variables", "all_variables",
           "variables_initializer", "global_variables_initializer",
           "local_variables_initializer", "initialize_all_variables", "initialize_variables",
           "initialize_local_variables", "report_uninitialized_variables",
           "is_variable_initialized", "assert_variables_initialized"]


class Variable:
    """A tensor-like handle to state that persists across Session.run calls (one per session).

    Create it with an initial value (tensor, array, Python value, or a callable returning one),
    then run its ``initializer`` (or tf.global_variables_initializer()) in each session.
    """

    def __init__(self, initial_value=None, trainable=None, collections=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None,
                 expected_shape=None, import_scope=None, constraint=None, use_resource=None,
                 synchronization=None, aggregation=None, shape=None):
        if variable_def is not None:
            raise NotImplementedError("Variable(variable_def=...) is created by "
                                      "tf.train.import_meta_graph in flowbook.")
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        if trainable is None:
            trainable = True
        if collections is None:
            collections = [GraphKeys.GLOBAL_VARIABLES]
        if not isinstance(collections, (list, tuple, set)):
            raise ValueError(f"collections argument to Variable constructor must be a list, "
                             f"tuple, or set. Got {collections!r} of type {type(collections)}")
        collections = list(collections)
        if trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections.append(GraphKeys.TRAINABLE_VARIABLES)
        if dtype is not None:
            dtype = _dtypes.as_dtype(dtype).base_dtype
        init_from_fn = callable(initial_value)
        self._trainable = bool(trainable)
        self._constraint = constraint
        self._caching_device = caching_device
        g = get_default_graph() if init_from_fn else graph_of([initial_value])
        with g.as_default(), g._init_scope():
            with name_scope(name, "Variable", [] if init_from_fn else [initial_value]) as scope:
                true_name = scope[:-1]
                if init_from_fn:
                    with g.name_scope("Initializer"), g.device(None):
                        v = initial_value()
                        self._initial_value = convert_to_tensor(v, dtype=dtype,
                                                                name="initial_value")
                else:
                    self._initial_value = convert_to_tensor(initial_value, dtype=dtype,
                                                            name="initial_value")
                init_shape = self._initial_value.shape
                if shape is not None:
                    var_shape = TensorShape(shape)
                elif validate_shape:
                    var_shape = init_shape
                else:
                    var_shape = TensorShape(None)
                if validate_shape and shape is None and not init_shape.is_fully_defined():
                    raise ValueError(
                        f"initial_value must have a shape specified: {self._initial_value} "
                        "(pass validate_shape=False, or give the variable a shape).")
                self._variable = state_ops.variable_op_v2(
                    var_shape, self._initial_value.dtype.base_dtype, name=scope)
                with g.colocate_with(self._variable.op):
                    self._initializer_op = state_ops.assign(
                        self._variable, self._initial_value, validate_shape=validate_shape,
                        name="Assign").op
                with g.colocate_with(self._variable.op):
                    self._snapshot = array_ops.identity(self._variable, name="read")
        self._name_str = true_name
        g.add_to_collections(collections, self)

    # --- graph element protocol ---------------------------------------------------------------
    def _as_graph_element(self):
        return self._variable

    def _ref(self):
        return self._variable

    def _AsTensor(self):  # noqa: N802 (TF's name)
        return self._snapshot

    def value(self):
        """The snapshot read of this variable ("v/read:0")."""
        return self._snapshot

    def read_value(self):
        """A new read of the current value (an Identity op named "read")."""
        return array_ops.identity(self._variable, name="read")

    # --- properties ---------------------------------------------------------------------------
    @property
    def name(self):
        return self._variable.name

    @property
    def op(self):
        return self._variable.op

    @property
    def dtype(self):
        return self._variable.dtype

    @property
    def shape(self):
        return self._variable.shape

    def get_shape(self):
        return self._variable.shape

    @property
    def graph(self):
        return self._variable.graph

    @property
    def device(self):
        return self._variable.device

    @property
    def initializer(self):
        return self._initializer_op

    @property
    def initial_value(self):
        return self._initial_value

    @property
    def trainable(self):
        return self._trainable

    @property
    def constraint(self):
        return self._constraint

    # --- state changes ------------------------------------------------------------------------
    def assign(self, value, use_locking=False, name=None, read_value=True):
        """Builds an op storing ``value``; returns its output (the new value), or the op."""
        t = state_ops.assign(self._variable, value, use_locking=use_locking, name=name)
        return t if read_value else t.op

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        t = state_ops.assign_add(self._variable, delta, use_locking=use_locking, name=name)
        return t if read_value else t.op

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        t = state_ops.assign_sub(self._variable, delta, use_locking=use_locking, name=name)
        return t if read_value else t.op

    def initialized_value(self):
        """The variable's value, or its initial value if it is not initialized yet."""
        with self.graph.as_default(), self.graph._init_scope():
            return apply_op1("InitializedValue", (self._variable, self._initial_value))

    def eval(self, session=None):
        """The variable's current value in the default (or given) session."""
        return self._variable.eval(session=session)

    def load(self, value, session=None):
        """Stores ``value`` in the variable in the default (or given) session."""
        from ..graph.operation import get_default_session
        session = session or get_default_session()
        if session is None:
            raise ValueError("Either session argument should be provided or default session "
                             "should be established")
        session.run(self._initializer_op, {self._initializer_op.inputs[1]: value})

    def set_shape(self, shape):
        self._variable.set_shape(shape)
        self._snapshot.set_shape(shape)

    def to_proto(self, export_scope=None):
        from ..graph.operation import NodeDef  # noqa: F401  (VariableDef-like dict)
        return {"variable_name": self.name, "initializer_name": self._initializer_op.name,
                "snapshot_name": self._snapshot.name,
                "initial_value_name": self._initial_value.name, "trainable": self._trainable}

    def __repr__(self):
        return (f"<tf.Variable '{self.name}' shape={self.shape} "
                f"dtype={self.dtype.name}>")

    def __reduce__(self):
        raise TypeError(f"Variable {self.name} cannot be pickled; use tf.train.Saver.")

    __array_priority__ = 100

    def __bool__(self):
        return self._snapshot.__bool__()

    def __iter__(self):
        return self._snapshot.__iter__()

    def __getitem__(self, key):
        return self._snapshot.__getitem__(key)


VariableV1 = Variable
RefVariable = Variable


def _var_to_tensor(v, dtype=None, name=None, as_ref=False):
    t = v._ref() if as_ref else v.value()
    if dtype is not None and not t.dtype.base_dtype == _dtypes.as_dtype(dtype).base_dtype:
        raise ValueError(f"Incompatible type conversion requested to type '{dtype.name}' for "
                         f"variable of type '{v.dtype.name}' ({v.name})")
    return t


register_tensor_conversion_function(Variable, _var_to_tensor)


def _install_variable_operators():
    """Variables support the same operators as tensors, via their snapshot read."""
    def make(name):
        def method(self, *args):
            return getattr(self.value(), name)(*args)
        method.__name__ = name
        return method
    for name in Tensor.OVERLOADABLE_OPERATORS:
        if name != "__getitem__":
            setattr(Variable, name, make(name))


# --- collections -----------------------------------------------------------------------------
def global_variables(scope=None):
    """Variables in GLOBAL_VARIABLES (optionally those whose names match ``scope``)."""
    return get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


def all_variables():
    return global_variables()


def trainable_variables(scope=None):
    return get_default_graph().get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope=None):
    return get_default_graph().get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope=None):
    return get_default_graph().get_collection(GraphKeys.MODEL_VARIABLES, scope)


def moving_average_variables(scope=None):
    return get_default_graph().get_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, scope)


def variables_initializer(var_list, name="init"):
    """One op that initializes every variable in ``var_list``."""
    if var_list:
        return control_ops.group(*[v.initializer for v in var_list], name=name)
    return control_ops.no_op(name=name)


def global_variables_initializer():
    """The op that initializes all global variables (run it once per session)."""
    return variables_initializer(global_variables())


def local_variables_initializer():
    return variables_initializer(local_variables())


def initialize_all_variables():
    """Legacy name of global_variables_initializer."""
    return global_variables_initializer()


def initialize_variables(var_list, name="init"):
    return variables_initializer(var_list, name=name)


def initialize_local_variables():
    return local_variables_initializer()


def is_variable_initialized(variable):
    return state_ops.is_variable_initialized(variable)


def report_uninitialized_variables(var_list=None, name="report_uninitialized_variables"):
    """A 1-D string tensor naming the variables that the running session has not initialized."""
    if var_list is None:
        var_list = global_variables() + local_variables()
    refs = [v._ref() for v in var_list]
    names = [v.op.name for v in var_list]
    if not refs:
        return array_ops.constant([], dtype=_dtypes.string, name=name)
    return apply_op("ReportUninitializedVariables", [refs], {"names": names}, name)._outputs[0]


def assert_variables_initialized(var_list=None):
    from .math_ops import equal
    r = report_uninitialized_variables(var_list)
    return equal(array_ops.size(r), 0)
