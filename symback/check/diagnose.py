"""Why a gradient is wrong: common mistakes, each a small change to the backward pass.

The truth ∂a/∂b is the reverse accumulation of :mod:`symback.check.backprop`.
A *mistake* is the same computation with one thing changed, the way students
go wrong: a local derivative left out (a missing inner derivative), the chain
stopped or started at a node, one local with the wrong constant, exponent,
sign, rule or variable, a term dropped from (or its sign flipped in) a node's
definition, one path of several dropped. Whole-answer mistakes complete the
list: the negative, a constant multiple, the derivative with respect to
another variable, the function left undifferentiated, a term or an exponent of
the expanded gradient, a simple factor missing or extra.

An answer is explained by the mistakes it equals at random points. Numbers
tell formulas apart soundly (one point where they differ proves they differ)
and fast; the order of :func:`candidates` puts the most specific explanation
first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Iterator, Mapping

import sympy
from sympy import Derivative, Eq

from .backprop import Backprop, agree, values_at
from ..core.derive import Local
from ..core.numeric import evaluate
from ..timebox import within

#: kinds that say the same thing in other words (only one of them is reported)
_FAMILIES = {"missing_inner_derivative": "factor", "missing_outer_derivative": "factor",
             "missing_factor": "factor", "extra_factor": "factor"}


@dataclass(frozen=True)
class Mistake:
    """One way to get ∂top/∂bottom wrong, as a changed computation.

    ``kind`` and ``why`` are wording keys (check.kind.*, check.why.*);
    ``fields`` the expressions the sentence shows. The changed result is
    ``scale`` × ∂top/∂bottom with ``locals`` ({(node, child): expr}) and
    forward ``values`` ({node: definition}) replaced, or ``expr`` (in
    parameters, inputs and y) when given.
    """

    kind: str
    why: str
    top: sympy.Symbol | None = None
    bottom: sympy.Symbol | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)
    edge: Local | None = None
    locals: Mapping = field(default_factory=dict)
    values: Mapping = field(default_factory=dict)
    scale: Any = 1
    expr: sympy.Expr | None = None

    def __repr__(self) -> str:
        where = f" at d{self.edge.node.name}/d{self.edge.child}" if self.edge else ""
        return f"Mistake({self.kind}: {self.why}{where})"


def value(bp: Backprop, mistake: Mistake, env: Mapping) -> float:
    """What ``mistake`` gives at the point ``env``."""
    if mistake.expr is not None:
        return evaluate(mistake.expr, env)
    return float(mistake.scale) * bp.numeric(env, mistake.top, mistake.bottom, mistake.locals, mistake.values)


def explain_mistakes(bp: Backprop, top, bottom, points: list, values: tuple[list, list],
                     formulas: tuple[sympy.Expr, sympy.Expr] | None, symbols) -> list[Mistake]:
    """The listed mistakes the answer equals, the most specific first (one per family of kinds).

    ``values`` are the answer's and the truth's at ``points``; ``formulas`` the
    two in parameters, inputs and y, or None for a graph too large to expand
    (then only whole-answer mistakes are tried: the others cost a backward
    pass per edge).
    """
    found: list[Mistake] = []
    listed = candidates(bp, top, bottom, formulas[1], symbols) if formulas else _whole(bp, top, bottom, (), False)
    answer_values, truth_values = values
    for mistake in (*listed, *_ratios(top, bottom, answer_values, truth_values, formulas)):
        if any(_family(m) == _family(mistake) for m in found):
            continue
        if agree(answer_values, values_at(lambda env: value(bp, mistake, env), points)):
            found.append(mistake)
    return found


def candidates(bp: Backprop, top, bottom, truth: sympy.Expr, symbols) -> Iterator[Mistake]:
    """The listed mistakes for ∂top/∂bottom, most specific first (lazily)."""
    edges = bp.edges(top, bottom)
    yield from _whole(bp, top, bottom, edges, True)
    yield from _stopped(bp, top, bottom, edges)
    for make in (_left_out, _constant, _exponent, _rule, _twice, _variable, _negated):
        for edge in edges:
            yield from make(top, bottom, edge)
    yield from _definitions(bp, top, bottom, edges)
    yield from _contributions(bp, top, bottom, edges)
    yield from _other_variables(bp, top, bottom, symbols)
    yield from _expanded(top, bottom, truth)


def edge_mistakes(top, bottom, edge) -> Iterator[Mistake]:
    """The mistakes students make at one step of the chain (a factor, the step left out, a rule,
    an exponent, a sign): the catalogue's edge mistakes, for exercises that show one."""
    for make in (_constant, _left_out, _rule, _exponent, _negated):
        yield from make(top, bottom, edge)


