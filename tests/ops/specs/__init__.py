"""All op spec tables, discovered automatically: each module in this package defines SPECS
(a list of OpSpec) and, where an op type is tested elsewhere (stateful ops, random ops, ...),
OTHER_TESTS: {op type: "where it is tested"}.
"""

import importlib
import pkgutil

MODULES = [importlib.import_module(f"{__name__}.{m.name}")
           for m in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name)]
ALL_SPECS = [s for m in MODULES for s in getattr(m, "SPECS", [])]
OTHER_TESTS = {k: v for m in MODULES for k, v in getattr(m, "OTHER_TESTS", {}).items()}
