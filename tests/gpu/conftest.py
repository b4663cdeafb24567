"""GPU test fixtures.

``fake_gpu`` installs tests/gpu/fake_cupy.py as ``cupy`` (a strict NumPy-backed stand-in), so
placement, copies, kernels and memory errors of the CuPy backend run in CPU-only CI.
``real_gpu`` gives the real CuPy module, and skips (saying why) where no GPU is usable.
"""

import importlib
import sys

import pytest

from flowbook.backends import cupy_backend


def _install_fake(devices, total_memory):
    from tests.gpu import fake_cupy
    fake_cupy.reset(devices=devices, total_memory=total_memory)
    saved = sys.modules.get("cupy")
    sys.modules["cupy"] = fake_cupy
    cupy_backend.reset()
    return fake_cupy, saved


@pytest.fixture
def fake_gpus():
    """``install(devices=1, total_memory=1 GiB)`` -> the fake cupy module, installed."""
    saved = []

    def install(devices=1, total_memory=1 << 30):
        mod, prev = _install_fake(devices, total_memory)
        saved.append(prev)
        return mod
    yield install
    if saved:
        prev = saved[0]
        if prev is None:
            sys.modules.pop("cupy", None)
        else:
            sys.modules["cupy"] = prev
        cupy_backend.reset()


@pytest.fixture
def fake_gpu(fake_gpus):
    """One fake GPU with 1 GiB of memory."""
    return fake_gpus(1)


def real_cupy_or_skip():
    """The real cupy module with at least one GPU, or pytest.skip with the reason."""
    try:
        cp = importlib.import_module("cupy")
    except ImportError:
        pytest.skip("no GPU here: CuPy is not installed (pip install cupy-cuda12x on a "
                    "machine with an NVIDIA GPU, then run python -m pytest tests/gpu)")
    if getattr(cp, "__version__", "").startswith("fake"):
        pytest.skip("the fake cupy module is installed, not CuPy")
    try:
        n = cp.cuda.runtime.getDeviceCount()
    except Exception as e:  # noqa: BLE001
        pytest.skip(f"no GPU here: CuPy sees no CUDA device ({e})")
    if n < 1:
        pytest.skip("no GPU here: CuPy sees no CUDA device")
    cupy_backend.reset()
    return cp


@pytest.fixture
def real_gpu():
    cp = real_cupy_or_skip()
    yield cp
    cupy_backend.reset()


@pytest.fixture(params=["fake", "real"])
def gpu(request, fake_gpus):
    """The cupy module to test against: the strict fake (everywhere) and real CuPy (skipped
    without a GPU). Tests using it must pass on both."""
    if request.param == "fake":
        yield fake_gpus(1)
        return
    request.applymarker(pytest.mark.gpu)
    cp = real_cupy_or_skip()
    yield cp
    cp.get_default_memory_pool().set_limit(size=0)
    cupy_backend.reset()
