"""Oracle tests run the same TF1 program under TensorFlow and under flowbook and compare.

They need TensorFlow, which flowbook never depends on: skipped where it is not installed.
Run them with a Python that has TensorFlow, e.g. ``/path/to/tf-python -m pytest tests/oracle``.
"""

import pytest

tf_real = pytest.importorskip("tensorflow.compat.v1")
tf_real.disable_v2_behavior()
