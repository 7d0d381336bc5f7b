"""Large data: NumPy columns from .npz, .npy and big CSV files, checked like small CSV, trained without copies."""

from __future__ import annotations

import math
import tracemalloc

import pytest
from click.testing import CliRunner

from symback.model import data as datamod
from symback import problem
from symback.cli import cli
from symback.model.data import parse_csv, read_csv
from symback.errors import DataError, SpecError
from symback.train.run import Settings, train

np = pytest.importorskip("numpy")

from symback.model.arrays import ArrayDataset, from_columns  # noqa: E402 - needs NumPy


def _line(rng, n):
    x = rng.standard_normal(n)
    return x, 2 * x + 1 + 0.1 * rng.standard_normal(n)


def test_npz_columns_become_an_array_dataset(tmp_path):
    x, y = _line(np.random.default_rng(0), 1000)
    path = tmp_path / "d.npz"
    np.savez(path, x=x, y=y)
    p = problem("w*x + b", params={"w": 0, "b": 0}, data=str(path))
    assert isinstance(p.data, ArrayDataset) and len(p.data) == 1000
    assert p.data.names == ("x", "y") and repr(p.data) == "Dataset(x, y; 1000 rows)"
    assert p.sample(3) == {"x": x[3], "y": y[3]}
    assert np.array_equal(p.data.column("y"), y)


def test_npy_structured_array_fields_are_columns(tmp_path):
    table = np.zeros(5, dtype=[("y", "f8"), ("x", "i4")])
    table["x"], table["y"] = range(5), [0.5 * i for i in range(5)]
    path = tmp_path / "d.npy"
    np.save(path, table)
    p = problem(data=str(path))
    assert p.data.rows == tuple((float(i), 0.5 * i) for i in range(5))  # selected in the order x, y


def test_arrays_from_python_are_shared_read_only_and_not_copied():
    x, y = _line(np.random.default_rng(1), 100)
    p = problem("w*x + b", params={"w": 0, "b": 0}, data={"x": x, "y": y})
    column = p.data.column("x")
    assert np.shares_memory(column, x) and not column.flags.writeable and x.flags.writeable


def test_array_dataset_equals_the_same_rows():
    rows = ((1.0, 2.0), (2.0, 4.5))
    arrays = from_columns({"x": np.array([1.0, 2.0]), "y": np.array([2.0, 4.5])})
    assert arrays == datamod.Dataset(("x", "y"), rows) and arrays.rows == rows
    assert arrays.select(("y",)).rows == ((2.0,), (4.5,))


@pytest.mark.parametrize("columns, message", [
    ({"x": np.array([1.0, np.nan]), "y": np.zeros(2)}, "column x, row 2 is not a finite number"),
    ({"x": np.zeros(3), "y": np.zeros(2)}, "column y has 2 values but column x has 3"),
    ({"x": np.zeros((2, 2, 1)), "y": np.zeros(2)}, "column x has shape (2, 2, 1)"),
    ({"x": np.array(["a", "b"]), "y": np.zeros(2)}, "every value must be a real number"),
    ({"x": np.zeros(0), "y": np.zeros(0)}, "no rows"),
    ({"x y": np.zeros(2), "y": np.zeros(2)}, "not a valid name"),
    ({}, "no columns"),
])
def test_bad_columns_are_one_line_data_errors(columns, message):
    with pytest.raises(DataError, match=message.replace("(", r"\(").replace(")", r"\)")):
        from_columns(columns)


def test_bad_numpy_files_are_data_errors_and_never_unpickled(tmp_path):
    objects = tmp_path / "objects.npz"
    np.savez(objects, x=np.array([{"a": 1}, None], dtype=object), y=np.zeros(2))
    flat = tmp_path / "flat.npy"
    np.save(flat, np.zeros((3, 2)))
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip file")
    for path, message in ((objects, "without unpickling"), (flat, "without column names"),
                          (junk, "not a NumPy"), (tmp_path / "missing.npz", "cannot read")):
        with pytest.raises(DataError, match=message):
            problem(data=str(path))


def test_cli_trains_and_explains_from_npz_and_refuses_bad_files(tmp_path):
    x, y = _line(np.random.default_rng(2), 20_000)
    good, bad = tmp_path / "d.npz", tmp_path / "bad.npz"
    np.savez(good, x=x, y=y)
    np.savez(bad, x=x, y=y[:-1])
    args = ["--model", "w*x + b", "--param", "w=0", "--param", "b=0", "--data", str(good)]
    result = CliRunner().invoke(cli, ["train", *args, "--mode", "batch", "--epochs", "30", "--lr", "0.5"])
    assert result.exit_code == 0 and "on 20000 samples" in result.output
    assert CliRunner().invoke(cli, ["explain", *args]).exit_code == 0
    result = CliRunner().invoke(cli, ["train", *args[:-1], str(bad)])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert "column y has 19999 values" in result.output


