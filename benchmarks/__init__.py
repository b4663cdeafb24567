"""flowbook's benchmarks: ratios against hand-written NumPy, measured in the same run."""
