"""Exercises with worked answers: generated from the problem, graded right by symback check."""

from __future__ import annotations

import shlex

import pytest
from click.testing import CliRunner

from symback import problem
from symback.cli import cli
from symback.lang import wording
from symback.notes import render_files
from symback.notes.exercises import KINDS, SHORT, check_command, make_exercises
from symback.notes.lesson import build_lesson
from symback.core.numeric import format_float
from symback.train.run import Settings, settings, train

EN = wording("en")
LESSONS = {
    "seed": dict(),
    "line": dict(model="w*x + b", params={"w": 1.0, "b": 0.0}),
    "network": dict(model="h = tanh(w1*x + b1); y_hat = v*h + c", params={"w1": 0.5, "b1": 0.0, "v": 1.0, "c": 0.0}),
    "logistic": dict(model="sigmoid(w*x + b)", loss="bce", params={"w": 0.5, "b": 0.0},
                     data=(["x", "y"], [[0.5, 0], [1, 0], [3, 1], [4, 1]])),
}


@pytest.fixture(scope="module", params=sorted(LESSONS))
def lesson(request):
    return build_lesson(problem(**LESSONS[request.param]), settings=Settings(epochs=5), exercises=6, seed=1)


@pytest.fixture(scope="module")
def seed_lesson():
    return build_lesson(exercises=6, seed=0)


def test_the_seed_lesson_gets_one_exercise_of_each_kind(seed_lesson):
    assert tuple(e.kind for e in seed_lesson.exercises) == KINDS


def test_stability_is_asked_only_of_one_parameter(lesson):
    one = len(lesson.problem.params) == 1
    assert ("stability" in [e.kind for e in lesson.exercises]) == (one and lesson.convergence.affine)


def test_the_same_seed_gives_the_same_exercises(seed_lesson):
    again = make_exercises(seed_lesson, 6, 0)
    other = make_exercises(seed_lesson, 6, 1)
    assert [e.check for e in again] == [e.check for e in seed_lesson.exercises]
    assert [e.check for e in other] != [e.check for e in again]


def test_every_answer_is_graded_right_by_symback_check(lesson):
    for exercise in lesson.exercises:
        if exercise.check:
            args = shlex.split(check_command(lesson, exercise))[1:]
            result = CliRunner().invoke(cli, args)
            assert result.exit_code == 0, (args, result.output)


def test_the_students_mistake_is_the_one_check_finds(lesson):
    from symback.check.grade import check_answer
    from symback.render.printers import claim

    for e in (e for e in lesson.exercises if e.kind == "mistake"):
        verdict = check_answer(e.d.problem, claim(e.wrong), e.param.name, e.d.point)
        assert not verdict.correct and verdict.diagnosis.kind == e.verdict.diagnosis.kind


def test_the_stability_answer_is_what_training_does(seed_lesson):
    (e,) = [e for e in seed_lesson.exercises if e.kind == "stability"]
    history = train(e.d.problem, settings(e.d.problem, epochs=100))
    assert (history.diverged is None) == e.stable


def test_the_seed_lessons_numbers_are_short_and_exact(seed_lesson):
    for e in seed_lesson.exercises:
        d = e.d
        numbers = list(d.values.values()) + [g.value for g in d.gradients]
        assert all(len(format_float(v)) <= SHORT for v in numbers), (e.kind, numbers)


def test_the_answers_show_exact_decimals(seed_lesson, tmp_path):
    path = str(tmp_path / "n.md")
    text = render_files(seed_lesson, path)[path]
    answer = text[text.index("## 13. Answers"):]
    assert "999999" not in answer and "000000" not in answer


def test_answers_end_the_notes(seed_lesson):
    from symback.notes.content import notes_document

    titles = [s.title for s in notes_document(seed_lesson, EN).sections]
    assert titles[-2:] == ["Exercises", "Answers"]


def test_answers_apart_leave_the_notes(seed_lesson, tmp_path):
    notes, key = str(tmp_path / "n.html"), str(tmp_path / "key.md")
    files = render_files(seed_lesson, notes, answers=key)
    assert "Answers</h2>" not in files[notes] and "separate answer key" in files[notes]
    assert files[key].startswith("# Answers to the exercises") and "Exercise 6." in files[key]


@pytest.mark.parametrize("suffix", [".md", ".html", ".tex", ".ipynb"])
def test_every_format_has_the_exercises(seed_lesson, suffix, tmp_path):
    path = str(tmp_path / f"n{suffix}")
    text = render_files(seed_lesson, path)[path]
    assert "Exercises" in text and "Answers" in text and "symback check grades this answer right" in text


def test_exercises_in_chinese(seed_lesson, tmp_path):
    path = str(tmp_path / "n.md")
    text = render_files(seed_lesson, path, "zh")[path]
    assert "## 12. 练习" in text and "## 13. 解答" in text and "练习 6." in text


def test_the_cli_writes_notes_and_a_separate_answer_key(tmp_path):
    notes, key = tmp_path / "n.md", tmp_path / "key.html"
    result = CliRunner().invoke(cli, ["notes", "--exercises", "3", "--seed", "2", "-o", str(notes),
                                      "--answers", str(key)])
    assert result.exit_code == 0, result.output
    assert "Exercise 3." in notes.read_text(encoding="utf-8") and "Exercise 3." in key.read_text(encoding="utf-8")


def test_answers_without_exercises_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["notes", "--answers", str(tmp_path / "k.md"), "-o", str(tmp_path / "n.md")])
    assert result.exit_code == 2 and "--exercises" in result.stderr and list(tmp_path.iterdir()) == []


def test_the_lesson_file_asks_for_exercises(tmp_path):
    lesson = tmp_path / "l.toml"
    lesson.write_text("exercises = 2\nseed = 4\n", encoding="utf-8")
    CliRunner().invoke(cli, ["notes", "--problem", str(lesson), "-o", str(tmp_path / "n.md")])
    text = (tmp_path / "n.md").read_text(encoding="utf-8")
    assert "Exercise 2." in text and "Exercise 3." not in text


def test_too_many_exercises_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["notes", "--exercises", "31", "-o", str(tmp_path / "n.md")])
    assert result.exit_code == 2 and list(tmp_path.iterdir()) == []


def test_the_notes_print_each_check_command_as_the_shell_reads_it(lesson):
    from symback.notes.blocks import Output
    from symback.notes.content import notes_document

    answers = notes_document(lesson, EN).sections[-1]
    shell = lambda text: shlex.split(text.replace("\\\n", ""))  # noqa: E731 - a shell joins a line ending in \\
    commands = [shell(b.text) for b in answers.blocks if isinstance(b, Output) and "check" in b.text]
    assert commands == [shlex.split(check_command(lesson, e)) for e in lesson.exercises if e.check]


def test_the_update_is_the_lessons_first_with_another_rate(seed_lesson):
    (e,) = [e for e in seed_lesson.exercises if e.kind == "update"]
    assert e.d.point == seed_lesson.derivation.point and e.d.problem.lr != seed_lesson.problem.lr
    assert e.d.gradients[0].value == -2.0


def test_the_gradient_is_asked_at_another_sample(lesson):
    for e in (e for e in lesson.exercises if e.kind == "gradient"):
        assert e.d.point != lesson.derivation.point
