"""The %%flow magic's arguments: parsed into a small value object, with no IPython involved.

    %%flow [GRAPH] [-f/--fetch NAME ...] [-d/--feed NAME=VALUE ...] [-o/--out VAR]
           [--no-view] [--reset] [--cell NAME]

Feed values are Python literals (``ast.literal_eval``: numbers, lists, tuples, True, None,
strings) or the name of a variable in the namespace; nothing is ever ``eval``-ed.
"""

import argparse
import ast
import keyword
import shlex

__all__ = ["FlowArgs", "FlowUsageError", "ARGUMENTS", "VERBS", "parse_flow_args",
           "parse_feed_value", "make_parser"]

VERBS = ("show", "list", "reset", "run", "describe", "init", "cells")

ARGUMENTS = [
    (("graph",), dict(nargs="?", default=None, metavar="GRAPH",
                      help="a Graph in the namespace (default: the notebook's default graph)")),
    (("-f", "--fetch"), dict(nargs="+", action="extend", default=[], metavar="NAME",
                             help="fetch NAME after the cell runs: a tensor or op name "
                                  "('loss', 'loss:0', 'train') or a variable holding one")),
    (("-d", "--feed"), dict(nargs="+", action="extend", default=[], metavar="NAME=VALUE",
                            help="feed NAME with VALUE: a Python literal ([1, 2], 0.5) or the "
                                 "name of a variable of the namespace")),
    (("-o", "--out"), dict(default=None, metavar="VAR",
                           help="store the fetched values in VAR (one fetch: its value; "
                                "several: a dict name -> value)")),
    (("--no-view",), dict(action="store_true", dest="no_view",
                          help="do not show the graph view under the cell")),
    (("--reset",), dict(action="store_true",
                        help="re-initialise the variables this cell creates (instead of "
                             "keeping their values when shape and dtype are unchanged)")),
    (("--cell",), dict(default=None, metavar="NAME",
                       help="name this cell (re-running a cell of the same name replaces "
                            "its ops); default: the front end's cell id")),
]


class FlowUsageError(ValueError):
    """A mistake in the magic's own arguments (IPython shows it as a UsageError)."""


class FlowArgs:
    """What one %%flow / %flow line asks for."""

    __slots__ = ("verb", "graph", "fetches", "feeds", "out", "view", "reset", "cell")

    def __init__(self, verb=None, graph=None, fetches=(), feeds=(), out=None, view=True,
                 reset=False, cell=None):
        self.verb = verb
        self.graph = graph
        self.fetches = tuple(fetches)
        self.feeds = tuple(feeds)          # (name, Literal | VarRef) pairs
        self.out = out
        self.view = view
        self.reset = reset
        self.cell = cell

    def __eq__(self, other):
        return isinstance(other, FlowArgs) and all(
            getattr(self, k) == getattr(other, k) for k in self.__slots__)

    def __repr__(self):
        parts = [f"{k}={getattr(self, k)!r}" for k in self.__slots__
                 if getattr(self, k) not in (None, (), False) or k == "view"]
        return f"FlowArgs({', '.join(parts)})"


class Literal:
    """A feed value written in the magic line (already parsed)."""

    __slots__ = ("value", "text")

    def __init__(self, value, text):
        self.value = value
        self.text = text

    def __eq__(self, other):
        return isinstance(other, Literal) and self.text == other.text

    def __repr__(self):
        return f"Literal({self.text})"


class VarRef:
    """A feed value taken from a variable of the namespace, by name."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __eq__(self, other):
        return isinstance(other, VarRef) and self.name == other.name

    def __repr__(self):
        return f"VarRef({self.name})"


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise FlowUsageError(f"%%flow: {message} (see %%flow? for the options)")

    def exit(self, status=0, message=None):
        raise FlowUsageError(message or "%%flow: see %%flow? for the options")


def make_parser(prog="%%flow"):
    p = _Parser(prog=prog, add_help=False, description="Run the cell with GRAPH as the "
                "default graph, show its live view, and run the fetches in the notebook's "
                "session for that graph.")
    for args, kwargs in ARGUMENTS:
        p.add_argument(*args, **kwargs)
    return p


def parse_feed_value(text):
    """A Literal for Python literal text, a VarRef for a plain name; else FlowUsageError."""
    text = text.strip()
    try:
        return Literal(ast.literal_eval(text), text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        pass
    if text.isidentifier() and not keyword.iskeyword(text):
        return VarRef(text)
    raise FlowUsageError(f"%%flow: cannot read the feed value {text!r}: write a Python "
                         "literal (3, 0.5, [[1, 2]], True) or the name of a variable.")


def _feed(item):
    name, eq, value = item.partition("=")
    if not eq or not name.strip() or not value.strip():
        raise FlowUsageError(f"%%flow: a feed is NAME=VALUE, got {item!r}")
    return name.strip(), parse_feed_value(value)


def parse_flow_args(line, verbs=False):
    """Parses a %%flow line (or, with ``verbs``, a %flow line: VERB first) into FlowArgs."""
    try:
        tokens = shlex.split(line or "")
    except ValueError as e:
        raise FlowUsageError(f"%%flow: {e} in {line!r}") from None
    verb = None
    if verbs:
        if not tokens or tokens[0] not in VERBS:
            got = tokens[0] if tokens else "nothing"
            raise FlowUsageError(f"%flow: unknown command {got!r}: use one of "
                                 f"{', '.join(VERBS)} (e.g. %flow show)")
        verb, tokens = tokens[0], tokens[1:]
    ns = make_parser("%flow " + verb if verb else "%%flow").parse_args(tokens)
    if ns.graph is not None and not ns.graph.isidentifier():
        raise FlowUsageError(f"%%flow: GRAPH must be a variable name, got {ns.graph!r}")
    if ns.out is not None and (not ns.out.isidentifier() or keyword.iskeyword(ns.out)):
        raise FlowUsageError(f"%%flow: --out needs a variable name, got {ns.out!r}")
    return FlowArgs(verb, ns.graph, ns.fetch, [_feed(f) for f in ns.feed], ns.out,
                    not ns.no_view, ns.reset, ns.cell)
