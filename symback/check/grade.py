"""symback check: is a hand-derived gradient, or one step of the chain rule, right?

The answer is user text, read only by the safe parser. It may use the
parameters, the inputs, y, ŷ (``y_hat`` or ``yhat``) and the names of the
graph (r, u1, h, …), which stand for their definitions. The answer to
∂A/∂B is right when it equals, as a function of parameters, inputs and y,

    ∂A/∂B = Σ over the paths A → B of the product of the local derivatives,

the sum the backward pass computes. Numbers decide first: at random points
the two are compared, and one point where they differ proves the answer
wrong. If they agree everywhere tried, :func:`symback.core.verify.equal` decides
symbolically within a time bound (and, past it, at more random points). A
wrong answer is explained by :mod:`symback.check.diagnose`.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Mapping

import sympy

from ..core.derive import MAX_CLOSED_NODES, Derivation, explain, tidy
from .backprop import Backprop, agree, close, random_points, values_at
from .diagnose import Mistake, explain_mistakes
from ..errors import ParseError, SpecError, option
from ..model.ops import elementary
from ..core.numeric import evaluate
from ..model.parse import LIMITS, parse, symbol
from ..model.spec import OUTPUT, Problem, Y
from ..core.verify import equal, equal_at_points

_NAME = r"([A-Za-z][A-Za-z0-9_]*|ŷ)"
_STEP = re.compile(rf"\s*[d∂]\s*\(?\s*{_NAME}\s*\)?\s*/\s*[d∂]\s*\(?\s*{_NAME}\s*\)?\s*\Z")
_ALIASES = {"yhat": OUTPUT, "ŷ": OUTPUT}
#: simple values for showing a point where a wrong answer and the gradient differ
_NICE = (2, 3, -1, 0.5, -2, 1.5)


@dataclass(frozen=True)
class Verdict:
    """The grade of one answer for ∂top/∂bottom at one sample.

    ``chain`` is the true derivative in node names (the backward pass's sum
    of path products), ``expected`` the same in parameters, inputs and y.
    ``method`` says how the grade was reached: 'symbolic', 'numeric' (at
    random points) or 'value' (a number against the value at the sample).
    ``at_sample`` holds (answer, truth) at the sample; ``elsewhere`` a point
    where they differ, when they happen to agree at the sample.
    """

    correct: bool
    method: str
    text: str
    answer: sympy.Expr
    top: sympy.Symbol
    bottom: sympy.Symbol
    chain: sympy.Expr
    expected: sympy.Expr
    diagnosis: Mistake | None
    also: tuple[Mistake, ...]
    at_sample: tuple[float | None, float | None]
    elsewhere: tuple[dict, float, float] | None
    derivation: Derivation

    def __repr__(self) -> str:
        kind = self.diagnosis.kind if self.diagnosis else None
        return (f"Verdict(d{self.top}/d{self.bottom}, answer={sympy.sstr(self.answer)!r}, "
                f"correct={self.correct}, diagnosis={kind!r})")

    @property
    def question(self) -> sympy.Expr:
        """∂top/∂bottom, unevaluated (prints as ∂L/∂w)."""
        return sympy.Derivative(self.top, self.bottom)


def check_answer(problem: Problem | None, answer: str, wrt: str | None = None,
                 sample: Mapping[str, float] | int = 0) -> Verdict:
    """Grade ``answer`` as ∂L/∂wrt (``wrt`` may be left out when there is one parameter)."""
    derivation = explain(problem, sample)
    bottom = _wrt(derivation, wrt)
    return grade(derivation, derivation.graph.loss, bottom, answer)


def check_step(problem: Problem | None, step: str, sample: Mapping[str, float] | int = 0) -> Verdict:
    """Grade one step of the chain rule written ``"dA/dB = expression"`` (e.g. dL/dr = 2*r)."""
    derivation = explain(problem, sample)
    top, bottom, right = read_step(step, derivation)
    return grade(derivation, top, bottom, right)


def read_step(text: str, derivation: Derivation) -> tuple[sympy.Symbol, sympy.Symbol, str]:
    """``"dL/dr = 2*r"`` -> (L, r, "2*r"), the names checked against the graph."""
    if not isinstance(text, str) or len(text) > LIMITS.max_chars + 100:
        raise ParseError(f"a step must be text of at most {LIMITS.max_chars} characters, e.g. 'dL/dr = 2*r'")
    left, sep, right = text.partition("=")
    match = _STEP.match(left)
    if not sep or not match or right.startswith("="):
        raise ParseError(f"cannot read the step '{_clip(text)}': write it as dA/dB = expression, "
                         "e.g. dL/dr = 2*r (A and B are names from the graph)")
    top, bottom = (_variable(derivation, name) for name in match.groups())
    nodes = {n.name for n in derivation.graph.nodes}
    if top not in nodes:
        turn = f"; did you mean d{bottom}/d{top}?" if bottom in nodes else ""
        raise SpecError(f"{top} is not a node of the graph, so it has no step (the nodes are {_names(nodes)}){turn}")
    if bottom != top and bottom in Backprop(derivation).paths(top):
        raise SpecError(f"{bottom} is computed from {top}, not {top} from {bottom}; "
                        f"write the step the other way round: d{bottom}/d{top}")
    return top, bottom, right


def grade(derivation: Derivation, top: sympy.Symbol, bottom: sympy.Symbol, text: str) -> Verdict:
    """Compare the answer ``text`` with ∂top/∂bottom; explain it if it is wrong.

    A plain number is not a derivation (unless ∂top/∂bottom is itself a
    constant): it is wrong, and said to be the value at the sample, the
    updated parameter, or neither. Anything else is read as a formula.
    """
    answer = read_answer(text, derivation)
    bp = Backprop(derivation)
    chain = bp.symbolic(top, bottom)
    expected = _expected(derivation, bp, top, bottom, chain)
    env = {symbol(k): v for k, v in {**derivation.problem.param_values, **derivation.point}.items()}
    at_sample = (_try(lambda: evaluate(answer, bp.forward(env))), _try(lambda: bp.numeric(env, top, bottom)))
    if answer.is_number and expected.free_symbols:
        correct, found, elsewhere, method = False, _number(derivation, text, at_sample, top, bottom), None, "value"
    else:
        correct, method, found, elsewhere = _grade_formula(bp, answer, top, bottom, expected, at_sample,
                                                           _base_symbols(derivation), derivation.point)
    return Verdict(correct, method, text, answer, top, bottom, chain, expected,
                   found[0] if found else None, tuple(found[1:3]), at_sample, elsewhere, derivation)


def _grade_formula(bp, answer, top, bottom, expected, at_sample, symbols, point):
    """(correct, method, mistakes, a point where they differ if they agree at the sample)."""
    points = random_points(bp, top, bottom, symbols)
    given = values_at(lambda env: evaluate(answer, bp.forward(env)), points)
    truth = values_at(lambda env: bp.numeric(env, top, bottom), points)
    formulas = (bp.base(answer), expected) if _small(bp.graph) else None
    correct, method = _decide(given, truth, formulas, symbols)
    if correct:
        return True, method, [], None
    # Expanding the answer into parameters and inputs is quadratic in depth (and deeper than Python's
    # recursion limit past a few hundred layers): on a large graph the numbers decide alone.
    found = _substituted(bp, answer, top, bottom, expected, symbols, point) if formulas else []
    found += explain_mistakes(bp, top, bottom, points, (given, truth), formulas, symbols)
    elsewhere = None
    if None not in at_sample and close(*at_sample, abs(at_sample[1]), rel_tol=1e-9):
        elsewhere = _differs_at(bp, answer, top, bottom, symbols)
    return False, method, found, elsewhere


def _number(derivation, text: str, at_sample, top, bottom) -> list[Mistake]:
    """A number where a formula is asked: not a derivation. Said to be the updated parameter,
    or the value at the sample (or its negative), or neither; the formula is not given away."""
    mine, truth = at_sample
    fields = {"answer": sympy.Float(mine) if mine is not None else sympy.nan,
              "symbols": answer_symbols(derivation, top, bottom)}
    gradient = next((g for g in derivation.gradients if g.param == bottom), None)
    if gradient is not None and top == derivation.graph.loss and _matches(text, mine, gradient.after):
        return [Mistake("updated_parameter", "updated", top, bottom, fields)]
    if mine is None or truth is None:
        return [Mistake("number", "number_wrong", top, bottom, fields)]
    if _matches(text, mine, truth):
        return [Mistake("number", "number_right", top, bottom, fields)]
    found = [Mistake("number", "number_wrong", top, bottom, fields)]
    if _matches(text, mine, -truth):
        found.append(Mistake("sign", "sign", top, bottom, scale=-1))
    return found


def _matches(text: str, mine: float | None, truth: float) -> bool:
    """Is the number ``mine`` ``truth``, to the precision it is written in?

    An answer with k decimals may be off by half a unit in its last place
    (−0.3775 for −0.37754…), but never by more than 1 %.
    """
    if mine is None:
        return False
    digits = max((len(d) for d in re.findall(r"\.(\d+)", text)), default=0)  # as written: 0.3775 has 4
    rounding = min(0.5 * 10.0**-digits, 0.01 * abs(truth)) if digits else 0.0
    return abs(mine - truth) <= max(1e-9 * abs(truth), rounding) or mine == truth


def _substituted(bp, answer, top, bottom, expected, symbols, point) -> list[Mistake]:
    """The sample's data put in before differentiating (2*(w - 2) for 2x(wx − y) at x = 1, y = 2)."""
    data = [s for s in symbols if s.name in point and s in expected.free_symbols]
    if not data or any(s in answer.free_symbols for s in data):
        return []
    at_sample = expected.xreplace({s: sympy.Rational(repr(point[s.name])) for s in data})
    if not equal_at_points(elementary(bp.base(answer)), elementary(at_sample), symbols):
        return []
    values = tuple(sympy.Eq(s, sympy.Float(point[s.name]), evaluate=False) for s in data)
    return [Mistake("substituted", "substituted", top, bottom,
                    {"values": values, "symbols": ", ".join(s.name for s in symbols)})]


