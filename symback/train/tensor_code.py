"""Matrix models compiled to NumPy that works on whole layers: one array per node, samples on the first axis.

The tensor graph (:mod:`symback.core.tensor`) has one node per operation of
the table :data:`symback.model.tensor_ops.OPS`. For a batch of n samples every
node that depends on the data holds an array of shape (n, …its shape): the
layer ``u = W @ x`` of the whole batch is one product ``X Wᵀ``, written
``contract("nk,mk->nm", X, W)``. The backward pass is the one reverse pass of
:func:`symback.core.reverse.backward`, accumulating lines of code: each edge's
vector-Jacobian product becomes a line (``W``'s is ``contract("nm,nk->mk", δ, X)``
= Σᵢ δᵢ xᵢᵀ, the sum over the batch inside one matrix product), a variable used
twice gets a line adding its contributions. The loss of the batch is the mean of
the per-sample losses, so the reverse pass starts from ∂L/∂Lᵢ = 1/n.

Elementwise operations use the NumPy code of their entry in the table (``{0} + {1}``,
``{up} * {1}``); products, reductions and softmax have the batched forms below, since
a per-sample template such as ``np.outer({up}, {1})`` does not sum over a batch.
Only internal names reach the code (parameters p0, p1, …; inputs c0, …; the
target t; nodes v0, …); numbers are the floats of the model's constants.

The same code serves every mode: sgd runs it on a batch of one sample, minibatch
on a batch of rows, batch on all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from ..core.reverse import backward
from ..errors import SymbackError
from ..model.ops import ELEMENTWISE

#: per-sample letters of each product: (left operand, right operand, result)
PRODUCTS = {"matvec": ("ik", "k", "i"), "vecmat": ("k", "kj", "j"), "matmat": ("ik", "kj", "ij"), "dot": ("k", "k", "")}
#: the letters of each operand's vector-Jacobian product: (the other operand or up, up or the other, result)
PRODUCT_VJPS = {
    "matvec": ((("up", "i"), (1, "k"), "ik"), ((0, "ik"), ("up", "i"), "k")),
    "vecmat": (((1, "kj"), ("up", "j"), "k"), ((0, "k"), ("up", "j"), "kj")),
    "matmat": ((("up", "ij"), (1, "kj"), "ik"), ((0, "ik"), ("up", "ij"), "kj")),
    "dot": ((("up", ""), (1, "k"), "k"), (("up", ""), (0, "k"), "k")),
}
#: the elementwise functions of the language -> the kernel's code (the last two made by fuse_log_sigmoid)
FUNCTIONS = {**{name: op.kernel for name, op in ELEMENTWISE.items()},
             "log_sigmoid": "log_sigmoid", "log_one_minus_sigmoid": "log_sigmoid(-{0})"}
#: f′ in terms of the operand {0} and the result {out}, from the operation table: tanh′ = 1 − tanh²,
#: σ′ = σ(1 − σ), relu′ = [z > 0] (0 at 0, as PyTorch)
DERIVATIVES = {**{name: op.array_derivative for name, op in ELEMENTWISE.items()},
               "log_sigmoid": "sigmoid(-{0})", "log_one_minus_sigmoid": "(-sigmoid({0}))"}


def fuse_log_sigmoid(graph):
    """log(s) and log(1 − s), where s = σ(z), become log σ(z) and log σ(−z) of z itself.

    The same numbers (1 − σ(z) = σ(−z)), computed without forming σ(z), which rounds to
    exactly 1 for z > 37 and makes log(1 − s) = −∞ (binary cross-entropy of a confidently
    right prediction); the gradient reaches z as σ(−z) or −σ(z), never dividing by s.
    """
    from dataclasses import replace

    sig = {n.name: n for n in graph.nodes if n.op == "apply" and n.kw["f"] == "sigmoid"}
    sig.update({n.name: sig[n.args[0]] for n in graph.nodes if n.op == "identity" and n.args[0] in sig})
    ones = {n.name: sig[n.args[1]] for n in graph.nodes
            if n.op == "sub" and n.args[0] == Fraction(1) and n.args[1] in sig}
    nodes = []
    for node in graph.nodes:
        if node.op == "apply" and node.kw["f"] in ("log", "ln") and node.args[0] in {**sig, **ones}:
            inner = sig.get(node.args[0]) or ones[node.args[0]]
            f = "log_sigmoid" if node.args[0] in sig else "log_one_minus_sigmoid"
            node = replace(node, args=inner.args, children=inner.children, attrs=(("f", f),))
        nodes.append(node)
    return replace(graph, nodes=tuple(nodes))


@dataclass(frozen=True)
class Value:
    """A variable of the code: its name, the shape of one sample's value, and whether it has a sample axis."""

    code: str
    shape: tuple
    batched: bool

    @property
    def rank(self) -> int:
        return len(self.shape)


