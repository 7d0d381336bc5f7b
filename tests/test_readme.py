"""Every command the README shows runs as it says, on files that ship; every explain example in
the README and docs/ has numbers that teach (some gradient is not 0)."""

import json
import pathlib
import re
import shlex
import shutil

import pytest
from click.testing import CliRunner

from symback.cli import cli

ROOT = pathlib.Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PAGES = [README] + [p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))]

#: the exit code a README command announces in its comment (default 0)
EXPECTED = {"exit code 3": 3, "✗": 1, "is missing": 1}


def commands(text: str) -> list[tuple[str, str]]:
    """(command, its comment) for each symback command in a sh block or an inline code span
    (``a && b``: each symback part)."""
    found = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            command, _, comment = line.partition("  # ")
            found += [(part.strip(), comment.strip()) for part in command.split("&&")
                      if part.strip().startswith("symback ")]
    for span in re.findall(r"`(symback [^`]*)`", text):
        # a span of two words names a command in prose ("`symback check` grades ..."); it is not one to run
        found += [(part.strip(), "") for part in span.split("&&")
                  if part.strip().startswith("symback ") and len(part.split()) > 2]
    return list(dict.fromkeys(found))


README_COMMANDS = commands(README)


def run_in(folder: pathlib.Path, command: str, monkeypatch):
    """The command as a user types it, in a copy of the repository's examples (files it writes stay there).
    A PDF is asked for as its .tex (compiling the notes is tested in test_notes_pdf.py)."""
    shutil.copytree(ROOT / "examples", folder / "examples", dirs_exist_ok=True)
    monkeypatch.chdir(folder)
    words, _, redirect = command.partition(" > ")  # "symback export > lesson.py": stdout into the file
    args = [re.sub(r"\.pdf$", ".tex", a) if a.endswith(".pdf") else a for a in shlex.split(words)[1:]]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    if redirect:
        (folder / redirect.strip()).write_text(result.stdout, encoding="utf-8")
    return result


def test_the_readme_shows_commands():
    assert len(README_COMMANDS) > 20


@pytest.mark.parametrize("command, comment", README_COMMANDS, ids=[c for c, _ in README_COMMANDS])
def test_every_readme_command_runs_as_it_says(command, comment, tmp_path, monkeypatch):
    result = run_in(tmp_path, command, monkeypatch)
    expected = next((code for key, code in EXPECTED.items() if key in comment), 0)
    assert result.exit_code == expected, result.stderr
    assert "Traceback" not in result.stderr
    if comment.startswith("✓"):
        assert comment.lstrip("✓ ") in result.stdout


def test_the_check_comments_name_the_mistake_found(tmp_path, monkeypatch):
    wrong = run_in(tmp_path, 'symback check --answer "2*(w*x - y)"', monkeypatch).stdout
    assert "missing inner derivative" in wrong and "∂ŷ/∂w = x" in wrong


def test_the_verbose_float32_lines_are_pytorchs_followed_by_the_new_parameters(tmp_path, monkeypatch):
    """What the README says -v adds to PyTorch's lines: '   -> w = ...' (and the mean loss on progress lines)."""
    assert 'followed by "-> w = ..."' in README
    lines = run_in(tmp_path, "symback train -v --dtype float32 --epochs 1", monkeypatch).stdout.splitlines()
    grads = [line for line in lines if line.startswith("\tgrad:")]
    assert grads and all(re.fullmatch(r"\tgrad: \S+ \S+ \S+   -> w = \S+", line) for line in grads)


EXPLAINS = sorted({c for page in PAGES for c, _ in commands(page) if c.startswith("symback explain")})


@pytest.mark.parametrize("command", EXPLAINS)
def test_every_explain_example_has_a_gradient_that_is_not_0(command, tmp_path, monkeypatch):
    command = re.sub(r"\s(--format \S+|-o \S+|--standalone)", "", command) + " --format json"
    data = json.loads(run_in(tmp_path, command, monkeypatch).stdout)
    assert any(value != 0 for value in data["gradient"].values()), command


def test_the_python_example_gives_the_values_its_comments_show(capsys):
    """Each line of the README's Python block runs; where its comment shows a value, that is its repr."""
    code = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    scope: dict = {}
    shown = 0
    for line in code.splitlines():
        statement, _, comment = line.partition("  # ")
        comment = comment.strip()
        if comment.startswith("{"):
            assert repr(eval(statement.strip(), scope)) == comment[:comment.index("}") + 1], line
            shown += 1
        elif statement.strip():
            exec(statement.strip(), scope)
    assert shown == 3 and "1.02" in capsys.readouterr().out


def test_the_python_names_work_after_their_modules_were_imported():
    import symback.core.derive
    import symback.render.wrap
    import symback.train.run  # noqa: F401 - each sets symback's attribute of that name to the module
    from symback import derive, explain, problem, render, train

    d = explain(problem())
    assert "1.02" in render(d, "text") and train(problem()).final_params[0][1] > 1.99
    assert derive is not None and callable(derive)


def test_the_readme_stall_example_warns(tmp_path, monkeypatch):
    command = next(c for c, comment in README_COMMANDS if comment.startswith("stalls"))
    assert "Warning: training stalled" in run_in(tmp_path, command, monkeypatch).stdout
