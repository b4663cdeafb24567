"""Specs for the debugging ops that compute a value (CheckNumerics passes its input through);
the ops that write or raise are tested in tests/ops/test_debug_ops.py."""

import numpy as np

import flowbook as tf
from tests.opcheck import Arg, OpSpec

SPECS = [
    OpSpec("check_numerics_passes_finite_values", lambda x: tf.check_numerics(x, "x is bad"),
           lambda x: x, [Arg([2, 3])], ["CheckNumerics"], (np.float16, np.float32, np.float64)),
    OpSpec("verify_tensor_all_finite", lambda x: tf.verify_tensor_all_finite(x, "bad"),
           lambda x: x, [Arg([3])], ["CheckNumerics"], (np.float32, np.float64)),
    OpSpec("print_passes_input_through", lambda x: tf.Print(x, [], "nothing listed"),
           lambda x: x, [Arg([2, 2])], ["Print"], (np.float32, np.float64, np.int32)),
]

OTHER_TESTS = {
    "Print": "tests/ops/test_debug_ops.py (what it writes, first_n, summarize)",
    "PrintV2": "tests/ops/test_debug_ops.py (tf.print formats and streams)",
    "Assert": "tests/ops/test_debug_ops.py (Assert and the assert_* family)",
}
