"""All op spec tables. Each module defines SPECS (a list of OpSpec) and, where an op type is
tested elsewhere (stateful ops, random ops, ...), OTHER_TESTS: {op type: "where it is tested"}.
"""

from . import core

MODULES = [core]
ALL_SPECS = [s for m in MODULES for s in m.SPECS]
OTHER_TESTS = {k: v for m in MODULES for k, v in getattr(m, "OTHER_TESTS", {}).items()}
