"""Graph -> Derivation: local derivatives by named rules, then the reverse pass.

For every edge (node v uses operand u) the local derivative ∂v/∂u is SymPy's
diff of the node's one-operation equation, labelled by the rule that gives it
(a dispatch table on the node's kind). The backward pass then walks the nodes
in reverse topological order, as micrograd's ``backward`` does:

    ∂L/∂L = 1,     ∂L/∂u = Σ over nodes v using u of  ∂L/∂v · ∂v/∂u

one contribution per edge, summed where u is used more than once. The
gradient of each parameter is substituted back into a closed form and
compared with SymPy's diff of the whole loss.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass, field, replace
from typing import Mapping

import sympy

from . import exact, reverse, rules as steps
from ..display import shown
from ..errors import MathError, SpecError
from .reverse import group_by_node
from .graph import Graph, Local, Node, build_graph, check_finite, forward
from .graph import local_derivatives as edge_locals
from ..model.parse import symbol
from .singular import singular_error
from ..model.spec import Problem
from .tidy import tidy
from .verify import Check, agrees_with_diff, directional_difference, finite_difference

#: closed forms larger than this many operations are not expanded
MAX_CLOSED_OPS = 300
#: graphs with more nodes than this get no closed form (it would swell)
MAX_CLOSED_NODES = 60
#: seconds of simplification and symbolic checking per derivation, over all parameters
SYMBOLIC_BUDGET = 4.0
#: more paths than this from L to a parameter are not listed one by one
MAX_PATHS = 6


@dataclass(frozen=True)
class Contribution:
    """One edge of the backward pass: upstream ∂L/∂via times local ∂via/∂node."""

    node: sympy.Symbol
    via: sympy.Symbol
    upstream: float
    local: float
    value: float


@dataclass(frozen=True)
class Adjoint:
    """∂L/∂node: the sum of its contributions (1 for L itself)."""

    node: sympy.Symbol
    contributions: tuple[Contribution, ...]
    value: float


@dataclass(frozen=True)
class Gradient:
    """∂L/∂param at the point, its closed form and the update it gives."""

    param: sympy.Symbol
    value: float
    paths: tuple[tuple[sympy.Expr, ...], ...] | None
    closed: sympy.Expr | None
    check: Check
    before: float
    after: float


class Results:
    """What a derivation gives, by parameter name: the gradient and the parameters after the update."""

    gradients: tuple

    @property
    def gradient(self) -> dict[str, float]:
        return {g.param.name: g.value for g in self.gradients}

    @property
    def params_after(self) -> dict[str, float]:
        return {g.param.name: g.after for g in self.gradients}

    def _repr_markdown_(self) -> str | None:
        return shown(self, "markdown")


@dataclass(frozen=True)
class Derivation(Results):
    """Everything the explanation of one sample shows, in order."""

    problem: Problem
    graph: Graph
    locals: tuple[Local, ...]
    point: dict
    values: dict
    adjoints: tuple[Adjoint, ...]
    gradients: tuple[Gradient, ...]
    #: the loss on the same sample after the update
    loss_after: float = float("nan")
    #: ∂node/∂child at the point, by (node, child): the shown numbers of the local derivatives
    local_values: dict = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        grads = ", ".join(f"{g.param}: {g.value!r}" for g in self.gradients)
        return f"Derivation(loss={self.loss!r}, gradient={{{grads}}})"

    @property
    def loss(self) -> float:
        return self.values[self.graph.loss]

    def local_value(self, local: Local) -> float:
        key = (local.node.name, local.child)
        return self.local_values[key] if key in self.local_values else _value(local.expr, self.values)

    def closed_value(self, gradient: Gradient) -> float:
        """The closed form of ``gradient`` at the sample, computed exactly from the numbers shown."""
        env = {**{symbol(n): exact.typed(v) for n, v in self.problem.params},
               **{symbol(n): exact.typed(v) for n, v in self.point.items()}}
        return exact.evaluate(gradient.closed, env, gradient.value)

    def adjoint(self, name) -> Adjoint:
        key = symbol(name) if isinstance(name, str) else name
        return next(a for a in self.adjoints if a.node == key)

    def _repr_latex_(self) -> str | None:
        return shown(self, "latex")


def explain(problem: Problem | None = None, sample: Mapping[str, float] | int = 0) -> Derivation:
    """Derive the gradient of ``problem`` at one sample (a row index or values)."""
    problem = problem or _seed()
    graph = build_graph(problem)
    return derive(problem, graph, local_derivatives(graph), _point(problem, sample))


def _seed() -> Problem:
    from ..model.spec import problem

    return problem()


def _point(problem: Problem, sample) -> dict[str, float]:
    if isinstance(sample, int):
        if not 0 <= sample < len(problem.data):
            raise SpecError(f"sample {sample} does not exist; the data have {len(problem.data)} rows")
        return problem.sample(sample)
    needed = list(problem.inputs) + ["y"]
    missing = [n for n in needed if n not in sample]
    extra = [n for n in sample if n not in needed]
    if missing or extra:
        raise SpecError(
            f"the sample must give exactly {', '.join(needed)}"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; {', '.join(extra)} not an input" if extra else "")
        )
    return {n: float(sample[n]) for n in needed}


def local_derivatives(graph: Graph) -> tuple[Local, ...]:
    """One Local per edge, in graph order, each with the named rule that gives it."""
    return edge_locals(graph, rule_for)


def rule_for(node: Node, child: sympy.Symbol) -> steps.Rule:
    """The named rule that gives ∂node/∂child (dispatch on the node's operation)."""
    return _RULES.get(node.op.kind, lambda n, c: steps.GenericRule())(node, child)


def _sum_rule(node: Node, child) -> steps.Rule:
    k = sympy.diff(node.expr, child)
    if k == 1:
        has_minus = any(t.could_extract_minus_sign() for t in node.expr.args)
        return steps.DifferenceRule(1) if has_minus else steps.SumRule()
    return steps.DifferenceRule(-1) if k == -1 else steps.LinearRule()


def _quotient_rule(node: Node, child) -> steps.Rule:
    numerator, denominator = sympy.fraction(node.expr)
    constant_top = not any(c in numerator.free_symbols for c in node.children)
    return steps.QuotientRule(child in denominator.free_symbols, constant_top)


_RULES = {
    "identity": lambda n, c: steps.Identity(),
    "sum": _sum_rule,
    "scale": lambda n, c: steps.ConstantMultipleRule(),
    "product": lambda n, c: steps.ProductRule(),
    "quotient": _quotient_rule,
    "power": lambda n, c: steps.PowerRule(n.expr.exp),
    "sqrt": lambda n, c: steps.SqrtRule(),
    "exponential": lambda n, c: steps.ZeroPowerRule() if n.expr.base.is_zero else steps.ExponentialRule(),
    "general_power": lambda n, c: steps.GeneralPowerRule(c == n.children[-1] and len(n.children) == 2),
    "function": lambda n, c: steps.FunctionRule(n.op),
}


def derive(problem: Problem, graph: Graph, locals_: tuple[Local, ...], point: Mapping[str, float],
           symbolic: dict | None = None, shown_after: bool = True) -> Derivation:
    """Forward values, the backward pass and the gradients at ``point``.

    ``symbolic`` (from :func:`symbolic_gradients`) can be shared between samples;
    without ``shown_after`` the update and the loss after it are only floats (a batch shows its own).
    """
    env = {**problem.param_values, **point}
    values = shown_forward(graph, forward(graph, env))
    check_finite(graph, values)
    local_values = {(l.node.name, l.child): exact.evaluate(l.expr, values, _local_value(graph, l, values))
                    for l in locals_}
    adjoints = backward(graph, locals_, values, local_values)
    grads = {a.node: a.value for a in adjoints}
    symbolic = symbolic or symbolic_gradients(problem, graph, locals_)
    zero = exact.typed(0.0)
    gradients = tuple(_gradient(problem, p, grads.get(p, zero), *symbolic[p], shown=shown_after)
                      for p in graph.params)
    gradients = _numeric_checks(graph, env, gradients)
    after = (shown_loss if shown_after else loss_at)(graph, {**env, **{g.param.name: g.after for g in gradients}})
    return Derivation(problem, graph, locals_, dict(point), values, adjoints, gradients, after, local_values)


def shown_forward(graph: Graph, values: Mapping) -> dict:
    """The float forward ``values`` as Shown numbers: the given ones as typed, each node computed
    exactly from the numbers shown for its operands."""
    shown = {k: exact.typed(v) for k, v in values.items()}
    for node in graph.nodes:
        shown[node.name] = exact.evaluate(node.expr, shown, values[node.name])
    return shown


def shown_loss(graph: Graph, env: Mapping) -> float:
    """The loss at ``env`` (names or symbols to numbers) as a Shown number, or nan where it is undefined."""
    try:
        return shown_forward(graph, forward(graph, env))[graph.loss]
    except MathError:
        return math.nan


#: above this many (parameters × nodes), one directional difference checks all parameters at once
MAX_COORDINATE_CHECKS = 20_000


def _numeric_checks(graph: Graph, env: Mapping, gradients: tuple) -> tuple:
    """Without a closed form, check the reverse pass against central finite differences.

    One difference per parameter for small graphs; for large ones a single
    difference along a random direction d: (L(p + h·d) − L(p − h·d))/2h ≈ ∇L·d.
    """
    unchecked = [g for g in gradients if g.closed is None]
    if not unchecked:
        return gradients
    f = lambda point: loss_at(graph, point)  # noqa: E731
    if len(unchecked) * len(graph.nodes) <= MAX_COORDINATE_CHECKS:
        checks = {g.param: _close(finite_difference(f, env, g.param.name), g.value) for g in unchecked}
        return tuple(replace(g, check=Check(checks[g.param], "finite differences")) if g.param in checks else g
                     for g in gradients)
    rng = random.Random(len(unchecked))
    direction = {g.param.name: rng.choice((-1.0, 1.0)) for g in unchecked}
    predicted = math.fsum(direction[g.param.name] * g.value for g in unchecked)
    ok = _close(directional_difference(f, env, direction), predicted)
    return tuple(replace(g, check=Check(ok, "directional finite difference")) if g.closed is None else g
                 for g in gradients)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-7)


