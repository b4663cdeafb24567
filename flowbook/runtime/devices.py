"""What a Session needs to know about its devices: the backend that runs kernels on each,
whether an op has a kernel there (for the placer), memory options, and device attributes."""

from ..backends import get_backend
from .placement import CPU0, device_type

__all__ = ["backend_for", "supports", "configure_gpus", "memory_limit", "release_gpu_memory"]


def backend_for(device):
    """The backend (or per-GPU view of it) that runs kernels on ``device``."""
    if device_type(device) == "GPU":
        return get_backend("cupy").for_device(int(device.rsplit(":", 1)[1]))
    return get_backend("numpy")


def supports(op, dev_type):
    """None when ``op`` has a kernel on devices of ``dev_type``, else why not. (CPU ops with no
    NumPy kernel fail later with NotFoundError, when the plan binds kernels.)"""
    if dev_type == "GPU":
        return get_backend("cupy").supports(op)
    return None


def configure_gpus(config, devices):
    """Applies ConfigProto.gpu_options to the GPU memory pool when GPUs are in use."""
    if len(devices) > 1 and config is not None:
        get_backend("cupy").configure_memory(config.gpu_options)


def memory_limit(device):
    if device == CPU0 or device_type(device) != "GPU":
        return 0
    return get_backend("cupy").memory_limit(int(device.rsplit(":", 1)[1]))


def release_gpu_memory():
    """After a failed run: give cached free GPU blocks back, so the next run has room."""
    get_backend("cupy").release_cached_memory()
