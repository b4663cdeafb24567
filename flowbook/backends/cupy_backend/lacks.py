"""Op types the CuPy backend has no kernel for, each with the reason.

These ops run on the CPU: with no device request the placer puts them there; with an explicit
GPU request, ``allow_soft_placement=True`` moves them to the CPU and otherwise the session
raises InvalidArgumentError naming the op, the device and this reason. A registry test checks
that every registered op type has a GPU kernel or an entry here.
"""

LACKS = {
    "ReportUninitializedVariables": "its output is a string tensor; strings live on the CPU, "
                                    "as in TensorFlow",
}
