"""symback train: gradient descent with the derived gradient, as the original program ran it."""

from __future__ import annotations

import contextlib
import sys

import click

from ..app.outputs import check_outputs
from .options import (OutputPath, build_problem, columns_for, lang_option, lesson_of, output_option, problem_options,
                      wrote)

MODES = ("sgd", "batch", "minibatch")


class WholeNumber(click.ParamType):
    """A positive whole number; 1e3 and 100.0 are accepted, 2.5, 0 and -1 are not."""

    name = "N"

    def convert(self, value, param, ctx):
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = None
        if number is None or not number.is_integer() or number < 1 or number > 1e12:
            self.fail(f"{value!r} is not a positive whole number (e.g. 100)", param, ctx)
        return int(number)


@click.command("train")
@problem_options
@click.option("--epochs", type=WholeNumber(), default=None, help="Passes over the data (default 100).")
@click.option("--mode", type=click.Choice(MODES), default=None,
              help="sgd: one update per sample, in data order (default, as the original); batch: one update per "
                   "epoch on the mean loss; minibatch: --batch-size samples per update, shuffled with --seed.")
@click.option("--batch-size", type=WholeNumber(), default=None,
              help="Samples per update with --mode minibatch: 1 to the number of samples (default 32, or all "
                   "the samples when there are fewer).")
@click.option("--seed", type=int, default=None, help="Seed of the minibatch shuffle (default 0).")
@click.option("--dtype", type=click.Choice(["float64", "float32"]), default=None,
              help="float64 (default), or float32: every operation rounded to float32, as PyTorch computes "
                   "with its default tensors (needs NumPy).")
@click.option("--backend", type=click.Choice(["numpy", "numba", "blas"]), default=None,
              help="numpy (default): Python floats per sample, NumPy arrays for batches; numba: whole epochs in "
                   "compiled kernels that read the data once per pass (pip install 'symback[numba]', or in a "
                   "checkout pip install -e '.[numba]'); blas (matrix models): matrix products through BLAS, "
                   "fastest, but the last digits depend on the processor.")
@click.option("--predict", "predict", multiple=True, metavar="NAME=V,...",
              help="Predict y_hat at these inputs before and after training; repeatable "
                   "(default x=4 with the lesson's data).")
@click.option("--plot", type=OutputPath(), default=None,
              help="Save the loss curve, and for 1 or 2 parameters the loss surface with the path taken: "
                   ".png, .svg or .pdf (needs matplotlib: pip install 'symback[plot]', or in a checkout "
                   "pip install -e '.[plot]').")
@click.option("--history", "history_file", type=OutputPath(), default=None,
              help="Save every epoch's loss and parameters: .csv or .json ('-' for JSON on standard output).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "html"]), default="text", show_default=True,
              help="Output format (markdown, html: the report as a document, the epochs as a table).")
@click.option("-v", "--verbose", is_flag=True, help="One line per update (sample, gradient, new parameters), "
                                                     "like the original program.")
@click.option("--digits", type=click.IntRange(1, 17), default=None, metavar="N",
              help="Show the report's numbers with N significant digits; '≈' marks a rounded parameter "
                   "(default: every digit; JSON and --history keep every digit).")
@lang_option
@output_option
def command(model, loss, params, data, lr, problem_file, epochs, mode, batch_size, seed, dtype, backend, predict,
            plot, history_file, fmt, verbose, digits, lang, output):
    """Train the model by gradient descent, with the gradient that backpropagation derives.

    The gradient is the symbolic derivation of 'symback explain', compiled once
    to plain Python (NumPy for big batches). With no options this is the
    original lesson's PyTorch program: w = 1, 100 epochs of one update per
    sample, lr 0.01; x = 4 predicts 4.0 before and 7.9999999999996945 after.
    --dtype float32 reproduces PyTorch's float32 printout to the last bit.

    \b
    Examples:
      symback train
      symback train -v --dtype float32
      symback train --model "w*x + b" --param w=0 --param b=0 --mode batch --epochs 500 --plot loss.png
      symback train --model "sigmoid(w*x + b)" --loss bce --data hours_pass.csv --param w=0 --param b=0 --lr 0.5
      symback train --model "w*x + b" --data big.npz --mode batch --backend numba
      symback train --problem examples/matrix/three-classes.toml      (a matrix model: softmax regression)
    """
    from ..app.lesson import pick
    from ..app.points import training_points
    from ..app.training import TrainingReport, check_files, long_run, save
    from ..core.numeric import significant_digits
    from ..errors import TrainingDiverged
    from ..lang import wording
    from ..train.run import settings, train

    if verbose and fmt != "text":
        raise click.UsageError(f"-v prints a text log; leave it out with --format {fmt}")
    lesson = lesson_of(problem_file, data)
    check_outputs({"-o": output, "--history": history_file, "--plot": plot}, problem_file, data, lesson)
    problem = build_problem(model, loss, params, data, lr, problem_file, lesson)
    if hasattr(problem, "samples"):  # a matrix model
        from ..train.tensor_run import tensor_settings as settings, train_tensor as train  # noqa: F811
    chosen = settings(problem, epochs=pick(epochs, lesson, "epochs", 100), mode=pick(mode, lesson, "mode", "sgd"),
                      batch_size=pick(batch_size, lesson, "batch_size", None), seed=pick(seed, lesson, "seed", 0),
                      dtype=pick(dtype, lesson, "dtype", "float64"), backend=backend or "numpy")
    points = training_points(problem, predict, lesson, own_data=data is None and "data" not in lesson)
    check_files(history_file, plot)
    words = wording(lang)
    report = TrainingReport(words, points, output, verbose and fmt == "text", columns_for(output), click.echo, wrote)
    with significant_digits(digits), _progress(long_run(problem, chosen) and not report.streaming, chosen.epochs,
                                               words("train.progressbar")) as bar:
        history = train(problem, chosen, on_start=report.start, on_update=report.update if verbose else None,
                        on_epoch=report.epoch if verbose else bar, log_all=bool(history_file) or fmt == "json")
        preds = report.finish(history, fmt)
    save(history, preds, history_file, plot, lang, lambda line: click.echo("symback: note: " + line, err=True), wrote)
    if history.diverged:
        from ..render.train_report import divergence_text

        raise TrainingDiverged(divergence_text(history, words), history)


def _progress(show: bool, epochs: int, label: str):
    """A progress bar on stderr, for long runs on a terminal only; it is told of each epoch."""
    if not (show and sys.stderr.isatty()):
        return contextlib.nullcontext()
    bar = click.progressbar(length=epochs, label=label, file=sys.stderr, update_min_steps=max(1, epochs // 500))

    @contextlib.contextmanager
    def ticking():
        with bar:
            yield lambda entry: bar.update(1)

    return ticking()
