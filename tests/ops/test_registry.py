"""Walks the op registry: every op type has a NumPy kernel, a gradient rule or a reason,
a docstring, and a test (a spec row or a named test elsewhere)."""

from flowbook.backends import get_backend
from flowbook.ops.registry import registered_ops
from tests.ops.specs import ALL_SPECS, OTHER_TESTS


def test_every_op_has_a_numpy_kernel():
    numpy = get_backend("numpy")
    missing = [d.type for d in registered_ops() if not numpy.has_kernel(d.type)]
    assert missing == []


def test_every_op_has_a_gradient_rule_or_a_reason():
    missing = [d.type for d in registered_ops() if d.grad is None and not d.not_differentiable]
    assert missing == []


def test_every_op_has_a_docstring():
    assert [d.type for d in registered_ops() if not d.doc] == []


def test_every_op_has_a_test():
    covered = {t for s in ALL_SPECS for t in s.covers} | set(OTHER_TESTS)
    missing = [d.type for d in registered_ops() if d.type not in covered]
    assert missing == []


def test_spec_rows_name_registered_ops():
    known = {d.type for d in registered_ops()}
    assert {t for s in ALL_SPECS for t in s.covers} - known == set()
