"""The exact identity test: True only for identities, None (undecided) otherwise, never False."""

import sympy

from symback.core.derive import explain
from symback.model.ops import sigmoid
from symback.core.identity import identical
from symback.model.spec import problem
from symback.core.verify import agrees_with_diff, equal

x, y, w, b = sympy.symbols("x y w b", real=True)
u = w * x + b


def test_the_sigmoid_derivative_equals_its_exponential_form():
    s = 1 / (1 + sympy.exp(-u))
    assert identical(sympy.diff(s, w), x * s * (1 - s)) is True


def test_a_wrong_derivative_is_not_an_identity():
    assert identical(sympy.diff(sympy.tanh(u) ** 2, w), 2 * x * sympy.tanh(u)) is None


def test_a_constant_off_is_not_an_identity():
    assert identical(x * (u - y), x * (u - y) + sympy.Rational(1, 10**12)) is None


def test_a_function_of_equal_arguments_written_differently_is_one_value():
    assert identical(sympy.sin(2 * w * (x + b)), sympy.sin(sympy.expand(2 * w * (x + b)))) is True


def test_odd_and_even_functions_of_a_negated_argument():
    assert identical(sympy.sign(w - x), -sympy.sign(x - w)) is True
    assert identical(sympy.cos(w - x), sympy.cos(x - w)) is True
    assert identical(sympy.sin(w - x), sympy.sin(x - w)) is None


def test_powers_with_rational_exponents_share_their_root():
    r = x**2 + w
    assert identical(sympy.diff(r ** sympy.Rational(3, 2), w), sympy.Rational(3, 2) * sympy.sqrt(r)) is True
    assert identical(r ** sympy.Rational(5, 2) / r, r * sympy.sqrt(r)) is True


def test_exponentials_of_sums_are_products():
    e = sympy.exp(sympy.Rational(3, 10) * w) * sympy.exp(x)
    assert identical(e, sympy.exp(sympy.Mul(sympy.Rational(3, 10), w, evaluate=False) + x)) is True
    assert identical(sympy.exp(w) * sympy.exp(-b), sympy.exp(w - b)) is True


def test_an_identity_that_needs_trigonometry_is_undecided_not_false():
    assert identical(sympy.sin(x) ** 2 + sympy.cos(x) ** 2, 1) is None


def test_equal_settles_a_trigonometric_identity_by_simplify():
    check = equal(sympy.sin(x) ** 2 + sympy.cos(x) ** 2, sympy.Integer(1), [x])
    assert check.ok and check.method == "symbolic"


def test_equal_finds_a_wrong_closed_form_at_points():
    check = equal(x * (u - y), 2 * x * (u - y), [x, y, w, b])
    assert not check.ok and check.method == "numeric"


def test_a_deep_model_with_a_quartic_loss_is_checked_symbolically():
    p = problem("h1 = tan(w1*x + b1); h2 = sigmoid(w2*h1 + b2); h3 = sqrt(c1 + (w3*h1 + b3)**2); "
                "y_hat = v1*h3 + v2*h2 + h3*h1 + c2", "(y_hat - y)**4",
                {"w1": -0.8, "b1": -0.6, "w2": 0.6, "b2": -0.5, "w3": -1.5, "b3": 0.2, "c1": 0.6, "v1": 0.6,
                 "v2": -0.5, "c2": 0.8}, data=(("x", "y"), [(1.3, 0.4)]))
    d = explain(p)
    assert all(g.closed is not None and g.check.method == "symbolic" and g.check.ok for g in d.gradients)


def test_the_sigmoid_closed_form_agrees_with_diff_exactly():
    loss = (sigmoid(u) - y) ** 2
    check = agrees_with_diff(2 * x * (sigmoid(u) - y) * sigmoid(u) * (1 - sigmoid(u)), loss, w, [x, y, w, b], 0)
    assert check.ok and check.method == "symbolic"
