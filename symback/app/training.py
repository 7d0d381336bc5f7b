"""symback train's use case: check the outputs first, report while training, save what was asked for.

The report is text (all at the end, or streamed line by line with -v, as the
original program prints), Markdown, or JSON streamed one epoch at a time. The
history (.csv or .json) and the plot are written even when training diverged.
Printing goes through ``echo`` and each written file is announced through
``wrote``, both given by the caller (the command line).
"""

from __future__ import annotations

import itertools
import os

#: a run of at least this many updates shows a progress bar on a terminal
LONG_RUN = 200_000


def check_files(history_file, plot) -> None:
    """Refuse, before training, files that could not be written (and a plot without matplotlib)."""
    _check_file(history_file, (".csv", ".json"), "history_file")
    _check_file(plot, (".png", ".svg", ".pdf"), "plot")
    if plot:
        from ..render.plots import require

        require()


def _check_file(path, suffixes, setting: str) -> None:
    """The format follows the suffix; '-' or a device or pipe without one is JSON (history) or PNG (plot)."""
    from ..errors import SpecError, option
    from ..io import check_output

    if not path:
        return
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in suffixes and not (not suffix and check_output(path) != "file"):
        raise SpecError(f"{option(setting)} {path}: the file name must end in {' or '.join(suffixes)}",
                        option=setting, value=path)


def long_run(problem, settings) -> bool:
    """Whether a run is long enough for a progress bar."""
    return settings.epochs * len(problem.data) >= LONG_RUN


class TrainingReport:
    """Text as training goes (-v streams; otherwise all at the end), Markdown, or JSON at the end."""

    def __init__(self, words, points, output, streaming: bool, columns, echo, wrote):
        self.words, self.points, self.output, self.streaming = words, points, output, streaming
        self.columns, self.echo, self.wrote = columns, echo, wrote
        self.lines: list[str] = []
        self.names = ()

    def _emit(self, line: str) -> None:
        if self.output is not None:
            self.lines.append(line)
        else:
            self.echo(line)

    def start(self, begin) -> None:
        from ..render.train_report import header, predict_lines
        from ..train.history import predictions

        self.names = tuple(n for n, _ in begin.initial_params)
        if self.streaming:
            before = predict_lines(predictions(begin, self.points), self.words, "before")
            for line in header(begin, self.words, self.columns) + before:
                self._emit(line)

    def update(self, update) -> None:
        from ..render.train_report import update_line

        self._emit(update_line(update, self.names, self.words))

    def epoch(self, entry) -> None:
        from ..render.train_report import progress_line

        self._emit(progress_line(entry, self.words))

    def finish(self, history, fmt: str):
        """Print (or write) the end of the report; the predictions after training."""
        from ..io import STDOUT, write_atomic
        from ..render import train_report as tr
        from ..train.history import predictions

        preds = predictions(history, self.points)
        if fmt == "json":  # streamed: every epoch, never all in memory
            write_atomic(self.output or STDOUT, itertools.chain(tr.json_chunks(history, preds), ["\n"]))
            if self.output is not None:
                self.wrote(self.output)
            return preds
        if fmt in ("markdown", "html"):
            self._emit(tr.printed(history, preds, self.words, fmt))
        elif self.streaming:
            for line in tr.footer(history, preds, self.words, self.columns):
                self._emit(line)
        else:
            self._emit(tr.text(history, preds, self.words, self.columns))
        if self.output is not None:
            write_atomic(self.output, "\n".join(self.lines) + "\n")
            self.wrote(self.output)
        return preds


def save(history, preds, history_file, plot, lang, note, wrote) -> None:
    """The history file and the plot, written even when training diverged (the partial history);
    ``note`` receives what the plot could not show."""
    from ..io import write_atomic
    from ..render import train_report as tr

    if history_file:
        csv = history_file.lower().endswith(".csv")
        chunks = tr.csv_chunks(history) if csv else itertools.chain(tr.json_chunks(history, preds), ["\n"])
        write_atomic(history_file, chunks)
        wrote(history_file)
    if plot:
        from ..render.plots import plot_history

        for line in plot_history(history, plot, lang):
            note(line)
        wrote(plot)
