"""%%flow and %flow in a real IPython shell: graphs, re-runs, fetches, errors, warnings."""

import numpy as np
import pytest

pytest.importorskip("IPython", reason="the %%flow magic needs IPython")

import flowbook as tf  # noqa: E402
from IPython.core.error import UsageError  # noqa: E402

BUILD = """%%flow
import flowbook as tf
x = tf.placeholder(tf.float32, [None, 2], name="x")
w = tf.Variable([[1.0], [2.0]], name="w")
y = tf.matmul(x, w, name="y")
"""


def names(graph=None):
    return [op.name for op in (graph or tf.get_default_graph()).get_operations()]


def test_cell_builds_into_the_default_graph_and_shows_its_view(shell):
    shell.run(BUILD, cell_id="c1")
    assert names() == ["x", "w/initial_value", "w", "w/Assign", "w/read", "y"]
    views = shell.displayed()
    assert len(views) == 1
    assert views[0]["text/plain"].startswith("FlowPanel(GraphView(6 ops")
    assert "image/svg+xml" in views[0] or "MatMul" in views[0]["text/plain"] \
        or "y" in views[0]["text/plain"]


def test_rerunning_a_cell_replaces_its_ops_under_the_same_names(shell):
    shell.run(BUILD, cell_id="c1")
    first = shell.displayed()[0]["application/vnd.jupyter.widget-view+json"]["model_id"]
    shell.run(BUILD, cell_id="c1")
    assert names() == ["x", "w/initial_value", "w", "w/Assign", "w/read", "y"]
    again = shell.displayed()[0]["application/vnd.jupyter.widget-view+json"]["model_id"]
    assert again == first                 # the same view, shown again (not a second one)
    with tf.get_default_graph().as_default():
        assert [v.name for v in tf.global_variables()] == ["w:0"]


def test_get_variable_in_a_rerun_cell_does_not_already_exist(shell):
    cell = ("%%flow\nimport flowbook as tf\nwith tf.variable_scope('layer'):\n"
            "    v = tf.get_variable('v', [3], initializer=tf.ones_initializer())\n")
    shell.run(cell, cell_id="a")
    shell.run(cell, cell_id="a")          # TF1 would raise "Variable layer/v already exists"
    assert "layer/v" in names() and "layer_1/v" not in names()


def test_variables_keep_their_session_values_unless_reset_or_reshaped(shell):
    shell.run(BUILD, cell_id="c1")
    shell.run("%%flow -f step\nstep = tf.assign_add(w, [[10.0], [10.0]], name='step')",
              cell_id="c2")
    shell.run(BUILD, cell_id="c1")        # w replaced, same name/shape/dtype: value kept
    assert shell.run("%flow run -f w").get("w:0").ravel().tolist() == [11.0, 12.0]
    shell.run("%%flow --reset\n" + BUILD.split("\n", 1)[1], cell_id="c1")
    assert shell.run("%flow run -f w")["w:0"].ravel().tolist() == [1.0, 2.0]
    shell.run(BUILD.replace("[[1.0], [2.0]]", "[[5.0], [6.0], [7.0]]")
              .replace("[None, 2]", "[None, 3]"), cell_id="c1")
    assert shell.run("%flow run -f w")["w:0"].ravel().tolist() == [5.0, 6.0, 7.0]


def test_consumers_in_other_cells_become_stale_and_name_the_cells(shell):
    shell.ip.execution_count = 4
    shell.run(BUILD, cell_id="c1")
    shell.ip.execution_count = 5
    shell.run("%%flow\nz = tf.add(y, 1.0, name='z')", cell_id="c2")
    shell.ip.execution_count = 6
    shell.run(BUILD, cell_id="c1")
    panel = shell.magics().nb.state().panel()
    stale = panel.view.stale
    assert set(stale) == {"z"}                    # z/y (its constant) needs nothing old
    assert "In [6] replaced" in stale["z"] and "re-run In [5]" in stale["z"]
    assert panel.view.highlight["stale"] == ["op|z"]
    assert "1 stale: built on ops that In [6] replaced" in panel.view.status
    assert "(stale)" in str(shell.run("%flow list"))
    with pytest.raises(tf.errors.FailedPreconditionError, match="In \\[6\\] ran again"):
        shell.magics().nb.state().session.run(shell.ns["z"], {shell.ns["x"]: [[1, 1]]})
    shell.run("%%flow\nz = tf.add(y, 1.0, name='z')", cell_id="c2")
    assert panel.view.stale == {} and names().count("z") == 1


