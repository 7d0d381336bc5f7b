"""Tidying closed forms: the shared factor_terms gives SymPy's own result; cancel still runs where it helps."""

import sympy

from symback.core.derive import closed_form, local_derivatives
from symback.model.ops import sigmoid
from symback.core.graph import build_graph
from symback.model.spec import problem
from symback.core.tidy import _expanded_terms, factor_terms, tidy

x, y, w, b = sympy.symbols("x y w b", real=True)

DEEP = ("h1 = tanh(w1*x + b1); h2 = sqrt(c1 + (w2*h1 + b2)**2); h3 = sigmoid(w3*h2 + w4*h1 + b3); "
        "y_hat = v1*h3 + v2*h2 + h3*h1 + c2")
DEEP_PARAMS = {"w1": 0.5, "b1": -0.2, "c1": 0.3, "w2": 1.1, "b2": 0.6, "w3": -0.8, "w4": 0.3, "b3": 0.2,
               "v1": 0.6, "v2": -1.5, "c2": 0.1}


def _raw_closed_forms(loss, monkeypatch):
    """The closed forms as substituted, before tidying."""
    monkeypatch.setattr("symback.core.derive.tidy", lambda expr, seconds: expr)
    p = problem(DEEP, loss, DEEP_PARAMS, data=(("x", "y"), [(1.3, 0.4)]))
    graph = build_graph(p)
    locals_ = local_derivatives(graph)
    forms = [closed_form(graph, locals_, param) for param in graph.params]
    return [f for f in forms if f is not None]  # the deepest parameters pass MAX_CLOSED_OPS


def test_shared_factor_terms_is_sympys_factor_terms_on_every_closed_form(monkeypatch):
    for loss in ("mse", "(y_hat - y)**4", "log(1 + (y_hat - y)**2)"):
        forms = _raw_closed_forms(loss, monkeypatch)
        assert len(forms) >= 6
        for expr in forms:
            assert factor_terms(expr) == sympy.factor_terms(expr)


def test_shared_factor_terms_keeps_a_number_before_a_sum():
    expr = 2 * x * sympy.tanh(w * x + w * b) + 2 * y
    assert factor_terms(expr) == sympy.factor_terms(expr)
    assert sympy.srepr(factor_terms(expr)) == sympy.srepr(sympy.factor_terms(expr))


def test_the_cross_entropy_gradient_still_cancels_to_the_residual():
    s = sigmoid(w * x + b)
    expr = -x * s * (1 - s) * (y / s + (y - 1) / (1 - s))
    assert tidy(expr) == x * (s - y)


def test_no_cancel_without_a_shared_factor():
    expr = x / (1 + (w * x + b) ** 2) + y
    assert tidy(expr) == sympy.factor_terms(expr)


def test_expanded_terms_bounds_a_power_of_a_sum():
    assert _expanded_terms((x + y + w) ** 3) == 27
    assert _expanded_terms(x * (y + w) + b) == 3
