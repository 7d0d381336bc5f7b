"""symback export: the lesson as a runnable PyTorch or NumPy program."""

from __future__ import annotations

import click

from ..app.outputs import check_outputs
from ..app.tensor import scalar_only
from .options import build_problem, emit, lang_option, lesson_of, output_option, problem_options


@click.command("export")
@problem_options
@click.option("--to", "target", type=click.Choice(["pytorch", "numpy"]), default="pytorch", show_default=True,
              help="pytorch: autograd does the backward pass, as in the original lesson; numpy: the backward "
                   "pass written out by hand, one line per step of the derivation.")
@click.option("--mode", type=click.Choice(["sgd", "batch", "minibatch"]), default=None,
              help="How the program trains: sgd (default, one update per sample), batch or minibatch.")
@click.option("--epochs", type=click.IntRange(1, 10_000_000), default=None, help="Epochs of training (default 100).")
@click.option("--batch-size", type=click.IntRange(1), default=None, help="Samples per update with --mode minibatch.")
@click.option("--seed", type=int, default=None, help="Seed of the minibatch shuffle (default 0), as symback train's.")
@click.option("--dtype", type=click.Choice(["float64", "float32"]), default=None,
              help="float64 (default, symback's numbers) or float32 (PyTorch's default tensors).")
@click.option("--predict", multiple=True, metavar="NAME=V,...",
              help="Inputs to predict at before and after training; repeatable (default x=4 with the lesson's data).")
@output_option
@lang_option
def command(model, loss, params, data, lr, problem_file, target, mode, epochs, batch_size, seed, dtype, predict,
            output, lang):
    """Print the lesson as a runnable program, each line annotated with its step.

    The program trains the problem as 'symback train' does and prints what the
    original lesson's program prints (grad: lines, progress:, the
    predictions): the same numbers as 'symback train -v'. For the original
    lesson the PyTorch program is that program; with --dtype float32 its
    printout is PyTorch's reference output to the last bit.

    \b
    Examples:
      symback export > lesson.py && python lesson.py
      symback export --to numpy --dtype float32 -o lesson_numpy.py
      symback export --problem examples/logistic.toml --to numpy
    """
    from ..export import export_program
    from ..lang import wording
    from ..app.lesson import lesson_settings
    from ..app.points import given_points

    lesson = lesson_of(problem_file, data)
    check_outputs({"-o": output}, problem_file, data, lesson)
    problem = build_problem(model, loss, params, data, lr, problem_file, lesson)
    scalar_only(problem, "export")
    chosen = lesson_settings(problem, lesson, epochs, mode, batch_size, seed, dtype)
    emit(export_program(problem, chosen, target, given_points(predict, lesson), wording(lang)).text().rstrip("\n"),
         output)
