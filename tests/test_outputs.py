"""Outputs touch nothing but themselves: devices and pipes are written through, '-' is standard output,
a directory, an empty name or an input file is refused, and several files are written all or nothing."""

import os
import stat
import threading

import pytest
from click.testing import CliRunner

from symback.cli import cli
from symback.errors import SpecError, SymbackError
from symback.io import check_output, write_atomic, write_files


def run(*args):
    return CliRunner().invoke(cli, list(args))


def _fails_cleanly(result, *words):
    assert result.exit_code == 2, result.output
    assert result.output.startswith("symback: error:") and result.output.count("\n") == 1, result.output
    for word in words:
        assert word in result.output


def test_character_device_is_written_through_not_replaced():
    before = os.stat("/dev/null")
    write_atomic("/dev/null", "nothing to see")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_fifo_is_written_through(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_atomic(str(fifo), "through the pipe\n")
    reader.join(timeout=30)
    assert received == [b"through the pipe\n"] and stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_dash_is_standard_output():
    result = run("explain", "-o", "-", "--format", "json")
    assert result.exit_code == 0 and result.output.lstrip().startswith("{")


def test_directory_is_refused(tmp_path):
    with pytest.raises(SpecError, match="is a directory"):
        write_atomic(str(tmp_path), "x")


def test_directory_option_is_refused_before_training(tmp_path):
    _fails_cleanly(run("train", "--history", str(tmp_path)), "directory")


def test_empty_output_name_is_refused():
    _fails_cleanly(run("explain", "-o", ""), "empty")


def test_empty_history_name_is_refused():
    _fails_cleanly(run("train", "--history", ""), "empty")


def test_symbolic_link_stays_a_link(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_atomic(str(link), "new")
    assert link.is_symlink() and target.read_text() == "new"


def test_missing_directory_is_refused(tmp_path):
    with pytest.raises(SpecError, match="does not exist"):
        check_output(str(tmp_path / "nowhere" / "x.txt"))


def test_several_files_all_or_nothing_when_a_copy_fails(tmp_path, monkeypatch):
    """The page's temporary copy cannot be made (disk full), so the figure's copy is not left behind."""
    import symback.io as io

    real = io.tempfile.mkstemp
    made = []

    def failing(**kwargs):
        if made:
            raise OSError(28, "No space left on device")
        made.append(real(**kwargs))
        return made[-1]

    monkeypatch.setattr(io.tempfile, "mkstemp", failing)
    with pytest.raises(SymbackError, match="No space left"):
        write_files({str(tmp_path / "n.graph.svg"): "<svg/>", str(tmp_path / "n.md"): "text"})
    assert len(made) == 1 and list(tmp_path.iterdir()) == []


def test_several_files_all_or_nothing_on_a_failing_write(tmp_path, monkeypatch):
    """Whatever stops the writing (here the last file's replace), the new files before it are removed."""
    import symback.io as io

    real = io.os.replace
    calls = []

    def failing(src, dst):
        calls.append(dst)
        if dst.endswith(".md"):
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(io.os, "replace", failing)
    with pytest.raises(SymbackError, match="No space left"):
        write_files({str(tmp_path / "n.graph.svg"): "<svg/>", str(tmp_path / "n.md"): "text"})
    assert len(calls) == 2 and list(tmp_path.iterdir()) == []


def test_history_onto_its_data_is_refused(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("x,y\n1,2\n")
    _fails_cleanly(run("train", "--data", str(data), "--history", str(data)), "--history", "--data")
    assert data.read_text() == "x,y\n1,2\n"


def test_output_onto_its_lesson_is_refused(tmp_path):
    lesson = tmp_path / "l.toml"
    lesson.write_text('model = "w*x"\n')
    _fails_cleanly(run("explain", "--problem", str(lesson), "-o", str(lesson)), "--problem")
    assert lesson.read_text() == 'model = "w*x"\n'


def test_output_onto_the_lessons_data_is_refused(tmp_path):
    (tmp_path / "d.csv").write_text("x,y\n1,2\n")
    lesson = tmp_path / "l.toml"
    lesson.write_text('data = "d.csv"\n')
    _fails_cleanly(run("check", "--problem", str(lesson), "--answer", "0", "-o", str(tmp_path / "d.csv")), "--data")


def test_output_onto_its_input_through_a_link_is_refused(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("x,y\n1,2\n")
    (tmp_path / "alias.csv").symlink_to(data)
    _fails_cleanly(run("train", "--data", str(data), "-o", str(tmp_path / "alias.csv")), "--data")


def test_markdown_figures_do_not_replace_a_foreign_file(tmp_path):
    mine = tmp_path / "n.graph.svg"
    mine.write_text("<svg>my own drawing</svg>")
    result = run("notes", "-o", str(tmp_path / "n.md"), "--epochs", "2")
    _fails_cleanly(result, "n.graph.svg", "did not write")
    assert mine.read_text() == "<svg>my own drawing</svg>" and sorted(p.name for p in tmp_path.iterdir()) == [
        "n.graph.svg"]


def test_markdown_figures_replace_their_own_earlier_version(tmp_path):
    for _ in range(2):
        assert run("notes", "-o", str(tmp_path / "n.md"), "--epochs", "2").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.graph.svg", "n.loss.svg", "n.md"]


def test_history_to_standard_output_is_json():
    result = run("train", "--epochs", "2", "--format", "json", "--history", "-", "-o", os.devnull)
    assert result.exit_code == 0 and '"history"' in result.output


def test_plot_and_history_onto_a_device_write_through():
    before = os.stat(os.devnull)
    result = run("train", "--epochs", "2", "--plot", os.devnull, "--history", os.devnull)
    after = os.stat(os.devnull)
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_a_regular_file_without_a_suffix_is_still_refused(tmp_path):
    _fails_cleanly(run("train", "--history", str(tmp_path / "history")), ".csv or .json")


def test_a_pipe_named_as_a_figure_is_refused_without_waiting(tmp_path):
    os.mkfifo(tmp_path / "n.loss.svg")
    _fails_cleanly(run("notes", "-o", str(tmp_path / "n.md"), "--epochs", "2"), "n.loss.svg")


def test_two_outputs_naming_one_file_are_refused(tmp_path):
    _fails_cleanly(run("train", "--history", str(tmp_path / "h.json"), "-o", str(tmp_path / "h.json")),
                   "-o", "--history")
    assert list(tmp_path.iterdir()) == []


def test_two_outputs_onto_standard_output_are_refused():
    _fails_cleanly(run("train", "--epochs", "2", "--history", "-", "-o", "-"), "-o -", "--history -")


def test_history_onto_standard_output_beside_the_report_is_refused():
    _fails_cleanly(run("train", "--epochs", "2", "--history", "-"), "the report", "--history -", "-o FILE")


def test_a_plot_onto_standard_output_beside_the_report_is_refused():
    _fails_cleanly(run("train", "--epochs", "2", "--plot", "-"), "the report", "--plot -")
