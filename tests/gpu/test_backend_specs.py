"""The op-library spec table (tests/ops/specs/) on the GPU backend: every row must agree with
NumPy within the row's tolerance, with every op that has a GPU kernel placed on the GPU.

Two backends run it: the strict fake CuPy (tests/gpu/fake_cupy.py; runs everywhere, so the CuPy
kernels, host-memory inputs and copy steps are exercised in CPU-only CI) and real CuPy on a GPU
(skipped with the reason where there is none).
"""

import pytest

from flowbook.backends.cupy_backend import LACKS
from flowbook.runtime.session import BaseSession
from tests.opcheck import check_values
from tests.ops.specs import ALL_SPECS

CASES = [(s, d) for s in ALL_SPECS for d in s.dtypes]
IDS = [f"{s.name}-{d.__name__}" for s, d in CASES]


@pytest.fixture
def placements(monkeypatch):
    """Every Placement the sessions of a test make."""
    seen = []
    orig = BaseSession._place

    def recording(self, ops):
        got = orig(self, ops)
        seen.extend(got.values())
        return got
    monkeypatch.setattr(BaseSession, "_place", recording)
    return seen


def _check_on_gpu(spec, dtype, placements):
    check_values(spec, dtype)
    on_cpu = [p for p in placements if p.op_type in spec.covers and ":GPU:" not in p.assigned]
    # An op may only land on the CPU when its GPU kernel is missing for a stated reason.
    for p in on_cpu:
        assert p.op_type in LACKS or "CPU only" in p.reason, f"{p} should have run on the GPU"


@pytest.mark.parametrize("spec,dtype", CASES, ids=IDS)
def test_spec_on_fake_gpu(spec, dtype, fake_gpu, placements):
    _check_on_gpu(spec, dtype, placements)


@pytest.mark.gpu
@pytest.mark.parametrize("spec,dtype", CASES, ids=IDS)
def test_spec_on_real_gpu(spec, dtype, real_gpu, placements):
    _check_on_gpu(spec, dtype, placements)
