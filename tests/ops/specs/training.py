"""Training ops are stateful (they update variables): tested by their optimizers' trajectories
against TF1's (tests/train/test_optimizers.py) rather than by value rows."""

OTHER_TESTS = {
    t: "tests/train/test_optimizers.py (golden TF1 trajectories)"
    for t in ("ApplyGradientDescent", "ApplyMomentum", "ApplyAdam", "ApplyAdagrad",
              "ApplyRMSProp", "ApplyCenteredRMSProp", "ApplyAdadelta")}
