"""The step-through of one sample as data a browser can replay: the interactive page's program.

A :class:`Derivation` becomes

* **slots**: one number per parameter, input, target, node, local derivative,
  gradient and contribution, each with an index;
* **expressions** as small JSON trees over slots (``["+", a, b]``, ``["*", …]``,
  ``["^", a, b]``, ``["f", "tanh", a]``, ``["n", 2.5]``, ``["v", slot]``): every
  node's operation and every local derivative, in the order the graph gives;
* **steps**: the forward pass node by node, the backward pass edge by edge
  (upstream × local = contribution; the contributions of a node used twice
  added), then each parameter's update; each step names the box to highlight,
  the edge whose gradient arrives, and its equation as text pieces and
  numbers (``{"s": slot}``; ``"p": true`` where a negative number needs
  brackets).

The tree is built from the SymPy graph, never from the user's text, and the
page evaluates it with its own small interpreter (no ``eval``): the names a
user typed appear only as words, escaped where they are written. With the
lesson's own numbers, :func:`render_text` prints each step as the browser
will, for the page without JavaScript.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy
from sympy import Derivative

from ..errors import SpecError
from ..model.ops import BY_CLASS
from ..render.numbers import number
from ..render.printers import unicode

#: the functions the page's interpreter knows, by SymPy class
FUNCTIONS = {**{op.sympy: op.key for op in BY_CLASS.values() if op.page}, sympy.Heaviside: "step"}
#: a sentinel's digits mark where a slot's number goes in a printed equation
SENTINEL = 9137.25


@dataclass(frozen=True)
class Program:
    """Everything the page replays: named slots, their starting values, the trees and the steps."""

    labels: tuple[str, ...]       # each slot's name as printed (ŷ, ∂L/∂w, …)
    values: tuple[float, ...]     # each slot's number at the lesson's sample
    fields: tuple[int, ...]       # the slots a student may change (parameters, inputs, y, η)
    nodes: tuple[tuple, ...]      # (slot, tree): the forward pass
    locals: tuple[tuple, ...]     # (slot, tree): the local derivatives
    backward: tuple[tuple, ...]   # (kind, target, a, b): "seed" g; "mul" c = a × b; "add" g += c
    updates: tuple[tuple, ...]    # (new slot, parameter slot, gradient slot, η slot)
    steps: tuple[dict, ...]
    keys: dict                    # graph symbol -> slot of its value, for the figure's boxes
    grads: dict                   # graph symbol -> slot of its gradient


class _Slots:
    def __init__(self):
        self.labels: list[str] = []
        self.values: list[float] = []
        self.index: dict = {}

    def add(self, key, label: str, value: float) -> int:
        self.index[key] = len(self.labels)
        self.labels.append(label)
        self.values.append(float(value))
        return self.index[key]


def program(derivation, lr: float) -> Program:
    """The step-through of ``derivation`` (one sample of a scalar model) with learning rate ``lr``."""
    d, g = derivation, derivation.graph
    if any(not isinstance(v, (int, float)) for v in d.values.values()):
        raise SpecError("the interactive page steps through models of numbers; this one has vectors or matrices")
    slots = _Slots()
    leaves = [*g.params, *g.inputs, g.target]
    for s in leaves:
        slots.add(s, unicode(s), d.values[s])
    eta = slots.add("eta", "η", lr)
    nodes = tuple((slots.add(n.name, unicode(n.name), d.values[n.name]), tree(n.expr, slots.index)) for n in g.nodes)
    local_slot = {}
    locals_ = []
    for local in d.locals:
        label = unicode(Derivative(local.node.name, local.child))
        slot = slots.add(("local", local.node.name, local.child), label, _local_value(d, local))
        local_slot[(local.node.name, local.child)] = slot
        locals_.append((slot, tree(local.expr, slots.index)))
    backward, steps = _backward(d, slots, local_slot)
    steps = _forward_steps(g, d, slots) + steps
    updates, update_steps = _updates(d, slots, eta)
    fields = tuple(slots.index[s] for s in leaves) + (eta,)
    keys = {k: v for k, v in slots.index.items() if isinstance(k, sympy.Symbol)}
    grads = {k[1]: v for k, v in slots.index.items() if isinstance(k, tuple) and k[0] == "grad"}
    return Program(tuple(slots.labels), tuple(slots.values), fields, nodes, tuple(locals_), tuple(backward),
                   tuple(updates), tuple(steps + update_steps), keys, grads)


def _local_value(d, local) -> float:
    for adjoint in d.adjoints:
        for c in adjoint.contributions:
            if adjoint.node == local.child and c.via == local.node.name:
                return c.local
    return float(local.expr.subs(d.values))


def tree(expr, index) -> list:
    """``expr`` as a JSON tree over the slots in ``index`` (symbol -> slot)."""
    if expr in index:
        return ["v", index[expr]]
    if expr.is_Number or isinstance(expr, sympy.NumberSymbol):
        return ["n", float(expr)]
    if expr.is_Add:
        return ["+"] + [tree(a, index) for a in expr.args]
    if expr.is_Mul:
        return ["*"] + [tree(a, index) for a in expr.args]
    if expr.is_Pow:
        return ["^", tree(expr.base, index), tree(expr.exp, index)]
    name = FUNCTIONS.get(type(expr))
    op = BY_CLASS.get(type(expr))
    if name is None and op is not None and op.definition is not None:
        return tree(op.definition(expr.args[0]), index)  # one the page lacks: in functions it has
    if name is None:
        raise SpecError(f"the interactive page cannot evaluate {type(expr).__name__}")
    args = expr.args[:1]  # Heaviside(u, 0): the value at 0 is the page's own, 0
    return ["f", name] + [tree(a, index) for a in args]


def template(expr, index) -> list:
    """``expr`` printed with a number in place of each slot symbol: text pieces and {"s": slot}.

    The printer is asked to print each symbol as a negative sentinel: where it puts brackets
    around it, a negative number needs them."""
    symbols = sorted((s for s in expr.free_symbols if s in index), key=lambda s: index[s])
    values = {s: -(SENTINEL + k) for k, s in enumerate(symbols)}
    text = unicode(expr, values)
    pieces: list = []
    pattern = re.compile(r"\(−(9\d{3}\.25)\)|−(9\d{3}\.25)")
    at = 0
    for match in pattern.finditer(text):
        k = int(float(match.group(1) or match.group(2)) - SENTINEL)
        call = bool(match.group(1)) and match.start() > 0 and _names_a_function(text[match.start() - 1])
        if call:  # σ(…), tanh(…): the brackets are the call's, whatever the sign
            pieces += [text[at:match.start() + 1], {"s": index[symbols[k]], "p": False}, ")"]
        else:
            pieces += [text[at:match.start()], {"s": index[symbols[k]], "p": bool(match.group(1))}]
        at = match.end()
    pieces.append(text[at:])
    return [p for p in pieces if p != ""]


def _names_a_function(ch: str) -> bool:
    return ch.isalnum() or ch in "σ_"


def factor(expr) -> str:
    """``expr`` as a factor of a product: in brackets if it is a sum or negative (× (y − 1))."""
    text = unicode(expr)
    return f"({text})" if expr.is_Add or text.startswith("−") else text


def _forward_steps(g, d, slots) -> list[dict]:
    steps = []
    for n in g.nodes:
        name, shown = unicode(n.name), unicode(n.shown)
        text = [f"{name} = {shown} = "] + template(n.shown, slots.index) + [" = ", {"s": slots.index[n.name]}]
        steps.append({"phase": "forward", "box": slots.index[n.name], "text": text})
    return steps


def _backward(d, slots, local_slot) -> tuple[list, list]:
    """The gradient program (seed, products, sums) and the steps that show it."""
    L = d.graph.loss
    grad = {L: slots.add(("grad", L), unicode(Derivative(L, L)), 1.0)}
    program = [("seed", grad[L])]
    steps = [{"phase": "backward", "box": slots.index[L], "done": True,
              "text": [f"{unicode(Derivative(L, L))} = ", {"s": grad[L]}]}]
    for adjoint in d.adjoints[1:]:
        u = adjoint.node
        dLu = unicode(Derivative(L, u))
        grad[u] = slots.add(("grad", u), dLu, adjoint.value)
        parts, many = [], len(adjoint.contributions) > 1
        for c in adjoint.contributions:
            local = local_slot[(c.via, u)]
            part = slots.add(("part", c.via, u), dLu, c.value)
            parts.append(part)
            program.append(("mul", part, grad[c.via], local))
            program.append(("add", grad[u], part))
            expr = next(l.expr for l in d.locals if l.node.name == c.via and l.child == u)
            text = [f"{dLu} = {unicode(Derivative(L, c.via))} × {factor(expr)} = ", {"s": grad[c.via], "p": True},
                    " × ", {"s": local, "p": True}, " = ", {"s": part}]
            steps.append({"phase": "backward", "box": slots.index[u], "edge": [slots.index[u], slots.index[c.via]],
                          "arrives": part, "done": not many, "text": text})
        if many:
            text = [f"{dLu} = "] + [x for i, p in enumerate(parts) for x in ([" + "] if i else []) + [{"s": p, "p": True}]]
            steps.append({"phase": "backward", "box": slots.index[u], "done": True, "text": text + [" = ", {"s": grad[u]}]})
    program = [program[0]] + [("zero", grad[u]) for u in grad if u != L] + program[1:]
    return program, steps


def _updates(d, slots, eta) -> tuple[list, list]:
    updates, steps = [], []
    for p in d.graph.params:
        name = unicode(p)
        new = slots.add(("new", p), name, d.values[p] - slots.values[eta] * slots.values[slots.index[("grad", p)]])
        grad = slots.index[("grad", p)]
        updates.append((new, slots.index[p], grad, eta))
        text = [f"{name} ← {name} − η·{unicode(Derivative(d.graph.loss, p))} = ", {"s": slots.index[p]}, " − ",
                {"s": eta, "p": True}, "·", {"s": grad, "p": True}, " = ", {"s": new}]
        steps.append({"phase": "update", "box": slots.index[p], "text": text})
    return updates, steps


def render_text(pieces, values) -> str:
    """A step's equation with ``values`` (one per slot) filled in."""
    out = []
    for p in pieces:
        if isinstance(p, str):
            out.append(p)
            continue
        text = number(values[p["s"]])
        out.append(f"({text})" if p.get("p") and values[p["s"]] < 0 else text)
    return "".join(out)
