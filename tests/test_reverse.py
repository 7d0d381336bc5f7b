"""The one reverse pass, generic over what it accumulates."""

from collections import namedtuple

import sympy

from symback.core.reverse import added, backward, group_by_node, path_counts, paths

Edge = namedtuple("Edge", "node child local")
# y_hat = w*x; r = y_hat - y; L = r**2, with w used twice (q = w*w feeds L too): L = r**2 + q
W, X, Y = 1.0, 1.0, 2.0
EDGES = [Edge("L", "r", 2 * (W * X - Y)), Edge("L", "q", 1.0), Edge("q", "w", 2 * W),
         Edge("r", "y_hat", 1.0), Edge("y_hat", "w", X)]
ORDER = ["y_hat", "r", "q", "L"]  # the nodes; w is a leaf
BELOW = group_by_node(EDGES, lambda e: e.node)


def _floats(edges=BELOW, order=ORDER, **options):
    return backward(order, edges, "L", 1.0, lambda up, e: up * e.local, sum, **options)


def test_a_parameter_used_twice_adds_its_contributions():
    assert _floats().of("w") == 2 * (W * X - Y) * X + 2 * W


def test_the_terms_are_kept_in_the_order_of_the_walk():
    walk = backward(ORDER, BELOW, "L", (), lambda up, e: up + (e.node,), lambda terms: terms[0])
    assert walk.terms["w"] == [("L", "q"), ("L", "r", "y_hat")]


def test_the_same_walk_accumulates_sympy_expressions():
    locals_ = {("L", "r"): sympy.Symbol("a"), ("L", "q"): 1, ("q", "w"): sympy.Symbol("b"),
               ("r", "y_hat"): 1, ("y_hat", "w"): sympy.Symbol("c")}
    out = backward(ORDER, BELOW, "L", sympy.Integer(1), lambda up, e: up * locals_[(e.node, e.child)],
                   lambda terms: sympy.Add(*terms))
    a, b, c = sympy.symbols("a b c")
    assert out.of("w") == b + a * c


def test_each_node_is_summed_once_when_all_its_users_are_in():
    sums = []
    backward(ORDER, BELOW, "L", 1.0, lambda up, e: up * e.local, lambda terms: sums.append(len(terms)) or sum(terms))
    assert sums == [1, 1, 1, 2]  # q, r, y_hat, then the leaf w


def test_without_leaves_a_leaf_is_summed_only_when_asked_for():
    walk = backward(ORDER, BELOW, "L", 1.0, lambda up, e: up * e.local, sum, leaves=False)
    assert "w" not in walk.value and walk.of("w") == _floats().value["w"]


def test_a_node_the_top_does_not_reach_gets_no_adjoint():
    below = group_by_node(EDGES + [Edge("z", "w", 5.0)], lambda e: e.node)
    out = _floats(below, ORDER + ["z"])
    assert "z" not in out.value and out.value["w"] == _floats().value["w"]


def test_with_every_an_unreached_node_passes_on_its_empty_sum():
    below = group_by_node([Edge("z", "w", 5.0)] + EDGES, lambda e: e.node)
    out = _floats(below, ["z"] + ORDER, every=True)
    assert out.value["z"] == 0 and out.terms["w"] == [2 * W, 2 * (W * X - Y) * X, 0.0]


def test_a_variable_the_top_does_not_reach_has_no_value_and_the_empty_sum_as_adjoint():
    walk = _floats()
    assert "x" not in walk.value and walk.of("x") == 0


def test_a_walk_from_a_node_below_the_loss_starts_there():
    out = backward(ORDER, BELOW, "r", 1.0, lambda up, e: up * e.local, sum)
    assert "L" not in out.value and "q" not in out.value and out.of("w") == X


def test_added_sums_left_to_right_from_zero():
    assert added(0.0)([1e16, 1.0, -1e16]) == 0.0  # (1e16 + 1) rounds to 1e16 first


def test_path_counts_count_every_way_down():
    assert path_counts(ORDER, BELOW, "w") == {"w": 1, "y_hat": 1, "r": 1, "q": 1, "L": 2}


def test_paths_lists_each_path_from_the_top_in_the_order_of_the_edges():
    found = paths(ORDER, BELOW, "L", "w", limit=6)
    assert [[e.child for e in path] for path in found] == [["r", "y_hat", "w"], ["q", "w"]]


def test_paths_past_the_limit_are_not_listed():
    assert paths(ORDER, BELOW, "L", "w", limit=1) is None
