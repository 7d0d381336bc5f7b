"""explain for matrix models: the derivation, its printers, its JSON claims and the command line."""

import functools
import json
import os
import pathlib
import subprocess

import numpy as np
import pytest
import sympy
from click.testing import CliRunner
from sympy.parsing.sympy_parser import parse_expr, rationalize, standard_transformations

from conftest import require_tools
from symback.cli import cli
from symback.core.tensor import build_tensor_graph, tensor_pass
from symback.core.tensor.derive import explain_tensor
from symback.core.tensor.entries import explain_entry
from symback.model.tensor_spec import tensor_problem
from symback.render import render
from tensor_models import MODELS

GOLDEN = pathlib.Path(__file__).parent / "golden"
MLP = ["--model", "h = tanh(W1 @ x + b1); y_hat = W2 @ h + b2", "--param", "W1=[[0.1,-0.2],[0.4,0.3],[-0.5,0.2]]",
       "--param", "b1=[0,0.1,0]", "--param", "W2=[[0.3,-0.1,0.2]]", "--param", "b2=[0]",
       "--sample", "x=[1.0,2.0],y=[0.5]"]
LINEAR = ["--model", "y_hat = w @ x + b", "--param", "w=[0.5,-0.3,0.2]", "--param", "b=0.1",
          "--sample", "x=[1,2,3],y=1"]


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@functools.lru_cache(maxsize=None)
def _derivation(name):
    """One derivation per model, shared by the tests (a derivation is an immutable value)."""
    spec = MODELS[name]
    return explain_tensor(tensor_problem(spec["model"], spec["loss"], params=spec["params"], sample=spec["sample"]))


# -- the derivation ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(MODELS))
def test_derivation_gradient_is_the_reverse_pass_gradient(name):
    d = _derivation(name)
    plain = tensor_pass(d.graph, d.problem.param_values, d.sample)
    assert all(np.array_equal(d.gradient[n], plain.gradient[n]) for n in plain.gradient)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_both_checks_agree(name):
    d = _derivation(name)
    assert [c.agrees for c in d.checks] == [True, True]


def test_shown_numbers_are_exact_where_the_arithmetic_is_rational():
    d = _derivation("linear_vector")
    shown = d.adjoints.value["w"].shown
    assert [str(v.exact) for v in shown] == ["-4/5", "-8/5", "-12/5"] and not any(v.approx for v in shown)


def test_a_transcendental_value_is_marked_approximate():
    d = _derivation("mlp_tanh")
    assert all(v.rounded for v in d.shown["h"])


def test_update_is_w_minus_lr_times_gradient():
    d = _derivation("mlp_tanh")
    assert np.array_equal(d.params_after["W1"], d.problem.param_values["W1"] - 0.01 * d.gradient["W1"])


@pytest.mark.parametrize("name,entry", [("mlp_tanh", "W1[2,1]"), ("softmax_ce", "W[0,1]"), ("shared_weights", "W[1,0]"),
                                        ("scalar_broadcast", "a"), ("linear_vector", "w[1]")])
def test_entries_scalar_derivation_gives_the_matrix_entry(name, entry):
    d = explain_entry(_derivation(name), entry)
    (gradient,) = d.entry.scalar.gradient.values()
    assert gradient == pytest.approx(d.entry.matrix_value, rel=1e-12, abs=1e-15)


# -- printers ---------------------------------------------------------------------------------------

GOLDEN_CASES = [("text", "en", "txt"), ("text", "zh", "txt"), ("latex", "en", "tex"), ("markdown", "en", "md"),
                ("json", "en", "json")]


