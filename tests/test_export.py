"""symback export: the lesson as a runnable PyTorch or NumPy program.

The NumPy programs are run and their printout compared with symback's own
numbers (the PyTorch reference output for the original lesson, to the byte).
The PyTorch programs are compiled and their structure checked; they run only
where PyTorch happens to be installed (it is never a test dependency).
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from symback import problem
from symback.cli import cli
from symback.export import export_program
from symback.train.run import settings, train

REFERENCE = os.path.join(os.path.dirname(__file__), "reference")
#: (model, loss, params, data) that cover the functions, a fan-out, several inputs and layers
CASES = [
    ("w*x + b", "mse", {"w": 1.0, "b": 0.0}, None),
    ("w*x + w**2", "mse", {"w": 1.0}, None),
    ("sigmoid(w*x + b)", "bce", {"w": 0.5, "b": 0.0}, (["x", "y"], [[0.5, 0], [1, 0], [3, 1], [4, 1]])),
    ("h = tanh(w1*x + b1); y_hat = v*h + c", "mse", {"w1": 0.5, "b1": 0.0, "v": 1.0, "c": 0.0}, None),
    ("relu(w*x - 0.5) + sqrt(w**2 + x)", "abs", {"w": 1.0}, None),
    ("softplus(w*x - 0.5)", "mse", {"w": 1.0}, None),
    ("w/(1 + w*x1) + v*exp(x2/3)", "mse", {"w": 0.5, "v": -0.2}, (["x1", "x2", "y"], [[1, 2, 1], [2, 0.5, 2]])),
]


def _reference(dtype: str) -> str:
    with open(os.path.join(REFERENCE, f"seed_torch_{dtype}_output.txt"), encoding="utf-8") as handle:
        return handle.read()


def _run(source: str) -> str:
    """What the program prints (run here: it is our own code, and a new interpreter is slow)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "lesson.py", "exec"), {"__name__": "__main__"})  # noqa: S102
    return out.getvalue()


def _run_python(source: str) -> str:
    """What the program prints when python runs it as a file."""
    done = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _numbers(output: str) -> list[tuple[float, ...]]:
    """Every grad: and progress: line as numbers."""
    return [tuple(map(float, line.split()[1:])) for line in output.splitlines()
            if line.startswith(("\tgrad:", "progress:"))]


def _expected(p, s) -> list[tuple[float, ...]]:
    """What symback train computes, in the printout's order."""
    rows: list = []
    history = train(p, s, on_update=lambda u: rows.append(tuple(u.sample or ()) + u.gradient))
    per_epoch = len(rows) // len(history.epochs)
    out = []
    for e, epoch in enumerate(history.epochs):
        out += rows[e * per_epoch:(e + 1) * per_epoch]
        out.append((e, epoch.last_sample_loss if s.mode == "sgd" else None))
    return out


def _agree(got, expected, rel: float) -> bool:
    if len(got) != len(expected):
        return False
    return all(b is None or math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)
               for g, e in zip(got, expected) for a, b in zip(g, e))


def test_the_numpy_program_prints_pytorchs_float64_output_to_the_byte():
    pytest.importorskip("numpy")
    assert _run_python(export_program(problem(), target="numpy").text()) == _reference("float64")


def test_the_float32_numpy_program_prints_pytorchs_float32_output_to_the_byte():
    pytest.importorskip("numpy")
    p = problem()
    program = export_program(p, settings(p, dtype="float32"), "numpy")
    assert _run(program.text()) == _reference("float32")


@pytest.mark.parametrize("mode", ["sgd", "batch", "minibatch"])
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_the_numpy_program_computes_symbacks_gradients(case, mode):
    pytest.importorskip("numpy")
    model, loss, params, data = case
    p = problem(model=model, loss=loss, params=params, data=data)
    s = settings(p, epochs=3, mode=mode, batch_size=2 if mode == "minibatch" else None)
    got = _numbers(_run(export_program(p, s, "numpy", points=[]).text()))
    assert _agree(got, _expected(p, s), 1e-9)


def test_float32_numpy_programs_agree_with_symback_to_float32_precision():
    pytest.importorskip("numpy")
    p = problem(model="h = tanh(w1*x + b1); y_hat = v*h + c", params={"w1": 0.5, "b1": 0.0, "v": 1.0, "c": 0.0})
    s = settings(p, epochs=3, dtype="float32")
    got = _numbers(_run(export_program(p, s, "numpy", points=[]).text()))
    assert _agree(got, _expected(p, s), 1e-5)


@pytest.mark.parametrize("mode", ["sgd", "batch", "minibatch"])
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_the_pytorch_program_is_python(case, mode):
    model, loss, params, data = case
    p = problem(model=model, loss=loss, params=params, data=data)
    s = settings(p, epochs=3, mode=mode, batch_size=2 if mode == "minibatch" else None)
    compile(export_program(p, s, "pytorch").text(), "lesson.py", "exec")