def _whole(bp, top, bottom, edges, expand: bool) -> Iterator[Mistake]:
    """The function itself, undifferentiated; the negative of the gradient."""
    if expand:
        yield Mistake("not_differentiated", "not_differentiated", top, bottom, expr=bp.base(top))
    places = [Eq(n.name, n.shown, evaluate=False) for n in _nodes_of(bp, edges) if _has_minus(n.expr)]
    places += [_claim(e) for e in edges if e.expr.could_extract_minus_sign()]
    yield Mistake("sign", "sign", top, bottom, {"places": tuple(places)}, scale=-1)


def _stopped(bp, top, bottom, edges) -> Iterator[Mistake]:
    """The chain stopped at a node v (∂top/∂v), or started there (∂v/∂bottom)."""
    between = [n.name for n in _nodes_of(bp, edges) if n.name not in (top, bottom)]
    for v in between:  # nearest the bottom first: the smallest missing factor
        yield Mistake("missing_inner_derivative", "stop_inner", top, v,
                      {"partial": Derivative(top, v), "rest": Derivative(v, bottom),
                       "factor": bp.symbolic(v, bottom)})
    for v in between:
        yield Mistake("missing_outer_derivative", "stop_outer", v, bottom,
                      {"partial": Derivative(v, bottom), "rest": Derivative(top, v),
                       "factor": bp.symbolic(top, v)})


def _left_out(top, bottom, edge) -> Iterator[Mistake]:
    if not edge.expr.is_number:
        yield _change(edge, top, bottom, "missing_inner_derivative", "missing_edge", sympy.Integer(1))


def _constant(top, bottom, edge) -> Iterator[Mistake]:
    k, rest = edge.expr.as_coeff_Mul()
    if k.is_Rational and abs(k) != 1 and k != 0:
        yield _change(edge, top, bottom, "constant_factor", "constant_edge", rest, k=abs(k))


def _exponent(top, bottom, edge) -> Iterator[Mistake]:
    """The power rule's exponent not lowered (n·uⁿ), or any power in the local off by one."""
    wrong = []
    if edge.node.op.key == "power" and edge.node.expr.exp.is_Integer:
        n = edge.node.expr.exp
        wrong.append(n * edge.child**n)
    for power in sympy.preorder_traversal(edge.expr):
        if power.is_Pow and power.exp.is_Integer and power.exp >= 2:
            wrong += [edge.expr.xreplace({power: power.base ** (power.exp + d)}) for d in (1, -1)]
    for expr in dict.fromkeys(wrong):
        if expr != edge.expr:
            yield _change(edge, top, bottom, "wrong_exponent", "exponent_edge", expr)


def _rule(top, bottom, edge) -> Iterator[Mistake]:
    """The function kept instead of differentiated; tempting wrong rules (the op's ``wrong``: tanh' = tanh²)."""
    node = edge.node
    if not node.op.nonlinear:
        return
    if node.expr != edge.expr:
        yield _change(edge, top, bottom, "wrong_rule", "kept_edge", node.expr)
    for wrong in node.op.wrong(node.expr) if node.op.wrong else ():
        yield _change(edge, top, bottom, "wrong_rule", "rule_edge", wrong)


def _twice(top, bottom, edge) -> Iterator[Mistake]:
    """One local derivative multiplied in twice (σ' again on top of bce's x(σ − y), where it already cancelled).

    Only for locals with a sum in them: a simple factor twice (x·x) is found as an extra factor.
    """
    if not edge.expr.is_number and not _monomial(edge.expr):
        yield _change(edge, top, bottom, "extra_factor", "twice_edge", edge.expr**2)


def _variable(top, bottom, edge) -> Iterator[Mistake]:
    """The local derivative taken with respect to another symbol of the node."""
    for other in sorted(edge.node.expr.free_symbols - {edge.child}, key=lambda s: s.name):
        wrong = sympy.diff(edge.node.expr, other)
        if wrong != 0 and wrong != edge.expr and wrong != -edge.expr:  # -1 for +1 is a sign error
            yield _change(edge, top, bottom, "wrong_variable", "variable_edge", wrong,
                          var=other, partial=Derivative(edge.node.name, other))


def _negated(top, bottom, edge) -> Iterator[Mistake]:
    yield _change(edge, top, bottom, "sign", "sign_edge", -edge.expr)


def _change(edge, top, bottom, kind, why, wrong, **fields) -> Mistake:
    fields = {"step": _claim(edge), "wrong": wrong, "right": edge.expr, "rule": edge.rule, **fields}
    return Mistake(kind, why, top, bottom, fields, edge, {(edge.node.name, edge.child): wrong})


