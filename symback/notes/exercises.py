"""Exercises generated from the lesson's problem, each with what its answer is.

Six kinds, in this order (then again, with other numbers):

* ``forward``: the forward pass at new parameter values and a new sample;
* ``local``: one local derivative of the graph, as a formula and a number;
* ``gradient``: ∂L/∂p by the backward pass at another sample;
* ``update``: the lesson's first update with another learning rate;
* ``mistake``: a student's derivation with one mistake of ``symback check``'s
  catalogue (:mod:`symback.check.diagnose`) to find;
* ``stability``: whether a learning rate converges or diverges, by the
  condition |1 − η·K| < 1 of :mod:`.convergence` (one-parameter problems
  whose update map is affine, where the condition is exact).

Numbers are drawn (``random.Random(seed)``) from small decimals and kept only
when every value the solution shows is a short exact decimal, where the model
allows it. Each exercise carries ``check``: the ``symback check`` options
whose answer is graded right (a test runs them), and for ``stability`` the
learning rate, whose run ``symback train`` shows converging or diverging.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace
from typing import Any

from ..core.derive import Derivation, explain
from ..errors import SymbackError
from ..core.numeric import format_float
from ..core.reverse import added, backward, group_by_node
from ..render.printers import claim

KINDS = ("forward", "local", "gradient", "update", "mistake", "stability")
#: values drawn for parameters, inputs and targets
PARAMS = (0.5, 1.0, 1.5, 2.0, -1.0, -0.5, 3.0)
INPUTS = (1.0, 2.0, 3.0, 0.5, -1.0, 1.5)
TARGETS = (0.0, 1.0, 2.0, 3.0, 4.0, 6.0, -1.0)
RATES = (0.5, 0.25, 0.2, 0.1, 0.05, 0.02, 0.3, 0.4, 0.15)
#: a number shows "exactly" when it prints in at most this many characters
SHORT = 8
#: draws tried before the shortest numbers found are taken
TRIES = 40
#: the most exercises a lesson may ask for
MAX_EXERCISES = 30
#: fresh draws for an exercise that would repeat an earlier one of its kind
REDRAWS = 5


@dataclass(frozen=True)
class Exercise:
    """One exercise: ``d`` is the derivation it is about (its parameters, sample and η).

    ``param`` the parameter asked about; ``edge`` the local derivative (local);
    ``verdict`` check's grade of the student's wrong answer (mistake); ``wrong``
    that answer; ``stable`` and ``analysis`` the stability question's answer;
    ``check`` the options of ``symback check`` that grade the answer right.
    """

    kind: str
    d: Derivation
    param: Any = None
    edge: Any = None
    verdict: Any = None
    wrong: Any = None
    analysis: Any = None
    stable: bool | None = None
    check: tuple = field(default_factory=tuple)


def make_exercises(lesson, count: int, seed: int = 0) -> tuple[Exercise, ...]:
    """``count`` exercises about the lesson's problem, the same for the same seed."""
    if not 0 <= count <= MAX_EXERCISES:
        raise SymbackError(f"the number of exercises must be from 0 to {MAX_EXERCISES}, not {count}")
    rng = random.Random(seed)
    kinds = [k for k in KINDS if k != "stability" or _stability_applies(lesson)]
    out = []
    for i in range(count):
        kind = kinds[i % len(kinds)]
        exercise = BUILDERS[kind](lesson, rng)
        for _ in range(REDRAWS):  # a kind asked again asks something new, not the same loss again
            if not any(e.kind == kind and e.d.loss == exercise.d.loss for e in out):
                break
            exercise = BUILDERS[kind](lesson, rng)
        out.append(exercise)
    return tuple(out)


def _stability_applies(lesson) -> bool:
    c = lesson.convergence
    return c is not None and c.affine and c.mode == "sgd" and all(s.bound is not None for s in c.samples)


def nice_derivation(problem, rng, lr: float | None = None, keep_params: bool = False, avoid=None) -> Derivation:
    """A derivation at drawn parameters and a drawn sample whose numbers are short and exact where possible.

    Draws are scored by a numeric forward and backward pass (cheap); only the best is derived.
    """
    from ..core.derive import local_derivatives
    from ..core.graph import build_graph

    graph = build_graph(problem)
    locals_ = local_derivatives(graph)
    best, best_length = None, math.inf
    binary = problem.loss_name == "bce"
    for _ in range(TRIES):
        params = dict(problem.params) if keep_params else {n: rng.choice(PARAMS) for n in problem.param_names}
        sample = {n: rng.choice(INPUTS) for n in problem.inputs}
        sample["y"] = rng.choice((0.0, 1.0)) if binary else rng.choice(TARGETS)
        if sample == avoid:
            continue
        length = _length(graph, locals_, {**params, **sample})
        if length < best_length:
            best, best_length = (params, sample), length
        if best_length <= SHORT:
            break
    p = problem if best is None else problem.with_params(best[0])
    p = replace(p, lr=lr) if lr is not None else p
    return explain(p, best[1] if best is not None else 0)


