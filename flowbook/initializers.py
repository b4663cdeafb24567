"""``tf.initializers``: initializer classes under their short names."""

from .ops.init_ops import (Zeros as zeros, Ones as ones, Constant as constant,  # noqa: F401
                           RandomUniform as random_uniform, RandomNormal as random_normal,
                           TruncatedNormal as truncated_normal,
                           VarianceScaling as variance_scaling, GlorotUniform as glorot_uniform,
                           GlorotNormal as glorot_normal, Identity as identity,
                           UniformUnitScaling as uniform_unit_scaling, he_normal, he_uniform,
                           lecun_normal, lecun_uniform)
from .ops.variables import (global_variables_initializer as global_variables,  # noqa: F401
                            local_variables_initializer as local_variables,
                            variables_initializer as variables)
