"""A parameter or input that cancels as written is part of the model: its gradient is 0, as in PyTorch."""

import pytest
from click.testing import CliRunner

from symback import problem
from symback.cli import cli
from symback.core.derive import explain
from symback.errors import SpecError
from symback.train.run import Settings, train


@pytest.mark.parametrize("model, params, gone", [
    ("w*x + b - b", {"w": 1, "b": 0.3}, "b"),
    ("t*b2/b2", {"t": 1, "b2": 2}, "b2"),
    ("a - a", {"a": 1}, "a"),
    ("w2*relu(2.5 - 4)", {"w2": 1}, "w2"),
])
def test_a_parameter_that_cancels_has_gradient_zero(model, params, gone):
    d = explain(problem(model, params=params))
    assert d.gradient[gone] == 0.0
    assert d.params_after[gone] == params[gone]


def test_the_explanation_says_the_parameter_cancels():
    result = CliRunner().invoke(cli, ["explain", "--model", "w*x + b - b", "--param", "w=1", "--param", "b=0.3"])
    assert result.exit_code == 0
    assert "b cancels in the model as written: its contributions add to 0" in " ".join(result.stdout.split())


def test_an_input_that_cancels_is_still_an_input():
    p = problem("w*s/s", sample={"s": 2, "y": 1})
    assert p.inputs == ("s",)
    assert explain(p, {"s": 2, "y": 1}).gradient == {"w": 0.0}


def test_a_model_whose_parameters_all_cancel_trains_without_moving():
    history = train(problem("a - a", params={"a": 1}), Settings(epochs=2))
    assert history.final_params == (("a", 1.0),)


def test_a_parameter_that_does_not_reach_y_hat_is_named():
    with pytest.raises(SpecError, match="parameter w does not reach y_hat: it is used only in h"):
        problem("h = w*x; y_hat = 2*x")


def test_the_model_is_shown_as_written_where_a_name_cancels():
    out = " ".join(CliRunner().invoke(cli, ["explain", "--model", "w2*relu(2.5 - 4)", "--param", "w2=1"]).stdout.split())
    assert "model ŷ = w₂·relu(5/2 − 4)" in out


def test_the_pytorch_program_keeps_the_cancelling_terms_so_autograd_gives_0():
    result = CliRunner().invoke(cli, ["export", "--model", "w*x + b - b", "--param", "w=1", "--param", "b=0.3",
                                      "--to", "pytorch"])
    assert "y_hat = w * x + b - b" in result.stdout


def test_a_definition_that_cancels_in_y_hat_still_reaches_it():
    d = explain(problem("h = w*x; y_hat = h - h + v", params={"w": 1, "v": 0}))
    assert d.gradient["w"] == 0.0
