"""A Problem from the options of a command and its lesson file: each option given, else the file's, else the default.

A matrix input (a list among the parameters or the sample, ``@``, a function
of whole vectors, the loss ``ce``) goes to the matrix engine; anything else
to the scalar one. Columns named by ``inputs`` ({name: columns}, from
``--input``; else the lesson's [inputs]) are gathered into vector inputs.
"""

from __future__ import annotations


def problem_from(model, loss, params, data, lr, lesson: dict, sample=None, inputs: dict | None = None):
    """The Problem (or matrix problem) of these options over ``lesson``.

    ``params`` are NAME=VALUE texts; ``sample`` ({input or y: value}, from
    --sample) is the data when no data are given and the model's inputs are
    not the lesson's.
    """
    from ..model.spec import parse_assignments, problem
    from ..model.tensor_spec import is_tensor_input

    model = model if model is not None else lesson.get("model", "w*x")
    loss = loss if loss is not None else lesson.get("loss", "mse")
    sample = sample if sample is not None else lesson.get("sample")
    lr = lr if lr is not None else lesson.get("lr", 0.01)
    groups = inputs or lesson.get("inputs") or {}
    if is_tensor_input(model, loss, params or lesson.get("params"), sample):
        from ..model.tensor_data import matrix_problem

        return matrix_problem(model, loss, params or lesson.get("params"), _data(data, lesson, groups), lr, sample)
    param_values = parse_assignments(params, "parameter") if params else lesson.get("params")
    return problem(model=model, loss=loss, params=param_values, data=_data(data, lesson, groups), lr=lr, sample=sample)


def _data(data, lesson: dict, groups: dict):
    """The data given, else the lesson's; with the columns of ``groups`` gathered."""
    data = data if data is not None else lesson.get("data")
    if groups:
        from ..model.gather import load_gathered

        data = load_gathered(data, groups)
    return data
