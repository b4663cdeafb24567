"""Control-flow ops run function bodies; they are tested as control flow, not by value rows."""

OTHER_TESTS = {
    "If": "tests/ops/test_control_flow.py, tests/autodiff/test_control_flow_grad.py",
    "Case": "tests/ops/test_control_flow.py (switch_case), test_control_flow_grad.py",
    "While": "tests/ops/test_control_flow.py, tests/autodiff/test_control_flow_grad.py",
    "WhileGrad": "tests/autodiff/test_control_flow_grad.py (gradients through while_loop)",
}
# GraphDef round trips of all four: tests/ops/test_control_flow_io.py, tests/graph/test_graph_def.py
