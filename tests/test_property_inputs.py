"""Property: whatever lesson file, CSV file or option values a user gives, symback ends with
exit 0, or with one line and exit 2 (3: a run that diverged), never a traceback.

Hypothesis generates the inputs from pieces that are each plausible (keys a lesson may
set, numbers, names, model text, line endings) put together at random. The examples are
derandomized and few, so the test is the same on every run and takes seconds.
"""

from __future__ import annotations

import math

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symback.cli import cli

NAMES = st.sampled_from(["x", "y", "w", "b", "x1", "y_hat", "z", "sin", "", "1x", "a b"])
NUMBERS = st.one_of(st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([0, 1, -1, 0.5, 1e308, 5e-324]))
SMALL = st.integers(-3, 40)
TEXT = st.one_of(st.text(max_size=30), st.sampled_from(["w*x", "w*x + b", "tanh(w*x)", "mse", "abs", "bce",
                                                        "(y_hat - y)**2", "w*((x-2)**20+1)**20", "sgd",
                                                        "batch", "minibatch", "float32", "x/0", "w**w**w"]))
VALUES = st.recursive(st.one_of(NUMBERS, TEXT, st.booleans()),
                      lambda inner: st.lists(inner, max_size=4) | st.dictionaries(NAMES, inner, max_size=3),
                      max_leaves=8)
#: what a lesson's keys get: mostly their own type, sometimes anything
LESSON = st.fixed_dictionaries({}, optional={
    "model": TEXT, "loss": TEXT, "lr": st.one_of(st.floats(1e-4, 0.1), NUMBERS, VALUES), "mode": TEXT, "dtype": TEXT,
    "epochs": st.one_of(SMALL, TEXT), "batch_size": st.one_of(SMALL, VALUES), "seed": st.one_of(SMALL, VALUES),
    "params": st.dictionaries(NAMES, st.one_of(st.floats(-2, 2), NUMBERS, VALUES), max_size=3),
    "sample": st.dictionaries(NAMES, st.one_of(NUMBERS, VALUES), max_size=3),
    "predict": st.dictionaries(NAMES, st.one_of(NUMBERS, VALUES), max_size=3),
    "data": st.one_of(TEXT, st.fixed_dictionaries({"columns": VALUES, "rows": VALUES})),
    "title": TEXT, "unknown": VALUES})


def toml_value(v) -> str:
    """v in TOML (our own small writer: tomllib reads, it does not write)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
    if isinstance(v, str):
        return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in v) + '"'
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return "{" + ", ".join(f"{toml_value(k)} = {toml_value(x)}" for k, x in v.items()) + "}"


def toml(content: dict) -> str:
    return "".join(f"{k} = {toml_value(v)}\n" for k, v in content.items())


#: cells: mostly numbers a spreadsheet writes, sometimes anything
CELLS = st.one_of(st.floats(-100, 100).map(repr), st.integers(-9, 9).map(str), NUMBERS.map(str),
                  st.sampled_from(["", " ", "nan", "inf", "1e999", "abc", '"1"', "1,2"]), st.text(max_size=6))
HEADERS = st.one_of(st.just(["x", "y"]), st.lists(NAMES, max_size=3))
ROWS = st.one_of(st.lists(st.lists(st.floats(-100, 100).map(repr), min_size=2, max_size=2), min_size=1, max_size=4),
                 st.lists(st.lists(CELLS, max_size=3), max_size=4))
CSV = st.builds(lambda header, rows, end, bom: bom + end.join(",".join(r) for r in [header] + rows) + end,
                HEADERS, ROWS, st.sampled_from(["\n", "\r\n", "\r"]), st.sampled_from(["", "\ufeff"]))
OPTIONS = st.lists(st.one_of(
    st.tuples(st.just("--model"), TEXT), st.tuples(st.just("--loss"), TEXT),
    st.tuples(st.just("--lr"), st.one_of(NUMBERS.map(str), TEXT)),
    st.tuples(st.just("--param"), st.builds("{}={}".format, NAMES, st.one_of(NUMBERS.map(str), TEXT))),
    st.tuples(st.just("--epochs"), st.one_of(SMALL.map(str), TEXT))), max_size=3)
COMMANDS = st.sampled_from([["explain"], ["train"], ["check", "--answer", "2*x*(w*x - y)"]])

RUN = settings(max_examples=100, deadline=None, derandomize=True, database=None,
               suppress_health_check=list(HealthCheck))


def assert_clean(result) -> None:
    assert not (result.exception and not isinstance(result.exception, SystemExit)), repr(result.exception)
    if result.exit_code in (0, 1):
        return  # 1: check's verdict "not right", on stdout
    lines = result.stderr.splitlines()
    assert result.exit_code in (2, 3) and len(lines) == 1 and lines[0].startswith("symback: error:"), \
        (result.exit_code, result.stderr)


@RUN
@given(content=LESSON, command=COMMANDS, options=OPTIONS)
def test_any_lesson_file_ends_cleanly(tmp_path_factory, content, command, options):
    folder = tmp_path_factory.mktemp("lesson")
    path = folder / "lesson.toml"
    path.write_text(toml(content), encoding="utf-8")
    args = command + ["--problem", str(path)] + [item for pair in options for item in pair]
    assert_clean(CliRunner().invoke(cli, args))


@RUN
@given(text=CSV, command=COMMANDS, options=OPTIONS)
def test_any_csv_file_ends_cleanly(tmp_path_factory, text, command, options):
    path = tmp_path_factory.mktemp("csv") / "data.csv"
    path.write_text(text, encoding="utf-8", newline="")
    args = command + ["--data", str(path)] + [item for pair in options for item in pair]
    assert_clean(CliRunner().invoke(cli, args))
