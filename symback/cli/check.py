"""symback check: grade a hand-derived gradient, or steps of the chain rule."""

from __future__ import annotations

import click

from ..app.outputs import check_outputs
from .options import build_problem, columns_for, emit, lang_option, lesson_of, output_option, problem_options


@click.command("check")
@problem_options
@click.option("--answer", "answers", multiple=True, metavar="EXPR",
              help="Your gradient dL/dPARAM, e.g. '2*x*(w*x - y)'. It may use y_hat and the graph's names (r, u1, ...); "
                   "for a matrix model in matrix form, e.g. 'delta @ transpose(x)'.")
@click.option("--wrt", default=None, metavar="NAME",
              help="The parameter (or graph node) of --answer; needed when the model has several parameters.")
@click.option("--step", "steps", multiple=True, metavar="'dA/dB = EXPR'",
              help="One step of the chain rule by the graph's names, e.g. 'dL/dr = 2*r'; repeat to check several.")
@click.option("--sample", default=None, metavar="NAME=V,...",
              help="The sample whose values are shown, e.g. x=1,y=2 (default: the first row of the data).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "html"]), default="text", show_default=True,
              help="Output format (markdown: each verdict as a Markdown document; html: one page).")
@lang_option
@output_option
def command(model, loss, params, data, lr, problem_file, answers, wrt, steps, sample, fmt, lang, output):
    """Check a hand-derived gradient and say where it went wrong.

    Exit code 0 when every answer is right, 1 when one is wrong, 2 when an
    answer cannot be read. With no problem options: the classic lesson
    y_hat = w*x, loss (y_hat - y)^2, w = 1, sample x = 1, y = 2.

    \b
    Examples:
      symback check --answer "2*x*(w*x - y)"
      symback check --answer "2*(w*x - y)"
      symback check --step "dL/dr = 2*r" --step "dr/dy_hat = 1"
      symback check --model "w*x + b" --param w=1 --param b=0 --wrt b --answer "2*r"
      symback check --problem examples/matrix/tanh-mlp.toml --wrt W1 --answer "delta @ transpose(x)"
    """
    if len(answers) > 1:
        raise click.UsageError("--answer is given more than once; check one gradient at a time "
                               "(or the steps of one with --step 'dA/dB = EXPR', repeatable)")
    answer = answers[0] if answers else None
    if answer is None and not steps:
        raise click.UsageError("give --answer EXPR (your dL/dPARAM) or --step 'dA/dB = EXPR'")
    if wrt is not None and answer is None:
        raise click.UsageError("--wrt goes with --answer; a step names its own variables, e.g. 'dL/dr = 2*r'")
    import json
    import sys

    from ..check.grade import check_answer, check_step
    from ..render.check_report import report_json, report_printed, report_text
    from ..app.tensor import is_matrix, sample_values

    lesson = lesson_of(problem_file, data)
    check_outputs({"-o": output}, problem_file, data, lesson)
    matrix = is_matrix(model, loss, params, sample, lesson)
    values = sample_values(sample, model, loss, params, lesson)
    problem = build_problem(model, loss, params, data, lr, problem_file, lesson, values)
    point = values or lesson.get("sample", 0)
    document = None
    if matrix:
        verdicts, report_json, report_text, document = _matrix_verdicts(problem, answer, wrt, steps,
                                                                         0 if values else point)
    else:
        verdicts = [check_answer(problem, answer, wrt, point)] if answer is not None else []
        verdicts += [check_step(problem, step, point) for step in steps]
    if fmt == "json":
        objects = [report_json(v, lang) for v in verdicts]
        body = objects[0] if len(objects) == 1 else {"correct": all(v.correct for v in verdicts), "checks": objects}
        emit(json.dumps(body, ensure_ascii=False, indent=2), output)
    elif fmt in ("markdown", "html"):
        emit(report_printed(verdicts, lang, fmt, document), output)
    else:
        from ..render.wrap import fit_lines

        columns = columns_for(output)
        text = "\n\n".join(report_text(v, lang, columns) for v in verdicts)
        emit("\n".join(fit_lines(text.split("\n"), columns)), output)
    if not all(v.correct for v in verdicts):
        sys.exit(1)  # not an error: the grade, for scripts (ctx.exit's code is lost in the group's main)


def _matrix_verdicts(problem, answer, wrt, steps, index):
    """The matrix check of --answer, and its printers (--step names scalar steps: not for matrices)."""
    from ..check.matrix_grade import check_matrix_answer
    from ..render.matrix_check import report_document, report_json, report_text

    if steps:
        raise click.UsageError("--step checks a scalar chain rule; for a matrix model check a node's gradient with "
                               "--wrt NODE --answer EXPR, e.g. --wrt h --answer 'transpose(W2) @ delta_y_hat'")
    if not isinstance(index, int):
        index = 0
    return [check_matrix_answer(problem, answer, wrt, index)], report_json, report_text, report_document