def _definitions(bp, top, bottom, edges) -> Iterator[Mistake]:
    """A term dropped from a sum node, or its sign flipped, in the forward values only."""
    for node in _nodes_of(bp, edges):
        if node.name == top or not node.expr.is_Add:
            continue
        for term in node.expr.args:
            shown = Eq(node.name, node.shown, evaluate=False)
            for kind, why, changed in (("dropped_term", "term_node", node.expr - term),
                                       ("sign", "sign_term", node.expr - 2 * term)):
                yield Mistake(kind, why, top, bottom,
                              {"term": term, "definition": shown}, values={node.name: changed})


def _contributions(bp, top, bottom, edges) -> Iterator[Mistake]:
    """One path of several left out: where a variable is used twice, contributions add."""
    below = bp.paths(bottom)
    above = bp.paths_from(top)
    total = below.get(top, 0)
    for edge in edges:
        if above.get(edge.node.name, 0) * below.get(edge.child, 0) < total:
            yield Mistake("dropped_term", "contribution", top, bottom, {"step": _claim(edge)}, edge,
                          {(edge.node.name, edge.child): sympy.Integer(0)})


def _other_variables(bp, top, bottom, symbols) -> Iterator[Mistake]:
    function = bp.base(top)
    for other in symbols:
        if other != bottom and other.name != "y":  # ∂L/∂y is −∂L/∂ŷ: a sign error, said better as one
            yield Mistake("wrong_variable", "variable", top, bottom,
                          {"var": other, "partial": Derivative(top, other)}, expr=sympy.diff(function, other))


def _expanded(top, bottom, truth) -> Iterator[Mistake]:
    """A term of the expanded gradient dropped; an exponent of the gradient off by one."""
    expanded = within(0.5, lambda: sympy.expand(truth), None)
    if expanded is not None and expanded.is_Add and len(expanded.args) <= 12:
        for term in expanded.args:
            yield Mistake("dropped_term", "term", top, bottom, {"term": term}, expr=expanded - term)
    for power in sympy.preorder_traversal(truth):
        if power.is_Pow and power.exp.is_Integer and power.exp >= 2:
            for d in (1, -1):
                wrong = power.base ** (power.exp + d)
                yield Mistake("wrong_exponent", "exponent", top, bottom, {"wrong": wrong, "right": power},
                              expr=truth.xreplace({power: wrong}))


def _ratios(top, bottom, answer_values, truth_values, formulas) -> Iterator[Mistake]:
    """A constant multiple of the gradient; the gradient times or over a simple factor."""
    ratios = [a / t for a, t in zip(answer_values, truth_values) if a is not None and t]
    if ratios and all(math.isclose(r, ratios[0], rel_tol=1e-7) for r in ratios):
        k = Fraction(ratios[0]).limit_denominator(24)
        if k not in (0, 1, -1) and math.isclose(float(k), ratios[0], rel_tol=1e-9):
            k = sympy.Rational(k.numerator, k.denominator)
            yield Mistake("constant_factor", "constant", top, bottom, {"k": k}, scale=k)
    if formulas is None:
        return
    answer, truth = formulas
    factor = within(0.5, lambda: sympy.cancel(answer / truth), None)
    if factor is None or factor.is_number or not _monomial(factor):
        return
    numerator, denominator = sympy.fraction(factor)  # answer = truth · numerator / denominator
    if denominator == 1:
        yield Mistake("extra_factor", "extra_factor", top, bottom, {"factor": numerator}, expr=truth * factor)
    elif numerator == 1:
        yield Mistake("missing_factor", "missing_factor", top, bottom, {"factor": denominator}, expr=truth * factor)
    else:
        yield Mistake("missing_factor", "factor_off", top, bottom, {"factor": factor}, expr=truth * factor)


def _monomial(expr) -> bool:
    """A product of powers of symbols and function values (x, σ(u)/x): no sum at the top."""
    bases = [f.base if f.is_Pow else f for f in sympy.Mul.make_args(expr)]
    return all(b.is_Symbol or b.is_Number or isinstance(b, sympy.Function) for b in bases)


def _family(mistake: Mistake) -> str:
    """Kinds that say the same thing in other words share a family; one of each is reported."""
    return _FAMILIES.get(mistake.kind, mistake.kind)


def _nodes_of(bp, edges):
    """The nodes the edges touch, in graph order."""
    names = {e.node.name for e in edges} | {e.child for e in edges}
    return [n for n in bp.graph.nodes if n.name in names]


def _has_minus(expr) -> bool:
    return expr.is_Add and any(t.could_extract_minus_sign() for t in expr.args)


def _claim(edge: Local) -> sympy.Eq:
    return Eq(Derivative(edge.node.name, edge.child), edge.expr, evaluate=False)
