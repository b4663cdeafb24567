"""The Optimizer base class (TF1's tf.train.Optimizer): gradients in, update ops out.

``minimize(loss)`` = ``compute_gradients(loss)`` (tf.gradients of the loss with respect to the
trainable variables) + ``apply_gradients(grads_and_vars)``, which creates the optimizer's slot
variables (named "w/Adam", ... like TF1), builds one fused update op per variable under
"<name>/update_<var>", then groups them (incrementing ``global_step`` when given). Subclasses
fill ``_create_slots``, ``_prepare``, ``_apply_dense`` and optionally ``_finish``.
"""

from ..autodiff.gradients import gradients as _tf_gradients
from ..graph import dtypes as _dtypes
from ..graph.graph import GraphKeys, get_default_graph, name_scope
from ..graph.operation import Tensor
from ..ops import array_ops, control_ops, math_ops, state_ops
from ..ops.convert import convert_to_tensor
from ..ops.variables import Variable, trainable_variables
from . import slot_creator

__all__ = ["Optimizer"]

_VALID_DTYPES = (_dtypes.float16, _dtypes.float32, _dtypes.float64)


def _var_key(var):
    return var.op


def _flatten(x):
    if isinstance(x, (list, tuple)):
        return [y for item in x for y in _flatten(item)]
    if isinstance(x, dict):
        return [y for k in x for y in _flatten(x[k])]
    return [x]


