"""Nested structures of tensors (lists, tuples, namedtuples, dicts) for control flow: flatten
them, pack flat lists back, and compare two structures the way tf.nest does (dict values in
sorted-key order)."""

__all__ = ["flatten", "pack_as", "assert_same_structure", "is_nested"]


def is_nested(x):
    return isinstance(x, (list, tuple, dict))


def _children(x):
    if isinstance(x, dict):
        return [x[k] for k in sorted(x)]
    return list(x)


def flatten(x):
    """The leaves of ``x`` in order (None counts as a leaf)."""
    if not is_nested(x):
        return [x]
    out = []
    for c in _children(x):
        out.extend(flatten(c))
    return out


def pack_as(structure, flat):
    """``flat`` (a list of leaves) rebuilt into the shape of ``structure``."""
    it = iter(flat)

    def build(s):
        if not is_nested(s):
            return next(it)
        if isinstance(s, dict):
            vals = {k: build(s[k]) for k in sorted(s)}
            return type(s)((k, vals[k]) for k in s) if type(s) is not dict else \
                {k: vals[k] for k in s}
        items = [build(c) for c in s]
        if isinstance(s, tuple) and hasattr(s, "_fields"):
            return type(s)(*items)
        return type(s)(items)

    out = build(structure)
    rest = list(it)
    if rest:
        raise ValueError(f"{len(rest)} values left over when packing into {structure!r}")
    return out


def _describe(x):
    return f"type={type(x).__name__} str={x!r}"


def assert_same_structure(a, b, what="The two structures"):
    """ValueError (TypeError for list vs tuple) when ``a`` and ``b`` nest differently."""
    def check(x, y):
        if is_nested(x) != is_nested(y):
            raise ValueError(f"{what} don't have the same nested structure.\n\nFirst "
                             f"structure: {_describe(a)}\n\nSecond structure: {_describe(b)}\n\n"
                             f"More specifically: {_describe(x)} is not {_describe(y)}.")
        if not is_nested(x):
            return
        if type(x) is not type(y) and not (isinstance(x, list) and isinstance(y, list)):
            raise TypeError(f"{what} don't have the same nested structure: one has a "
                            f"{type(x).__name__} where the other has a {type(y).__name__}.\n\n"
                            f"First structure: {_describe(a)}\n\nSecond structure: "
                            f"{_describe(b)}")
        if isinstance(x, dict) and sorted(x) != sorted(y):
            raise ValueError(f"{what} don't have the same keys: {sorted(x)} and {sorted(y)}.")
        cx, cy = _children(x), _children(y)
        if len(cx) != len(cy):
            raise ValueError(f"{what} don't have the same nested structure: {len(cx)} and "
                             f"{len(cy)} elements.\n\nFirst structure: {_describe(a)}\n\n"
                             f"Second structure: {_describe(b)}")
        for p, q in zip(cx, cy):
            check(p, q)

    check(a, b)
