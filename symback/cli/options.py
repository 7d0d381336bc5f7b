"""The problem options every command shares, and turning them into a Problem."""

from __future__ import annotations

import functools

import click

PROBLEM_HELP = {
    "model": "The model: an expression such as 'w*x' (default), or definitions "
    "'h = tanh(w1*x + b1); y_hat = v*h + c'.",
    "loss": "mse (default: (y_hat - y)**2, the mean on a batch), abs, bce, ce (softmax cross-entropy of the "
    "logits y_hat against the class index y), or an expression in y_hat and y.",
    "param": "A parameter and its starting value, NAME=VALUE, a vector or matrix as a nested list "
    "(W=[[0.1,0.2],[0.3,0.4]]); repeat for each (default w=1.0).",
    "data": "CSV file whose header names the inputs and y (default: the lesson's x,y = 1,2; 2,4; 3,6); "
    "or, for large data, a NumPy .npz file with one array per column (numpy.savez('d.npz', x=x, y=y)).",
    "input": "Gather data columns into one vector input: NAME=COLUMN,COLUMN,... (x=x1,x2) or "
    "NAME=FIRST..LAST (x=x1..x64); repeatable. A .npz array of shape (n, d) is a vector input as it is.",
    "lr": "Learning rate η (default 0.01).",
    "problem": "A lesson file (TOML) with the same fields; options given here override it.",
}


def problem_options(command):
    """Add --model, --loss, --param, --data, --lr and --problem to a click command."""
    options = [
        click.option("--problem", "problem_file", type=click.Path(dir_okay=False), help=PROBLEM_HELP["problem"]),
        click.option("--lr", type=float, default=None, help=PROBLEM_HELP["lr"]),
        click.option("--input", "inputs", multiple=True, metavar="NAME=COLUMNS", expose_value=False,
                     callback=_remember_inputs, help=PROBLEM_HELP["input"]),
        click.option("--data", type=click.Path(dir_okay=False), default=None, help=PROBLEM_HELP["data"]),
        click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help=PROBLEM_HELP["param"]),
        click.option("--loss", default=None, metavar="mse|abs|bce|ce|EXPR", help=PROBLEM_HELP["loss"]),
        click.option("--model", default=None, metavar="EXPR", help=PROBLEM_HELP["model"]),
    ]
    return functools.reduce(lambda f, option: option(f), options, command)


def _remember_inputs(ctx, param, values):
    """--input is kept in the context (every command's build_problem reads it), not passed to each command."""
    from ..model.gather import parse_input

    ctx.meta["symback.inputs"] = dict(parse_input(v) for v in values)


def _given_inputs() -> dict | None:
    """The --input groups of the running command (None outside a command)."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get("symback.inputs") if ctx is not None else None


def lesson_of(problem_file, data=None):
    """The lesson file's settings, or {} without one; --data (``data``) replaces the lesson's data."""
    if not problem_file:
        return {}
    from ..app.lesson import load_lesson

    return load_lesson(problem_file, data_given=data is not None)


def build_problem(model, loss, params, data, lr, problem_file, lesson=None, sample=None):
    """A Problem from the options and the lesson file (see :func:`symback.app.problem.problem_from`)."""
    from ..app.problem import problem_from

    lesson = lesson if lesson is not None else lesson_of(problem_file, data)
    return problem_from(model, loss, params, data, lr, lesson, sample, _given_inputs())


class OutputPath(click.Path):
    """A file to write: not a directory, and not an empty name ('-' is standard output)."""

    def __init__(self):
        super().__init__(dir_okay=False, allow_dash=True)

    def convert(self, value, param, ctx):
        if value == "":
            self.fail("the file name is empty; give a file name, or '-' for standard output", param, ctx)
        return super().convert(value, param, ctx)


def output_option(command):
    return click.option("-o", "--output", type=OutputPath(), default=None,
                        help="Write to this file (atomically; '-' is standard output) instead of the terminal."
                        )(command)


def lang_option(command):
    """--lang: every language there is a catalogue for (adding symback/lang/<code>.json adds one)."""
    from ..lang import languages

    return click.option("--lang", type=click.Choice(list(languages())), default="en", show_default=True,
                        help="Language of the wording.")(command)


def emit(text: str, output) -> None:
    """Print ``text`` or write it atomically to ``output`` (and say so)."""
    if output is not None:
        from ..io import write_atomic

        write_atomic(output, text if text.endswith("\n") else text + "\n")
        wrote(output)
    else:
        click.echo(text)


def columns_for(output) -> int | None:
    """The width text output is fitted to: a file is not a terminal, so it gets the default
    width whatever the terminal's; the terminal (or '-') its own (None)."""
    from ..io import STDOUT
    from ..render.wrap import DEFAULT_WIDTH

    return DEFAULT_WIDTH if output not in (None, STDOUT) else None


def wrote(*paths) -> None:
    """'wrote FILE' on stderr for each file written, so a user sees where the output went
    (not for '-', which is standard output itself)."""
    from ..io import STDOUT

    for path in paths:
        if path and path != STDOUT:
            click.echo(f"wrote {path}", err=True)
