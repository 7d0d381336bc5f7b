"""symback check for matrix models: is a matrix-form gradient right, and if not, why?

The truth is the backward pass of the tensor graph (:func:`symback.core.tensor.backward_values`):
∂L/∂W for a parameter or δ_v = ∂L/∂v for a node. The answer (see :mod:`.matrix_answer`) is
computed at the sample and at random points around it (parameters and inputs moved by up to ±1
in every entry, a random class for ``ce``) and compared entry by entry: one point where the two
differ proves the answer wrong. Shapes are compared first: ∂L/∂W has the shape of W.

A wrong answer is explained as the scalar check explains one: by the changed computations it
equals at every point (:mod:`.matrix_mistakes`): the transpose of the gradient, an elementwise
derivative left out of the backward pass, the activation in place of its derivative, the
logits in place of softmax, the negative, a constant multiple, the upstream δ alone, or the
gradient of another variable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from ..core.tensor import TensorGraph, backward_values, build_tensor_graph, forward_values
from ..core.tensor.kernels import FLOAT
from ..errors import SpecError, option
from .matrix_answer import (DELTA, ONEHOT, AnswerShapeError, adjoint_name, as_number, close, column, compute,
                            read_matrix_answer)
from .matrix_mistakes import Mistake, diagnose, shape_mistake

#: random points, besides the sample, at which the answer and the gradient are compared
POINTS = 8


@dataclass(frozen=True)
class MatrixVerdict:
    """The grade of one matrix-form answer for ∂L/∂``wrt`` at one sample.

    ``given`` and ``truth`` are the answer's and the gradient's values at the sample (column
    form: a vector is n×1, a 1×1 result a number); ``given`` is None when the answer's shapes do
    not fit. ``elsewhere`` is (answer, truth) at a random point where they differ, when they
    happen to agree at the sample. ``points`` counts the points compared.
    """

    correct: bool
    text: str
    wrt: str
    consumer: str | None
    given: np.ndarray | None
    truth: np.ndarray
    diagnosis: Mistake | None
    also: tuple
    elsewhere: tuple | None
    points: int
    problem: object
    graph: TensorGraph
    sample: dict

    def __repr__(self) -> str:
        kind = self.diagnosis.kind if self.diagnosis else None
        return f"MatrixVerdict(dL/d{self.wrt}, answer={self.text!r}, correct={self.correct}, diagnosis={kind!r})"

def check_matrix_answer(problem, answer: str, wrt: str | None = None, sample: int = 0) -> MatrixVerdict:
    """Grade ``answer`` as ∂L/∂wrt (a parameter or a node; may be left out with one parameter)."""
    if not 0 <= int(sample) < len(problem.samples):
        raise SpecError(f"there is no sample {int(sample) + 1}; the data have {len(problem.samples)}")
    row = problem.samples[int(sample)]
    graph = build_tensor_graph(problem, row)
    wrt = _wrt(graph, wrt)
    consumer = _consumer(graph, wrt)
    expr = read_matrix_answer(answer, _known(graph, consumer), graph.loss)
    if DELTA in expr.names() and consumer is None:
        uses = ", ".join(n.name for n in graph.consumers(wrt))
        raise SpecError(f"'{DELTA}' is the gradient of the one operation that uses {wrt}, but {uses} all use it; "
                        f"name the gradients you mean: {adjoint_name(graph.consumers(wrt)[0].name)}, …")
    points = [_point(problem, row)] + _random_points(graph, problem, row)
    states = [s for s in (_state(graph, p, wrt, consumer) for p in points) if s is not None]
    if not states or states[0][2] is not points[0]:
        raise SpecError("the gradient is not finite at this sample; choose other parameter values or data")
    try:
        given = [_given(expr, env) for env, _, _ in states]
    except AnswerShapeError as err:
        return _verdict(False, answer, wrt, consumer, None, states, shape_mistake(err), (), None, problem, graph, row)
    truths = [truth for _, truth, _ in states]
    if given[0].shape != truths[0].shape:
        found = diagnose(graph, wrt, consumer, states, given, wrong_shape=True)
        return _verdict(False, answer, wrt, consumer, given[0], states, found[0], tuple(found[1:]), None,
                        problem, graph, row)
    if all(close(g, t) for g, t in zip(given, truths)):
        return _verdict(True, answer, wrt, consumer, given[0], states, None, (), None, problem, graph, row)
    found = diagnose(graph, wrt, consumer, states, given)
    elsewhere = None
    if close(given[0], truths[0]):
        elsewhere = next((g, t) for g, t in zip(given, truths) if not close(g, t))
    return _verdict(False, answer, wrt, consumer, given[0], states, found[0] if found else None, tuple(found[1:]),
                    elsewhere, problem, graph, row)


def _verdict(correct, text, wrt, consumer, given, states, diagnosis, also, elsewhere, problem, graph, row):
    return MatrixVerdict(correct, text, wrt, consumer, given, states[0][1], diagnosis, also, elsewhere, len(states),
                         problem, graph, row)


def _given(expr, env) -> np.ndarray:
    return as_number(compute(expr, env))


def _wrt(graph: TensorGraph, wrt: str | None) -> str:
    params = [n for n, _ in graph.params]
    if wrt is None:
        if len(params) > 1:
            raise SpecError(f"the problem has the parameters {', '.join(params)}; say which gradient the answer is "
                            f"with {option('wrt')}, e.g. {option('wrt')} {params[0]}")
        return params[0]
    wrt = {"yhat": "y_hat", "ŷ": "y_hat"}.get(wrt.strip(), wrt.strip())
    nodes = [n.name for n in graph.nodes]
    if wrt == graph.loss:
        raise SpecError(f"{option('wrt')} {wrt}: the loss with respect to itself is 1; name a parameter",
                        option="wrt", value=wrt)
    if wrt not in params and wrt not in nodes:
        raise SpecError(f"{option('wrt')} {wrt}: not a parameter or node; the parameters are {', '.join(params)} and the "
                        f"nodes {', '.join(n for n in nodes if n != graph.loss)}")
    return wrt


def _consumer(graph: TensorGraph, wrt: str) -> str | None:
    """The one node that uses ``wrt`` (whose δ is ``delta``), or None when several do."""
    users = graph.consumers(wrt)
    return users[0].name if len(users) == 1 else None


def _known(graph: TensorGraph, consumer) -> set:
    names = {n for n, _ in graph.params + graph.inputs} | {n.name for n in graph.nodes}
    variables = {n for n, _ in graph.params} | {n.name for n in graph.nodes if n.children}
    names |= {adjoint_name(v) for v in variables}
    if _cross_entropy(graph) is not None:
        names.add(ONEHOT)
    return names | {DELTA}


def _cross_entropy(graph: TensorGraph):
    return next((n for n in graph.nodes if n.op == "cross_entropy"), None)


def _point(problem, row: Mapping) -> dict:
    return {**problem.param_values, **row}


def _random_points(graph: TensorGraph, problem, row: Mapping, seed: int = 2024) -> list:
    """POINTS points around the sample: every entry moved by up to ±1; for ce a random class."""
    rng = np.random.default_rng(seed)
    classes = graph.shape(graph.output)[0] if problem.loss_name == "ce" else None
    out = []
    for _ in range(POINTS):
        point = {}
        for name, value in _point(problem, row).items():
            value = np.asarray(value, dtype=float)
            if name == "y" and classes:
                point[name] = np.asarray(float(rng.integers(classes)))
            else:
                point[name] = value + rng.uniform(-1.0, 1.0, value.shape)
        out.append(point)
    return out


def _state(graph: TensorGraph, point: dict, wrt: str, consumer):
    """(the answer's names at ``point``, the true gradient, the point), or None where it is not finite."""
    values = forward_values(graph, point)
    adjoints = backward_values(graph, values)
    truth = adjoints.value.get(wrt)
    if truth is None:
        truth = np.zeros(graph.shape(wrt))
    truth = as_number(column(truth))
    if not np.all(np.isfinite(truth)):
        return None
    env = {name: column(v) for name, v in values.items()}
    for name, value in adjoints.value.items():
        env[adjoint_name(name)] = column(value)
    for name in _zero_adjoints(graph, adjoints):
        env[adjoint_name(name)] = column(np.zeros(graph.shape(name)))
    if consumer is not None:
        env[DELTA] = env[adjoint_name(consumer)]
    ce = _cross_entropy(graph)
    if ce is not None:
        logits = values[ce.args[0]]
        env[ONEHOT] = column(FLOAT.onehot(values[ce.args[1]], logits.shape))
    env["_values"], env["_adjoints"] = values, adjoints  # for the diagnosis (not names: they start with _)
    return env, truth, point


def _zero_adjoints(graph: TensorGraph, adjoints) -> list:
    """Variables the loss does not reach (their gradient is 0)."""
    variables = [n for n, _ in graph.params] + [n.name for n in graph.nodes if n.children]
    return [v for v in variables if v not in adjoints.value]


__all__ = ["MatrixVerdict", "check_matrix_answer", "POINTS"]