def loss_at(graph: Graph, env: Mapping) -> float:
    """The loss at ``env``, or nan where it is undefined."""
    try:
        return forward(graph, env)[graph.loss]
    except MathError:
        return math.nan


def symbolic_gradients(problem: Problem, graph: Graph, locals_) -> dict:
    """{param: (paths, closed form, check against sympy.diff)}: the part that needs no numbers."""
    symbols = list(problem.param_symbols) + list(problem.input_symbols) + [graph.target]
    deadline = time.monotonic() + SYMBOLIC_BUDGET
    out = {}
    for param in graph.params:
        # Past the budget, no simplification: closed forms as substituted, checks at points.
        left = max(0.0, deadline - time.monotonic())
        closed = closed_form(graph, locals_, param, min(0.5, left))
        if closed is not None:
            check = agrees_with_diff(closed, problem.loss_expr, param, symbols, min(2.0, left))
        else:
            check = Check(True, "not expanded")
        out[param] = (chain_paths(graph, locals_, param), closed, check)
    return out


def backward(graph: Graph, locals_: tuple[Local, ...], values: Mapping,
             local_values: Mapping | None = None) -> tuple[Adjoint, ...]:
    """The reverse pass: one Adjoint per node and parameter, from L down.

    Each number is a Shown float when ``local_values`` (Shown, by (node, child)) are given.
    A node that cancels (the loss does not depend on it) shows ∂L/∂node = 0 and passes it on.
    """
    local_values = local_values or {}

    def pull(up, local: Local) -> Contribution:
        value = local_values.get((local.node.name, local.child))
        value = _local_value(graph, local, values) if value is None else value
        return Contribution(local.child, local.node.name, up, value, _times(up, value))

    walk = reverse.backward(graph.order, group_by_node(locals_), graph.loss, exact.typed(1.0),
                            pull, lambda contributions: _sum(c.value for c in contributions), every=True)
    names = [n.name for n in reversed(graph.nodes)] + list(graph.params)
    return tuple(Adjoint(name, tuple(walk.terms.get(name, ())), walk.of(name)) for name in names)