def test_batch_explanation_of_very_many_rows_is_refused(tmp_path):
    from symback.core.batch import MAX_ROWS, explain_batch

    n = MAX_ROWS + 1
    p = problem(data={"x": np.ones(n), "y": np.ones(n)})
    with pytest.raises(SpecError, match="train on all of them"):
        explain_batch(p)


# -- big CSV files through NumPy: the same data and the same messages as the small-file reader ------------

CSV_CASES = [
    "x,y\n1,2\n2,4.5\n",
    "\ufeffx,y\r\n1,2\r\n\r\n3, 4\r\n",
    "x,y\n1,2\n   ,  \n3,4\n",
    "x,y\n1_000,2\n",
    'x,y\n"1.5",2\n',
]
BAD_CSV = [
    "x,y\n1,2\n3,\n",
    "x,y\n1,2\n3,abc\n",
    "x,y\n1,2\n3,4,5\n",
    "x,y\n1,nan\n",
    "x,y\n1,1e400\n",
    "x,y\n",
    "",
    "x;y\n1;2\n",
    "x,x\n1,2\n",
]


@pytest.fixture
def numpy_reader(monkeypatch):
    """Every CSV file counts as large: read through NumPy."""
    monkeypatch.setattr(datamod, "ARRAY_CSV_BYTES", -1)


@pytest.mark.parametrize("text", CSV_CASES)
def test_large_csv_reads_the_same_numbers(tmp_path, numpy_reader, text):
    path = tmp_path / "d.csv"
    path.write_text(text, encoding="utf-8", newline="")
    big = read_csv(str(path))
    assert isinstance(big, ArrayDataset)
    assert big == parse_csv(text, str(path)) and big.rows == parse_csv(text, str(path)).rows


@pytest.mark.parametrize("text", BAD_CSV)
def test_large_csv_errors_are_the_small_file_messages(tmp_path, numpy_reader, monkeypatch, text):
    path = tmp_path / "d.csv"
    path.write_text(text, encoding="utf-8", newline="")
    with pytest.raises(DataError) as large:
        read_csv(str(path))
    monkeypatch.setattr(datamod, "ARRAY_CSV_BYTES", 10**12)
    with pytest.raises(DataError) as small:
        read_csv(str(path))
    assert str(large.value) == str(small.value)


def test_csv_over_the_python_limit_asks_for_numpy(tmp_path, monkeypatch):
    path = tmp_path / "d.csv"
    path.write_text("x,y\n1,2\n" * 10)
    monkeypatch.setattr(datamod, "MAX_CSV_BYTES", 10)
    monkeypatch.setattr(datamod, "_has_numpy", lambda: False)
    with pytest.raises(DataError, match=r"symback\[fast\]"):
        read_csv(str(path))


# -- training on columns ------------------------------------------------------------------------------------

def test_training_on_columns_equals_training_on_rows():
    x, y = _line(np.random.default_rng(3), 500)
    rows = list(zip(x.tolist(), y.tolist()))
    for mode in ("batch", "sgd", "minibatch"):
        settings = Settings(epochs=5, mode=mode, batch_size=32 if mode == "minibatch" else None)
        a = train(problem("w*x + b", params={"w": 0, "b": 0}, data={"x": x, "y": y}), settings)
        b = train(problem("w*x + b", params={"w": 0, "b": 0}, data=(("x", "y"), rows)), settings)
        for (_, u), (_, v) in zip(a.final_params, b.final_params):
            assert math.isclose(u, v, rel_tol=1e-12)
        assert math.isclose(a.final_loss, b.final_loss, rel_tol=1e-10)


def test_full_batch_epoch_needs_at_most_the_data_size_in_extra_memory():
    x, y = _line(np.random.default_rng(4), 10**6)
    p = problem("w*x + b", params={"w": 0, "b": 0}, data={"x": x, "y": y}, lr=0.5)
    data_bytes = x.nbytes + y.nbytes
    train(p, Settings(epochs=1, mode="batch"))  # compile outside the measurement
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        history = train(p, Settings(epochs=4, mode="batch"))
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert history.final_loss < 0.02
    assert peak <= data_bytes
