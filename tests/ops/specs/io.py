"""Checkpoint and summary ops are tested by their own suites (they write files)."""

OTHER_TESTS = {
    "SaveV2": "tests/train/test_saver.py (save, restore, state file)",
    "RestoreV2": "tests/train/test_saver.py and tests/train/test_checkpoint_damage.py",
}

OTHER_TESTS.update({
    t: "tests/summary/test_summary_ops.py (serialized Summary protos)"
    for t in ("ScalarSummary", "HistogramSummary", "ImageSummary", "AudioSummaryV2",
              "TensorSummaryV2", "MergeSummary")})
