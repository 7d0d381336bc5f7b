"""symback notes: a whole lesson about the problem, as LaTeX/PDF, Markdown, HTML or a notebook."""

from __future__ import annotations

import click

from ..app.outputs import check_outputs
from .options import OutputPath, build_problem, lang_option, lesson_of, problem_options, wrote


@click.command("notes")
@problem_options
@click.option("-o", "--output", required=True, type=OutputPath(), metavar="FILE",
              help="FILE.tex (LaTeX), .pdf (compiled with TeX), .md (with SVG figures beside it), "
                   ".html (one offline page) or .ipynb (a notebook).")
@click.option("--sample", default=None, metavar="NAME=V,...",
              help="The sample the derivation follows (default: the first row of the data).")
@click.option("--mode", type=click.Choice(["sgd", "batch", "minibatch"]), default=None,
              help="How training updates: sgd (default, one sample at a time), batch or minibatch.")
@click.option("--epochs", type=click.IntRange(1, 10_000_000), default=None, help="Epochs of training (default 100).")
@click.option("--batch-size", type=click.IntRange(1), default=None, help="Samples per update with --mode minibatch.")
@click.option("--predict", multiple=True, metavar="NAME=V,...",
              help="Inputs to predict at after training; repeatable (default x=4 with the lesson's data).")
@click.option("--slides", is_flag=True,
              help="A beamer deck of the lesson (FILE.tex or .pdf), one idea per frame; also chosen by "
                   "a name ending in .slides.pdf or .slides.tex.")
@click.option("--interactive", is_flag=True,
              help="With FILE.html: a page to step through the forward and backward pass (buttons, arrow "
                   "keys, fields for the sample, parameters and learning rate); one offline file, our own script.")
@click.option("--exercises", type=click.IntRange(0, 30), default=None, metavar="N",
              help="End the notes with N exercises about the problem, and their worked answers (at most 30).")
@click.option("--answers", type=OutputPath(), default=None, metavar="FILE",
              help="Write the answers to the exercises to FILE (any notes format) instead of the end of the notes.")
@click.option("--seed", type=int, default=None,
              help="Seed of the exercises' numbers (and of the minibatch shuffle); default 0.")
@click.option("--digits", type=click.IntRange(1, 17), default=None, metavar="N",
              help="Show numbers with N significant digits; '≈' marks a relation to a rounded number "
                   "(default: every digit).")
@lang_option
def command(model, loss, params, data, lr, problem_file, output, sample, mode, epochs, batch_size, predict, lang,
            slides, interactive, exercises, answers, seed, digits):
    """Write lecture notes: the whole lesson about the problem, in one file.

    The question and the data; the model and the loss; the computational
    graph as a figure, with every value and gradient; forward and backward
    tables with the rules; the closed form checked by SymPy; the first update;
    training (a table and the loss curve); the prediction; and, for one
    parameter, why the learning rate converges. The format follows the file
    name. A lesson file (--problem) may also give title, description and
    question, and the same in Chinese in a [zh] table.

    \b
    Examples:
      symback notes -o lesson.pdf
      symback notes --lang zh -o lesson-zh.pdf
      symback notes --problem examples/logistic.toml -o logistic.html
      symback notes -o lesson.slides.pdf
      symback notes --model "w*x + b" --param w=0 --param b=0 -o linear.ipynb
    """
    from ..errors import TrainingDiverged
    from ..lang import wording
    from ..app.lesson import lesson_settings, lesson_texts, pick
    from ..app.points import given_points
    from ..notes import check_interactive, notes_format, wants_slides, write_notes
    from ..notes.lesson import build_lesson
    from ..core.numeric import significant_digits
    from ..model.spec import parse_assignments
    from ..render.train_report import divergence_text

    fmt = notes_format(output)
    slides = wants_slides(output, slides)
    check_interactive(output, interactive)
    lesson_file = lesson_of(problem_file, data)
    check_outputs({"-o": output, "--answers": answers}, problem_file, data, lesson_file)
    count = pick(exercises, lesson_file, "exercises", 0)
    if answers is not None:
        _check_answers(answers, output, count)
    if fmt == "pdf":
        _require_tex(lang)
    values = parse_assignments(sample, "sample value") if sample else None
    problem = build_problem(model, loss, params, data, lr, problem_file, lesson_file, values)
    if hasattr(problem, "samples"):  # a matrix model
        return _matrix_notes(problem, lesson_file, output, lang, epochs, mode, batch_size, seed, predict, digits,
                             slides, interactive, answers if answers is not None or not count else "")
    point = values or lesson_file.get("sample", 0)
    chosen = lesson_settings(problem, lesson_file, epochs, mode, batch_size, seed)
    points = given_points(predict, lesson_file)
    texts = lesson_texts(lesson_file, lang)
    source = {"model": model if model is not None else lesson_file.get("model"),
              "loss": loss if loss is not None else lesson_file.get("loss")}
    lesson = build_lesson(problem, point, chosen, points, texts, {k: v for k, v in source.items() if v},
                          count, chosen.seed)
    with significant_digits(digits):
        wrote(*write_notes(lesson, output, lang, slides, interactive, answers))
    if lesson.history.diverged:
        words = wording(lang)
        reason = divergence_text(lesson.history, words)
        raise TrainingDiverged(words("notes.diverged_written", reason=reason, path=output), lesson.history)


def _check_answers(answers, output, count) -> None:
    """An answer key needs exercises, a notes format, and a file of its own."""
    import os

    from ..errors import SpecError
    from ..notes import notes_format

    if not count:
        raise SpecError("--answers writes the answers to the exercises: ask for some with --exercises N")
    notes_format(answers)
    if os.path.abspath(answers) == os.path.abspath(output):
        raise SpecError("--answers must name another file than -o")


def _require_tex(lang: str) -> None:
    """Fail fast, before training, when a PDF cannot be made here."""
    from ..notes.pdf import require_tex

    require_tex("xelatex" if lang == "zh" else "pdflatex")


def _matrix_notes(problem, lesson_file, output, lang, epochs, mode, batch_size, seed, predict, digits, slides,
                  interactive, answers):
    """The notes of a matrix model (.tex, .pdf, .md, .html): its first sample explained, then trained."""
    from ..app.lesson import lesson_texts, pick, training_mode
    from ..app.points import given_points
    from ..core.numeric import significant_digits
    from ..notes import write_notes
    from ..notes.matrix import build_matrix_lesson
    from ..train.history import check_point
    from ..train.tensor_run import tensor_settings

    chosen = tensor_settings(problem, epochs=pick(epochs, lesson_file, "epochs", 100),
                             mode=training_mode(mode or lesson_file.get("mode", "sgd")),
                             batch_size=pick(batch_size, lesson_file, "batch_size", None),
                             seed=pick(seed, lesson_file, "seed", 0))
    points = given_points(predict, lesson_file, vectors=True) or []
    for point in points:
        check_point(problem, point)
    lesson = build_matrix_lesson(problem, chosen, points, lesson_texts(lesson_file, lang))
    with significant_digits(digits):
        wrote(*write_notes(lesson, output, lang, slides, interactive, answers))
    if lesson.history.diverged:
        from ..errors import TrainingDiverged
        from ..lang import wording
        from ..render.train_report import divergence_text

        words = wording(lang)
        raise TrainingDiverged(words("notes.diverged_written", reason=divergence_text(lesson.history, words),
                                     path=output), lesson.history)
