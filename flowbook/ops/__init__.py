"""The op layer: the OpDef registry and the user-facing builder functions.

Importing this package registers every op type (each module registers its own) and installs
the Python operators on Tensor and Variable.
"""

from . import registry, convert, shape_fns  # noqa: F401
from . import array_ops, math_ops, slicing, state_ops, control_ops, random_ops  # noqa: F401
from . import variables, init_ops, variable_scope  # noqa: F401
from . import cast_ops, logic_ops, unary_ops, elementwise_ops, reduction_ops, scan_ops  # noqa: F401
from . import debug_ops, assert_ops  # noqa: F401
from . import manip_ops, pad_ops, join_ops, gather_ops, creation_ops, linalg_ops  # noqa: F401
from . import einsum_ops  # noqa: F401
from . import overloads

overloads.install()
variables._install_variable_operators()
from . import nn_ops, conv_ops  # noqa: E402,F401
from . import rank_ops  # noqa: E402,F401
from . import xent_ops  # noqa: E402,F401
from . import training_ops  # noqa: E402,F401
from . import io_ops  # noqa: E402,F401
from . import summary_ops  # noqa: E402,F401
from . import nn_impl  # noqa: E402,F401
from . import losses_ops  # noqa: E402,F401
from . import control_flow  # noqa: E402,F401
from . import control_flow_while  # noqa: E402,F401
from . import control_flow_grad  # noqa: E402,F401
from . import clip_ops  # noqa: E402,F401
from . import control_flow_io  # noqa: E402,F401
