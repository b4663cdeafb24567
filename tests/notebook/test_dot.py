"""Graph → DOT: nodes, edges, clusters and classes, read from the Drawing's data."""

import pytest

pytest.importorskip("graphviz", reason="the graph view needs the graphviz package "
                    "(pip install 'flowbook[notebook]')")

import flowbook as tf  # noqa: E402
from flowbook.notebook.dot import graph_to_dot  # noqa: E402
from flowbook.notebook.hierarchy import build_tree  # noqa: E402

from .graphs import chain, mlp  # noqa: E402


def test_ops_by_kind_and_ids():
    g, t = mlp()
    d = graph_to_dot(g, expanded=["scope|layer1/w"])
    n = d.nodes
    assert n["op|x"].classes == "op placeholder"
    assert n["op|layer1/w"].classes == "op variable"
    assert n["op|layer1/MatMul"].classes == "op op"
    assert n["op|layer1/w/Assign"].classes == "op assign"
    assert n["op|init"].classes == "op aux"
    assert "const" in n["op|layer1/w/initial_value"].classes
    # every node id appears in the DOT source as node name, SVG id and class
    for nid, info in n.items():
        assert f'"{nid}" [' in d.source
        assert f'id="{nid}"' in d.source


def test_edges_are_labelled_with_dtype_and_shape_and_control_edges_dashed():
    g, t = mlp()
    d = graph_to_dot(g)
    by = {(e.src, e.dst): e for e in d.edges}
    e = by[("op|x", "op|layer1/MatMul")]
    assert (e.kind, e.label) == ("data", "float32 [?,2]")
    assert by[("op|layer1/MatMul", "op|layer1/y")].label == "float32 [?,1]"
    ctrl = by[("op|step", "op|after")]
    assert ctrl.kind == "control"
    assert '"op|step" -> "op|after" [label="" arrowhead=odot class="edge control" ' \
        'style=dashed]' in d.source


def test_edges_into_assign_ops_are_references():
    g, t = mlp()
    d = graph_to_dot(g, expanded=["scope|layer1/b"])
    by = {(e.src, e.dst): e for e in d.edges}
    assert by[("op|layer1/b", "op|step")].kind == "ref"
    assert by[("op|layer1/b", "op|layer1/b/Assign")].kind == "ref"
    assert by[("op|layer1/b/initial_value", "op|layer1/b/Assign")].kind == "data"
    assert 'class="edge ref"' in d.source


def test_scopes_become_clusters_and_variables_gradients_start_collapsed():
    g, t = mlp()
    d = graph_to_dot(g)
    assert d.clusters == {"layer1": "scope|layer1"}
    assert "subgraph cluster_layer1" in d.source
    assert d.nodes["scope|layer1/w"].classes == "scope collapsed variable"
    grads = d.nodes["scope|gradients"]
    assert grads.classes == "scope collapsed gradients"
    assert len(grads.ops) == sum(op.name.startswith("gradients/") for op in g.get_operations())
    # every op is drawn by exactly one visible node
    assert set(d.visible.node_of) == {op.name for op in g.get_operations()}
    assert d.node_of("gradients/loss_grad/Reshape") == "scope|gradients"
    assert d.node_of("layer1/w/read") == "scope|layer1/w"


def test_user_choices_override_defaults():
    g, t = mlp()
    d = graph_to_dot(g, expanded=["scope|gradients"], collapsed=["scope|layer1"])
    assert "gradients" in d.clusters and "layer1" not in d.clusters
    assert d.node_of("layer1/MatMul") == "scope|layer1"
    assert d.nodes["scope|layer1"].classes == "scope collapsed scope"


def test_python_operand_constants_do_not_make_a_scope():
    g = tf.Graph()
    with g.as_default():
        a = tf.placeholder(tf.float32, [])
        a + 2.0               # builds "add/y" (Const) and "add"
    d = graph_to_dot(g)
    assert d.clusters == {}
    assert {"op|add", "op|add/y"} <= set(d.nodes)


def test_repeated_structure_is_grouped_and_expandable():
    g, x0, x = chain(12)
    d = graph_to_dot(g)
    series = [n for n in d.nodes.values() if n.kind == "series"]
    assert len(series) == 1 and len(series[0].ops) == 12
    assert series[0].label.startswith("Add ×12")
    d2 = graph_to_dot(g, expanded=[series[0].id])
    assert "op|Add_11" in d2.nodes and not any(n.kind == "series" for n in d2.nodes.values())


def test_large_graph_is_drawn_collapsed_within_budget():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [4], name="x")
        for i in range(60):
            with tf.name_scope(f"block{i}"):
                h = x
                for j in range(50):
                    h = tf.multiply(h, float(j))
                x = tf.add(h, 1.0, name=f"out{j}")
    assert len(g.get_operations()) > 6000
    d = graph_to_dot(g, max_nodes=200)
    assert 0 < len(d.nodes) <= 200
    assert set(d.visible.node_of) == {op.name for op in g.get_operations()}


def test_too_many_distinct_ops_in_one_scope_end_in_a_more_node():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [], name="x")
        for i in range(300):
            tf.identity(x, name=f"n{i}x")
    d = graph_to_dot(g, max_nodes=100)
    assert len(d.nodes) == 100
    more = d.nodes["more|"]
    assert len(more.ops) == 301 - 99
    d2 = graph_to_dot(g, max_nodes=100, expanded=["more|"])
    assert len(d2.nodes) == 301


def test_drawing_is_deterministic():
    a = graph_to_dot(mlp()[0]).source
    b = graph_to_dot(mlp()[0]).source
    assert a == b


def test_scope_tree_places_an_op_named_like_a_scope_inside_it():
    g, t = mlp()
    root, owner = build_tree(g.get_operations())
    w = g.get_operation_by_name("layer1/w")
    assert owner[w].path == "layer1/w" and owner[w].kind == "variable"
    assert root.count == len(g.get_operations())


def test_text_view_lists_nodes_and_inputs():
    g, t = mlp()
    text = graph_to_dot(g).text()
    assert text.splitlines()[0].startswith(f"graph: {len(g.get_operations())} ops")
    assert "  MatMul  <- x, layer1/w" in text
