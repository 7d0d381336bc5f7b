"""The lesson as a PyTorch program, the way the original lesson writes it.

Parameters are tensors with ``requires_grad=True``; ``forward`` is the model
written definition by definition (each operation a node of PyTorch's graph),
``loss`` the loss of one sample; the loop calls ``l.backward()``, prints
``w.grad``, updates ``w.data`` and zeroes the gradient, printing what the
original program prints (``grad:``, ``progress:``, ``predict(...)``). For the
original lesson it is that program, and its float32 printout is PyTorch's
reference output to the last bit.
"""

from __future__ import annotations

from sympy import Derivative

from ..model.parse import symbol
from ..render.document import Math, Text
from ..model.spec import Y_HAT
from .printer import ProgramPrinter
from .program import (Line, Names, Program, batch_args, data_lines, literal, loop_head, loss_symbol, prediction_calls,
                      rows_of, tensor_symbols)

ETA = symbol("eta")


def torch_program(problem, settings, points, words, refs, limit: int | None = None) -> Program:
    """The PyTorch program of ``problem`` trained with ``settings`` (sgd, batch or minibatch)."""
    names = Names(problem)
    printer = ProgramPrinter(names.map, "pytorch", tensor_symbols(problem))
    L = loss_symbol(problem)
    lines = [Line("", (Text(words("export.torch_title")),)), Line("", (Text(words("export.torch_run")),)),
             Line("import random") if settings.mode == "minibatch" else None, Line("import torch"), Line("")]
    if settings.dtype == "float64":
        lines.append(Line("torch.set_default_dtype(torch.float64)", (Text(words("export.float64")),)))
    else:
        lines.append(Line("", (Text(words("export.float32")),)))
    lines.append(Line(""))
    for i, (name, value) in enumerate(problem.params):
        lines.append(Line(f"{names[name]} = torch.tensor({literal(value)}, requires_grad=True)",
                          (Text(words("export.param")),) if i == 0 else ()))
    lines += _data(problem, names, settings, words, limit)
    lines.append(Line(f"lr = {literal(problem.lr)}", (Text(words("export.lr")), Math(ETA))))
    inputs = names.inputs(problem)
    lines += ["", "", Line(f"def forward({', '.join(inputs)}):")]
    for i, (name, expr) in enumerate(problem.shown_definitions):  # as written: b - b gives b.grad = 0
        note = (Text(words("export.forward_def", ref=refs.forward)),) if i == 0 else ()
        lines.append(Line(f"    {names[name]} = {printer.line(expr)}", note))
    lines += [Line(f"    return {names[Y_HAT]}"), "", "",
              Line(f"def loss({', '.join(inputs + ['y'])}):"),
              Line(f"    {names[Y_HAT]} = forward({', '.join(inputs)})"),
              Line(f"    return {printer.line(problem.loss)}", (Text(words("export.loss_def")), Math(L))), "", ""]
    lines += _loop(problem, settings, names, points, words, refs)
    return Program("pytorch", tuple(Line(x) if isinstance(x, str) else x for x in lines if x is not None))


def _data(problem, names, settings, words, limit=None) -> list:
    columns = names.inputs(problem) + ["y"]
    rows = rows_of(problem, limit)
    if settings.mode == "sgd":
        return data_lines(rows, columns, (Text(words("export.data", columns=", ".join(columns))),))
    out = []
    for j, name in enumerate(columns):
        values = ", ".join(literal(row[j]) for row in rows)
        note = (Text(words("export.columns")),) if j == 0 else ()
        out.append(Line(f"{name} = torch.tensor([{values}])", note))
    return out


def _loop(problem, settings, names, points, words, refs) -> list:
    inputs, params = names.inputs(problem), names.params(problem)
    L = loss_symbol(problem)
    predictions = prediction_calls(points, lambda args: f"forward({', '.join(args)}).item()")
    out = [Line(f"print('predict(before training)', {shown}, {call})") for shown, call in predictions]
    body = _step(problem, names, words, refs)
    head, pad = loop_head(problem, settings, words)
    if settings.mode == "sgd":
        first = Line(f"{pad}l = loss({', '.join(inputs + ['y'])})", (Text(words("export.l_forward", ref=refs.forward)),))
        shown = inputs + ["y"]
    else:
        first = Line(f"{pad}l = loss({batch_args(inputs + ['y'], settings.mode)}).mean()",
                     (Text(words("export.l_mean", ref=refs.forward)),))
        shown = []
    grad = Line(f"{pad}print('\\tgrad:', " + ", ".join(shown + [f"{p}.grad.item()" for p in params]) + ")",
                _grad_note(problem, names, L))
    out += head + [first, Line(pad + body[0].code, body[0].note), grad] + [Line(pad + x.code, x.note) for x in body[1:]]
    out.append(Line(f"    print('progress:', epoch, l.item())",
                    (Text(words("export.progress" if settings.mode == "sgd" else "export.progress_mean")),)))
    out += [Line(f"print('predict(after training)', {shown}, {call})") for shown, call in predictions]
    return out


def _step(problem, names, words, refs) -> list[Line]:
    """backward(), then each parameter's update and the zeroing of its gradient."""
    L = loss_symbol(problem)
    out = [Line("l.backward()", (Text(words("export.backward", ref=refs.backward)),))]
    for name in problem.param_names:
        p, w = names[name], symbol(name)
        rule = (Math(w), Text(" ← "), Math(w - ETA * Derivative(L, w)), Text(f" ({refs.update})"))
        out.append(Line(f"{p}.data = {p}.data - lr * {p}.grad.data", rule))
    for i, name in enumerate(problem.param_names):
        note = (Text(words("export.zero", ref=refs.backward)),) if i == 0 else ()
        out.append(Line(f"{names[name]}.grad.zero_()", note))
    return out


def _grad_note(problem, names, L) -> tuple:
    items = []
    for i, name in enumerate(problem.param_names):
        items += ([Text(", ")] if i else []) + [Text(f"{names[name]}.grad = "), Math(Derivative(L, symbol(name)))]
    return tuple(items)
