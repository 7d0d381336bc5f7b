"""The derived gradient is right: against sympy.diff and against finite differences."""

import math

import pytest
import sympy

from conftest import MODEL_IDS, MODELS, make_problem
from symback.core.derive import explain
from symback.model.ops import elementary
from symback.core.numeric import evaluate
from symback.core.verify import finite_difference


def _points(problem):
    """The problem's own parameters at each data row, and a shifted copy."""
    shifted = {n: v * 0.8 + 0.05 for n, v in problem.params}
    return [(problem, i) for i in range(len(problem.data))] + [(problem.with_params(shifted), 0)]


def _env(problem, i):
    return {**{sympy.Symbol(n, real=True): v for n, v in problem.params},
            **{sympy.Symbol(n, real=True): v for n, v in problem.sample(i).items()}}


def _diff_value(problem, name, env):
    """SymPy's own diff of the composed loss (sigmoid, relu from their definitions), at env."""
    truth = sympy.diff(elementary(problem.loss_expr), sympy.Symbol(name, real=True))
    return evaluate(truth, env)


@pytest.mark.parametrize("row", MODELS, ids=MODEL_IDS)
def test_reverse_pass_equals_sympy_diff(row):
    for problem, i in _points(make_problem(row)):
        d = explain(problem, i)
        env = _env(problem, i)
        for name, value in d.gradient.items():
            assert math.isclose(value, _diff_value(problem, name, env), rel_tol=1e-9, abs_tol=1e-12), name


@pytest.mark.parametrize("row", MODELS, ids=MODEL_IDS)
def test_reverse_pass_equals_finite_difference(row):
    for problem, i in _points(make_problem(row)):
        d = explain(problem, i)
        base = {**problem.param_values, **problem.sample(i)}

        def loss(point):
            return evaluate(problem.loss_expr, {sympy.Symbol(k, real=True): v for k, v in point.items()})

        for name, value in d.gradient.items():
            fd = finite_difference(loss, base, name)
            assert math.isclose(value, fd, rel_tol=1e-5, abs_tol=1e-6), name


@pytest.mark.parametrize("row", MODELS, ids=MODEL_IDS)
def test_closed_form_agrees_with_sympy_diff_symbolically_or_numerically(row):
    d = explain(make_problem(row))
    for g in d.gradients:
        assert g.closed is not None
        assert g.check.ok and g.check.method in ("symbolic", "numeric")


@pytest.mark.parametrize("row", MODELS, ids=MODEL_IDS)
def test_closed_form_value_matches_reverse_pass(row):
    problem = make_problem(row)
    d = explain(problem)
    env = _env(problem, 0)
    for g in d.gradients:
        assert math.isclose(evaluate(g.closed, env), g.value, rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize("row", MODELS, ids=MODEL_IDS)
def test_every_local_derivative_is_sympy_diff_of_its_node(row):
    d = explain(make_problem(row))
    for local in d.locals:
        assert sympy.simplify(local.expr - sympy.diff(local.node.expr, local.child)) == 0


@pytest.mark.parametrize("row", MODELS, ids=MODEL_IDS)
def test_every_rule_formula_is_true(row):
    d = explain(make_problem(row))
    for local in d.locals:
        formula = local.rule.formula()
        lhs = elementary(formula.lhs.doit())
        rhs = elementary(formula.rhs)
        lhs, rhs = (e.replace(lambda t: isinstance(t, sympy.Heaviside), lambda t: sympy.Heaviside(t.args[0]))
                    for e in (lhs, rhs))
        assert sympy.simplify(lhs - rhs) == 0, local.rule


def test_update_is_gradient_descent(seed):
    d = explain(seed)
    (g,) = d.gradients
    assert g.after == g.before - seed.lr * g.value


def test_seed_gradient_is_minus_two_and_w_becomes_1_02(seed):
    d = explain(seed)
    assert d.gradient == {"w": -2.0}
    assert d.params_after == {"w": 1.02}
    assert d.loss == 1.0


def _tanh_chain(n):
    from symback import problem

    defs = ["z1 = tanh(w1*x + b1)"] + [f"z{i} = tanh(w{i}*z{i - 1} + b{i})" for i in range(2, n + 1)]
    params = {**{f"w{i}": 0.9 for i in range(1, n + 1)}, **{f"b{i}": 0.1 for i in range(1, n + 1)}}
    return problem("; ".join(defs + [f"y_hat = z{n}"]), params=params, data=(["x", "y"], [(0.5, -0.3)]))


def test_deep_chain_gradient_equals_finite_difference():
    p = _tanh_chain(40)
    d = explain(p)
    base = {**p.param_values, **p.sample(0)}

    def loss(point):
        from symback.core.derive import loss_at

        return loss_at(d.graph, point)

    for name in ("w1", "b1", "w20", "w40", "b40"):
        assert math.isclose(d.gradient[name], finite_difference(loss, base, name), rel_tol=1e-5, abs_tol=1e-9)


def test_deep_chain_is_checked_numerically_not_expanded():
    d = explain(_tanh_chain(40))
    assert all(g.closed is None and g.check.ok for g in d.gradients)
    assert {g.check.method for g in d.gradients} == {"finite differences"}


def test_very_deep_chain_is_checked_along_a_direction():
    d = explain(_tanh_chain(300))
    assert {g.check.method for g in d.gradients} == {"directional finite difference"}
    assert all(g.check.ok for g in d.gradients)


def test_graph_grows_linearly_with_depth():
    from symback.core.graph import build_graph

    sizes = [len(build_graph(_tanh_chain(n)).nodes) for n in (10, 20, 40)]
    assert sizes[2] - sizes[1] == 2 * (sizes[1] - sizes[0])


def test_every_graph_function_has_a_named_rule():
    from symback.model.ops import UNARY
    from symback.core.rules import FUNCTION_RULES

    assert set(FUNCTION_RULES) == set(UNARY)
