"""What an explanation says, and in which order, independent of the format.

``document(derivation, words)`` turns a Derivation (one sample) or a
BatchDerivation (the mean over the data) into a Document: the problem, the
forward pass, the local derivatives with their rules, the backward pass,
the closed form with its check, and the update. Every number comes from the
derivation; nothing is recomputed here.
"""

from __future__ import annotations


import sympy
from sympy import Derivative, Eq

from ..model.ops import OPS
from ..core.exact import Shown, decimal_text, round_significant
from ..core.numeric import format_float
from ..model.parse import symbol
from .document import Chain, Chains, Document, Fields, Math, Num, Para, Section, Seq, Text, phrase
from .written import as_written

ETA = symbol("eta")
#: in a batch, at most this many rows are listed (the first and the last ones)
MAX_ROWS = 12
#: significant digits of a number inside a sentence
PROSE_DIGITS = 6


def document(d, words) -> Document:
    """The Document of a Derivation (a BatchDerivation's is :func:`.batch_sections.batch_document`)."""
    sections = [
        problem_section(d.problem, words, d.point),
        Section(words("explain.forward"), (Para((Text(words("explain.forward_lead")),)), forward_chains(d)), 1),
        Section(words("explain.locals"), (Para((Text(words("explain.locals_lead")),)), local_chains(d, words),
                                          *kink_paragraphs(d, words)), 2),
        Section(words("explain.backward"), (Para((Text(words("explain.backward_lead")),)), backward_chains(d, words)), 3),
        Section(words("explain.closed"), closed_blocks(d, words), 4),
        update_section(d, words, phrase(words, "explain.loss_after", before=prose(d.loss), after=prose(d.loss_after)), 5),
    ]
    return Document(words("explain.title"), tuple(sections), words.code)


def prose(value: float) -> Text:
    """A number inside a sentence: six significant digits are enough to read; "≈ " before it
    when it is rounded or approximate, as in an equation."""
    if isinstance(value, Shown) and value.exact is not None:
        rounded = round_significant(value.exact, PROSE_DIGITS)
        about = "≈ " if value.approx or rounded != value.exact else ""
        return Text(about + decimal_text(rounded))
    return Text(format_float(float(f"{value:.{PROSE_DIGITS}g}")))


def result(value: float) -> Num:
    """The number a step gives, as the last side of its equation ("≈" before it only if that step rounded)."""
    return Num(value.as_result() if isinstance(value, Shown) else value)


def _eq(lhs, rhs):
    return Eq(lhs, rhs, evaluate=False)


def _value(v: float):
    return sympy.Integer(int(v)) if float(v).is_integer() and abs(v) < 1e16 else sympy.Float(v)


def problem_section(problem, words, point=None) -> Section:
    """Model, loss, parameters, the sample (or the data) and the learning rate."""
    L = symbol("L")
    model = tuple(Math(_eq(name, as_written(expr, problem.orders))) for name, expr in problem.shown_definitions)
    loss = (Math(_eq(L, as_written(problem.loss, problem.orders))),
            Text(f"({problem.loss_name}: {words('explain.preset.' + problem.loss_name)})"
                 if problem.loss_name != "custom" else ""))
    params = tuple(Math(_eq(symbol(n), _value(v))) for n, v in problem.params)
    rows = [(words("explain.model"), model), (words("explain.loss"), loss), (words("explain.parameters"), params)]
    if point is not None:
        rows.append((words("explain.sample"), tuple(Math(_eq(symbol(n), _value(v))) for n, v in point.items())))
    else:
        rows.append((words("explain.data"), (Text(words("explain.rows", n=len(problem.data))),)))
    rows.append((words("explain.learning_rate"), (Math(_eq(ETA, _value(problem.lr))),)))
    return Section(words("explain.problem"), (Fields(tuple(rows)),))


def forward_chains(d, numbers: bool = True) -> Chains:
    """name = operation = operation with numbers = value, node by node."""
    rows = []
    for node in d.graph.nodes:
        sides = [Math(node.name), Math(node.shown)]
        if numbers:
            sides += [Math(node.shown, d.values), result(d.values[node.name])]
        rows.append(Chain(tuple(sides)))
    return Chains(tuple(rows))


def local_chains(d, words, numbers: bool = True) -> Chains:
    """∂v/∂u = local derivative (= with numbers), and the rule that gives it."""
    rows = []
    for local in backward_order(d.locals):
        sides = [Math(Derivative(local.node.name, local.child)), Math(local.expr)]
        if numbers:
            sides += [Math(local.expr, d.values), result(d.local_value(local))]
        note = (Text(words("explain.rule." + local.rule.key) + ": "), Math(local.rule.formula()))
        rows.append(Chain(tuple(sides), note=note))
    return Chains(tuple(rows))


_U = symbol("u")
#: rules whose local derivative jumps at 0: the function, and the value taken there (as PyTorch does)
_KINKS = {op.key: (op.sympy(_U), op.kink()) for op in OPS.values() if op.kink}


