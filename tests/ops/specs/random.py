"""Random ops are tested by their statistics, not against NumPy values."""

OTHER_TESTS = {
    "RandomGamma": "tests/ops/test_random_ops.py (moments, shapes, seeds)",
    "RandomPoissonV2": "tests/ops/test_random_ops.py (moments, support, seeds)",
    "RandomShuffle": "tests/ops/test_random_ops.py (permutation, seeds)",
    "Multinomial": "tests/ops/test_random_ops.py (frequencies, support, seeds)",
}
