"""A graded matrix-form answer (:class:`symback.check.matrix_grade.MatrixVerdict`) as text or JSON.

The text shows, as the scalar check does: the question and the problem, the answer beside the
expected rule (``∂L/∂W₁ = δ_u₁ xᵀ``), the verdict with the diagnosis, the values at the sample
side by side (matrices of numbers), and for a wrong answer the correct backward pass from the loss
down to the variable, each line a matrix rule of :data:`symback.model.tensor_ops.OPS`
(``δ_h = W₂ᵀ δ_u₃``, ``δ_u₂ = δ_h ⊙ (1 − h²)``).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..lang import wording
from ..model.parse import symbol
from ..model.tensor_ops import OPS
from .check_report import headline, pairs, say, title
from .document import Detail, Document, Fields, Section, Text
from .matrix import grid, grid_rows
from .numbers import json_number
from .printers import unicode
from .tensor_explanation import _derivative_formula, _function_name  # the explanation's notation, shared
from .text import ReportText

#: the same derivative written, wrongly, in the operand: tanh′ as 1 − z², σ′ as z(1 − z)
IN_INPUT = {"tanh": "(1 − {0}²)", "sigmoid": "{0} ⊙ (1 − {0})"}
#: the catalogue's keys of the matrix check's diagnoses
KINDS = "check.matrix.kind."
_SUPERSCRIPT = str.maketrans("0123456789-/", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻ᐟ")


def name(n) -> str:
    """W1 -> W₁, y_hat -> ŷ; a number as written."""
    return str(n) if isinstance(n, Fraction) else unicode(symbol(n))


def delta(n: str) -> str:
    return "δ_" + name(n)


def shape_words(shape: tuple, t) -> str:
    return t("check.matrix.number") if not shape else "×".join(map(str, shape))


def matrix_text(value) -> str:
    """A number or a vector on one line: 2, [1, −0.5] (an n×1 column prints as a vector)."""
    return " ".join(grid_rows(value))


def vjp_text(graph, node, index: int, t=None) -> str:
    """The contribution of ``node``'s operand ``index`` in matrix notation: W₂ᵀ δ_u₃, δ_h ⊙ (1 − h²)."""
    rule = OPS[node.op]
    operands = [name(a) for a in node.args]
    fields = {"up": delta(node.name), "out": name(node.name), "n": str(_size(graph, node.args[0]))}
    if node.op == "apply":
        fields.update(f=_function(node.kw["f"]), df=_derivative_formula(node).text)
    if node.op == "pow":
        c = node.args[1]
        fields.update(p=_power(c), pm1="" if c - 1 == 1 else _power(c - 1))
    return rule.display[index].format(*operands, **fields)


def forward_text(node) -> str:
    """u₁ = W₁x, h = tanh(u₂), L = mean(u₄)."""
    rule = OPS[node.op]
    operands = [name(a) for a in node.args]
    fields = {"f": _function(node.kw.get("f", "")), "p": _power(node.args[-1]) if node.op == "pow" else ""}
    template = rule.formula or rule.numpy
    return f"{name(node.name)} = " + template.format(*operands, **fields)


def _power(c) -> str:
    """An exponent as a superscript: ², ⁻¹, ¹ᐟ²."""
    return str(c).translate(_SUPERSCRIPT)


def _function(f: str) -> str:
    return _function_name(f).text


def _size(graph, ref) -> int:
    return int(np.prod(graph.shape(ref))) if not isinstance(ref, Fraction) else 1


def gradient_text(graph, variable: str) -> str:
    """δ_v (or ∂L/∂W for a parameter) as the sum of its consumers' VJPs: δ_u₁ xᵀ."""
    parts = [vjp_text(graph, node, i) for node in graph.consumers(variable)
             for i, a in enumerate(node.args) if a == variable and a in node.children]
    return " + ".join(parts) if parts else "0"


def backward_lines(verdict) -> list:
    """The backward pass from the loss down to the variable checked, one matrix rule a line."""
    graph, wrt = verdict.graph, verdict.wrt
    reaches = {wrt}
    for node in graph.nodes:
        if any(c in reaches for c in node.children):
            reaches.add(node.name)
    nodes = [n for n in graph.nodes if n.name in reaches]
    lines = ["where " + ",  ".join(forward_text(n) for n in nodes)]
    lines.append(f"{delta(graph.loss)} = 1")
    for node in reversed(nodes):
        if node.name != graph.loss and node.name != wrt:
            lines.append(f"{delta(node.name)} = {gradient_text(graph, node.name)}")
    lines.append(f"{question(verdict)} = {gradient_text(graph, wrt)}")
    return lines


def question(verdict) -> str:
    return f"∂{name(verdict.graph.loss)}/∂{name(verdict.wrt)}"


