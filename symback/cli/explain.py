"""symback explain: the chain-rule derivation of one sample or of the batch."""

from __future__ import annotations

import click

from ..app.outputs import check_outputs
from .options import build_problem, columns_for, emit, lang_option, lesson_of, output_option, problem_options


@click.command("explain")
@problem_options
@click.option("--sample", default=None, metavar="NAME=V,...",
              help="The sample to explain, e.g. x=1,y=2 (default: the first row of the data); a sample given in "
                   "full needs no --data.")
@click.option("--mode", type=click.Choice(["sample", "batch"]), default=None,
              help="One sample (default), or the mean loss over every row of the data.")
@click.option("--format", "fmt", type=click.Choice(["text", "latex", "markdown", "html", "json"]), default="text",
              show_default=True, help="Output format (html: one page, maths as MathML).")
@click.option("--standalone", is_flag=True, help="With --format latex: a whole document that compiles with pdflatex.")
@click.option("--digits", type=click.IntRange(1, 17), default=None, metavar="N",
              help="Show numbers with N significant digits; '≈' marks a rounded result (default: every digit).")
@click.option("--entries", default=None, metavar="NAME[i,j]",
              help="Matrix models: also show the scalar derivation of one gradient entry in full, e.g. W1[0,1].")
@lang_option
@output_option
def command(model, loss, params, data, lr, problem_file, sample, mode, fmt, standalone, digits, entries, lang, output):
    """Explain how backpropagation computes the gradient, step by step.

    Shows the problem, the computational graph with forward values, each
    local derivative with its rule, the backward pass with the numbers, the
    closed form (checked against SymPy's diff) and the gradient-descent
    update. With no options: the classic lesson, w = 1 -> 1.02.
    """
    from ..app.tensor import sample_values
    from ..core.batch import explain_batch
    from ..core.derive import explain as explain_sample
    from ..render import render

    if standalone and fmt != "latex":
        raise click.UsageError(f"--standalone makes a whole LaTeX document; use it with --format latex, not {fmt}")
    lesson = lesson_of(problem_file, data)
    check_outputs({"-o": output}, problem_file, data, lesson)
    mode = mode or lesson.get("mode", "sample")
    if mode == "batch" and sample:
        raise click.UsageError("--sample explains one sample; leave it out with --mode batch")
    values = sample_values(sample, model, loss, params, lesson)
    problem = build_problem(model, loss, params, data, lr, problem_file, lesson, values)
    if getattr(problem, "is_tensor", False):
        from ..app.tensor import explain_matrix

        derivation = explain_matrix(problem, mode, entries)
    elif entries:
        raise click.UsageError("--entries shows one entry of a matrix gradient; this model has no matrices")
    elif mode == "batch":
        derivation = explain_batch(problem)
    else:
        derivation = explain_sample(problem, values or lesson.get("sample", 0))
    emit(render(derivation, fmt, lang=lang, standalone=standalone, digits=digits, columns=columns_for(output)), output)
