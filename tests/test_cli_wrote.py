"""Every file a command writes is announced on stderr as 'wrote FILE'; standard output ('-') is not a file."""

import pytest
from click.testing import CliRunner

from symback.cli import cli


def run(tmp_path, monkeypatch, *args):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result


@pytest.mark.parametrize("args, files", [
    (["explain", "-o", "a.txt"], ["a.txt"]),
    (["check", "--answer", "2*x*(w*x - y)", "-o", "c.txt"], ["c.txt"]),
    (["train", "-o", "t.txt", "--history", "h.csv"], ["t.txt", "h.csv"]),
    (["train", "--format", "json", "--history", "h.json", "-o", "t.json"], ["t.json", "h.json"]),
    (["notes", "-o", "n.md"], ["n.graph.svg", "n.loss.svg", "n.md"]),
    (["notes", "-o", "n.html"], ["n.html"]),
], ids=["explain", "check", "train", "train-json", "notes-md", "notes-html"])
def test_each_file_written_is_announced(tmp_path, monkeypatch, args, files):
    result = run(tmp_path, monkeypatch, *args)
    assert result.stderr.splitlines() == [f"wrote {name}" for name in files]
    assert all((tmp_path / name).exists() for name in files)


def test_the_plot_is_announced(tmp_path, monkeypatch):
    result = run(tmp_path, monkeypatch, "train", "--plot", "p.svg")
    assert "wrote p.svg" in result.stderr.splitlines()


def test_standard_output_is_not_announced(tmp_path, monkeypatch):
    result = run(tmp_path, monkeypatch, "explain", "-o", "-")
    assert "wrote" not in result.stderr and "1.02" in result.stdout