def _sum(values) -> float:
    """Left to right in floats; shown numbers summed exactly."""
    values = list(values)
    total = None
    for value in values:
        total = float(value) if total is None else total + value
    if not values:
        return exact.typed(0.0)
    if len(values) == 1 or not all(isinstance(v, exact.Shown) for v in values):
        return values[0] if len(values) == 1 else total
    return exact.result(total, _exact_sum(values), values)


def _exact_sum(values):
    parts = [v.exact for v in values]
    return None if any(p is None for p in parts) else sum(parts)


def _times(a: float, b: float) -> float:
    """a·b in floats; shown numbers multiplied exactly."""
    product = a * b
    if not (isinstance(a, exact.Shown) and isinstance(b, exact.Shown)):
        return product
    both = None if a.exact is None or b.exact is None else a.exact * b.exact
    return exact.result(product, both, (a, b))


def _local_value(graph: Graph, local: Local, values: Mapping) -> float:
    """∂node/∂child at the point; a SingularGradient where it is infinite or undefined (√u at 0)."""
    try:
        value = _value(local.expr, values)
    except MathError:  # with a division in the local, a failure is a division by zero: infinite
        value = math.inf if any(p.exp.is_negative for p in local.expr.atoms(sympy.Pow)) else math.nan
    if not math.isfinite(value):
        raise singular_error(graph, local, values, value)
    return value


