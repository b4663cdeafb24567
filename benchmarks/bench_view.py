"""Graph view: the cost of a live view while ops are added, and drawing a 10,000-op graph.

Targets (issue 6): adding 1,000 ops with the view open costs at most 2x the time without it;
a 10,000-op graph is drawn (collapsed) in at most 1 s (DOT build + layout to SVG).
"""

import flowbook as tf
from .harness import once


def _build(graph, n=1000):
    with graph.as_default():
        x = tf.placeholder(tf.float32, [4], name="x")
        for b in range(n // 50):              # 50-op blocks, like layers of a model
            with tf.name_scope(f"block{b}"):
                for _ in range(50):
                    x = tf.add(x, 1.0)


def live_view_overhead():
    try:
        from flowbook.notebook import GraphView
    except ImportError as e:
        return [("add 1,000 ops with a live view", f"skipped: {e}", None, "≤ 2x")]
    bare = once(lambda g: _build(g), setup=tf.Graph, repeats=7)
    views = []

    def with_view():
        g = tf.Graph()
        views.append(GraphView(g))     # drawn once, then follows the graph
        return g
    viewed = once(lambda g: _build(g), setup=with_view, repeats=7)
    for v in views:
        v.flush()
        v.close()
    return [("add 1,000 ops, no view", bare, None, ""),
            ("add 1,000 ops, live view open", viewed, bare, "≤ 2x")]


def draw_10k():
    try:
        from flowbook.notebook import render
        from flowbook.notebook.dot import graph_to_dot
    except ImportError as e:
        return [("draw a 10,000-op graph", f"skipped: {e}", None, "≤ 1 s")]
    g = tf.Graph()
    _build(g, 10_000)
    engines = render.engines() or ["text"]

    def draw():
        render.clear_cache()
        d = graph_to_dot(g)
        svg, engine = render.render_svg(d.source)
        return d
    render.render_svg("digraph { a }")        # warm the WebAssembly engine if it is the one
    t = once(draw)
    n = len(draw().nodes)
    return [(f"draw 10,000-op graph collapsed ({n} nodes, {engines[0]})", t, None, "≤ 1 s")]


WORKLOADS = [live_view_overhead, draw_10k]
