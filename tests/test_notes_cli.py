"""symback notes through the command line."""

import json

from click.testing import CliRunner

from symback.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_notes_writes_html(tmp_path):
    result = run("notes", "-o", str(tmp_path / "n.html"))
    assert result.exit_code == 0 and result.stdout == ""
    assert "<mn>1.02</mn>" in (tmp_path / "n.html").read_text(encoding="utf-8")


def test_notes_in_chinese(tmp_path):
    run("notes", "--lang", "zh", "-o", str(tmp_path / "n.md"))
    assert "反向传播" in (tmp_path / "n.md").read_text(encoding="utf-8")


def test_output_is_required():
    result = run("notes")
    assert result.exit_code == 2 and "-o" in result.stderr


def test_an_unknown_suffix_is_one_line_and_writes_nothing(tmp_path):
    result = run("notes", "-o", str(tmp_path / "n.docx"))
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert ".ipynb" in result.stderr and list(tmp_path.iterdir()) == []


def test_a_missing_directory_is_one_line(tmp_path):
    result = run("notes", "-o", str(tmp_path / "no" / "n.html"))
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_bad_input_writes_nothing(tmp_path):
    result = run("notes", "--model", "__import__('os')", "-o", str(tmp_path / "n.html"))
    assert result.exit_code == 2 and list(tmp_path.iterdir()) == []


def test_the_lesson_file_gives_title_question_and_settings(tmp_path):
    lesson = tmp_path / "l.toml"
    lesson.write_text('title = "Week <3>"\nquestion = "Why?"\nmode = "batch"\nepochs = 7\n[predict]\nx = 5\n',
                      encoding="utf-8")
    run("notes", "--problem", str(lesson), "-o", str(tmp_path / "n.ipynb"))
    cells = json.loads((tmp_path / "n.ipynb").read_text(encoding="utf-8"))["cells"]
    text = "".join(c["source"] for c in cells)
    assert "# Week \\<3\\>" in text and "Why?" in text
    assert "settings(p, epochs=7, mode='batch')" in text and "[{'x': 5.0}]" in text


def test_a_zh_table_gives_the_chinese_title_and_question(tmp_path):
    lesson = tmp_path / "l.toml"
    lesson.write_text('title = "Week 3"\nquestion = "Why?"\n[zh]\ntitle = "第三周"\nquestion = "为什么？"\n',
                      encoding="utf-8")
    run("notes", "--problem", str(lesson), "--lang", "zh", "-o", str(tmp_path / "zh.md"))
    run("notes", "--problem", str(lesson), "-o", str(tmp_path / "en.md"))
    zh, en = ((tmp_path / f).read_text(encoding="utf-8") for f in ("zh.md", "en.md"))
    assert zh.startswith("# 第三周") and "为什么？" in zh and en.startswith("# Week 3") and "第三周" not in en


def test_a_zh_table_with_another_key_is_one_line(tmp_path):
    lesson = tmp_path / "l.toml"
    lesson.write_text('[zh]\nmodel = "w*x"\n', encoding="utf-8")
    result = run("notes", "--problem", str(lesson), "-o", str(tmp_path / "n.md"))
    assert result.exit_code == 2 and "[zh] may set title, description, question" in result.stderr


def test_options_override_the_lesson_file(tmp_path):
    lesson = tmp_path / "l.toml"
    lesson.write_text("epochs = 7\n", encoding="utf-8")
    run("notes", "--problem", str(lesson), "--epochs", "3", "-o", str(tmp_path / "n.ipynb"))
    assert "epochs=3" in (tmp_path / "n.ipynb").read_text(encoding="utf-8")


def test_the_sample_option_picks_the_explained_sample(tmp_path):
    run("notes", "--sample", "x=2,y=4", "-o", str(tmp_path / "n.md"))
    assert "$x = 2$, $y = 4$" in (tmp_path / "n.md").read_text(encoding="utf-8")


def test_a_diverging_run_still_writes_the_notes_and_exits_3(tmp_path):
    result = run("notes", "--lr", "0.3", "--epochs", "50", "-o", str(tmp_path / "n.html"))
    assert result.exit_code == 3 and "n.html" in result.stderr
    assert "Why this learning rate fails" in (tmp_path / "n.html").read_text(encoding="utf-8")


def test_help_lists_the_formats():
    result = run("notes", "--help")
    assert result.exit_code == 0 and ".ipynb" in result.output
