"""explain on matrix models agrees with PyTorch autograd in float64 (tests/reference/torch_matrix_table.json,
written once by tests/reference/torch_matrix_table.py): loss, gradient and one step, on one sample and the batch."""

import json
import pathlib

import numpy as np
import pytest

from symback.core.tensor.batch import explain_tensor_batch
from symback.core.tensor.derive import explain_tensor
from symback.model.tensor_spec import tensor_problem

TABLE = json.loads((pathlib.Path(__file__).parent / "reference" / "torch_matrix_table.json").read_text("utf-8"))
CASES = {case["name"]: case for case in TABLE["cases"]}
TOLERANCE = 1e-9


def _problem(case, rows):
    data = case["data"]
    samples = [{"x": x, "y": y} for x, y in zip(data["x"], data["y"])][:rows]
    return tensor_problem(case["model"], case["loss"], params=case["params"], samples=samples, lr=case["lr"])


def _close(ours, theirs) -> bool:
    return np.shape(ours) == np.shape(theirs) and np.allclose(np.asarray(ours, float), np.asarray(theirs, float),
                                                              rtol=0, atol=TOLERANCE)


@pytest.mark.parametrize("name", sorted(CASES))
def test_explain_of_the_first_sample_matches_pytorch(name):
    case = CASES[name]
    d, ref = explain_tensor(_problem(case, 1)), case["sample"]
    assert _close(d.loss, ref["loss"])
    assert all(_close(d.gradient[p], ref["gradient"][p]) and _close(d.params_after[p], ref["params_after"][p])
               for p in case["params"])


@pytest.mark.parametrize("name", sorted(CASES))
def test_explain_of_the_batch_matches_pytorch(name):
    case = CASES[name]
    b, ref = explain_tensor_batch(_problem(case, None)), case["batch"]
    assert _close(b.loss, ref["loss"])
    assert all(_close(b.gradient[p], ref["gradient"][p]) and _close(b.params_after[p], ref["params_after"][p])
               for p in case["params"])
