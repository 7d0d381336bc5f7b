"""The one reverse pass, generic over what it accumulates."""

from collections import namedtuple

import sympy

from symback.core.reverse import backward, group_by_node

Edge = namedtuple("Edge", "node child local")
# y_hat = w*x; r = y_hat - y; L = r**2, with w used twice (q = w*w feeds L too): L = r**2 + q
W, X, Y = 1.0, 1.0, 2.0
EDGES = [Edge("L", "r", 2 * (W * X - Y)), Edge("L", "q", 1.0), Edge("q", "w", 2 * W),
         Edge("r", "y_hat", 1.0), Edge("y_hat", "w", X)]
ORDER = ["w", "y_hat", "r", "q", "L"]


def _floats():
    below = group_by_node(EDGES, lambda e: e.node)
    return backward(ORDER, below, "L", 1.0, lambda up, e: up * e.local, sum)


def test_a_parameter_used_twice_adds_its_contributions():
    assert _floats().value["w"] == 2 * (W * X - Y) * X + 2 * W


def test_the_terms_are_kept_in_the_order_of_the_walk():
    terms = _floats().terms["w"]
    assert [e.node for e, _, _ in terms] == ["q", "y_hat"]


def test_the_same_walk_accumulates_sympy_expressions():
    locals_ = {("L", "r"): sympy.Symbol("a"), ("L", "q"): 1, ("q", "w"): sympy.Symbol("b"),
               ("r", "y_hat"): 1, ("y_hat", "w"): sympy.Symbol("c")}
    below = group_by_node(EDGES, lambda e: e.node)
    out = backward(ORDER, below, "L", sympy.Integer(1), lambda up, e: up * locals_[(e.node, e.child)],
                   lambda terms: sympy.Add(*terms))
    a, b, c = sympy.symbols("a b c")
    assert out.value["w"] == b + a * c


def test_a_node_the_top_does_not_reach_gets_no_adjoint():
    below = group_by_node(EDGES + [Edge("z", "w", 5.0)], lambda e: e.node)
    out = backward(ORDER + ["z"], below, "L", 1.0, lambda up, e: up * e.local, sum)
    assert "z" not in out.value and out.value["w"] == _floats().value["w"]