def explain_mistake(verdict, mistake, t) -> str:
    """The diagnosis sentence, its fields printed as maths."""
    f = mistake.fields
    fields = {"question": question(verdict), "wrt": name(verdict.wrt)}
    if "yours" in f:
        fields.update(yours=shape_words(f["yours"], t), expected=shape_words(f["expected"], t))
    if "node" in f:
        fields.update(node=name(f["node"]), arg=name(f.get("arg") or f["node"]))
    if f.get("f"):
        node = verdict.graph[f["node"]]
        fields.update(f=_function(f["f"]), df=vjp_text(verdict.graph, node, 0).split(" ⊙ ", 1)[-1],
                      wrong=IN_INPUT.get(f["f"], "").format(name(node.args[0])))
    if mistake.kind == "logits_for_softmax":
        fields["arg"] = name(verdict.graph[f["node"]].args[0])
    if mistake.kind == "upstream" and verdict.consumer:
        fields["rule"] = gradient_text(verdict.graph, verdict.wrt)
    if "k" in f:
        fields["k"] = str(f["k"])
    if mistake.kind == "shape_mismatch":
        hint = {"@": "hint_matmul", "softmax": "hint_vector", "log_softmax": "hint_vector"}.get(f["op"], "hint_elementwise")
        fields.update(part=f["part"], op=f["op"], hint=t("check.matrix.why." + hint),
                      shapes=", ".join(shape_words(s, t) for s in f["shapes"]))
    text = t("check.matrix.why." + mistake.kind, **fields)
    if mistake.kind == "wrong_shape" and f.get("inner"):
        text += " " + t("check.matrix.why.inner")
    return text


def report_text(verdict, lang: str = "en", columns: int | None = None) -> str:
    """The verdict for a terminal: question, comparison, diagnosis, values, backward pass."""
    return ReportText(columns, titled=True).doprint(report_document(verdict, lang))


def report_document(verdict, lang: str = "en") -> Document:
    """The verdict as a Document, printed as the scalar check's (:mod:`.check_report`): the
    question and the problem (its title), the answer beside the expected rule, the verdict with the
    diagnosis, the values at the sample (matrices a row a line), and for a wrong answer the backward
    pass."""
    t = wording(lang)
    model = "; ".join(f"{name(n)} = {' '.join(e.text.split())}" for n, e in verdict.problem.definitions)
    names = t("check.matrix.names")
    if verdict.consumer:
        names += " " + t("check.matrix.delta", delta=delta(verdict.consumer), wrt=name(verdict.wrt))
    sections = [(pairs([(t("check.your_answer"), " ".join(verdict.text.split())),
                        (t("check.expected"), gradient_text(verdict.graph, verdict.wrt))]), say(names, Detail)),
                _verdict_blocks(verdict, t), _sample_blocks(verdict, t)]
    if not verdict.correct:
        sections.append((say(t("check.matrix.backward")),
                         *(say(line, Detail) for line in backward_lines(verdict))))
    heading = title(t, question(verdict), model, verdict.problem.loss_name)
    return Document(heading, tuple(Section("", blocks) for blocks in sections), lang)


def _verdict_blocks(verdict, t) -> tuple:
    blocks = (say(headline(verdict, t, KINDS)),)
    if verdict.correct:
        blocks += (say(t("check.matrix.how", question=question(verdict), n=verdict.points - 1), Detail),)
    elif verdict.diagnosis is not None:
        blocks += (say(explain_mistake(verdict, verdict.diagnosis, t), Detail),)
    return blocks + tuple(say(t("check.also", headline=t(KINDS + other.kind), why=explain_mistake(verdict, other, t)),
                              Detail) for other in verdict.also)


def _sample_blocks(verdict, t) -> tuple:
    point = ", ".join(f"{name(k)} = {matrix_text(v)}" for k, v in verdict.sample.items())
    if verdict.correct:
        return say(t("check.matrix.both", point=point)), Detail((grid(verdict.truth),))
    given = Text(t("check.matrix.unfit")) if verdict.given is None else grid(verdict.given)
    blocks = (say(t("check.matrix.sample", point=point)), _values(given, grid(verdict.truth), t))
    if verdict.elsewhere is not None:
        answer, expected = verdict.elsewhere
        blocks += (say(t("check.matrix.coincidence", question=question(verdict))),
                   _values(grid(answer), grid(expected), t))
    return blocks


def _values(given, truth, t) -> Fields:
    return Fields(((t("check.your_answer"), (given,)), (t("check.expected"), (truth,))))


def report_json(verdict, lang: str = "en") -> dict:
    """The verdict as a JSON-ready dict (numbers as nested lists of the shapes shown)."""
    t = wording(lang)
    return {
        "correct": verdict.correct,
        "question": f"Derivative({verdict.graph.loss}, {verdict.wrt})",
        "of": verdict.graph.loss,
        "wrt": verdict.wrt,
        "answer_text": verdict.text,
        "expected": gradient_text(verdict.graph, verdict.wrt),
        "method": "numeric",
        "points": verdict.points,
        "shape": {"expected": list(verdict.truth.shape),
                  "answer": None if verdict.given is None else list(verdict.given.shape)},
        "diagnosis": None if verdict.diagnosis is None else _mistake_json(verdict, verdict.diagnosis, t),
        "also": [_mistake_json(verdict, m, t) for m in verdict.also],
        "message": headline(verdict, t, KINDS),
        "sample": {k: _nested(v) for k, v in verdict.sample.items()},
        "values": {"answer": None if verdict.given is None else _nested(verdict.given),
                   "expected": _nested(verdict.truth)},
        "differs_at": None if verdict.elsewhere is None else {
            "answer": _nested(verdict.elsewhere[0]), "expected": _nested(verdict.elsewhere[1])},
        "backward": backward_lines(verdict),
    }


def _mistake_json(verdict, mistake, t) -> dict:
    fields = {k: (list(v) if isinstance(v, tuple) else str(v) if isinstance(v, Fraction) else v)
              for k, v in mistake.fields.items()}
    return {"kind": mistake.kind, "headline": t(KINDS + mistake.kind),
            "message": explain_mistake(verdict, mistake, t), "fields": fields}


def _nested(value):
    """A number or nested lists; NaN and infinities as null (never bare NaN in JSON)."""
    return json_number(np.asarray(value, dtype=float).tolist())
