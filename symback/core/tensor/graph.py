"""TensorProblem -> TensorGraph: the matrix model as a list of named equations with shapes.

Each :class:`TNode` is one operation of :data:`symback.model.tensor_ops.OPS`, ``name = op(args)``,
whose operands are parameters, inputs, the target, numbers and earlier nodes; the list is in
topological order and prints as the forward pass with shapes:

    u1 = W1 @ x          ∈ ℝ³
    u2 = u1 + b1         ∈ ℝ³
    h = tanh(u2)         ∈ ℝ³

``children`` are the operands the gradient flows through (those that depend on a parameter);
a node used twice is where the backward pass adds contributions. A scalar that depends on a
parameter and meets a vector or matrix in an elementwise operation gets its own ``broadcast``
node, so that summing the upstream back (the reduction) is a step of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from ...errors import SpecError, option
from ...model.spec import OUTPUT, TARGET
from ..graph import _Builder as _ScalarBuilder
from ...model.tensor_ops import OPS, ShapeMismatch, matmul_kind, shape_text
from ...model.tensor_parse import TExpr


class ShapeError(SpecError):
    """Operands whose shapes do not fit the operation (the message names both and the expression)."""


@dataclass(frozen=True)
class Edge:
    """Node ``node`` uses ``child`` as its operand number ``index``."""

    node: str
    index: int
    child: str


@dataclass(frozen=True)
class TNode:
    """One equation ``name = op(args)`` of shape ``shape``.

    ``args`` are names (str) or numbers (Fraction); ``attrs`` the operation's settings as
    ((key, value), …) (the function of an elementwise ``apply``, the shape of a ``broadcast``);
    ``part`` is 'model' or 'loss'; ``text`` the source the node came from.
    """

    name: str
    op: str
    args: tuple
    shape: tuple
    children: tuple = ()
    attrs: tuple = ()
    part: str = "model"
    text: str = field(default="", compare=False)

    @property
    def kw(self) -> dict:
        return dict(self.attrs)

    @property
    def rule(self):
        """The node's entry in the table of matrix operations."""
        return OPS[self.op]

    def edges(self) -> list:
        return [Edge(self.name, i, a) for i, a in enumerate(self.args) if a in self.children]

    def __repr__(self) -> str:
        args = [str(a) for a in self.args]
        kw = self.kw
        if self.op == "apply":
            body = f"{kw['f']}({args[0]})"
        elif self.op in ("matvec", "vecmat", "matmat", "dot"):
            body = f"{args[0]} @ {args[1]}"
        elif self.op in _INFIX:
            body = f" {_INFIX[self.op]} ".join(args)
        elif self.op == "neg":
            body = f"-{args[0]}"
        elif self.op == "identity":
            body = args[0]
        else:
            body = f"{self.op}({', '.join(args)})"
        return f"{self.name} = {body}  ∈ {space(self.shape)}"


_INFIX = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "**"}
_SUPERSCRIPT = str.maketrans("0123456789×", "⁰¹²³⁴⁵⁶⁷⁸⁹ˣ")


def space(shape: tuple) -> str:
    """ℝ, ℝ³, ℝ³ˣ²."""
    return "ℝ" + "×".join(str(n) for n in shape).translate(_SUPERSCRIPT)


@dataclass(frozen=True)
class TensorGraph:
    """Nodes in topological order; the shapes of the parameters, inputs and target."""

    nodes: tuple
    params: tuple  # ((name, shape), ...)
    inputs: tuple  # ((name, shape), ...), the target y last
    output: str = OUTPUT
    loss: str = "L"

    def __repr__(self) -> str:
        return "TensorGraph(\n" + "".join(f"  {node!r}\n" for node in self.nodes) + ")"

    def __getitem__(self, name: str) -> TNode:
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(name)

    @property
    def order(self) -> list:
        return [n.name for n in self.nodes]

    @property
    def below(self) -> dict:
        """{node: its edges}, for :func:`symback.core.reverse.backward`."""
        return {n.name: n.edges() for n in self.nodes}

    def shape(self, name) -> tuple:
        if isinstance(name, Fraction):
            return ()
        for n, s in self.params + self.inputs:
            if n == name:
                return s
        return self[name].shape

    def consumers(self, name: str) -> tuple:
        return tuple(n for n in self.nodes if name in n.children)


def build_tensor_graph(problem, sample: dict | None = None) -> TensorGraph:
    """The graph of ``problem`` with the shapes of its parameters and of ``sample`` (default: the first)."""
    sample = sample if sample is not None else problem.samples[0]
    builder = _Builder(problem, sample)
    for name, expr in problem.definitions:
        builder.define(name, expr, "model", f"definition of {name}" if len(problem.definitions) > 1 else "model")
    output_shape = builder.shapes[OUTPUT]
    loss = problem.loss if not output_shape else problem.loss_vector
    builder.define_loss(loss, problem.loss_name)
    return TensorGraph(
        nodes=tuple(builder.nodes),
        params=tuple((n, tuple(v.shape)) for n, v in problem.params),
        inputs=tuple((n, tuple(sample[n].shape)) for n in problem.inputs + (TARGET,)),
        loss=builder.loss_name,
    )


