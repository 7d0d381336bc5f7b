"""The train and check reports are Documents: the same printers give them other formats."""

from click.testing import CliRunner

from symback.cli import cli


def _run(*args):
    return CliRunner().invoke(cli, list(args))


def test_train_as_markdown_has_the_epochs_as_a_table():
    result = _run("train", "--epochs", "3", "--format", "markdown")
    lines = result.output.splitlines()
    assert result.exit_code == 0 and lines[0] == "# Training report"
    assert "| epoch | mean loss | last-sample loss | w |" in lines and "|---:|---:|---:|---:|" in lines
    assert "| 2 | 0.7620321832620783 | 2.1856536232765476 | 1.5959051959019805 |" in lines


def test_train_as_markdown_speaks_chinese():
    result = _run("train", "--epochs", "3", "--format", "markdown", "--lang", "zh")
    assert result.output.startswith("# 训练报告\n\n训练 ŷ = w·x") and "| 轮次 | 平均损失 |" in result.output


def test_train_markdown_escapes_what_markdown_reads():
    result = _run("train", "--epochs", "1", "--format", "markdown", "--model", "w_b*x", "--param", "w_b=1")
    assert "ŷ = w\\_b·x" in result.output and "| w\\_b |" in result.output


def test_train_verbose_is_text_only():
    result = _run("train", "-v", "--format", "markdown")
    assert result.exit_code == 2 and "-v prints a text log; leave it out with --format markdown" in result.output


def test_check_as_markdown_sets_the_chain_rule_as_maths():
    result = _run("check", "--answer", "2*(w*x - y)", "--format", "markdown")
    lines = result.output.splitlines()
    assert result.exit_code == 1 and lines[0].startswith("# Check ∂L/∂w")
    assert "- **your answer**:  2\\*(w\\*x - y)" in lines
    assert any(line.startswith(r"- $\frac{\partial L}{\partial w} = ") for line in lines)


def test_check_as_markdown_speaks_chinese_and_ends_with_every_step():
    result = _run("check", "--answer", "w*x**2 - 2*x + 2", "--format", "markdown", "--lang", "zh")
    assert result.output.startswith("# 检查 ∂L/∂w") and "\n## 1. " in result.output


def test_check_text_is_the_report_document_printed_for_a_terminal():
    from symback.check.grade import check_answer
    from symback.model.spec import problem
    from symback.render.check_report import report_document, report_text
    from symback.render.text import ReportText

    verdict = check_answer(problem(), "2*(w*x - y)", None, 0)
    assert report_text(verdict, "en", 60) == ReportText(60, titled=True).doprint(report_document(verdict))
    assert max(len(line) for line in report_text(verdict, "en", 60).splitlines()) <= 60


def test_explain_train_and_check_as_html_pages():
    pages = [_run("explain", "--format", "html"), _run("train", "--epochs", "2", "--format", "html"),
             _run("check", "--answer", "2*r", "--wrt", "w", "--format", "html")]
    for page in pages:
        assert page.output.startswith("<!DOCTYPE html>\n") and page.output.rstrip("\n").endswith("</html>")
        assert "http" not in page.output  # nothing from a network
    assert "<table class=\"data\">" in pages[1].output
    assert "<h1>Training report</h1>" in pages[1].output and "<math>" in pages[0].output


def test_several_checks_are_one_html_page():
    result = _run("check", "--step", "dL/dr = 2*r", "--step", "dr/dy_hat = 1", "--format", "html", "--lang", "zh")
    assert result.output.count("<html") == 1 and result.output.count("<h1>") == 3 and "<h1>检查</h1>" in result.output
