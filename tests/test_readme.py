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
            if command.strip().startswith("symback "):
                found.append((command.strip(), comment.strip()))
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
    args = [re.sub(r"\.pdf$", ".tex", a) if a.endswith(".pdf") else a for a in shlex.split(command)[1:]]
    return CliRunner().invoke(cli, args, catch_exceptions=False)


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
