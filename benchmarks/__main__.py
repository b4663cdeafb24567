"""``python -m benchmarks``: runs every workload and prints one table (figures, not tests)."""

import argparse
import importlib
import json
import pkgutil
import sys

from .harness import machine, table


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("-k", default="", help="run only workloads whose name contains this")
    p.add_argument("--json", help="also write the rows to this JSON file")
    args = p.parse_args(argv)
    import benchmarks
    rows = []
    for m in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda m: m.name):
        if not m.name.startswith("bench_"):
            continue
        mod = importlib.import_module(f"benchmarks.{m.name}")
        for w in getattr(mod, "WORKLOADS", []):
            if args.k and args.k not in f"{m.name}.{w.__name__}":
                continue
            try:
                rows.extend(w())
            except Exception as e:  # noqa: BLE001 (a benchmark must not hide the others)
                rows.append((f"{m.name}.{w.__name__}", f"failed: {e}", None, ""))
            sys.stdout.flush()
    print(machine())
    print(table(rows))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": machine(), "rows": [list(r) for r in rows]}, f, indent=1,
                      default=str)


if __name__ == "__main__":
    main()
