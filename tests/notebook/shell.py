"""A real IPython InteractiveShell (history off) with flowbook's extension loaded."""

from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from traitlets.config import Config


class Shell:
    """Runs cells and keeps what they displayed."""

    def __init__(self):
        cfg = Config()
        cfg.HistoryManager.enabled = False
        self.ip = InteractiveShell.instance(config=cfg)

    def run(self, source, cell_id=None, expect_error=None):
        with capture_output() as cap:
            r = self.ip.run_cell(source, cell_id=cell_id)
        self.outputs = cap.outputs
        self.stdout, self.stderr = cap.stdout, cap.stderr
        err = r.error_in_exec or r.error_before_exec
        if expect_error is None and err is not None:
            raise AssertionError(f"cell failed: {err!r}\n{cap.stdout}\n{cap.stderr}") from err
        if expect_error is not None:
            assert isinstance(err, expect_error), f"expected {expect_error}, got {err!r}"
        self.error = err
        return r.result

    @property
    def ns(self):
        return self.ip.user_ns

    def displayed(self, kind="application/vnd.jupyter.widget-view+json"):
        return [o.data for o in self.outputs if kind in o.data]

    def magics(self):
        from flowbook.notebook import magics
        return magics._loaded[id(self.ip)]
