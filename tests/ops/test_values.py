"""Every op spec: values equal NumPy's and static shapes equal run-time shapes."""

import pytest

from tests.opcheck import check_values
from tests.ops.specs import ALL_SPECS

CASES = [(s, d) for s in ALL_SPECS for d in s.dtypes]


@pytest.mark.parametrize("spec,dtype", CASES, ids=[f"{s.name}-{d.__name__}" for s, d in CASES])
def test_op_values_match_numpy(spec, dtype):
    check_values(spec, dtype)