class TensorCode:
    """The lines of one function: forward, then (on request) the reverse pass and the update."""

    def __init__(self, graph):
        self.graph = graph
        self.values: dict = {}
        for i, (name, shape) in enumerate(graph.params):
            self.values[name] = Value(f"p{i}", tuple(shape), False)
        inputs = graph.inputs[:-1]
        for i, (name, shape) in enumerate(inputs):
            self.values[name] = Value(f"c{i}", tuple(shape), True)
        self.values[graph.inputs[-1][0]] = Value("t", tuple(graph.inputs[-1][1]), True)
        self.lines: list = []
        self.count = 0

    # values and operands ---------------------------------------------------------------------------

    def operand(self, ref) -> Value:
        if isinstance(ref, Fraction):
            return Value(repr(float(ref)), (), False)
        return self.values[ref]

    def emit(self, expr: str, shape: tuple, batched: bool, prefix: str = "a") -> Value:
        self.count += 1
        value = Value(f"{prefix}{self.count}", tuple(shape), batched)
        self.lines.append(f"{value.code} = {expr}")
        return value

    @staticmethod
    def widened(v: Value, rank: int) -> str:
        """``v`` with axes added after the sample axis, so that it meets a value of ``rank`` axes per sample."""
        if v.batched and v.rank < rank:
            return f"{v.code}[:, {', '.join(['None'] * (rank - v.rank))}]"
        return v.code

    # forward -----------------------------------------------------------------------------------------

    def forward(self, nodes) -> None:
        for i, node in enumerate(nodes):
            args = [self.operand(a) for a in node.args]
            batched = any(a.batched for a in args)
            expr = self.forward_expr(node, args, batched)
            self.values[node.name] = Value(f"v{i}", tuple(node.shape), batched)
            self.lines.append(f"v{i} = {expr}")

    def forward_expr(self, node, args, batched) -> str:
        op, rank = node.op, len(node.shape)
        if op in PRODUCTS:
            left, right, out = PRODUCTS[op]
            return self.contraction((args[0], left), (args[1], right), out, batched)
        if op in ("add", "sub", "mul", "div", "neg", "identity"):
            return "(" + node.rule.numpy.format(*(self.widened(a, rank) for a in args)) + ")"
        if op == "pow":
            return self.power(args[0], args[1])
        if op == "apply":
            code = function_name(node.kw["f"])
            return code.format(args[0].code) if "{0}" in code else f"{code}({args[0].code})"
        if op == "broadcast":
            shape = tuple(node.kw["shape"])
            if args[0].batched:
                return f"np.broadcast_to({self.widened(args[0], rank)}, {args[0].code}.shape + {shape!r})"
            return f"np.full({shape!r}, {args[0].code})"
        if op in ("sum", "mean"):
            total = f"total({args[0].code}, {args[0].batched})"
            return total if op == "sum" else f"({total} / {float(_size(args[0].shape))!r})"
        if op == "transpose":
            return f"np.swapaxes({args[0].code}, -1, -2)" if args[0].rank == 2 else args[0].code
        if op == "softmax":
            return f"softmax({args[0].code})"
        if op == "log_softmax":
            return f"({args[0].code} - logsumexp({args[0].code})[..., None])"
        if op == "cross_entropy":
            return f"cross_entropy({args[0].code}, {args[1].code})"
        raise SymbackError(f"internal error: no batched NumPy code for the operation {op}")

    def power(self, base: Value, exponent: Value) -> str:
        if exponent.code == "2.0":
            return f"({base.code} * {base.code})"
        if exponent.code == "0.5":
            return f"sqrt({base.code})"
        return f"fpow({base.code}, {self.widened(exponent, base.rank)})"

    def contraction(self, left, right, out_letters: str, out_batched: bool) -> str:
        """``contract`` of two operands, each (Value, per-sample letters); 'n' is the sample axis."""
        (a, la), (b, lb) = left, right
        if b.batched and not a.batched:  # the batched operand first: the result comes out (n, …), contiguous
            (a, la), (b, lb) = (b, lb), (a, la)
        spec = f"{'n' * a.batched}{la},{'n' * b.batched}{lb}->{'n' * out_batched}{out_letters}"
        return f"contract({spec!r}, {a.code}, {b.code})"

    # reverse -------------------------------------------------------------------------------------------

    def reverse(self) -> list:
        """Adjoint lines by the one reverse pass; returns the gradient of every parameter (code names)."""
        graph, loss = self.graph, self.values[self.graph.loss]
        seed = self.emit(f"np.full({loss.code}.shape, 1.0 / n)", (), True)
        adjoints = backward(graph.order, graph.below, graph.loss, seed, pull=self.pull, add=self.add)
        grads = []
        for name, shape in graph.params:
            value = adjoints.value.get(name)
            grads.append(value.code if value is not None else f"np.zeros({tuple(shape)!r})")
        return grads

    def add(self, parts: list) -> Value:
        if len(parts) == 1:
            return parts[0]
        return self.emit(" + ".join(p.code for p in parts), parts[0].shape, parts[0].batched)

    def pull(self, up: Value, edge) -> Value:
        """The contribution of ``edge`` to its child's adjoint: the VJP of the node's operation."""
        node = self.graph[edge.node]
        args = [self.operand(a) for a in node.args]
        child = self.values[edge.child]
        expr = self.vjp_expr(node, edge.index, up, args, self.values[node.name], child)
        if node.op not in PRODUCTS and (up.batched and not child.batched or len(node.shape) > child.rank):
            expr = f"sum_to({expr}, {child.rank}, {child.batched})"
        elif expr in (up.code, f"({up.code})") and up.batched == child.batched:
            return up  # the upstream itself (a sum passes it on): no copy
        return self.emit(expr, child.shape, child.batched)

    def vjp_expr(self, node, index, up, args, out, child) -> str:
        op, rank = node.op, len(node.shape)
        if op in PRODUCTS:
            first, second, letters = PRODUCT_VJPS[op][index]
            pick = lambda spec: (up if spec[0] == "up" else args[spec[0]], spec[1])  # noqa: E731
            return self.contraction(pick(first), pick(second), letters, child.batched)
        if op in ("add", "sub", "mul", "div", "neg", "identity"):
            names = [self.widened(a, rank) for a in args]
            return "(" + node.rule.numpy_vjps[index].format(*names, up=self.widened(up, rank)) + ")"
        if op == "pow":
            return self.power_vjp(up, args[0], args[1])
        if op == "apply":
            f = node.kw["f"]
            function_name(f)
            return f"({up.code} * {DERIVATIVES[f].format(args[0].code, out=out.code)})"
        if op == "broadcast":
            return up.code  # summed back to the scalar by sum_to (pull)
        if op in ("sum", "mean"):
            shape = tuple(child.shape)
            scaled = up.code if op == "sum" else f"({up.code} / {float(_size(shape))!r})"
            return f"np.broadcast_to(np.reshape({scaled}, np.shape({up.code}) + {(1,) * len(shape)!r}), np.shape({up.code}) + {shape!r})"
        if op == "transpose":
            return f"np.swapaxes({up.code}, -1, -2)" if child.rank == 2 else up.code
        if op == "softmax":
            return f"({out.code} * ({up.code} - np.add.reduce({out.code} * {up.code}, axis=-1, keepdims=True)))"
        if op == "log_softmax":
            return f"({up.code} - softmax({args[0].code}) * np.add.reduce({up.code}, axis=-1, keepdims=True))"
        if op == "cross_entropy":
            z = args[0]
            return f"(np.asarray({up.code})[..., None] * (softmax({z.code}) - onehot({args[1].code}, {z.shape[-1]})))"
        raise SymbackError(f"internal error: no batched NumPy code for the backward pass of {op}")

    def power_vjp(self, up: Value, base: Value, exponent: Value) -> str:
        if exponent.code == "2.0":
            return f"({up.code} * (2.0 * {base.code}))"
        if exponent.code == "0.5":
            return f"({up.code} * (0.5 / sqrt({base.code})))"
        e = self.widened(exponent, base.rank)
        return f"({up.code} * {e} * fpow({base.code}, {e} - 1.0))"