def _length(graph, locals_, point) -> float:
    """The longest number a derivation at ``point`` would show; inf if one is not finite or a gradient is 0."""
    from ..core.graph import forward
    from ..core.numeric import evaluate

    try:
        values = forward(graph, point)
        local_values = [evaluate(l.expr, values) for l in locals_]
    except (SymbackError, ArithmeticError, ValueError):
        return math.inf
    walk = backward(graph.order, group_by_node(zip(locals_, local_values), lambda e: e[0].node.name),
                    graph.loss, 1.0, lambda up, e: up * e[1], added(0.0), child=lambda e: e[0].child)
    gradients = [walk.of(p) for p in graph.params]
    numbers = list(values.values()) + local_values + gradients
    if not all(math.isfinite(v) for v in numbers) or any(g == 0 for g in gradients):
        return math.inf
    return max(len(format_float(v)) for v in numbers)


def sample_option(d) -> tuple:
    return ("--sample", ",".join(f"{n}={format_float(v)}" for n, v in d.point.items()))


def param_options(d) -> tuple:
    return tuple(x for n, v in d.problem.params for x in ("--param", f"{n}={format_float(v)}"))


def _forward(lesson, rng) -> Exercise:
    d = nice_derivation(lesson.problem, rng)
    return Exercise("forward", d)


def _local(lesson, rng) -> Exercise:
    d = nice_derivation(lesson.problem, rng)
    edges = [l for l in d.locals if not l.expr.is_number] or list(d.locals)
    edge = rng.choice(edges)
    step = f"d{edge.node.name}/d{edge.child} = {claim(edge.expr)}"
    return Exercise("local", d, edge=edge, check=param_options(d) + sample_option(d) + ("--step", step))


def _gradient(lesson, rng) -> Exercise:
    d = nice_derivation(lesson.problem, rng, keep_params=True, avoid=lesson.derivation.point)
    g = rng.choice(d.gradients)
    return Exercise("gradient", d, param=g.param, check=_answer(d, g))


def _answer(d, g) -> tuple:
    """check grades a gradient as a formula (a number is not a derivation): the closed form."""
    if g.closed is None:
        return ()
    wrt = ("--wrt", g.param.name) if len(d.gradients) > 1 else ()
    return param_options(d) + sample_option(d) + wrt + ("--answer", claim(g.closed))


def _update(lesson, rng) -> Exercise:
    """The lesson's own first update (section "The first update"), with another learning rate."""
    lr = rng.choice([r for r in RATES if r != lesson.problem.lr])
    d = explain(replace(lesson.problem, lr=lr), lesson.derivation.point)
    return Exercise("update", d, check=_answer(d, d.gradients[0]))


def _mistake(lesson, rng) -> Exercise:
    """A wrong answer made by one mistake of check's catalogue, and check's diagnosis of it."""
    from ..check.grade import check_answer

    d = nice_derivation(lesson.problem, rng, keep_params=True)
    g = rng.choice(d.gradients)
    for wrong in _wrong_answers(d, g, rng):
        verdict = check_answer(d.problem, claim(wrong), g.param.name, d.point)
        if not verdict.correct and verdict.diagnosis is not None and verdict.diagnosis.edge is not None:
            return Exercise("mistake", d, param=g.param, verdict=verdict, wrong=wrong, check=_answer(d, g))
    return _gradient(lesson, rng)  # no single-step mistake changes this gradient


def _wrong_answers(d, g, rng):
    """The gradient with one local derivative changed, as students change it."""
    from ..check.backprop import Backprop
    from ..check.diagnose import edge_mistakes

    if g.closed is None:
        return
    bp = Backprop(d)
    L = d.graph.loss
    edges = list(bp.edges(L, g.param))
    rng.shuffle(edges)
    for edge in edges:
        for mistake in edge_mistakes(L, g.param, edge):
            yield bp.base(bp.symbolic(L, g.param, mistake.locals))


def _stability(lesson, rng) -> Exercise:
    """Does SGD with a drawn learning rate converge? |A| = Π|1 − η·Kᵢ| decides (affine maps: exactly)."""
    from .convergence import convergence

    c = lesson.convergence
    d = lesson.derivation
    rates = list(RATES)
    rng.shuffle(rates)
    for lr in rates:
        analysis = convergence(explain(replace(d.problem, lr=lr), d.point), "sgd", 0.0)
        A = abs(analysis.epoch_slope)
        if A <= 0.9 or A >= 1.5:  # well away from 1: a run of the lesson's epochs shows it
            return Exercise("stability", explain(replace(d.problem, lr=lr), d.point), analysis=analysis,
                            stable=A < 1)
    return Exercise("stability", d, analysis=c, stable=abs(c.epoch_slope) < 1)


BUILDERS = {"forward": _forward, "local": _local, "gradient": _gradient, "update": _update,
            "mistake": _mistake, "stability": _stability}


def check_command(lesson, exercise) -> str:
    """The ``symback check`` command line that grades the exercise's answer right."""
    import shlex

    return "symback check " + " ".join(shlex.quote(x) for x in problem_options(lesson) + exercise.check)


def problem_options(lesson) -> tuple:
    """--model and --loss as the lesson gave them (the data do not matter once the sample is given)."""
    p = lesson.problem
    model = lesson.source.get("model") or "; ".join(
        claim(e) if n.name == "y_hat" and len(p.definitions) == 1 else f"{n} = {claim(e)}" for n, e in p.definitions)
    loss = lesson.source.get("loss") or (p.loss_name if p.loss_name != "custom" else claim(p.loss))
    out = ()
    if model != "w*x":
        out += ("--model", model)
    if loss != "mse":
        out += ("--loss", loss)
    return out

