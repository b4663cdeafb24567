"""The graph view in a real JupyterLab and a real browser (system Chromium + Playwright)."""

import os
import time

import pytest

from .browser import (cell_text, chromium_page, jupyter_lab, require_browser, run_cell,
                      wait_output, write_notebook)

pytestmark = pytest.mark.slow

CELLS = [
    # 0: the view of an empty graph
    "import flowbook as tf\nfrom flowbook.notebook import GraphView\n"
    "g = tf.Graph()\nview = GraphView(g, interval=0.1)\nview",
    # 1: a cell that keeps adding ops for a few seconds
    "import time\nwith g.as_default():\n    x = tf.placeholder(tf.float32, [], name='x')\n"
    "    for i in range(10):\n        x = tf.identity(x, name=f'step{i}')\n"
    "        time.sleep(0.4)\n'built'",
    # 2: what the kernel knows about the selection
    "print('selected:', view.selected)",
    # 3, 4: the %%flow magic and its controls
    "%load_ext flowbook",
    "%%flow\nx = tf.placeholder(tf.float32, [], name='x')\ny = tf.multiply(x, 3.0, name='y')",
    # 5: after running cell 4 twice: one cell (known by its front-end id), no y_1 copies
    "from flowbook.notebook import magics as M\nst = list(M._loaded.values())[0].nb.state()\n"
    "print('cells:', [k[0] for k in st.registry.cells],\n"
    "      [op.name for op in tf.get_default_graph().get_operations()])",
    # 6: a training loop recording a scalar: the curve draws while the loop runs
    "from flowbook.notebook import record\nfor i in range(20):\n"
    "    record('loss', 1.0 / (i + 1))\n    time.sleep(0.15)\n'trained'",
]


def _nodes(page):
    return page.locator(".fb-view svg g.node").count()


def test_view_appears_grows_live_and_clicks_reach_the_kernel(tmp_path):
    require_browser()
    write_notebook(tmp_path / "view.ipynb", CELLS)
    with jupyter_lab(tmp_path) as url, chromium_page(tmp_path) as page:
        page.goto(f"{url}/lab/tree/view.ipynb")
        page.wait_for_selector(".jp-Notebook .jp-Cell .jp-InputArea-editor")
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=90_000)
        run_cell(page, 0)
        page.wait_for_selector(".fb-view .fb-bar", timeout=60_000)
        assert page.locator(".fb-view .fb-bar").inner_text().startswith("0 ops")
        cell = run_cell(page, 1)
        seen = set()
        end = time.monotonic() + 60
        while time.monotonic() < end:
            seen.add(_nodes(page))
            if "built" in cell_text(cell):
                break
            time.sleep(0.1)
        page.wait_for_function(
            "document.querySelectorAll('.fb-view svg g.node').length === 11", timeout=20_000)
        # the drawing grew while the cell was still running (not only at the end)
        assert any(0 < n < 11 for n in seen), seen
        page.locator('.fb-view svg g.node[id="op|step9"]').click()
        page.wait_for_function(
            "document.querySelector('.fb-view').dataset.selected === '[\"step9:0\"]'",
            timeout=20_000)
        out = run_cell(page, 2)
        page.wait_for_function(
            "(el) => el.innerText.includes('selected:')",
            arg=out.locator(".jp-OutputArea").element_handle(), timeout=30_000)
        assert "selected: ['step9:0']" in cell_text(out)
        # the preview dims what the fetch does not need (nothing here) and marks the fetch
        assert page.locator('.fb-view svg g.fb-fetch[id="op|step9"]').count() == 1
        # issue 7: pick the fetch in the drawing, type the feed, press Run, read the result
        run_cell(page, 3)
        flow = run_cell(page, 4)
        panel = flow.locator(".jp-OutputArea")
        panel.locator('.fb-view svg g.node[id="op|y"]').click()
        feed = panel.locator(".widget-text input[type='number']").first
        feed.wait_for(timeout=30_000)
        feed.fill("2.5")
        feed.press("Enter")
        panel.locator("button", has_text="Run").click()
        page.wait_for_function(
            "(el) => el.innerText.includes('7.5')",
            arg=panel.locator(".fb-results").element_handle(timeout=30_000), timeout=30_000)
        assert "y:0" in panel.locator(".fb-results").inner_text()
        assert panel.locator('.fb-view svg g.fb-ran[id="op|y"]').count() == 1
        # coloured by wall time: the op's shape no longer has its white fill
        fill = panel.locator('.fb-view svg g[id="op|y"] path').first.get_attribute("fill")
        assert fill not in (None, "#ffffff"), fill
        run_cell(page, 4)
        wait_output(page, 4, "y:0")                 # shown again, same view
        out = run_cell(page, 5)
        wait_output(page, 5, "cells:")
        assert "cells: ['id'] ['x', 'y/y', 'y']" in cell_text(out)
        cell = run_cell(page, 6)
        seen = []
        end = time.monotonic() + 30
        while time.monotonic() < end and "trained" not in cell_text(cell):
            seen.append(cell.locator("svg.fb-plot polyline").count())
            time.sleep(0.1)
        wait_output(page, 6, "loss: 0.05")          # the final point is drawn
        assert any(seen), "the plot did not appear while the loop ran"
        if os.environ.get("FLOWBOOK_SCREENSHOTS"):
            page.screenshot(path=os.path.join(os.environ["FLOWBOOK_SCREENSHOTS"], "view.png"))
