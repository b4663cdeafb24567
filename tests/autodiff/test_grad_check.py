"""Every differentiable op spec: symbolic gradients equal central finite differences (f64)."""

import pytest

from tests.opcheck import check_grads
from tests.ops.specs import ALL_SPECS

GRAD_SPECS = [s for s in ALL_SPECS if s.grad and any(
    getattr(d, "__name__", "") in ("float32", "float64") for d in s.dtypes)]


@pytest.mark.parametrize("spec", GRAD_SPECS, ids=[s.name for s in GRAD_SPECS])
def test_gradient_matches_finite_differences(spec):
    check_grads(spec)
