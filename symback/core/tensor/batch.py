"""The batch of a matrix model: the mean loss over the samples, and its gradient.

    L = (1/n) Σ_k L_k,        ∂L/∂W = (1/n) Σ_k ∂L_k/∂W

The first sample is derived in full (:func:`~symback.core.tensor.derive.explain_tensor`); every
sample's gradient comes from the same reverse pass; the batch gradient is their mean, checked
against central finite differences of the mean loss; the update uses it. The numbers of a small
batch (at most :data:`EXACT_SAMPLES` samples) are shown exactly where the arithmetic is; a larger
batch's are the floats, rounded and marked ≈.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ...errors import SpecError
from .derive import _check_label, explain_tensor, _update_shown
from .graph import TensorGraph, build_tensor_graph
from .shown import Pair, backward_shown, forward_shown, rounded_array, shown_of
from .values import forward_values, step, tensor_pass
from .verify import TensorCheck, _compare, directional_check

#: batches of at most this many samples are shown with exact numbers
EXACT_SAMPLES = 12
#: the most samples whose mean is computed from their shown numbers (and claimed in JSON)
MAX_MEAN_TERMS = 1000
#: the most samples a batch explanation goes through
MAX_SAMPLES = 10_000


@dataclass(frozen=True)
class TensorBatch:
    """The batch explanation: ``first`` (sample 1 in full), per-sample losses and gradients (float and
    shown), their means, the finite-difference check of the mean, the update."""

    first: object
    losses: tuple
    gradients: tuple  # per sample: {param: float array}
    shown_gradients: tuple  # per sample: {param: shown array}
    gradient: dict
    gradient_shown: dict
    loss_shown: object
    params_after: dict
    update_shown: dict
    checks: tuple
    loss_after: float

    is_tensor = True
    is_batch = True

    @property
    def problem(self):
        return self.first.problem

    @property
    def graph(self) -> TensorGraph:
        return self.first.graph

    @property
    def loss(self) -> float:
        return float(np.mean(self.losses)) if len(self.losses) else float("nan")

    def __repr__(self) -> str:
        return f"TensorBatch(n={len(self.losses)}, loss={self.loss!r})"


def explain_tensor_batch(problem) -> TensorBatch:
    """The mean loss of every sample of ``problem`` and its gradient, sample 1 derived in full."""
    n = len(problem.samples)
    if n > MAX_SAMPLES:
        raise SpecError(f"the data have {n} rows; a batch explanation goes through at most {MAX_SAMPLES} "
                        "(train works on any number)")
    first = explain_tensor(problem, 0)
    graph, params = first.graph, problem.param_values
    exact = n <= EXACT_SAMPLES
    losses, grads, shown = [first.loss], [first.gradient], [{p: first.gradient_shown(p) for p in first.gradient}]
    for k in range(1, n):
        row = problem.samples[k]
        _check_label(problem, graph, row)
        if exact:
            values = forward_values(graph, {**params, **row})
            adjoints = backward_shown(graph, values, forward_shown(graph, values))
            gradient = {p: adjoints.value[p].value if p in adjoints.value else np.zeros(s) for p, s in graph.params}
            shown.append({p: adjoints.value[p].shown if p in adjoints.value else rounded_array(np.zeros(s))
                          for p, s in graph.params})
            losses.append(float(values[graph.loss]))
        else:
            result = tensor_pass(graph, params, row)
            gradient = result.gradient
            shown.append({p: rounded_array(gradient[p]) for p in gradient})
            losses.append(result.loss)
        grads.append(gradient)
    mean = {p: _mean([g[p] for g in grads]) for p, _ in graph.params}
    mean_shown = {p: _mean_shown([g[p] for g in grads], [s[p] for s in shown], mean[p]) for p, _ in graph.params}
    loss_shown = _mean_shown([np.asarray(v) for v in losses],
                             [first.shown[graph.loss]] + [rounded_array(v) for v in losses[1:]], np.asarray(_mean(losses)))
    after = step(params, mean, problem.lr)
    update = {p: _update_shown(first.shown[p], Pair(mean[p], mean_shown[p]), problem.lr, after[p])
              for p, _ in graph.params}
    check = check_batch_finite_differences(graph, params, problem.samples, mean)
    loss_after = _mean([float(forward_values(graph, {**after, **row})[graph.loss]) for row in problem.samples])
    return TensorBatch(first, tuple(losses), tuple(grads), tuple(shown), mean, mean_shown, loss_shown, after, update,
                       (check,), float(loss_after))


def _mean(values):
    """(1/n) Σ_k v_k, summed in sample order."""
    total = values[0]
    for v in values[1:]:
        total = total + v
    return np.asarray(total, dtype=float) / len(values)


def _mean_shown(values, shown, computed):
    """The mean computed exactly from the numbers shown for the samples (so that (1/n)(a + … + z) equals
    it as printed, or to its last digit); beyond MAX_MEAN_TERMS samples, the float rounded."""
    if len(values) > MAX_MEAN_TERMS:
        return rounded_array(computed)
    n = Fraction(len(values))
    operands = [(np.asarray(v, dtype=float), s) for v, s in zip(values, shown)] + [n]

    def mean(K, *args):
        *parts, count = args
        total = parts[0]
        for part in parts[1:]:
            total = total + part
        return total / count
    return shown_of(mean, operands, computed)


#: beyond this many (parameter entry, sample) pairs the finite difference goes along one random direction
MAX_ENTRYWISE_WORK = 20_000


def check_batch_finite_differences(graph, params, samples, gradient, h: float = 1e-6) -> TensorCheck:
    """The mean gradient against central differences of the mean loss, entry by entry (or, for a
    large batch, along random directions: :func:`~symback.core.tensor.verify.directional_check`)."""
    base = {n: np.array(v, dtype=float) for n, v in params.items()}

    def mean_loss(values) -> float:
        return float(np.mean([float(forward_values(graph, {**values, **row})[graph.loss]) for row in samples]))
    if sum(v.size for v in base.values()) * len(samples) > MAX_ENTRYWISE_WORK:
        return directional_check(mean_loss, base, gradient, h)
    reference = {}
    for name, value in base.items():
        estimate = np.zeros(value.shape)
        for index in np.ndindex(*value.shape):
            delta = h * max(1.0, abs(value[index]))
            moved = [dict(base) for _ in range(2)]
            for sign, m in zip((1, -1), moved):
                m[name] = base[name].copy()
                m[name][index] += sign * delta
            estimate[index] = (mean_loss(moved[0]) - mean_loss(moved[1])) / (2 * delta)
        reference[name] = estimate
    return _compare("central finite differences", gradient, reference, tolerance=1e-5)


__all__ = ["TensorBatch", "explain_tensor_batch", "build_tensor_graph"]
