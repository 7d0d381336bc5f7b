"""Problem -> Graph: the computational graph as a list of named equations.

Each :class:`Node` is one operation, ``name = expr``, whose operands are
parameters, earlier nodes and constants (inputs, the target, numbers); the
list is in topological order, so it prints as the forward pass:

    y_hat = w*x
    r = y_hat - y
    L = r**2

Parts of an expression that do not depend on a parameter stay inside the node
that uses them as constants (``x`` in ``w*x``): only what the gradient flows
through becomes a node. A subexpression used twice becomes one node used
twice, which is where the backward pass must add contributions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Mapping

import sympy

from ..errors import MathError
from ..model.ops import FUNCTIONS, OPS, Op, op_of, sigmoid
from .numeric import evaluate, format_float, log_sigmoid
from ..model.parse import symbol
from ..model.spec import OUTPUT, TARGET, Problem, Y, Y_HAT

if TYPE_CHECKING:
    from .rules import Rule


@dataclass(frozen=True)
class Node:
    """One equation ``name = expr`` of the graph.

    ``op`` is the operation, from the table :data:`symback.model.ops.OPS` (sum,
    scale, product, quotient, power, sqrt, exponential, general_power, identity,
    generic, constant, or a function such as tanh); ``children`` are the
    variables of ``expr`` the gradient flows through.
    """

    name: sympy.Symbol
    expr: sympy.Expr
    op: Op
    children: tuple[sympy.Symbol, ...]
    #: ``expr`` unevaluated, its terms in the order the user wrote them (for printing)
    shown: sympy.Expr = None

    def __post_init__(self):
        if self.shown is None:
            object.__setattr__(self, "shown", self.expr)

    def __repr__(self) -> str:
        return f"{self.name} = {sympy.sstr(self.shown, order='none')}"


@dataclass(frozen=True)
class Graph:
    """Nodes in topological order, from the parameters to the loss."""

    nodes: tuple[Node, ...]
    params: tuple[sympy.Symbol, ...]
    inputs: tuple[sympy.Symbol, ...]
    target: sympy.Symbol = Y
    output: sympy.Symbol = Y_HAT
    loss: sympy.Symbol = field(default_factory=lambda: symbol("L"))

    def __repr__(self) -> str:
        return "Graph(\n" + "".join(f"  {node!r}\n" for node in self.nodes) + ")"

    def __getitem__(self, name) -> Node:
        key = symbol(name) if isinstance(name, str) else name
        for node in self.nodes:
            if node.name == key:
                return node
        raise KeyError(name)

    @cached_property
    def order(self) -> tuple[sympy.Symbol, ...]:
        """The node names in topological order: the order of :func:`symback.core.reverse.backward`."""
        return tuple(node.name for node in self.nodes)

    def expand(self, expr: sympy.Expr) -> sympy.Expr:
        """Substitute node definitions back until only parameters and constants remain."""
        names = [s for s in expr.free_symbols if s in self._definitions]
        return expr.xreplace({n: self._definitions[n] for n in names}) if names else expr

    @cached_property
    def _definitions(self) -> dict[sympy.Symbol, sympy.Expr]:
        """{node: its definition in parameters and inputs}, each built once, forwards (for every closed form)."""
        out: dict[sympy.Symbol, sympy.Expr] = {}
        for node in self.nodes:
            out[node.name] = node.expr.xreplace(out)
        return out


def build_graph(problem: Problem) -> Graph:
    """Split the model definitions and the loss into one node per operation."""
    builder = _Builder(problem)
    constants: dict[sympy.Symbol, sympy.Expr] = {}
    for name, expr in problem.definitions:
        expr = expr.xreplace(constants)
        if not builder.depends(expr) and name != Y_HAT:
            constants[name] = expr  # a parameter-free definition is just a derived input
            continue
        builder.define(name, expr)
    loss_name = builder.fresh(["L", "J", "loss", "ell"])
    for residual in (Y_HAT - Y, Y - Y_HAT):
        if problem.loss.has(residual):
            builder.define(symbol(builder.fresh(["r", "res", "e"])), residual)
            break
    builder.define(symbol(loss_name), problem.loss)
    return Graph(
        nodes=tuple(builder.nodes),
        params=problem.param_symbols,
        inputs=problem.input_symbols,
        loss=symbol(loss_name),
    )


@dataclass(frozen=True)
class Local:
    """∂node/∂child = expr, given by ``rule`` (None where nothing shows it: training);
    symbolic, the same at every point."""

    node: Node
    child: sympy.Symbol
    rule: Rule | None
    expr: sympy.Expr

    def __repr__(self) -> str:
        rule = f"  [{self.rule.key}]" if self.rule is not None else ""
        return f"d{self.node.name}/d{self.child} = {sympy.sstr(self.expr)}{rule}"


def local_derivatives(graph: Graph, rule_for=None) -> tuple[Local, ...]:
    """One Local per edge, in graph order: ∂v/∂u as SymPy's diff of v's one operation,
    labelled by ``rule_for(node, child)`` when given (the explanation's rules)."""
    return tuple(Local(node, child, rule_for(node, child) if rule_for else None, local_derivative(node.expr, child))
                 for node in graph.nodes for child in node.children)


def local_derivative(expr: sympy.Expr, child: sympy.Symbol) -> sympy.Expr:
    """∂expr/∂child, exactly the expression ``sympy.diff`` returns, by its own rules:

    - a sum: the sum of the terms' derivatives, Σ ∂t/∂u;
    - a product in which u is one factor: the product of the other factors;
    - f(u): f' at u (``fdiff``), which is diff's chain rule f'(u)·∂u/∂u with ∂u/∂u = 1.

    A power of 0 has derivative 0 (diff would give 0**u·log 0, undefined).
    These skip diff's per-call bookkeeping, which costs ten times the rule
    itself and dominates on graphs of thousands of nodes. Anything else (a
    power, Abs, whose derivative is its own) goes through diff.
    """
    if expr == child:
        return sympy.S.One
    if expr.is_Pow and expr.base.is_zero:
        return sympy.S.Zero  # 0**u = 0 for every u > 0, so its derivative is 0 (PyTorch takes 0 at u = 0 too)
    if child not in expr.free_symbols:
        return sympy.S.Zero
    if expr.is_Add:
        return sympy.Add(*[local_derivative(term, child) for term in expr.args])
    if expr.is_Mul and sum(1 for f in expr.args if child in f.free_symbols) == 1 and child in expr.args:
        return sympy.Mul(*[f for f in expr.args if f != child])
    if (isinstance(expr, sympy.Function) and expr.args == (child,)
            and type(expr)._eval_derivative is sympy.Function._eval_derivative):
        return expr.fdiff(1)
    return sympy.diff(expr, child)


def forward(graph: Graph, point: Mapping) -> dict[sympy.Symbol, float]:
    """Forward values of every parameter, constant and node at ``point``.

    ``point`` maps names (or symbols) of parameters, inputs and y to floats.
    """
    values = {symbol(k) if isinstance(k, str) else k: float(v) for k, v in point.items()}
    sigmoid_of: dict = {}
    for node in graph.nodes:
        try:
            values[node.name] = node_value(node, values, sigmoid_of)
        except MathError as err:
            raise MathError(f"the forward pass fails at {node!r}: {err}") from None
        except (OverflowError, ZeroDivisionError, ValueError) as err:
            raise MathError(f"the forward pass fails at {node!r}: {err}") from None
    return values


def node_value(node: Node, values: Mapping, sigmoid_of: dict) -> float:
    """The node's value, with the σ forms of cross-entropy kept finite as train keeps them.

    ``sigmoid_of`` collects {node: z} for nodes s = σ(z) and s = 1 − σ(v) (which is
    σ(−v)); then s is σ(z) computed directly (not 1 − 1 = 0 when σ(v) rounds to 1),
    and log s is log σ(z) = min(z, 0) − log(1 + e^(−|z|)), exact identities.
    """
    expr = node.expr
    if expr.func is sigmoid:
        sigmoid_of[node.name] = expr.args[0]
    elif sigmoid_of and expr.is_Add and (1 - expr) in sigmoid_of:
        sigmoid_of[node.name] = -sigmoid_of[1 - expr]
        return evaluate(sigmoid(sigmoid_of[node.name]), values)
    elif expr.func is sympy.log and expr.args[0] in sigmoid_of:
        return log_sigmoid(evaluate(sigmoid_of[expr.args[0]], values))
    return evaluate(expr, values)


def check_finite(graph: Graph, values: Mapping[sympy.Symbol, float]) -> None:
    """Raise MathError naming the first node whose value is not finite."""
    for node in graph.nodes:
        value = values[node.name]
        if value != value or value in (float("inf"), float("-inf")):
            raise MathError(
                f"{node.name} = {sympy.sstr(node.expr, order='none')} evaluates to {format_float(value)} "
                "at this point; choose other parameter values or data"
            )


class _Builder:
    """Creates nodes; remembers every subexpression it has made a node for."""

    def __init__(self, problem: Problem):
        self.nodes: list[Node] = []
        self.memo: dict[sympy.Expr, sympy.Symbol] = {}
        self.variables: set[sympy.Symbol] = set(problem.param_symbols)
        self.taken = {n.name for n, _ in problem.definitions} | set(problem.param_names)
        self.taken |= set(problem.inputs) | {TARGET, OUTPUT, "u", "v", "c", "a"} | set(FUNCTIONS)
        self.counter = 0
        self.orders = problem.orders

    def ordered(self, op, pairs, whole: sympy.Expr) -> sympy.Expr:
        """``op`` of the replacements in ``pairs`` [(original, replacement)], unevaluated.

        The originals are the terms or factors of ``whole``; they keep the
        order the user wrote them in. Otherwise products go numbers first,
        then what the gradient flows through, then constants (2·r, w·x).
        """
        written = self.orders.get(whole, ())

        def rank(pair):
            original, replacement = pair
            if op is sympy.Mul and replacement.is_Number:
                return (0, 0)
            if original in written:
                return (1, written.index(original))
            if op is sympy.Add:
                return (2, int(replacement.could_extract_minus_sign()))
            return (2, 1 if self.depends(replacement) else 2)

        items = sorted(pairs, key=rank)
        if len(items) == 1:
            return items[0][1]
        return op(*[r for _, r in items], evaluate=False)

    def depends(self, expr: sympy.Expr) -> bool:
        return any(s in self.variables for s in expr.free_symbols)

    def fresh(self, preferred=()) -> str:
        """A node name no one uses: the first free preferred name, else u1, u2, …"""
        for name in preferred:
            if name not in self.taken:
                self.taken.add(name)
                return name
        while True:
            self.counter += 1
            name = f"u{self.counter}"
            if name not in self.taken:
                self.taken.add(name)
                return name

    def define(self, name: sympy.Symbol, expr: sympy.Expr) -> None:
        """Make ``name`` the node computing ``expr`` (an identity node if it is already one)."""
        self.taken.add(name.name)
        known = expr if expr in self.variables else self.memo.get(expr)
        if known is not None:
            self._add(name, known, OPS["identity"], (known,))
        else:
            self._split(expr, name)
        self.memo.setdefault(expr, name)

    def operand(self, expr: sympy.Expr) -> sympy.Expr:
        """A constant stays as it is; anything else becomes (or is) a node symbol."""
        if not self.depends(expr) or expr in self.variables:
            return expr
        if expr not in self.memo:
            self.memo[expr] = self._split(expr, None)
        return self.memo[expr]

    def _add(self, name, expr, op: Op, children, shown=None) -> sympy.Symbol:
        name = name if name is not None else symbol(self.fresh())
        children = tuple(dict.fromkeys(c for c in children if c in self.variables))
        self.nodes.append(Node(name, expr, op, children, shown))
        self.variables.add(name)
        return name

    def _split(self, expr: sympy.Expr, name) -> sympy.Symbol:
        if not self.depends(expr):  # ŷ when every parameter cancels (a − a): a node, so the loss can use it
            return self._add(name, expr, OPS["constant"], ())
        if expr.is_Add:
            return self._sum(expr, name)
        if expr.is_Mul:
            return self._product(expr, name)
        if expr.is_Pow:
            return self._power(expr, name)
        op = op_of(expr)
        if op is not None and op.kind == "function":
            child = self.operand(expr.args[0])
            return self._add(name, expr.func(child), op, (child,))
        children = [self.operand(arg) for arg in expr.args]
        return self._add(name, expr.func(*children), OPS["generic"], children)

    def _sum(self, expr, name) -> sympy.Symbol:
        pairs, children = [], []
        for term in expr.args:
            if not self.depends(term):
                pairs.append((term, term))
                continue
            factors = sympy.Mul.make_args(term)
            core = sympy.Mul(*[f for f in factors if self.depends(f)])
            child = self.operand(core)
            children.append(child)
            consts = [(f, f) for f in factors if not self.depends(f)]
            deps = [(f, child) for f in factors if self.depends(f)][:1]
            pairs.append((term, self.ordered(sympy.Mul, consts + deps, term)))
        total = sympy.Add(*[shown for _, shown in pairs])
        return self._add(name, total, OPS["sum"], children, self.ordered(sympy.Add, pairs, expr))

    def _product(self, expr, name) -> sympy.Symbol:
        const = [f for f in expr.args if not self.depends(f)]
        dep = [f for f in expr.args if self.depends(f)]
        below = [f for f in dep if f.is_Pow and f.exp.is_number and f.exp.is_negative]
        above = [f for f in dep if f not in below]
        scale = sympy.Mul(*const)
        if below:
            den = self.operand(sympy.Mul(*[f.base ** (-f.exp) for f in below]))
            num = self.operand(sympy.Mul(*above)) if above else sympy.Integer(1)
            top = self.ordered(sympy.Mul, [(f, f) for f in const] + ([(above[0], num)] if above else []), expr)
            shown = sympy.Mul(top, sympy.Pow(den, -1, evaluate=False), evaluate=False)
            return self._add(name, scale * num / den, OPS["quotient"], (num, den), shown)
        pairs = [(f, f) for f in const]
        if len(dep) == 1:
            child = self.operand(dep[0])
            pairs.append((dep[0], child))
            return self._add(name, scale * child, OPS["scale"], (child,), self.ordered(sympy.Mul, pairs, expr))
        children = [self.operand(f) for f in dep]
        pairs += list(zip(dep, children))
        return self._add(name, sympy.Mul(scale, *children), OPS["product"], children, self.ordered(sympy.Mul, pairs, expr))

    def _power(self, expr, name) -> sympy.Symbol:
        base, exponent = expr.args
        if not self.depends(exponent):
            if exponent.is_negative:
                den = self.operand(base ** (-exponent))
                return self._add(name, 1 / den, OPS["quotient"], (den,))
            child = self.operand(base)
            op = OPS["sqrt"] if exponent == sympy.Rational(1, 2) else OPS["power"]
            return self._add(name, child**exponent, op, (child,))
        if not self.depends(base):
            child = self.operand(exponent)
            return self._add(name, base**child, OPS["exponential"], (child,))
        children = (self.operand(base), self.operand(exponent))
        return self._add(name, children[0] ** children[1], OPS["general_power"], children)
