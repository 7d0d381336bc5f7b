"""symback check: grade a hand-derived gradient, or steps of the chain rule."""

from __future__ import annotations

import click

from .options import (build_problem, check_outputs, columns_for, emit, lang_option, lesson_of, output_option,
                      problem_options)


@click.command("check")
@problem_options
@click.option("--answer", "answers", multiple=True, metavar="EXPR",
              help="Your gradient dL/dPARAM, e.g. '2*x*(w*x - y)'. It may use y_hat and the graph's names (r, u1, ...).")
@click.option("--wrt", default=None, metavar="NAME",
              help="The parameter (or graph node) of --answer; needed when the model has several parameters.")
@click.option("--step", "steps", multiple=True, metavar="'dA/dB = EXPR'",
              help="One step of the chain rule by the graph's names, e.g. 'dL/dr = 2*r'; repeat to check several.")
@click.option("--sample", default=None, metavar="NAME=V,...",
              help="The sample whose values are shown, e.g. x=1,y=2 (default: the first row of the data).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format.")
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
    from ..check.report import report_json, report_text
    from ..model.spec import parse_assignments

    lesson = lesson_of(problem_file, data)
    check_outputs({"-o": output}, problem_file, data, lesson)
    values = parse_assignments(sample, "sample value") if sample else None
    problem = build_problem(model, loss, params, data, lr, problem_file, lesson, values)
    point = values or lesson.get("sample", 0)
    verdicts = [check_answer(problem, answer, wrt, point)] if answer is not None else []
    verdicts += [check_step(problem, step, point) for step in steps]
    if fmt == "json":
        objects = [report_json(v, lang) for v in verdicts]
        body = objects[0] if len(objects) == 1 else {"correct": all(v.correct for v in verdicts), "checks": objects}
        emit(json.dumps(body, ensure_ascii=False, indent=2), output)
    else:
        from ..render.wrap import fit_lines

        text = "\n\n".join(report_text(v, lang) for v in verdicts)
        emit("\n".join(fit_lines(text.split("\n"), columns_for(output))), output)
    if not all(v.correct for v in verdicts):
        sys.exit(1)  # not an error: the grade, for scripts (ctx.exit's code is lost in the group's main)
