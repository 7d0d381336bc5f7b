"""The safe parser builds SymPy objects from a whitelist and bounds its input."""

import pytest
import sympy

from symback.errors import LimitError, ParseError
from symback.model.ops import relu, sigmoid
from symback.model.parse import parse, symbol

w, x, b = symbol("w"), symbol("x"), symbol("b")


def test_arithmetic():
    assert parse("w*x + b") == w * x + b


def test_caret_is_a_power():
    assert parse("w*x^2") == w * x**2


def test_decimals_are_exact():
    assert parse("0.1*w") == sympy.Rational(1, 10) * w


def test_functions():
    assert parse("sigmoid(w) + relu(x) + abs(b)") == sigmoid(w) + relu(x) + sympy.Abs(b)


def test_pi_is_the_constant():
    assert parse("pi*w") == sympy.pi * w


def test_symbols_are_real():
    assert all(s.is_real for s in parse("w*x + b").free_symbols)


def test_order_is_recorded():
    orders = {}
    expr = parse("w*x + b", orders=orders)
    assert orders[expr] == (w * x, b)


@pytest.mark.parametrize("text", ["__import__('os')", "w.real", "lambda: 1", "[w]", "f'{w}'", "'a'", "w if x else b"])
def test_anything_else_is_refused(text):
    with pytest.raises(ParseError):
        parse(text)


def test_long_input_is_refused_before_parsing():
    with pytest.raises(LimitError):
        parse("w+" * 5000 + "w")


def test_huge_exponent_is_refused():
    with pytest.raises(LimitError):
        parse("9**9**9**9")


def test_huge_literal_is_refused():
    with pytest.raises(LimitError):
        parse("1e300*w")


def test_deep_nesting_is_refused():
    with pytest.raises(LimitError):
        parse("exp(" * 50 + "w" + ")" * 50)


def test_keyword_name_is_refused():
    with pytest.raises(ParseError):
        parse("lambda")


def test_double_underscore_name_is_refused():
    with pytest.raises(ParseError, match="__"):
        parse("a__b*w")


def test_implicit_multiplication_gets_a_hint():
    with pytest.raises(ParseError, match=r"2\*x"):
        parse("2w")


def test_a_long_flat_sum_is_not_deep():
    terms = [f"w{i}*x" for i in range(45)]
    assert len(parse(" + ".join(terms)).args) == 45
    assert parse(" - ".join(terms)).is_Add and parse("*".join(f"w{i}" for i in range(60))).is_Mul


def test_a_long_sum_inside_deep_nesting_is_still_deep():
    with pytest.raises(LimitError, match="nested more than 40"):
        parse("exp(" * 41 + "w + x + y" + ")" * 41)


def test_a_chain_of_powers_is_deep():
    with pytest.raises(LimitError, match="nested more than 40"):
        parse("**".join(["w"] * 45))