def read_answer(text: str, derivation: Derivation) -> sympy.Expr:
    """The answer parsed safely; every name must be one the problem defines."""
    expr = parse(text, what="answer")
    expr = expr.xreplace({symbol(a): symbol(b) for a, b in _ALIASES.items() if a.isascii()})
    problem, graph = derivation.problem, derivation.graph
    nodes = {n.name for n in graph.nodes}
    constants = [(n, e) for n, e in problem.definitions if n not in nodes]
    allowed = set(_base_symbols(derivation)) | nodes | {n for n, _ in constants}
    unknown = sorted(s.name for s in expr.free_symbols - allowed)
    if unknown:
        raise ParseError(f"the answer uses {', '.join(unknown)}, which the problem does not define; "
                         f"it may use {_names(allowed)}")
    for name, definition in reversed(constants):  # names of parameter-free definitions
        expr = expr.xreplace({name: definition})
    return expr


def _wrt(derivation: Derivation, wrt: str | None) -> sympy.Symbol:
    params = derivation.graph.params
    if wrt is None:
        if len(params) > 1:
            raise SpecError(f"the problem has the parameters {_names(params)}; say which gradient "
                            f"the answer is with {option('wrt')}, e.g. {option('wrt')} {params[0]}")
        return params[0]
    variable = _variable(derivation, wrt.strip())
    if variable not in params and variable not in {n.name for n in derivation.graph.nodes}:
        raise SpecError(f"{option('wrt')} {wrt.strip()}: not a parameter or node; the parameters are {_names(params)}",
                        option="wrt", value=wrt)
    if variable == derivation.graph.loss:
        raise SpecError(f"{option('wrt')} {variable}: the loss with respect to itself is 1; name a parameter",
                        option="wrt", value=wrt)
    return variable


