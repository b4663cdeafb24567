"""The notebook tier's fixtures."""

import pytest


@pytest.fixture
def shell():
    """A real IPython shell (history off) with ``%load_ext flowbook``."""
    pytest.importorskip("IPython", reason="the %%flow magic needs IPython")
    pytest.importorskip("anywidget", reason="the %%flow view needs anywidget "
                        "(pip install 'flowbook[notebook]')")
    from .shell import Shell
    s = Shell()
    s.ip.run_line_magic("reset", "-f")
    s.ip.run_line_magic("load_ext", "flowbook")
    yield s
    s.ip.run_line_magic("unload_ext", "flowbook")
    s.ip.run_line_magic("reset", "-f")