class _Builder:
    """Makes nodes; remembers each subexpression it has made a node for."""

    def __init__(self, problem, sample: dict):
        self.nodes: list = []
        self.memo: dict = {}
        self.shapes = {n: tuple(v.shape) for n, v in problem.params}
        self.shapes.update({n: tuple(sample[n].shape) for n in problem.inputs + (TARGET,)})
        self.variables = set(problem.param_names)
        self.taken = set(self.shapes) | {n for n, _ in problem.definitions} | {OUTPUT, TARGET}
        self.counter, self.part, self.what, self.loss_name = 0, "model", "model", "L"

    #: a node name no one uses: the first free preferred name, else u1, u2, … (as the scalar graph names)
    fresh = _ScalarBuilder.fresh

    def define(self, name: str, expr: TExpr, part: str, what: str) -> None:
        self.part, self.what = part, what
        ref = self.operand(expr, name)
        if ref != name:  # the definition is a name or an expression already computed: an identity node
            self.add(name, "identity", (ref,), self.shape_of(ref), expr.text)

    def define_loss(self, loss: TExpr, loss_name: str) -> None:
        self.loss_name = self.fresh(["L", "J", "loss", "ell"])
        self.part, self.what = "loss", "loss"
        residual = TExpr("sub", (TExpr("name", (), OUTPUT, OUTPUT), TExpr("name", (), TARGET, TARGET)))
        if _contains(loss, residual):
            self.operand(residual, self.fresh(["r", "res", "e"]))
        ref = self.operand(loss, self.loss_name)
        if ref != self.loss_name:
            self.add(self.loss_name, "identity", (ref,), self.shape_of(ref), "loss")
        if self.shapes[self.loss_name]:
            raise ShapeError(f"the loss is a {shape_text(self.shapes[self.loss_name])}, not a number; "
                             f"take its mean or sum, e.g. mean((y_hat - y)**2), or use {option('loss')} mse")

    def shape_of(self, ref) -> tuple:
        return () if isinstance(ref, Fraction) else self.shapes[ref]

    def depends(self, ref) -> bool:
        return not isinstance(ref, Fraction) and ref in self.variables

    def add(self, name, op, args, shape, text="", attrs=()) -> str:
        name = name or self.fresh()
        constant = set(OPS[op].constant_args)
        children = tuple(dict.fromkeys(a for i, a in enumerate(args) if i not in constant and self.depends(a)))
        self.nodes.append(TNode(name, op, tuple(args), tuple(shape), children, tuple(attrs), self.part, text))
        self.shapes[name] = tuple(shape)
        if children:
            self.variables.add(name)
        self.taken.add(name)
        return name

    def operand(self, expr: TExpr, name=None):
        """A number stays a Fraction; a name stays itself; anything else becomes (or is) a node."""
        if expr.op == "number":
            return expr.value
        if expr.op == "name":
            if expr.value not in self.shapes:
                raise SpecError(f"{expr.value} has no value: give it with {option('params')} {expr.value}=... (a parameter) "
                                f"or in {option('sample')} (an input)")
            return expr.value
        if expr in self.memo:
            return self.memo[expr]
        ref = self.memo[expr] = self._node(expr, name)
        return ref

    def fail(self, expr: TExpr, err: ShapeMismatch):
        raise ShapeError(f"shapes do not fit in the {self.what}, '{expr.text}': {err}") from None

    def _node(self, expr: TExpr, name):
        args = [self.operand(a) for a in expr.args]
        shapes = [self.shape_of(a) for a in args]
        op, attrs = expr.op, ()
        try:
            if op == "matmul":
                op = matmul_kind(*shapes)
            elif op in ("add", "sub", "mul", "div", "pow"):
                args = self._broadcast(args, shapes, expr)
                shapes = [self.shape_of(a) for a in args]
            elif op == "apply":
                attrs = (("f", expr.value),)
            elif op == "cross_entropy":
                if self.depends(args[1]):
                    raise ShapeMismatch("the class label y of ce cannot depend on a parameter")
            shape = OPS[op].shape(*shapes)
        except ShapeMismatch as err:
            self.fail(expr, err)
        return self.add(name, op, args, shape, expr.text, attrs)

    def _broadcast(self, args, shapes, expr):
        """A parameter-dependent scalar beside a vector or matrix gets a broadcast node of its own."""
        target = next((s for s in shapes if s), ())
        out = list(args)
        for i, (a, s) in enumerate(zip(args, shapes)):
            if target and not s and self.depends(a):
                out[i] = self.add(None, "broadcast", (a,), target, expr.text, (("shape", target),))
        return out


def _contains(expr: TExpr, part: TExpr) -> bool:
    return expr == part or any(_contains(a, part) for a in expr.args)
