"""Runtime test fixtures: the fake GPUs of tests/gpu (placement tests need devices)."""

from tests.gpu.conftest import fake_gpu, fake_gpus  # noqa: F401 (fixtures)
