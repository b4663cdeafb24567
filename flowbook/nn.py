"""``tf.nn``: the nn API under its TF1 names."""

from .ops.nn_ops import (relu, relu6, elu, selu, leaky_relu, softplus, softsign,  # noqa: F401
                         softmax, log_softmax, bias_add, bias_add_v1, l2_loss, xw_plus_b)
from .ops.rank_ops import in_top_k, top_k  # noqa: F401
from .ops.conv_ops import (conv2d, conv2d_backprop_input, conv2d_backprop_filter,  # noqa: F401
                           conv2d_transpose, max_pool, avg_pool, max_pool2d, avg_pool2d)
from .ops.xent_ops import (softmax_cross_entropy_with_logits,  # noqa: F401
                           softmax_cross_entropy_with_logits_v2,
                           sparse_softmax_cross_entropy_with_logits)
from .ops.unary_ops import sigmoid, tanh  # noqa: F401
from .ops.nn_impl import (dropout, l2_normalize, moments, batch_normalization,  # noqa: F401
                          sigmoid_cross_entropy_with_logits, weighted_cross_entropy_with_logits,
                          zero_fraction, relu_layer, conv1d)
from .ops.nn_impl import embedding_lookup  # noqa: F401
from .ops.nn_ops import local_response_normalization, lrn  # noqa: F401
