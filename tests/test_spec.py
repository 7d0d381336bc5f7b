"""Problem: defaults, layered models, parameters, data."""

import pytest

from symback.model.data import parse_csv
from symback.errors import DataError, ParseError, SpecError
from symback.model.spec import parse_model, problem


def test_defaults_are_the_lesson():
    p = problem()
    assert p.param_values == {"w": 1.0}
    assert p.inputs == ("x",)
    assert p.data.rows == ((1.0, 2.0), (2.0, 4.0), (3.0, 6.0))
    assert p.lr == 0.01
    assert p.loss_name == "mse"


def test_repr_is_readable():
    assert repr(problem()).startswith("Problem(model='y_hat = w*x'")


def test_layered_model():
    p = problem("h = tanh(w*x + b); y_hat = v*h + c", params={"w": 1, "b": 0, "v": 1, "c": 0})
    assert [n.name for n, _ in p.definitions] == ["h", "y_hat"]
    assert p.inputs == ("x",)


def test_model_may_hold_a_thousand_definitions():
    text = "; ".join(f"h{i} = h{i - 1} + w" if i else "h0 = w*x" for i in range(1000)) + "; y_hat = h999"
    assert len(parse_model(text)) == 1001


def test_name_used_before_definition():
    with pytest.raises(ParseError, match="before it is defined"):
        parse_model("g = h + w; h = w*x; y_hat = g")


def test_parameter_missing_from_model():
    with pytest.raises(SpecError, match="does not appear"):
        problem("w*x", params={"v": 1})


def test_custom_loss_in_yhat():
    assert problem(loss="(yhat - y)**4").loss_name == "custom"


def test_loss_must_depend_on_prediction():
    with pytest.raises(ParseError):
        problem(loss="y**2")


def test_missing_data_column():
    with pytest.raises(DataError, match="no column x2"):
        problem("w1*x1 + w2*x2", params={"w1": 1, "w2": 1}, data=(["x1", "y"], [[1, 2]]))


def test_extra_data_columns_are_ignored():
    p = problem(data=(["id", "x", "y"], [[7, 1, 2]]))
    assert p.data.names == ("x", "y")


def test_csv_bom_and_blank_lines():
    assert parse_csv("\ufeffx,y\n\n1,2\n").rows == ((1.0, 2.0),)


def test_learning_rate_must_be_positive():
    with pytest.raises(SpecError):
        problem(lr=-1)


def test_a_full_sample_is_the_data_of_a_model_with_other_inputs():
    p = problem(model="w1*x1 + w2*x2", params={"w1": 1, "w2": 1}, sample={"x1": 2, "x2": 3, "y": 1})
    assert p.data.names == ("x1", "x2", "y") and p.data.rows == ((2.0, 3.0, 1.0),)


def test_the_lesson_data_apply_only_to_the_lessons_inputs():
    with pytest.raises(DataError, match="not the lesson's x.*give it in full: sample x1=1,x2=1,y=1"):
        problem(model="w1*x1 + w2*x2", params={"w1": 1, "w2": 1})


def test_the_lessons_inputs_keep_the_lesson_data_with_a_sample():
    assert len(problem(sample={"x": 5, "y": 1}).data) == 3