def test_the_pytorch_program_is_the_original_lessons_loop():
    lines = export_program(problem(), target="pytorch").text().splitlines()
    code = [line.split("#")[0].strip() for line in lines]
    assert "w = torch.tensor(1.0, requires_grad=True)" in code
    loop = code[code.index("for x, y in data:"):]
    assert loop[1:6] == ["l = loss(x, y)", "l.backward()", "print('\\tgrad:', x, y, w.grad.item())",
                         "w.data = w.data - lr * w.grad.data", "w.grad.zero_()"]
    assert "return (y_hat - y) ** 2" in code and "y_hat = w * x" in code


def test_each_step_of_the_pytorch_program_is_annotated():
    text = export_program(problem(), target="pytorch").text()
    assert "l.backward()" in text and "# the reverse pass (symback explain, section 3)" in text
    assert "# w.grad = ∂L/∂w" in text and "w ← w − η·∂L/∂w" in text
    assert "contributions add" in text.split("w.grad.zero_()")[1].splitlines()[0]


def test_a_pytorch_program_uses_torch_functions_on_tensors_only():
    p = problem(model="w*exp(x) + tanh(w)")
    text = export_program(p, target="pytorch").text()
    assert "torch.exp(torch.as_tensor(x))" in text and "torch.tanh(w)" in text


def test_every_parameter_gets_requires_grad_and_a_zeroed_gradient():
    p = problem(model="h = tanh(w1*x + b1); y_hat = v*h + c", params={"w1": 0.5, "b1": 0, "v": 1, "c": 0})
    text = export_program(p, target="pytorch").text()
    for name in ("w1", "b1", "v", "c"):
        assert f"{name} = torch.tensor(" in text and f"{name}.grad.zero_()" in text


def test_a_name_the_program_uses_is_renamed():
    p = problem(model="lr*x + np", params={"lr": 1.0, "np": 0.5})
    text = export_program(p, target="numpy", points=[]).text()
    assert "lr_ = 1.0" in text and "np_ = 0.5" in text
    assert _agree(_numbers(_run(text)), _expected(p, settings(p)), 1e-9)


def test_the_programs_speak_chinese():
    from symback.lang import wording

    text = export_program(problem(), target="pytorch", words=wording("zh")).text()
    assert "反向传播" in text


def test_export_prints_the_program():
    result = CliRunner().invoke(cli, ["export", "--to", "numpy"])
    assert result.exit_code == 0 and result.output.startswith("# The lesson as a NumPy program")


def test_export_writes_a_file_and_says_so(tmp_path):
    out = tmp_path / "lesson.py"
    result = CliRunner().invoke(cli, ["export", "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == f"wrote {out}\n"
    assert "import torch" in out.read_text(encoding="utf-8")


def test_an_unknown_target_is_a_usage_error():
    result = CliRunner().invoke(cli, ["export", "--to", "jax"])
    assert result.exit_code == 2 and "jax" in result.stderr


def test_bad_input_is_one_line_and_writes_nothing(tmp_path):
    result = CliRunner().invoke(cli, ["export", "--model", "__import__('os')", "-o", str(tmp_path / "l.py")])
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_too_many_rows_for_a_program_is_one_line(tmp_path):
    data = tmp_path / "big.csv"
    data.write_text("x,y\n" + "1,2\n" * 10_001, encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", "--data", str(data)])
    assert result.exit_code == 2 and "at most 10,000 rows" in result.stderr


def test_the_lesson_file_sets_mode_and_epochs(tmp_path):
    lesson = tmp_path / "l.toml"
    lesson.write_text('mode = "batch"\nepochs = 7\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", "--problem", str(lesson)])
    assert "for epoch in range(7):" in result.output and ".mean()" in result.output


def test_the_pytorch_program_reproduces_the_reference_where_pytorch_is_installed():
    pytest.importorskip("torch")  # optional: PyTorch is never a test dependency
    p = problem()
    assert _run(export_program(p, settings(p, dtype="float32"), "pytorch").text()) == _reference("float32")
    assert _run(export_program(p, target="pytorch").text()) == _reference("float64")


@pytest.mark.parametrize("mode", ["sgd", "batch", "minibatch"])
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_pytorch_computes_symbacks_numbers_where_it_is_installed(case, mode):
    pytest.importorskip("torch")  # optional: PyTorch is never a test dependency
    model, loss, params, data = case
    p = problem(model=model, loss=loss, params=params, data=data)
    s = settings(p, epochs=3, mode=mode, batch_size=2 if mode == "minibatch" else None)
    assert _agree(_numbers(_run(export_program(p, s, "pytorch", points=[]).text())), _expected(p, s), 1e-12)
