"""Op types the CuPy backend has no kernel for, each with the reason.

These ops run on the CPU: with no device request the placer puts them there; with an explicit
GPU request, ``allow_soft_placement=True`` moves them to the CPU and otherwise the session
raises InvalidArgumentError naming the op, the device and this reason. A registry test checks
that every registered op type has a GPU kernel or an entry here.
"""

_NOT_YET = "not yet ported to CuPy; runs on the CPU"
_CONV = ("convolutions and pooling need cuDNN-backed kernels, not yet written; they run on the "
         "CPU (NumPy im2col)")
_HOST = ("a debugging op that inspects or prints values on the host (TF runs it on the CPU "
         "too); its input is copied to the CPU")
_FILES = ("it reads or writes files or serialized protobuf strings, which live on the host "
          "(as in TensorFlow); its inputs are copied to the CPU")
_SHAPE = "its output shape depends on the values, so it is computed on the host"
_CONTROL = ("control flow: the op itself only routes values into its bodies' plans on the "
            "host; the ops inside the bodies are placed like any other op")

LACKS = {
    "ReportUninitializedVariables": "its output is a string tensor; strings live on the CPU, "
                                    "as in TensorFlow",
    "Conv2D": _CONV, "Conv2DBackpropFilter": _CONV, "Conv2DBackpropInput": _CONV,
    "MaxPool": _CONV, "MaxPoolGrad": _CONV, "MaxPoolGradGrad": _CONV,
    "AvgPool": _CONV, "AvgPoolGrad": _CONV,
    "Erf": "CuPy has erf only in cupyx.scipy.special; not yet wired up, runs on the CPU",
    "Where": _SHAPE,
    "InvertPermutation": "a permutation is shape data, kept in host memory (as TF does)",
    "TopKV2": _NOT_YET, "InTopKV2": _NOT_YET,
    "GatherNd": _NOT_YET, "ScatterNd": _NOT_YET,
    "LinSpace": _NOT_YET, "MirrorPad": _NOT_YET, "MirrorPadGrad": _NOT_YET,
    "ReverseSequence": _NOT_YET,
    "MatrixDiag": _NOT_YET, "MatrixSetDiag": _NOT_YET, "Diag": _NOT_YET, "DiagPart": _NOT_YET,
    "MatrixInverse": _NOT_YET, "MatrixDeterminant": _NOT_YET,
    "SaveV2": _FILES, "RestoreV2": _FILES,
    "ScalarSummary": _FILES, "HistogramSummary": _FILES, "ImageSummary": _FILES,
    "AudioSummaryV2": _FILES, "TensorSummaryV2": _FILES, "MergeSummary": _FILES,
    "LRN": _NOT_YET, "LRNGrad": _NOT_YET,
    "RandomGamma": _NOT_YET, "RandomPoissonV2": _NOT_YET, "RandomShuffle": _NOT_YET,
    "Multinomial": _NOT_YET,
    "Assert": _HOST, "CheckNumerics": _HOST, "Print": _HOST, "PrintV2": _HOST,
    "If": _CONTROL, "Case": _CONTROL, "While": _CONTROL, "WhileGrad": _CONTROL,
    "LRN": _NOT_YET, "LRNGrad": _NOT_YET, "Multinomial": _NOT_YET, "RandomGamma": _NOT_YET,
    "RandomPoissonV2": _NOT_YET, "RandomShuffle": _NOT_YET,
}
