"""Shared helpers for the tests: the model table, the seed lesson, the tools TeX tests need."""

from __future__ import annotations

import math

import pytest

#: (model, loss, params, data columns, data rows): every function and loss at least once
MODELS = [
    ("w*x", "mse", {"w": 1.0}, ("x", "y"), [(1, 2), (2, 4), (3, 6)]),
    ("w*x + b", "mse", {"w": 0.5, "b": -0.3}, ("x", "y"), [(1, 2), (2.5, 4)]),
    ("w1*x**2 + w2*x + b", "mse", {"w1": 0.1, "w2": 0.7, "b": 0.2}, ("x", "y"), [(1.5, 2), (-2, 3)]),
    ("w1*x1 + w2*x2 + b", "mse", {"w1": 0.3, "w2": -0.4, "b": 0.1}, ("x1", "x2", "y"), [(1, 2, 0.5), (0.2, -1, 1)]),
    ("sigmoid(w*x + b)", "bce", {"w": 0.8, "b": -0.2}, ("x", "y"), [(1.2, 1), (-0.7, 0)]),
    ("v*tanh(w*x + b) + c", "mse", {"v": 1.1, "w": 0.6, "b": 0.1, "c": -0.2}, ("x", "y"), [(0.9, 0.4), (-1, -1)]),
    ("relu(w*x + b)", "mse", {"w": 0.9, "b": 0.3}, ("x", "y"), [(1.3, 0.2), (0.4, 1)]),
    ("softplus(w*x + b)", "mse", {"w": 0.6, "b": -0.4}, ("x", "y"), [(1.5, 1), (-2, 0.2)]),
    ("exp(w*x)", "mse", {"w": 0.3}, ("x", "y"), [(1.1, 2), (0.5, 1)]),
    ("log(w**2 + x**2 + 1)", "abs", {"w": 0.7}, ("x", "y"), [(0.6, 0.1), (1.5, 2)]),
    ("sin(w*x) + cos(b)", "mse", {"w": 0.4, "b": 0.9}, ("x", "y"), [(1.2, 0.5), (2, -0.5)]),
    ("sqrt(w**2 + x)", "mse", {"w": 1.3}, ("x", "y"), [(0.8, 1), (2, 3)]),
    ("abs(w*x - b)", "mse", {"w": 1.2, "b": 0.4}, ("x", "y"), [(1, 0.3), (-1, 2)]),
    ("w*x + w**2", "mse", {"w": 0.6}, ("x", "y"), [(1, 2), (3, 1)]),
    ("tan(w*x)", "mse", {"w": 0.3}, ("x", "y"), [(0.9, 0.2), (1.1, 1)]),
    ("x/w", "mse", {"w": 1.7}, ("x", "y"), [(1, 2), (2, 0.5)]),
    ("(w*x + b)/(1 + exp(-w))", "mse", {"w": 0.5, "b": 0.25}, ("x", "y"), [(1, 0.5), (2, 1.5)]),
    ("2**w*x", "mse", {"w": 0.5}, ("x", "y"), [(1, 2), (0.5, 1)]),
    ("w**w*x", "mse", {"w": 1.4}, ("x", "y"), [(1, 2), (0.3, 1)]),
    ("h = tanh(w1*x + b1); y_hat = v*h + c", "mse", {"w1": 0.5, "b1": 0.1, "v": 0.9, "c": 0.05}, ("x", "y"),
     [(1, 0.3), (-0.5, 0.8)]),
    ("h1 = tanh(w1*x + b1); h2 = sigmoid(w2*x + b2); y_hat = v1*h1 + v2*h2 + c", "mse",
     {"w1": 0.5, "b1": 0.1, "w2": -0.3, "b2": 0.2, "v1": 0.7, "v2": -0.6, "c": 0.1}, ("x", "y"), [(1, 0.3), (2, -1)]),
    ("h = relu(w1*x + b1); y_hat = v*h", "mse", {"w1": 0.8, "b1": 0.2, "v": 1.5}, ("x", "y"), [(1, 0.3), (2, 4)]),
    ("w*x", "(y_hat - y)**4", {"w": 0.8}, ("x", "y"), [(1, 2), (2, 1)]),
    ("w*x + b", "sqrt((y_hat - y)**2 + 1) - 1", {"w": 0.4, "b": 0.1}, ("x", "y"), [(1, 2), (-1, 0.5)]),
    ("w*x + b", "abs", {"w": 0.4, "b": 0.1}, ("x", "y"), [(1, 2), (-1, -0.9)]),
    ("sigmoid(w1*x1 + w2*x2 + b)", "bce", {"w1": 0.4, "w2": -0.2, "b": 0.1}, ("x1", "x2", "y"),
     [(1, 2, 1), (0.5, -1, 0)]),
    ("sigmoid(w*x)", "-(y*log(y_hat))", {"w": 0.7}, ("x", "y"), [(1, 1), (2, 1)]),
    ("w*sin(x) + b*cos(x)", "mse", {"w": 0.2, "b": 0.9}, ("x", "y"), [(0.4, 1), (2.2, -1)]),
    ("exp(-(x - w)**2)", "mse", {"w": 0.3}, ("x", "y"), [(0.5, 1), (1.2, 0.2)]),
    ("w*x*tanh(w*x)", "mse", {"w": 0.6}, ("x", "y"), [(1, 0.5), (-2, 1)]),
    ("pi*w*x - 1/(1 + w**2)", "mse", {"w": 0.4}, ("x", "y"), [(1, 0.5), (0.3, 1)]),
]

MODEL_IDS = [f"{m} | {l}" for m, l, *_ in MODELS]


def make_problem(row):
    from symback import problem

    model, loss, params, names, rows = row
    return problem(model, loss, params, data=(names, rows))


@pytest.fixture
def seed():
    from symback import problem

    return problem()


def require_tools(*tools):
    """Skip without these programs (TeX, pdftotext), unless SYMBACK_REQUIRE_TEX says CI must have them."""
    import os
    import shutil

    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        if os.environ.get("SYMBACK_REQUIRE_TEX"):
            pytest.fail(f"{', '.join(missing)} missing but SYMBACK_REQUIRE_TEX is set")
        pytest.skip(f"{', '.join(missing)} not installed")


def isclose(a, b, rel=1e-9):
    return math.isclose(a, b, rel_tol=rel, abs_tol=rel)


@pytest.fixture(autouse=True)
def _terminal_width(monkeypatch):
    """Text output fits the terminal: the tests print for one of the default width, whatever runs them."""
    monkeypatch.setenv("COLUMNS", "100")