def test_fetches_feeds_and_out(shell):
    res = shell.run(BUILD.replace("%%flow", "%%flow -f y w -d x=[[1.0,1.0]] -o out"))
    assert res["y:0"].tolist() == [[3.0]]
    assert set(shell.ns["out"]) == {"y:0", "w:0"}
    assert "y:0 float32[1, 1]:" in repr(res)
    shell.ns["batch"] = np.array([[2.0, 0.0], [0.0, 3.0]], np.float32)
    shell.run("%%flow -f y -d x=batch -o yy\npass")
    assert shell.ns["yy"].ravel().tolist() == [2.0, 6.0]       # one fetch: the value itself
    assert "<table" in shell.run("%flow run -f y -d x=batch")._repr_html_()


def test_last_expression_is_the_cell_result(shell):
    assert shell.run("%%flow\n1 + 1") == 2


def test_named_graph_argument(shell):
    shell.ip.user_ns["g2"] = tf.Graph()
    shell.run("%%flow g2 -f c -o v\nimport flowbook as tf\nc = tf.constant(3.0, name='c')")
    assert names(shell.ns["g2"]) == ["c"] and names() == []
    assert shell.ns["v"] == 3.0


@pytest.mark.parametrize("line, message", [
    ("%%flow nograph\n1", "GRAPH 'nograph' is not defined"),
    ("%%flow -f missing\n1", "no tensor or op named 'missing'"),
    ("%%flow -d x\n1", "a feed is NAME=VALUE"),
    ("%%flow --wat\n1", "unrecognized arguments: --wat"),
    ("%flow draw", "unknown command 'draw'"),
    ("%flow run", "name what to fetch with -f NAME"),
])
def test_usage_errors_are_one_clear_line(shell, line, message):
    shell.ip.user_ns["x"] = 3
    shell.run(line, expect_error=UsageError)
    assert message in str(shell.error)


def test_engine_errors_propagate_as_themselves_and_mark_the_node(shell):
    shell.run(BUILD, cell_id="c1")
    shell.run("%%flow -f y\npass", expect_error=tf.errors.InvalidArgumentError)
    assert "You must feed a value for placeholder tensor 'x'" in str(shell.error)
    view = shell.magics().nb.state().panel().view
    assert view.highlight["failed"] == ["op|x"]
    # build-time errors (ValueError, like TF1) and run-time errors from the user's own
    # session propagate unchanged; an OpError's node is marked in the view
    shell.run("%%flow\nbad = tf.constant([1.0, 2.0]) + tf.constant([1.0, 2.0, 3.0])",
              expect_error=ValueError)
    shell.run("%%flow\np = tf.placeholder(tf.float32, [3], name='p')\n"
              "tf.Session().run(p * 2.0)", expect_error=tf.errors.InvalidArgumentError)
    assert view.highlight["failed"] == ["op|p"]


def test_lazy_loading_trap_warns_once(shell):
    from flowbook.notebook.state import GraphGrowthWarning
    loop = ("import flowbook as tf\na = tf.constant(1.0, name='a')\nsess = tf.Session()\n"
            "for i in range(6):\n    sess.run(tf.add(a, 1.0))\n")
    with pytest.warns(GraphGrowthWarning, match="keeps growing between session runs") as w:
        shell.run(loop)
    assert len([x for x in w if x.category is GraphGrowthWarning]) == 1
    assert "Add_1" in str(w[0].message) and "graph.finalize()" in str(w[0].message)
    shell.run("import flowbook as tf\nb = tf.constant(2.0)\ntf.Session().run(b)")   # fine


