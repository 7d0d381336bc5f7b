"""--plot: the loss curve and the loss surface with the path gradient descent took."""

from __future__ import annotations

import builtins

import pytest
from click.testing import CliRunner

from symback import problem
from symback.cli import cli
from symback.errors import MissingExtra
from symback.train.run import Settings, train

pytest.importorskip("matplotlib")

from symback.render.plots import figure, plot_history  # noqa: E402

LINE = (("x", "y"), [(-1, -1), (0, 1), (1, 3), (2, 5)])


@pytest.fixture(scope="module")
def seed_history():
    return train(problem(), Settings(epochs=30))


def test_png_is_written(tmp_path, seed_history):
    path = tmp_path / "loss.png"
    plot_history(seed_history, str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_svg_is_the_same_for_the_same_run(tmp_path, seed_history):
    a, b = tmp_path / "a.svg", tmp_path / "b.svg"
    plot_history(seed_history, str(a))
    plot_history(seed_history, str(b))
    assert a.read_bytes() == b.read_bytes() and b"<svg" in a.read_bytes()


def test_pdf_is_written(tmp_path, seed_history):
    path = tmp_path / "loss.pdf"
    plot_history(seed_history, str(path))
    assert path.read_bytes()[:5] == b"%PDF-"


def test_loss_axes_are_labelled_and_log_scaled(seed_history):
    ax = figure(seed_history).axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_yscale()) == ("epoch", "mean loss", "log")


def test_one_parameter_gets_the_loss_curve_with_the_path(seed_history):
    ax = figure(seed_history).axes[1]
    assert ax.get_xlabel() == "w" and len(ax.lines) == 4  # curve, path, start, end


def test_two_parameters_get_contours():
    p = problem("w*x + b", params={"w": 0, "b": 0}, data=LINE, lr=0.1)
    fig = figure(train(p, Settings(epochs=30, mode="batch")))
    surface = fig.axes[1]
    assert (surface.get_xlabel(), surface.get_ylabel()) == ("w", "b") and surface.collections


def test_the_contour_lines_are_labelled_and_the_legend_is_below_the_data():
    p = problem("w*x + b", params={"w": 0, "b": 0}, data=LINE, lr=0.1)
    surface = figure(train(p, Settings(epochs=30, mode="batch"))).axes[1]
    anchor = surface.get_legend().get_bbox_to_anchor().transformed(surface.transAxes.inverted())
    assert surface.texts and anchor.y1 < 0


def test_the_loss_curve_starts_at_epoch_0(seed_history):
    line = figure(seed_history).axes[0].lines[0]
    assert (line.get_xdata()[0], line.get_ydata()[0]) == (0, seed_history.initial_loss)


def test_many_parameters_get_only_the_loss_curve():
    p = problem("w1*x**2 + w2*x + b", params={"w1": 0, "w2": 0, "b": 0}, data=LINE, lr=0.01)
    assert len(figure(train(p, Settings(epochs=5))).axes) == 1


def test_labels_follow_the_language(seed_history):
    from symback.render.plots import _language

    if _language("zh")[0] != "zh":
        pytest.skip("no font with Chinese characters here")
    assert figure(seed_history, "zh").axes[0].get_xlabel() == "轮次"


def test_missing_matplotlib_says_how_to_install_it(monkeypatch):
    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    from symback.render.plots import require

    with pytest.raises(MissingExtra, match=r"pip install 'symback\[plot\]'"):
        require()


def test_cli_writes_the_plot(tmp_path):
    path = tmp_path / "loss.svg"
    result = CliRunner().invoke(cli, ["train", "--epochs", "10", "--plot", str(path)])
    assert result.exit_code == 0 and path.stat().st_size > 1000


def test_cli_plots_a_diverged_run(tmp_path):
    path = tmp_path / "loss.png"
    result = CliRunner().invoke(cli, ["train", "--lr", "0.3", "--epochs", "1000", "--plot", str(path)])
    assert result.exit_code == 3 and path.exists()