def _value(expr: sympy.Expr, values: Mapping) -> float:
    from .numeric import evaluate

    return evaluate(expr, values)


def _gradient(problem: Problem, param, value: float, paths, closed, check, shown: bool = True) -> Gradient:
    """The gradient and the update it gives; without ``shown``, the update is only the float (a
    batch shows the update of the mean, not of each sample)."""
    before = problem.param_values[param.name]
    after = update(before, problem.lr, value if shown else float(value))
    if not math.isfinite(after):
        raise MathError(f"the update of {param} is not finite; try a smaller learning rate")
    return Gradient(param, value, paths, closed, check, before, after)


def update(before: float, lr: float, gradient: float) -> float:
    """before − lr·gradient in floats (as PyTorch), shown exactly from the numbers printed."""
    after = before - lr * gradient
    if not isinstance(gradient, exact.Shown) or gradient.exact is None or not math.isfinite(after):
        return after
    step = exact.exact_of(before) - exact.exact_of(lr) * gradient.exact
    return exact.result(after, step, (gradient,))


def chain_paths(graph: Graph, locals_, target) -> tuple[tuple[sympy.Expr, ...], ...] | None:
    """Every path from L down to ``target`` as its local derivatives, from L down.

    ∂L/∂target is the sum over these paths of the product of their locals.
    None when there are more than MAX_PATHS paths (deep or wide graphs).
    """
    if len(graph.nodes) > MAX_CLOSED_NODES:
        return None  # a product of hundreds of locals explains nothing; the backward pass does
    found = reverse.paths(graph.order, group_by_node(locals_), graph.loss, target, MAX_PATHS)
    return None if found is None else tuple(tuple(local.expr for local in path) for path in found)


def closed_form(graph: Graph, locals_, param, seconds: float = 0.5) -> sympy.Expr | None:
    """∂L/∂param in parameters, inputs and y: the adjoints substituted back.

    None if the graph is too large or the result grows past MAX_CLOSED_OPS
    operations: then the recursive form (each adjoint from the next) stands.
    """
    if len(graph.nodes) > MAX_CLOSED_NODES:
        return None
    walk = reverse.backward(graph.order, group_by_node(locals_), graph.loss, sympy.Integer(1),
                            lambda up, local: up * local.expr, reverse.added(sympy.Integer(0)))
    expanded = graph.expand(walk.of(param))
    if sympy.count_ops(expanded) > MAX_CLOSED_OPS:
        return None
    return tidy(expanded, seconds)