def test_building_then_running_once_is_not_a_trap(shell, recwarn):
    shell.run("import flowbook as tf\nx = tf.constant(1.0)\nys = [x + i for i in range(80)]\n"
              "tf.Session().run(ys)")
    assert not [w for w in recwarn if "growing" in str(w.message)]


def test_log_device_placement_shows_a_table_in_the_notebook(shell):
    shell.run("import flowbook as tf\nc = tf.constant(1.0, name='c')\n"
              "tf.Session(config=tf.ConfigProto(log_device_placement=True)).run(c)")
    tables = shell.displayed("text/html")
    assert len(tables) == 1 and "Device placement" in tables[0]["text/html"]
    assert tables[0]["text/plain"].splitlines()[2].split()[:3] == ["c", "Const", "(none)"]
    assert shell.stderr == ""


def test_config_options(shell):
    shell.run("%config FlowMagics.auto_init = False")
    shell.run(BUILD)
    shell.run("%%flow -f w\npass", expect_error=tf.errors.FailedPreconditionError)
    shell.run("%flow init")
    shell.run("%config FlowMagics.view = False")
    shell.run("%%flow -f w\npass")
    assert shell.displayed() == []


def test_line_magic_verbs(shell):
    shell.run(BUILD, cell_id="c1")
    text = str(shell.run("%flow describe -f y -d x=[[1.0,2.0]]"))
    assert text.startswith("# sess.run(y:0) feeding x:0")
    assert "In [" in str(shell.run("%flow cells"))
    shell.run("%flow show")
    assert len(shell.displayed()) == 1
    assert str(shell.run("%flow reset")).startswith("reset:")
    assert names() == [] and shell.magics().nb.state().panel().view.graph is \
        tf.get_default_graph()


def test_help_is_argparse_help(shell):
    doc = shell.ip.find_cell_magic("flow").__doc__
    assert "%%flow [-f NAME" in doc and "--feed" in doc and "--no-view" in doc


def test_record_shows_a_live_plot_once_per_cell(shell):
    loop = ("%%flow\nfrom flowbook.notebook import record\nfor i in range(5):\n"
            "    record('loss', 1.0 / (i + 1))\n")
    shell.run(loop)
    plots = [d for d in shell.displayed() if d["text/plain"].startswith("ScalarPlot")]
    assert len(plots) == 1 and plots[0]["text/plain"] == "ScalarPlot(loss)"
    plot = shell.magics().nb.state().plot
    assert plot.series["loss"][-1] == (4, 0.2)
    plot.draw()
    assert "<polyline" in plot.value and "loss: 0.2" in plot.value
    shell.run(loop)                           # the next cell shows it again, once
    assert len([d for d in shell.displayed() if d["text/plain"].startswith("ScalarPlot")]) == 1


def test_cells_without_a_front_end_id_are_known_by_name_or_text(shell):
    cell = "%%flow\nimport flowbook as tf\nc = tf.constant(1.0, name='c')"
    shell.run(cell)
    shell.run(cell)                                    # same text: the same cell
    assert names() == ["c"]
    shell.run(cell + "  # edited")                     # another cell: TF1's naming
    assert names() == ["c", "c_1"]
    named = "%%flow --cell setup\nimport flowbook as tf\nd = tf.constant({}, name='d')"
    shell.run(named.format(1.0))
    shell.run(named.format(2.0))                       # edited, but named: replaced
    assert names().count("d") == 1 and "d_1" not in names()
    assert shell.run("%flow run -f d")["d:0"] == 2.0


def test_replaced_default_graphs_are_forgotten(shell):
    shell.run("import flowbook as tf\ntf.reset_default_graph()")
    shell.run("tf.reset_default_graph()")
    shell.run("pass")                          # the next cell watches the new default graph
    nb = shell.magics().nb
    assert [st.graph for st in nb.graphs.values()] == [tf.get_default_graph()]