@pytest.mark.parametrize("fmt,lang,suffix", GOLDEN_CASES, ids=[f"{f}-{l}" for f, l, _ in GOLDEN_CASES])
def test_mlp_output_matches_golden(fmt, lang, suffix):
    path = GOLDEN / f"tensor-mlp.{lang}.{suffix}"
    text = render(_derivation("mlp_tanh"), fmt, lang=lang, columns=100)
    if os.environ.get("SYMBACK_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_text_shows_shapes_rules_and_matrix_backward_steps():
    out = render(_derivation("mlp_tanh"), "text", columns=200)
    for line in ("u₁ = W₁x", "∈ ℝ³", "u₁: matrix–vector product", "∂L/∂W₁ = δ_u₁ xᵀ = [", "∂L/∂u₂ = δ_h ⊙ (1 − h²)",
                 "entry by entry: ∂L/∂W₁_ij = δ_i x_j", "✓ agrees with SymPy's diff"):
        assert line in out, line


def test_exact_steps_print_equals_and_rounded_ones_approx():
    out = " ".join(render(_derivation("linear_vector"), "text", columns=200).split())
    assert "∂L/∂w = δ_u₁ x = (−0.8) · [1, 2, 3] = [−0.8, −1.6, −2.4]" in out
    tanh = " ".join(render(_derivation("mlp_tanh"), "text", columns=200).split())
    assert "h = tanh(u₂) = tanh([−0.3, 1.1, −0.1]) ≈ [" in tanh


def test_fan_out_sum_is_its_own_step():
    out = render(_derivation("shared_weights"), "text", columns=300)
    assert "the contributions add" in out and out.count("via ") >= 2


def test_broadcast_reduction_is_its_own_step():
    out = render(_derivation("scalar_broadcast"), "text", columns=300)
    assert "broadcast scalar: the upstream is summed back" in out and "Σᵢ δ_u₅ᵢ" in out


def test_softmax_cross_entropy_rule_is_named():
    out = render(_derivation("softmax_ce"), "text", columns=300)
    assert "softmax + cross-entropy: softmax(ŷ) − onehot(y)" in out


def test_large_matrices_are_elided_with_their_shape():
    W = np.round(np.linspace(-1, 1, 100).reshape(10, 10), 3).tolist()
    d = explain_tensor(tensor_problem("y_hat = sum(tanh(W @ x))", params={"W": W},
                                      sample={"x": list(np.linspace(0, 1, 10).round(2)), "y": 0.0}))
    out = render(d, "text", columns=300)
    assert "₍10×10₎" in out and "…" in out
    assert max(len(line) for line in out.splitlines()) < 300


def test_latex_uses_bmatrix():
    assert r"\begin{bmatrix} 0.1 & -0.2 \\" in render(_derivation("mlp_tanh"), "latex")


def test_chinese_text_has_chinese_headings():
    out = render(_derivation("mlp_tanh"), "text", lang="zh", columns=100)
    assert "局部步骤：矩阵法则" in out and "矩阵-向量乘积" in out and "Local steps" not in out


# -- JSON -------------------------------------------------------------------------------------------

_CLAIM_NAMES = {"Matrix": sympy.Matrix, "tanh": sympy.tanh, "exp": sympy.exp, "log": sympy.log,
                "sigmoid": lambda z: 1 / (1 + sympy.exp(-z)), "relu": lambda z: sympy.Max(0, z),
                "Heaviside": sympy.Heaviside, "sign": sympy.sign, "Abs": sympy.Abs}


def _side(text):
    return parse_expr(text, local_dict=dict(_CLAIM_NAMES), transformations=standard_transformations + (rationalize,))


def _holds(step) -> bool:
    lhs, rhs = (_side(s) for s in step["claim"].split(" = "))
    difference = sympy.Matrix(lhs - rhs) if isinstance(lhs, sympy.MatrixBase) else sympy.Matrix([lhs - rhs])
    scale = sympy.Matrix(rhs) if isinstance(rhs, sympy.MatrixBase) else sympy.Matrix([rhs])
    if not step.get("approx"):
        return all(sympy.nsimplify(e) == 0 for e in difference.applyfunc(lambda e: sympy.N(e, 60)))
    return all(abs(sympy.N(e, 40)) <= 1e-15 * max(1, abs(sympy.N(s))) for e, s in zip(difference, scale))


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_json_claim_holds(name):
    steps = json.loads(render(_derivation(name), "json"))["steps"]
    assert [s["claim"] for s in steps if not _holds(s)] == []


def test_json_gradient_and_params_after_are_nested_lists_of_their_shapes():
    data = json.loads(render(_derivation("mlp_tanh"), "json"))
    assert np.shape(data["gradient"]["W1"]) == (3, 2) and np.shape(data["params_after"]["b1"]) == (3,)
    assert data["gradient"]["W2"] == _derivation("mlp_tanh").gradient["W2"].tolist()


# -- the command line -------------------------------------------------------------------------------

def test_cli_explains_a_matrix_model():
    result = run("explain", *MLP)
    assert result.exit_code == 0 and "∂L/∂W₂ = δ_u₃ hᵀ" in result.output


def test_cli_shape_mismatch_is_one_line_exit_2():
    result = CliRunner().invoke(cli, ["explain", "--model", "y_hat = W @ x", "--param", "W=[[1,2,3]]",
                                      "--sample", "x=[1,2],y=0"])
    assert result.exit_code == 2
    message = result.output.strip()
    assert len(message.splitlines()) == 1 and "1×3 @ vector of 2" in message and "W @ x" in message


def test_cli_entries_shows_one_entry_in_full():
    out = run("explain", *MLP, "--entries", "W1[0,1]", "--digits", "4").output
    assert "One entry in full: ∂L/∂W1[0, 1]" in out and "∂L/∂W₁[0,1] = ∂L/∂u₁[0] × x[1]" in out


@pytest.mark.parametrize("fmt,suffix", [("text", "txt"), ("latex", "tex")])
def test_entry_names_read_as_entries_golden(fmt, suffix):
    """W1[0,1] is W₁[0,1] (W_{1}[0,1]), u1[0] is u₁[0]: the name's own digits apart from the indices."""
    path = GOLDEN / f"tensor-entry.en.{suffix}"
    d = explain_entry(_derivation("mlp_tanh"), "W1[0,1]")
    text = render(d, fmt, columns=100)
    text = text[text.index("W1[0, 1]"):]  # the entry's section
    if os.environ.get("SYMBACK_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_cli_entries_on_a_scalar_model_is_refused():
    result = CliRunner().invoke(cli, ["explain", "--entries", "w"])
    assert result.exit_code == 2


def test_cli_json_with_ce_loss():
    result = run("explain", "--model", "y_hat = W @ x + b", "--loss", "ce", "--param", "W=[[0.1,0.2],[0.3,0.4]]",
                 "--param", "b=[0,0]", "--sample", "x=[1,2],y=1", "--format", "json")
    data = json.loads(result.output)
    assert data["loss_name"] == "ce" and np.shape(data["gradient"]["W"]) == (2, 2)


def test_cli_scalar_models_are_unchanged_by_the_matrix_engine():
    assert "w ← w − η·∂L/∂w = 1 − 0.01·(−2) = 1.02" in run("explain").output


def test_standalone_latex_of_a_matrix_model_compiles(tmp_path):
    require_tools("pdflatex")
    run("explain", *MLP, "--entries", "W1[0,0]", "--format", "latex", "--standalone", "-o", str(tmp_path / "m.tex"))
    result = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-no-shell-escape", "m.tex"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-2000:]


# -- a batch ----------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _batch():
    from symback.core.tensor.batch import explain_tensor_batch

    rows = [{"x": [1.0, 2.0], "y": 0}, {"x": [-0.5, 0.5], "y": 2}, {"x": [0.0, 1.0], "y": 1}]
    return explain_tensor_batch(tensor_problem("y_hat = W @ x + b", "ce", params={"W": [[0.1, 0.2], [0.3, -0.1],
                                                                                       [0.0, 0.4]], "b": [0, 0, 0.1]},
                                               samples=rows))


def test_batch_gradient_is_the_mean_of_the_samples_gradients():
    b = _batch()
    passes = [tensor_pass(b.graph, b.problem.param_values, row) for row in b.problem.samples]
    assert np.allclose(b.gradient["W"], sum(p.gradient["W"] for p in passes) / 3, rtol=1e-15, atol=1e-17)
    assert b.loss == pytest.approx(sum(p.loss for p in passes) / 3, rel=1e-15)


def test_batch_gradient_agrees_with_finite_differences_of_the_mean_loss():
    assert [c.agrees for c in _batch().checks] == [True]


def test_every_batch_json_claim_holds():
    data = json.loads(render(_batch(), "json"))
    assert data["n_samples"] == 3 and np.shape(data["gradient"]["W"]) == (3, 2)
    assert [s["claim"] for s in data["steps"] if not _holds(s)] == []


def test_batch_text_shows_the_mean_of_every_sample():
    out = " ".join(render(_batch(), "text", columns=200).split())
    assert "∂L/∂W = (1/n) Σₖ ∂Lₖ/∂W" in out and "(1/3) ([[" in out


def test_cli_explains_the_matrix_example_lessons_in_batch_mode():
    for lesson in ("tanh-mlp", "three-classes"):
        result = run("explain", "--problem", str(pathlib.Path(__file__).parent.parent / "examples" / "matrix"
                                                 / f"{lesson}.toml"), "--digits", "4")
        assert result.exit_code == 0 and "Every sample, then the mean" in result.output


@pytest.mark.parametrize("name", sorted(MODELS))
def test_symback_verify_accepts_every_matrix_claim(name):
    from symback.check.claims import verify

    assert [v.claim for v in verify(json.loads(render(_derivation(name), "json"))) if not v.ok] == []


def test_symback_verify_accepts_the_batch_claims_and_refuses_a_wrong_matrix():
    from symback.check.claims import check, verify

    assert all(v.ok for v in verify(json.loads(render(_batch(), "json"))))
    assert check("Matrix([[1, 2], [3, 4]]) = Matrix([[1, 2], [3, 5]])") == (False, "exact")
    assert check("Matrix([[1, 2]]) = Matrix([[1], [2]])") == (False, "shapes differ")


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_model_renders_in_every_format_and_language(name):
    d = _derivation(name)
    for fmt in ("text", "latex", "markdown"):
        for lang in ("en", "zh"):
            assert render(d, fmt, lang=lang, columns=100)


def test_json_has_the_contract_fields_with_the_matrix_rule_beside():
    data = json.loads(render(_derivation("mlp_tanh"), "json"))
    for key in ("loss", "gradient", "gradient_expr", "params_before", "params_after", "lr", "steps", "loss_after"):
        assert key in data
    assert data["gradient_expr"]["W1"] is None and data["gradient_rule"]["W1"] == "delta_u1 xᵀ"
