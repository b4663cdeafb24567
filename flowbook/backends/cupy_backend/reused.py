"""NumPy kernels reused unchanged on device arrays.

CuPy arrays implement NumPy's dispatch protocols (``__array_ufunc__``, NEP 13, and
``__array_function__``, NEP 18): ``np.where(x > 0, x, dy)`` called on CuPy arrays runs
``cupy.where``. A NumPy kernel that only calls dispatching NumPy functions and array methods
on its device inputs (never ``np.asarray``/``np.zeros(...)`` host allocations mixed with them)
therefore runs on the GPU as it is. The ops below were checked to be such kernels: their spec
rows pass on the strict fake CuPy, which refuses host arrays and implicit conversions as CuPy
does. Each entry names the inputs the kernel reads in host memory (shapes, axes, counts).
"""

from ..numpy_backend import BACKEND as NUMPY

# op type -> names of the inputs read from host memory (TF's HostMemory inputs)
REUSED = {
    "ConjugateTranspose": ("perm",),
    "Transpose": ("perm",),
    "ExpandDims": ("dim",),
    "Tile": ("multiples",),
    "ReverseV2": ("axis",),
    "Slice": ("begin", "size"),
    "ConcatV2": ("axis",),
    "Max": ("reduction_indices",),
    "Min": ("reduction_indices",),
    "Prod": ("reduction_indices",),
    "SquaredDifference": (),
    "Rsqrt": (),
    "Sigmoid": (),
    "Round": (),
    "Softsign": (),
    "SoftsignGrad": (),
    "Elu": (),
    "EluGrad": (),
    "Selu": (),
    "SeluGrad": (),
    "Softmax": (),
    "LogSoftmax": (),
    "BiasAdd": (),
    "BiasAddGrad": (),
    "SelectV2": (),
    "RealDiv": (),
    "BatchMatMul": (),
    "MatrixDiagPart": (),
    "Einsum": (),
}


def host_indices(op_type, names):
    """Input positions of ``names`` (negative after a variadic input, e.g. ConcatV2's axis)."""
    from ...ops.registry import get_opdef
    inputs = get_opdef(op_type).inputs
    star = next((i for i, n in enumerate(inputs) if n.endswith("*")), None)
    out = []
    for n in names:
        i = inputs.index(n)
        out.append(i - len(inputs) if star is not None and i > star else i)
    return out


def register(B, xp):
    for op_type, names in sorted(REUSED.items()):
        if B.has_kernel(op_type) or not NUMPY.has_kernel(op_type):
            continue
        host = host_indices(op_type, names)
        if op_type in NUMPY.factories:
            B.factory_for(op_type, NUMPY.factories[op_type], how="reused", host_inputs=host)
        else:
            B.kernel_for(op_type, NUMPY.kernels[op_type], how="reused", host_inputs=host)
