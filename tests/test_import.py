"""`import flowbook` costs NumPy and nothing more: no notebook or GPU library is loaded."""

import subprocess
import sys


def test_import_loads_no_optional_libraries():
    code = ("import sys, flowbook; bad = [m for m in ('IPython', 'ipywidgets', 'anywidget', "
            "'graphviz', 'cupy', 'tensorflow', 'matplotlib', 'scipy') if m in sys.modules]; "
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""


def test_tf_compat_v1_is_flowbook():
    code = ("import flowbook as tf, flowbook.compat.v1 as v1; "
            "assert tf.compat.v1 is tf and v1 is tf; tf.disable_v2_behavior(); "
            "assert tf.executing_eagerly() is False; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


def test_demo_runs():
    out = subprocess.run([sys.executable, "-m", "flowbook"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "was not needed, so it did not run" in out.stdout
