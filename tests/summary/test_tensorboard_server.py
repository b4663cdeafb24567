"""The real ``tensorboard --logdir`` serves flowbook's scalars, graph and run metadata.

Starts TensorBoard once on 127.0.0.1 (a free port, bounded time, killed at the end) and asks
its HTTP data endpoints (TensorBoard 2.x: /data/plugin/scalars/..., /data/plugin/graphs/...)
what the browser would show.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

pytest.importorskip("tensorboard", reason="needs the tensorboard extra")

from tests.summary.events import write_run  # noqa: E402


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(base, path, **params):
    url = base + path + ("?" + urllib.parse.urlencode(params) if params else "")
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read()


@pytest.mark.slow
def test_tensorboard_serves_scalars_graph_and_run_metadata(tmp_path):
    logdir = tmp_path / "logs"
    expected = write_run(str(logdir))
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tensorboard.main", "--logdir", str(logdir), "--host",
         "127.0.0.1", "--port", str(port), "--load_fast=false", "--reload_interval", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ,
                                                                "TF_CPP_MIN_LOG_LEVEL": "3"})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        tags = None
        while time.time() < deadline:
            if proc.poll() is not None:
                pytest.fail("tensorboard exited: " + proc.stderr.read().decode()[-2000:])
            try:
                tags = json.loads(_get(base, "/data/plugin/scalars/tags"))
                if tags.get(".", {}).get("loss"):
                    break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.3)
        assert tags and "loss" in tags.get(".", {}), f"no scalars served: {tags}"

        points = json.loads(_get(base, "/data/plugin/scalars/scalars", run=".", tag="loss"))
        assert [p[1] for p in points] == list(range(100))
        assert [p[2] for p in points] == pytest.approx(expected, rel=1e-6)

        info = json.loads(_get(base, "/data/plugin/graphs/info"))
        assert info["."]["run_graph"] is True
        assert "step1" in info["."]["tags"]
        graph = _get(base, "/data/plugin/graphs/graph", run=".").decode()
        for name in ("model/pred", "model/weights", "mse", "Merge/MergeSummary"):
            assert f'name: "{name}"' in graph
        assert 'op: "MatMul"' in graph
        md = _get(base, "/data/plugin/graphs/run_metadata", run=".", tag="step1").decode()
        assert 'node_name: "model/pred"' in md and "all_end_rel_micros" in md
    finally:
        proc.kill()
        proc.wait(10)
        proc.stderr.close()