def function_name(f: str) -> str:
    """The kernel's function for the language's elementwise function ``f``."""
    if f not in FUNCTIONS:
        raise SymbackError(f"internal error: no NumPy code for the function {f}")
    return FUNCTIONS[f]


def _size(shape) -> int:
    size = 1
    for s in shape:
        size *= int(s)
    return size


def _header(graph, with_target: bool = True) -> list:
    params = ", ".join(f"p{i}" for i in range(len(graph.params)))
    inputs = [f"c{i}" for i in range(len(graph.inputs) - 1)] + (["t"] if with_target else [])
    return [f"({params},) = params", f"({', '.join(inputs)},) = columns" if inputs else "",
            f"n = len({inputs[0]})" if inputs else "n = 1"]


def step_source(graph) -> str:
    """``step(params, columns, lr) -> (params after p − lr·g, mean loss, gradient)`` on a batch."""
    code = TensorCode(graph)
    code.forward(graph.nodes)
    loss = code.values[graph.loss].code
    grads = code.reverse()
    params = [f"p{i}" for i in range(len(graph.params))]
    updated = ", ".join(f"{p} - lr * {g}" for p, g in zip(params, grads))
    body = _header(graph) + code.lines + [f"return ({updated},), np.add.reduce({loss}) / n, ({', '.join(grads)},)"]
    return _function("step", "params, columns, lr", body)


