"""Shared fixtures: every test starts with a fresh default graph and no default session."""

import pytest

import flowbook as tf
from flowbook.graph.graph import _thread_state


@pytest.fixture(autouse=True)
def fresh_graph():
    state = _thread_state()
    state.graph_stack.clear()
    state.session_stack.clear()
    tf.reset_default_graph()
    yield
    state.graph_stack.clear()
    state.session_stack.clear()


@pytest.fixture
def sess():
    s = tf.Session()
    yield s
    s.close()