class Optimizer:
    """Base class of the tf.train optimizers (use a subclass such as AdamOptimizer)."""

    GATE_NONE = 0
    GATE_OP = 1
    GATE_GRAPH = 2

    def __init__(self, use_locking, name):
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        self._slots = {}            # slot name -> {variable op: slot variable}
        self._non_slot_dict = {}    # (name, graph) -> variable

    def get_name(self):
        return self._name

    # --- the three steps ----------------------------------------------------------------------
    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=GATE_OP,
                 aggregation_method=None, colocate_gradients_with_ops=False, name=None,
                 grad_loss=None):
        """Adds ops updating ``var_list`` (default: trainable variables) to decrease ``loss``.

        Returns the training op; running it once takes one optimisation step (and increments
        ``global_step`` when given).
        """
        grads_and_vars = self.compute_gradients(
            loss, var_list=var_list, gate_gradients=gate_gradients,
            aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops, grad_loss=grad_loss)
        vars_with_grad = [v for g, v in grads_and_vars if g is not None]
        if not vars_with_grad:
            raise ValueError(
                "No gradients provided for any variable, check your graph for ops that do not "
                f"support gradients, between variables {[str(v) for _, v in grads_and_vars]} "
                f"and loss {loss}. (The loss must depend on the variables through "
                "differentiable float ops: no integer casts, argmax or stop_gradient between "
                "them.)")
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def compute_gradients(self, loss, var_list=None, gate_gradients=GATE_OP,
                          aggregation_method=None, colocate_gradients_with_ops=False,
                          grad_loss=None):
        """A list of (gradient, variable) pairs: d loss / d v for each v of ``var_list``.

        The gradient is None for variables the loss does not depend on.
        """
        if callable(loss) and not isinstance(loss, (Tensor, Variable)):
            raise NotImplementedError(
                "compute_gradients(loss=callable) is for eager execution; flowbook builds "
                "graphs: pass the loss tensor.")
        if gate_gradients not in (Optimizer.GATE_NONE, Optimizer.GATE_OP,
                                  Optimizer.GATE_GRAPH):
            raise ValueError("gate_gradients must be one of: Optimizer.GATE_NONE, "
                             f"Optimizer.GATE_OP, Optimizer.GATE_GRAPH.  Not {gate_gradients}")
        loss = convert_to_tensor(loss)
        self._assert_valid_dtypes([loss])
        if grad_loss is not None:
            grad_loss = convert_to_tensor(grad_loss)
            self._assert_valid_dtypes([grad_loss])
        with loss.graph.as_default():
            if var_list is None:
                var_list = trainable_variables() + get_default_graph().get_collection(
                    GraphKeys.TRAINABLE_RESOURCE_VARIABLES)
            else:
                var_list = _flatten(var_list)
        for v in var_list:
            if not isinstance(v, Variable):
                raise NotImplementedError(
                    f"Trying to optimize unsupported type {v!r}: optimizers update "
                    "tf.Variable objects (var_list must hold variables).")
        if not var_list:
            raise ValueError("No variables to optimize.")
        grads = _tf_gradients(
            loss, [v._ref() for v in var_list], grad_ys=grad_loss,
            gate_gradients=(gate_gradients == Optimizer.GATE_OP),
            aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops)
        if gate_gradients == Optimizer.GATE_GRAPH:
            grads = control_ops.tuple(grads)
        grads_and_vars = list(zip(grads, var_list))
        self._assert_valid_dtypes([v for g, v in grads_and_vars if g is not None])
        return grads_and_vars

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """The op that applies ``grads_and_vars`` (pairs from compute_gradients) to the
        variables, then increments ``global_step`` by one if given."""
        grads_and_vars = tuple(grads_and_vars)
        if not grads_and_vars:
            raise ValueError("No variables provided.")
        converted = []
        for pair in grads_and_vars:
            try:
                g, v = pair
            except (TypeError, ValueError):
                raise TypeError(f"grads_and_vars must be (gradient, variable) pairs, got "
                                f"{pair!r}") from None
            if g is not None:
                try:
                    g = convert_to_tensor(g)
                except (TypeError, ValueError):
                    raise TypeError("Gradient must be convertible to a Tensor or "
                                    f"IndexedSlices, or None: {g}") from None
            if not isinstance(v, Variable):
                raise NotImplementedError(f"Trying to optimize unsupported type {v!r}: "
                                          "apply_gradients updates tf.Variable objects.")
            converted.append((g, v))
        var_list = [v for g, v in converted if g is not None]
        if not var_list:
            raise ValueError("No gradients provided for any variable: "
                             f"{[str(v) for _, v in converted]}.")
        g = var_list[0].graph
        with g.as_default():
            with g._init_scope():
                self._create_slots(var_list)
            update_ops = []
            with name_scope(name, self._name) as scope:
                self._prepare()
                for grad, var in converted:
                    if grad is None:
                        continue
                    with g.name_scope("update_" + var.op.name), g.colocate_with(var.op):
                        update_ops.append(self._update_op(grad, var))
                if global_step is None:
                    apply_updates = self._finish(update_ops, scope)
                else:
                    with g.control_dependencies([self._finish(update_ops, "update")]):
                        with g.colocate_with(global_step.op):
                            apply_updates = state_ops.assign_add(global_step, 1, name=scope)
            if isinstance(apply_updates, Tensor):
                apply_updates = apply_updates.op
            train_ops = g.get_collection_ref(GraphKeys.TRAIN_OP)
            if apply_updates not in train_ops:
                train_ops.append(apply_updates)
            return apply_updates

    def _update_op(self, grad, var):
        if grad.dtype.base_dtype is not var.dtype.base_dtype:
            raise TypeError(f"The gradient for {var.op.name} is {grad.dtype.base_dtype.name} "
                            f"but the variable is {var.dtype.base_dtype.name}.")
        if not grad.shape.is_compatible_with(var.shape):
            raise ValueError(f"The gradient for {var.op.name} has shape {grad.shape}, but the "
                             f"variable has shape {var.shape}.")
        update = self._apply_dense(grad, var)
        if isinstance(update, Tensor):
            update = update.op
        if var.constraint is not None:
            # TF1's constraint reads the variable after the update (its "read" aliases the
            # updated buffer); here the constraint sees a fresh read made after the update.
            g = var.graph
            with g.control_dependencies([update]):
                fresh = array_ops.identity(var._ref(), name="read")
                saved, var._snapshot = var._snapshot, fresh
                try:
                    value = var.constraint(var)
                finally:
                    var._snapshot = saved
                return var.assign(value).op
        return update

    # --- slots --------------------------------------------------------------------------------
    def get_slot_names(self):
        """The names of the slots this optimizer creates ("m", "v" for Adam), sorted."""
        return sorted(self._slots)

    def get_slot(self, var, name):
        """The slot variable ``name`` of ``var`` (e.g. get_slot(w, "m")), or None."""
        named = self._slots.get(name)
        if not named:
            return None
        return named.get(_var_key(var))

    def variables(self):
        """This optimizer's variables in the default graph (slots and accumulators), by name."""
        g = get_default_graph()
        out = [v for (n, vg), v in self._non_slot_dict.items() if vg is g]
        for named in self._slots.values():
            out.extend(v for v in named.values() if v.graph is g)
        return sorted(out, key=lambda v: v.name)

    def _slot_dict(self, slot_name):
        return self._slots.setdefault(slot_name, {})

    def _get_or_make_slot(self, var, val, slot_name, op_name):
        named = self._slot_dict(slot_name)
        if _var_key(var) not in named:
            named[_var_key(var)] = slot_creator.create_slot(var, val, op_name)
        return named[_var_key(var)]

    def _get_or_make_slot_with_initializer(self, var, initializer, shape, dtype, slot_name,
                                           op_name):
        named = self._slot_dict(slot_name)
        if _var_key(var) not in named:
            named[_var_key(var)] = slot_creator.create_slot_with_initializer(
                var, initializer, shape, dtype, op_name)
        return named[_var_key(var)]

    def _zeros_slot(self, var, slot_name, op_name):
        named = self._slot_dict(slot_name)
        if _var_key(var) not in named:
            named[_var_key(var)] = slot_creator.create_zeros_slot(var, op_name)
        return named[_var_key(var)]

    def _create_non_slot_variable(self, initial_value, name, colocate_with):
        """A variable belonging to the optimizer itself (e.g. Adam's "beta1_power")."""
        g = colocate_with.graph
        key = (name, g)
        v = self._non_slot_dict.get(key)
        if v is None:
            with g.colocate_with(colocate_with.op):
                v = Variable(initial_value, name=name, trainable=False)
            self._non_slot_dict[key] = v
        return v

    def _get_non_slot_variable(self, name, graph=None):
        return self._non_slot_dict.get((name, graph or get_default_graph()))

    def _non_slot_variables(self):
        return list(self._non_slot_dict.values())

    # --- hooks for subclasses -----------------------------------------------------------------
    def _create_slots(self, var_list):
        """Creates the slot variables of every variable in ``var_list``."""

    def _prepare(self):
        """Converts hyper-parameters to tensors (inside the optimizer's name scope)."""

    def _apply_dense(self, grad, var):
        raise NotImplementedError(f"{type(self).__name__} does not implement _apply_dense")

    def _finish(self, update_ops, name_scope):
        """Groups the update ops into the one op that apply_gradients returns."""
        return control_ops.group(*update_ops, name=name_scope)

    # --- helpers ------------------------------------------------------------------------------
    def _call_if_callable(self, param):
        return param() if callable(param) else param

    def _cast(self, t, var):
        return math_ops.cast(t, var.dtype.base_dtype)

    def _assert_valid_dtypes(self, tensors):
        for t in tensors:
            dtype = t.dtype.base_dtype
            if dtype not in _VALID_DTYPES:
                raise ValueError(
                    f"Invalid type {dtype.name} for {t.name}, expected: "
                    f"{[d.name for d in _VALID_DTYPES]}. Optimizers work on floating-point "
                    "losses and variables; use tf.cast.")

    def __repr__(self):
        return f"<flowbook.train.{type(self).__name__} '{self._name}'>"