def loss_source(graph) -> str:
    """``loss(params, columns) -> (1/n) Σᵢ Lᵢ`` on a batch."""
    code = TensorCode(graph)
    code.forward(graph.nodes)
    body = _header(graph) + code.lines + [f"return np.add.reduce({code.values[graph.loss].code}) / n"]
    return _function("loss", "params, columns", body)


def predict_source(graph) -> str:
    """``predict(params, columns) -> ŷ`` for a batch of inputs (no target)."""
    code = TensorCode(graph)
    model = [node for node in graph.nodes if node.part == "model"]
    code.forward(model)
    body = _header(graph, with_target=False) + code.lines + [f"return {code.values[graph.output].code}"]
    return _function("predict", "params, columns", body)


def _function(name: str, args: str, body: list) -> str:
    body = inline_single_use([line for line in body if line])
    return f"def {name}({args}):\n" + "".join(f"    {line}\n" for line in body)


def _atom(expr: str) -> str:
    """``expr`` as an operand: as it is when one pair of parentheses (or a call's) encloses it all."""
    body = expr[expr.index("("):] if re.match(r"[\w.]*\(", expr) else None
    if body is not None and expr.endswith(")"):
        depth = 0
        for k, ch in enumerate(body):
            depth += {"(": 1, ")": -1}.get(ch, 0)
            if depth == 0:
                return expr if k == len(body) - 1 else f"({expr})"
    return f"({expr})"


_ASSIGNED = re.compile(r"([av]\d+) = (.*)")


def inline_single_use(lines: list) -> list:
    """Write a value used once straight into the line that uses it (``v1 = contract(…) + p1``, not
    ``v0 = contract(…)``; ``v1 = v0 + p1``): the product is then a temporary that NumPy adds into in
    place, so a layer of 10⁵ samples allocates one array less (each a fresh 50 MB mapping)."""
    lines = list(lines)
    i = 0
    while i < len(lines) - 1:
        match = _ASSIGNED.fullmatch(lines[i])
        if match:
            name, expr = match.groups()
            token = re.compile(rf"\b{name}\b")
            uses = [j for j in range(i + 1, len(lines)) if token.search(lines[j])]
            if len(uses) == 1 and len(token.findall(lines[uses[0]])) == 1:
                lines[uses[0]] = token.sub(lambda _: _atom(expr), lines[uses[0]])
                del lines[i]
                continue
        i += 1
    return lines


class CompiledTensor:
    """The compiled step, loss and prediction of one tensor graph, for ``kind`` "portable" or "blas"."""

    def __init__(self, graph, kind: str = "portable"):
        from .tensor_kernels import namespace

        self.graph, self.kind = fuse_log_sigmoid(graph), kind
        graph = self.graph
        self.sources = {"step": step_source(graph), "loss": loss_source(graph), "predict": predict_source(graph)}
        space = dict(namespace(kind))
        for name, source in self.sources.items():
            # generated from the operation table and internal names only: no user text reaches it
            exec(compile(source, f"<symback matrix {name}>", "exec"), space)  # noqa: S102
        self.step, self.loss, self.predict = space["step"], space["loss"], space["predict"]

    def __repr__(self) -> str:
        return f"CompiledTensor({len(self.graph.nodes)} nodes, {self.kind})"
