"""The %%flow argument parser (no IPython involved)."""

import pytest

from flowbook.notebook.magic_args import (FlowArgs, FlowUsageError, Literal, VarRef,
                                          parse_feed_value, parse_flow_args)


def test_defaults():
    assert parse_flow_args("") == FlowArgs()
    assert parse_flow_args("").view is True


def test_everything():
    a = parse_flow_args("g -f loss acc -f train -d x=[[1,2]] y=0.5 -d lr=rate -o out "
                        "--no-view --reset --cell setup")
    assert a.graph == "g"
    assert a.fetches == ("loss", "acc", "train")
    assert a.feeds == (("x", Literal([[1, 2]], "[[1,2]]")), ("y", Literal(0.5, "0.5")),
                       ("lr", VarRef("rate")))
    assert a.feeds[0][1].value == [[1, 2]]
    assert (a.out, a.view, a.reset, a.cell) == ("out", False, True, "setup")


def test_quoted_literals_and_strings():
    a = parse_flow_args("-d 'x=[1, 2, 3]' -d \"s='hi'\"")
    assert a.feeds[0][1].value == [1, 2, 3] and a.feeds[1][1].value == "hi"


def test_feed_values_are_literals_or_names_never_code():
    assert parse_feed_value("(1, 2)").value == (1, 2)
    assert parse_feed_value("True").value is True
    assert parse_feed_value("batch") == VarRef("batch")
    for bad in ("__import__('os').system('x')", "1 +", "a.b", "lambda: 1", "x[0]"):
        with pytest.raises(FlowUsageError, match="cannot read the feed value"):
            parse_feed_value(bad)


@pytest.mark.parametrize("line, message", [
    ("-d x", "a feed is NAME=VALUE"),
    ("-d =3", "a feed is NAME=VALUE"),
    ("-o 1abc", "--out needs a variable name"),
    ("--bogus", "unrecognized arguments: --bogus"),
    ("-f", "expected at least one argument"),
    ("g h", "unrecognized arguments: h"),
    ("'unclosed", "No closing quotation"),
])
def test_mistakes_give_one_clear_line(line, message):
    with pytest.raises(FlowUsageError) as e:
        parse_flow_args(line)
    assert message in str(e.value) and "\n" not in str(e.value).strip()


def test_line_magic_verbs():
    a = parse_flow_args("run g -f loss -d x=1", verbs=True)
    assert (a.verb, a.graph, a.fetches) == ("run", "g", ("loss",))
    assert parse_flow_args("show", verbs=True).verb == "show"
    with pytest.raises(FlowUsageError, match="unknown command 'draw'"):
        parse_flow_args("draw", verbs=True)
    with pytest.raises(FlowUsageError, match="unknown command 'nothing'"):
        parse_flow_args("", verbs=True)