def _variable(derivation: Derivation, name: str) -> sympy.Symbol:
    name = _ALIASES.get(name, name)
    known = set(derivation.graph.params) | {n.name for n in derivation.graph.nodes}
    candidate = symbol(name) if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name) else None
    if candidate not in known:
        inputs = ", ".join(s.name for s in derivation.graph.inputs) or "none"
        raise SpecError(f"'{_clip(name)}' is not a parameter or node of the graph (its inputs, {inputs}, and y "
                        f"are data, not variables of the backward pass); the names are {_names(known)}")
    return candidate


def answer_symbols(derivation: Derivation, top, bottom) -> str:
    """The names an answer for ∂top/∂bottom is written in: parameters, inputs and y, and for a
    step of the chain rule also the graph's nodes below ``top`` (dL/dr = 2*r)."""
    names = [s.name for s in _base_symbols(derivation)]
    if top != derivation.graph.loss or bottom not in derivation.graph.params:
        nodes = [n.name.name for n in derivation.graph.nodes]
        names += nodes[:nodes.index(top.name)] if top.name in nodes else nodes
    return ", ".join(dict.fromkeys(names))


def _base_symbols(derivation: Derivation) -> list[sympy.Symbol]:
    graph = derivation.graph
    return list(dict.fromkeys([*graph.params, *graph.inputs, Y]))


def _expected(derivation, bp, top, bottom, chain) -> sympy.Expr:
    """The truth in parameters, inputs and y (in node names for a graph too large to expand)."""
    if top == derivation.graph.loss:
        closed = next((g.closed for g in derivation.gradients if g.param == bottom), None)
        if closed is not None:
            return closed
    return tidy(bp.base(chain)) if _small(bp.graph) else chain


def _decide(given, truth, formulas, symbols) -> tuple[bool, str]:
    """Numbers first (a differing point settles it), then verify.equal within its time bound.

    Without ``formulas`` (a graph too large to expand) the numbers decide.
    """
    if any(v is not None for v in truth) and not agree(given, truth, at_least=1):
        return False, "numeric"
    if formulas is None:
        return agree(given, truth, at_least=1), "numeric"
    check = equal(*(elementary(f) for f in formulas), symbols)
    return check.ok, check.method


def _small(graph) -> bool:
    """Small enough to expand into parameters and inputs (as derive does for closed forms)."""
    return len(graph.nodes) <= MAX_CLOSED_NODES


def _differs_at(bp, answer, top, bottom, symbols):
    """A point of simple values where the answer and ∂top/∂bottom differ, or None."""
    rng = random.Random(7)
    for _ in range(60):
        env = {s: float(rng.choice(_NICE)) for s in symbols}
        mine, truth = _try(lambda: evaluate(answer, bp.forward(env))), _try(lambda: bp.numeric(env, top, bottom))
        if None not in (mine, truth) and not close(mine, truth, abs(truth), rel_tol=1e-6):
            return {s.name: v for s, v in env.items()}, mine, truth
    return None


def _try(compute) -> float | None:
    values = values_at(lambda env: compute(), [{}])
    return values[0]


def _names(symbols) -> str:
    return ", ".join(sorted(str(s) for s in symbols))


def _clip(text: str, n: int = 50) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"
