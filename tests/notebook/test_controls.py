"""FlowPanel: fetch list, feed editors, Run, auto-run, initialise, errors, live plot."""

import time

import numpy as np
import pytest

pytest.importorskip("ipywidgets", reason="the controls need ipywidgets")
pytest.importorskip("anywidget", reason="the graph view needs anywidget")

import flowbook as tf  # noqa: E402
from flowbook.notebook import FlowPanel  # noqa: E402
from flowbook.notebook.feeds import FeedEditor, check_feed  # noqa: E402

from .graphs import mlp  # noqa: E402


@pytest.fixture
def panel():
    g, t = mlp()
    p = FlowPanel(g, tf.Session(graph=g), namespace={})
    p.t = t
    yield p
    p.view.close()


def test_fetch_list_and_drawing_clicks_stay_in_sync(panel):
    panel.view.click("op|loss")
    assert panel.fetch_box.value == ["loss:0"]
    panel.fetch_box.value = ["loss:0", "layer1/y:0"]
    assert panel.view.selected == ["loss:0", "layer1/y:0"]
    assert panel.view.highlight["fetch"] == ["op|layer1/y", "op|loss"]


def test_one_editor_per_needed_placeholder_from_dtype_and_shape(panel):
    assert panel.needed_editors() == []
    panel.view.select("loss:0")
    eds = panel.needed_editors()
    assert [e.tensor.name for e in eds] == ["x:0"]
    assert type(eds[0].field).__name__ == "Text"          # an array: literal text
    panel.view.select("unused:0")                        # needs no placeholder
    assert panel.needed_editors() == []
    g = tf.Graph()
    with g.as_default():
        s = tf.placeholder(tf.float32, [], name="s")
        n = tf.placeholder(tf.int32, [], name="n")
        b = tf.placeholder(tf.bool, [], name="b")
    kinds = [type(FeedEditor(t).field).__name__ for t in (s, n, b)]
    assert kinds == ["FloatText", "IntText", "Checkbox"]


def test_set_feeds_from_python_then_run(panel):
    panel.view.select("loss:0")
    panel.set_feed("x", [[1.0, 2.0], [0.0, 0.0]])
    assert panel.view.feeds == ["x:0"] and "fed" in panel.view.highlight
    res = panel.run()                       # variables get initialised automatically
    assert res["loss:0"] == pytest.approx(((5.5 ** 2) + 0.25) / 2)
    assert "loss:0" in panel.results.value and "<table" in panel.results.value
    assert "op|loss" in panel.view.highlight["ran"]
    assert panel.uninit.value == ""


def test_a_bad_entry_shows_an_error_and_keeps_the_previous_value(panel):
    panel.view.select("loss:0")
    ed = panel.editors["x:0"]
    ed.field.value = "[[1, 2]]"
    assert ed.value.tolist() == [[1.0, 2.0]] and ed.error.value == ""
    ed.field.value = "[[1, 2, 3]]"                     # wrong shape
    assert "does not fit [?,2]" in ed.error.value
    assert ed.field.value == "[[1, 2]]" and ed.value.tolist() == [[1.0, 2.0]]
    ed.field.value = "__import__('os')"                # never evaluated
    assert "Python literal" in ed.error.value and ed.value.tolist() == [[1.0, 2.0]]
    with pytest.raises(ValueError, match="not a float32 value"):
        check_feed(panel.t["x"], [["a", "b"]])


def test_feed_bound_to_a_namespace_variable(panel):
    panel.namespace["batch"] = np.array([[1.0, 1.0]], np.float32)
    panel.view.select("layer1/y:0")
    panel.editors["x:0"].bind.value = "batch"
    assert panel.run()["layer1/y:0"].tolist() == [[3.5]]
    panel.namespace["batch"] = np.array([[2.0, 2.0]], np.float32)
    assert panel.run()["layer1/y:0"].tolist() == [[6.5]]      # read when the run starts


def test_run_button_and_errors_inline(panel):
    panel.view.select("loss:0")
    panel.run_button.click()                # x has no value: shown, not raised
    assert "feed x:0 has no value" in panel.error.value
    panel.auto_init = False
    panel.set_feed("x:0", [[1.0, 2.0]])
    panel.run_button.click()                # uninitialised variable: engine error inline
    assert "FailedPreconditionError" in panel.error.value
    assert panel.view.highlight["failed"] in (["scope|layer1/w"], ["scope|layer1/b"])
    assert "layer1/w" in panel.uninit.value and panel.init_button.layout.display is None
    panel.init_button.click()
    assert panel.uninit.value == "" and panel.init_button.layout.display == "none"
    panel.run_button.click()
    assert panel.error.value == "" and panel.last["loss:0"] == pytest.approx(30.25)


def test_auto_run_on_feed_change_is_debounced(panel):
    runs = []
    real = panel.run
    panel.run = lambda: runs.append(real())
    panel.view.select("layer1/y:0")
    panel.auto.value = True
    ed = panel.editors["x:0"]
    for v in ("[[1, 0]]", "[[2, 0]]", "[[3, 0]]"):
        ed.field.value = v
    end = time.monotonic() + 5
    while not runs and time.monotonic() < end:
        time.sleep(0.05)
    time.sleep(0.5)
    assert len(runs) == 1 and runs[0]["layer1/y:0"].tolist() == [[3.5]]


def test_panel_snapshot_is_the_view_snapshot(panel):
    data, _ = panel._repr_mimebundle_()
    assert data["text/plain"].startswith("FlowPanel(GraphView(")
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == panel.model_id
    assert ("image/svg+xml" in data) == bool(panel.view.svg)


def test_live_plot_updates_while_recording():
    from flowbook.notebook.plot import ScalarPlot
    p = ScalarPlot(interval=0.05)
    values = []
    p.observe(lambda c: values.append(c["new"]), names=["value"])
    for i in range(40):
        p.record("loss", 1.0 / (i + 1))
        time.sleep(0.005)
    end = time.monotonic() + 3
    while "loss: 0.025" not in p.value and time.monotonic() < end:
        time.sleep(0.02)
    assert "loss: 0.025" in p.value            # the final draw shows the last point
    assert 2 <= len(values) < 40                # updated during the loop, throttled
    p.record_summary({"acc": 0.5}, step=3)
    p.draw()
    assert "acc: 0.5" in p.value and p.svg() == p.svg()