def kink_paragraphs(d, words, numbers: bool = True) -> tuple:
    """Below the local derivatives: what H means (once, if relu is used), and at each kink
    the sample hits (relu or |·| of 0), the value taken there, as PyTorch does."""
    keys = [local.rule.key for local in d.locals]
    out = (Para((Text(words("explain.heaviside")),)),) if "relu" in keys else ()
    for local in backward_order(d.locals):
        kink = _KINKS.get(local.rule.key)
        if kink is not None and numbers and d.values.get(local.child) == 0:
            out += (Para(phrase(words, "explain.kink", node=Math(local.child), function=Math(kink[0]),
                                value=Math(kink[1]))),)
    return out


def backward_order(locals_) -> list:
    """Local derivatives in the order the backward pass uses them: from L down."""
    nodes = list(dict.fromkeys(l.node.name for l in locals_))
    rank = {name: i for i, name in enumerate(reversed(nodes))}
    return sorted(locals_, key=lambda l: rank[l.node.name])


def backward_chains(d, words) -> Chains:
    """The reverse pass: for each node, upstream × local, summed over its uses."""
    L = d.graph.loss
    local_of = {(l.node.name, l.child): l for l in d.locals}
    rows = [Chain((Math(Derivative(L, L)), Num(1.0)), label=phrase(words, "explain.at", node=Math(L)),
                  note=(Text(words("explain.seed")),))]
    for adjoint in d.adjoints[1:]:
        u = adjoint.node
        terms = [(Seq("×", (Math(Derivative(L, c.via)), Math(local_of[(c.via, u)].expr))),
                  Seq("×", (Num(c.upstream), Num(c.local))), c.value) for c in adjoint.contributions]
        if not terms:  # a parameter that cancels out of the model: nothing flows back to it
            rows.append(Chain((Math(Derivative(L, u)), Num(adjoint.value)), label=phrase(words, "explain.at", node=Math(u)),
                              note=phrase(words, "explain.cancels", node=Math(u))))
            continue
        if len(terms) == 1:
            symbolic, numeric, _ = terms[0]
            rows.append(Chain((Math(Derivative(L, u)), symbolic, numeric, result(adjoint.value)),
                              label=phrase(words, "explain.at", node=Math(u))))
            continue
        for c, (symbolic, numeric, value) in zip(adjoint.contributions, terms):
            rows.append(Chain((symbolic, numeric, result(value)), label=phrase(words, "explain.via", node=Math(c.via))))
        rows.append(Chain((Math(Derivative(L, u)), Seq("+", tuple(Num(t[2]) for t in terms)), result(adjoint.value)),
                          label=phrase(words, "explain.at", node=Math(u)),
                          note=phrase(words, "explain.fanout", node=Math(u), n=Text(str(len(terms))))))
    return Chains(tuple(rows))


def closed_blocks(d, words) -> tuple:
    """The lead, a word on closed forms left unexpanded (deep models), the chains."""
    lead = (Para((Text(words("explain.closed_lead")),)),)
    if any(g.closed is None for g in d.gradients):
        lead += (Para((Text(words("explain.not_expanded") + "."),)),)
    return lead + (closed_chains(d, words),)


def closed_chains(d, words) -> Chains:
    """∂L/∂p = product of locals along the paths = closed form ✓, then with numbers."""
    rows = []
    env = {**{symbol(n): v for n, v in d.problem.params}, **{symbol(n): v for n, v in d.point.items()}}
    for g in d.gradients:
        rows.append(Chain(_closed_sides(d.graph.loss, g), note=(Text(check_text(g.check, words)),)))
        if g.closed is not None:
            rows.append(Chain((Text(""), Math(g.closed, env), result(d.closed_value(g)))))
    return Chains(tuple(rows))


def _closed_sides(L, g) -> tuple:
    sides = [Math(Derivative(L, g.param))]
    if g.paths:
        products = tuple(Seq("·", tuple(Math(e) for e in path)) for path in g.paths)
        sides.append(products[0] if len(products) == 1 else Seq("+", products))
    if g.closed is not None:
        sides.append(Math(g.closed))
    return tuple(sides)


def check_text(check, words) -> str:
    """How the closed form was checked, in words."""
    if not check.ok:
        return words("explain.disagrees")
    if check.method == "symbolic":
        return words("explain.agrees")
    if check.method == "numeric":
        return words("explain.agrees_numeric", n=check.points)
    if check.method == "finite differences":
        return words("explain.agrees_fd")
    if check.method == "directional finite difference":
        return words("explain.agrees_fd_direction")
    return words("explain.not_expanded")


def update_section(d, words, sentence: tuple, number: int) -> Section:
    """p ← p − η·∂L/∂p = numbers = new value, for each parameter."""
    L = d.graph.loss
    rows = []
    for g in d.gradients:
        grad = Derivative(L, g.param)
        step = g.param - ETA * grad
        values = {g.param: g.before, ETA: d.problem.lr, grad: g.value}
        rows.append(Chain((Math(g.param), Math(step), Math(step, values), result(g.after)), arrow=True))
    blocks = (Para((Text(words("explain.update_lead")),)), Chains(tuple(rows)), Para(sentence))
    return Section(words("explain.update"), blocks, number)
