"""Timing helpers: medians over repeats, machine description, a printed table.

Benchmarks never fail a build: they print figures (and optionally write JSON) for humans.
"""

import datetime
import gc
import os
import platform
import statistics
import time


def machine():
    """One line describing where the figures come from."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    import numpy as np
    return (f"{datetime.date.today().isoformat()} | {cpu} | {os.cpu_count()} cores | "
            f"Python {platform.python_version()} | NumPy {np.__version__}")


def per_call(fn, min_time=0.2, repeats=7):
    """Median seconds per call of ``fn`` (calls batched to last ``min_time``)."""
    fn()
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        dt = time.perf_counter() - t0
        if dt >= min_time / repeats or n >= 1 << 24:
            break
        n *= 4
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        samples.append((time.perf_counter() - t0) / n)
    return statistics.median(samples)


def once(fn, repeats=5, setup=None):
    """Median seconds of a one-shot action (``setup()`` runs untimed before each repeat)."""
    samples = []
    for _ in range(repeats):
        state = setup() if setup else None
        gc.collect()
        t0 = time.perf_counter()
        fn(state) if setup else fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def fmt_time(s):
    if s < 1e-3:
        return f"{s * 1e6:.2f} µs"
    if s < 1:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.3f} s"


def table(rows):
    """rows: (workload, flowbook seconds or text, numpy seconds or None, target text)."""
    head = ("workload", "flowbook", "NumPy", "ratio", "target")
    lines = []
    for name, fb, ref, target in rows:
        fbs = fmt_time(fb) if isinstance(fb, float) else str(fb)
        refs = fmt_time(ref) if isinstance(ref, float) else (ref or "-")
        ratio = f"{fb / ref:.2f}x" if isinstance(fb, float) and isinstance(ref, float) else "-"
        lines.append((name, fbs, refs, ratio, target or ""))
    widths = [max(len(str(r[i])) for r in lines + [head]) for i in range(5)]
    out = ["  ".join(str(h).ljust(w) for h, w in zip(head, widths))]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)) for r in lines]
    return "\n".join(out)
