"""A graded answer (:class:`symback.check.Verdict`) as terminal text or as JSON.

Every sentence comes from the wording catalogue (section ``check``); every
formula is printed by :mod:`symback.render.printers` (Unicode for people,
SymPy syntax for JSON). The text shows, in order: the question and the
problem, the answer beside the expected derivative, the verdict with the
diagnosis, the values at the sample side by side, and, for a wrong answer,
the correct derivation (the local derivatives on the way down and their
product along each path).
"""

from __future__ import annotations

from typing import Mapping

import sympy
from sympy import Derivative, Eq

from ..check.backprop import POINTS, Backprop
from ..check.grade import answer_symbols
from ..core.exact import evaluate, typed
from ..core.reverse import paths
from ..core.rules import Rule
from ..lang import wording
from .document import Appendix, Chain, Chains, Detail, Document, Fields, Math, Para, Section, Seq, Text
from .numbers import json_number, number
from .printers import claim, unicode
from .text import ReportText
from .text import item as plain
from .written import as_written

#: more paths than this are not printed one by one
MAX_PATHS = 6
#: the truth in node names is shown beside the closed form up to this size
MAX_CHAIN_OPS = 6


def report_text(verdict, lang: str = "en", columns: int | None = None) -> str:
    """The verdict for a terminal ``columns`` wide: question, comparison, diagnosis, values, derivation."""
    return ReportText(columns, titled=True).doprint(report_document(verdict, lang))


def report_printed(verdicts, lang: str, fmt: str, document=None) -> str:
    """The verdicts as ``markdown`` (a document each) or one ``html`` page; ``document`` makes
    each verdict's Document (the scalar report's, or the matrix check's)."""
    from .formats import printer_for  # only when asked: the terminal report needs neither format

    docs = [(document or report_document)(v, lang) for v in verdicts]
    if fmt == "markdown":
        return "\n\n".join(printer_for(fmt).doprint(doc).rstrip("\n") for doc in docs)
    page = docs[0] if len(docs) == 1 else Document(wording(lang)("check.several"),
                                                   (Section("", tuple(map(Appendix, docs))),), lang)
    return printer_for(fmt).doprint(page).rstrip("\n")


def report_document(verdict, lang: str = "en") -> Document:
    """The verdict as a Document: the question and the problem (its title), the answer beside
    the expected derivative, the verdict with the diagnosis, the values at the sample, and for a
    wrong answer the correct derivation (or, when no mistake explains it, every step)."""
    t = wording(lang)
    expected = _expected_text(verdict) if not _bare_number(verdict) else t(
        "check.expected_formula", question=unicode(verdict.question),
        symbols=answer_symbols(verdict.derivation, verdict.top, verdict.bottom))
    sections = [(pairs([(t("check.your_answer"), _answer_text(verdict)), (t("check.expected"), expected)]),),
                _verdict_blocks(verdict, t), _sample_blocks(verdict, t)]
    if not verdict.correct and not _bare_number(verdict):  # for a number, the formula is not given away
        if verdict.diagnosis is None:
            from .explanation import document

            sections.append((say(t("check.full")), Appendix(document(verdict.derivation, t))))
        else:
            sections.append(_derivation_blocks(verdict, t))
    return Document(_heading(verdict, t), tuple(Section("", blocks) for blocks in sections), lang)


def say(text: str, kind=Para) -> Para:
    """Words as a block (a Para, or a Detail under the one before)."""
    return kind((Text(text),))


def pairs(rows) -> Fields:
    """Two columns of words: label, value."""
    return Fields(tuple((label, (Text(value),)) for label, value in rows))


def report_json(verdict, lang: str = "en") -> dict:
    """The verdict as a JSON-ready dict: correct, diagnosis, expected, answer and the rest."""
    t = wording(lang)
    point, elsewhere = _sample(verdict), verdict.elsewhere
    return {
        "correct": verdict.correct,
        "question": claim(verdict.question),
        "of": verdict.top.name,
        "wrt": verdict.bottom.name,
        "answer": claim(verdict.answer),
        "answer_text": verdict.text,
        "expected": claim(verdict.expected),
        "expected_chain": claim(verdict.chain),
        "method": verdict.method,
        "diagnosis": _mistake_json(verdict, verdict.diagnosis, t) if verdict.diagnosis else None,
        "also": [_mistake_json(verdict, m, t) for m in verdict.also],
        "message": headline(verdict, t),
        "sample": {s.name: v for s, v in point.items()},
        "values": {"answer": json_number(verdict.at_sample[0]), "expected": json_number(verdict.at_sample[1])},
        "differs_at": None if elsewhere is None else {
            "point": elsewhere[0], "answer": json_number(elsewhere[1]), "expected": json_number(elsewhere[2])},
        "derivation": [{"of": e.node.name.name, "wrt": e.child.name, "local": claim(e.expr), "rule": e.rule.key}
                       for e in _edges(verdict)],
    }


def explain_mistake(verdict, mistake, t) -> str:
    """The diagnosis sentence for ``mistake``, its fields printed as maths."""
    fields = {k: _show(v, t) for k, v in mistake.fields.items()}
    fields.update(question=unicode(verdict.question), top=unicode(verdict.top),
                  bottom=unicode(verdict.bottom), expected=unicode(verdict.expected),
                  node=unicode(mistake.bottom) if mistake.bottom is not None else "")
    why = mistake.why
    if why == "sign" and mistake.fields.get("places"):
        why = "sign_places"
    if why == "constant":
        k = mistake.fields["k"]
        why = "constant_missing" if (1 / k).is_Integer and k > 0 else "constant_extra" if k.is_Integer and k > 0 else why
        fields["k"] = unicode(1 / k if why == "constant_missing" else k)
    return t("check.why." + why, **fields)


def _expected_text(verdict) -> str:
    """The truth in the graph's names when that is short (2r·x), then in the problem's symbols."""
    chain = verdict.chain
    if chain == verdict.expected or sympy.count_ops(chain) > MAX_CHAIN_OPS:
        return unicode(verdict.expected)
    return f"{unicode(chain)} = {unicode(verdict.expected)}"


def _heading(verdict, t) -> str:
    problem = verdict.derivation.problem
    model = "; ".join(unicode(Eq(name, as_written(expr, problem.orders), evaluate=False))
                      for name, expr in problem.shown_definitions)
    loss = unicode(Eq(verdict.derivation.graph.loss, as_written(problem.loss, problem.orders), evaluate=False))
    return title(t, unicode(verdict.question), model, loss)


def headline(verdict, t, kinds: str = "check.kind.") -> str:
    """Right, not right with the diagnosis's headline (its catalogue key after ``kinds``), or no diagnosis."""
    if verdict.correct:
        return t("check.right")
    if verdict.diagnosis is None:
        return t("check.none")
    return t("check.wrong", headline=t(kinds + verdict.diagnosis.kind))


def title(t, question: str, model: str, loss: str) -> str:
    """Check ∂L/∂w   (model ŷ = wx; loss L = r²)."""
    return f"{t('check.title', question=question)}   ({t('check.problem', model=model, loss=loss)})"


def _verdict_blocks(verdict, t) -> tuple:
    blocks = (say(headline(verdict, t)),)
    if verdict.correct:
        return blocks + (say(t("check.how." + _method(verdict), question=unicode(verdict.question), n=POINTS,
                                point=_point_text(_sample(verdict)), expected=unicode(verdict.expected)), Detail),)
    if verdict.diagnosis is not None:
        blocks += (say(explain_mistake(verdict, verdict.diagnosis, t), Detail),)
    for other in (m for m in verdict.also if m.why != "factor_off"):  # a bare ratio adds nothing
        blocks += (say(t("check.also", headline=t("check.kind." + other.kind),
                          why=explain_mistake(verdict, other, t)), Detail),)
    return blocks


def _method(verdict) -> str:
    return verdict.method if verdict.method in ("symbolic", "value") else "numeric"


def _answer_text(verdict) -> str:
    """The answer as the student wrote it (SymPy would expand 2*(w - 2) to 2w − 4)."""
    return " ".join(verdict.text.split())


def _bare_number(verdict) -> bool:
    """Is the answer a bare number where a formula is asked?"""
    return verdict.method == "value" and not verdict.correct



def _sample_blocks(verdict, t) -> tuple:
    point = _point_text(_sample(verdict))
    mine, truth = (_value_text(v, t) for v in verdict.at_sample)
    if verdict.correct:
        return (say(t("check.both", point=point, value=truth)),)
    blocks = (say(t("check.sample", point=point)),
              pairs([(t("check.your_answer"), mine), (t("check.expected"), truth)]))
    if verdict.elsewhere is not None:
        where, answer, expected = verdict.elsewhere
        relation, truth = _exact_value(verdict, where, expected, t)
        blocks += (say(t("check.coincidence", point=_point_text(where), answer=_value_text(answer, t),
                          question=unicode(verdict.question), relation=relation, truth=truth)),)
    return blocks


def _exact_value(verdict, where: Mapping, value, t) -> tuple[str, str]:
    """The true derivative at ``where`` from its closed form, computed exactly: ("=", digits), or
    ("≈", digits) when it is irrational or rounded."""
    if value is None:
        return "=", t("check.undefined")
    env = {sympy.Symbol(str(k), real=True): typed(v) for k, v in where.items()}
    shown = evaluate(verdict.expected, env, value)
    return ("≈" if shown.approx else "="), number(shown)


def _derivation_blocks(verdict, t) -> tuple:
    """The nodes, the local derivatives on the way down, and their products along the paths."""
    edges = _edges(verdict)
    names = {e.node.name for e in edges}
    nodes = [n for n in verdict.derivation.graph.nodes if n.name in names]
    blocks = (say(t("check.derivation")),)
    if nodes:
        where = ",  ".join(unicode(Eq(n.name, n.shown, evaluate=False)) for n in nodes)
        blocks += (say(f"{t('check.where')} {where}", Detail),)
    rows = [(unicode(Eq(Derivative(e.node.name, e.child), e.expr, evaluate=False)), _rule_text(e.rule, t))
            for e in edges]
    return blocks + (pairs(rows),) + _chain_blocks(verdict)


def _chain_blocks(verdict) -> tuple:
    """∂L/∂w = ∂L/∂r·∂r/∂ŷ·∂ŷ/∂w = 2r · 1 · x = 2x(wx − y), one equals sign a line."""
    paths = _paths(verdict)
    parts = []
    if paths and max(len(p) for p in paths) > 1:
        symbols = [sympy.Mul(*[Derivative(e.node.name, e.child) for e in p], evaluate=False) for p in paths]
        parts.append(Math(sympy.Add(*symbols, evaluate=False) if len(symbols) > 1 else symbols[0]))
        parts.append(Seq("+", tuple(Seq("·", tuple(Math(e.expr) for e in p)) for p in paths)))
    elif verdict.chain != verdict.expected:
        parts.append(Math(verdict.chain))
    shown: dict = {}
    for part in parts + [Math(verdict.expected)]:
        shown.setdefault(plain(part), part)  # a side printed as the one before says nothing new
    parts = list(shown.values())
    if len(parts) == 1 and paths and len(paths) == 1 and len(paths[0]) == 1:
        return ()  # one step, already shown with its rule
    return (Chains((Chain((Math(verdict.question), *parts)),)),)


def _edges(verdict):
    return Backprop(verdict.derivation).edges(verdict.top, verdict.bottom)


def _paths(verdict):
    """The paths from top to bottom as lists of edges, or None past MAX_PATHS."""
    bp = Backprop(verdict.derivation)
    return paths(bp.order, bp.below, verdict.top, verdict.bottom, MAX_PATHS)


def _mistake_json(verdict, mistake, t) -> dict:
    edge = mistake.edge
    return {
        "kind": mistake.kind,
        "headline": t("check.kind." + mistake.kind),
        "message": explain_mistake(verdict, mistake, t),
        "step": None if edge is None else {"of": edge.node.name.name, "wrt": edge.child.name,
                                            "local": claim(edge.expr), "rule": edge.rule.key},
        "fields": {k: _claim(v) for k, v in mistake.fields.items()},
    }


def _show(value, t) -> str:
    if isinstance(value, Rule):
        return _rule_text(value, t)
    if isinstance(value, tuple):
        return ",  ".join(unicode(v) for v in value)
    return unicode(value)


def _rule_text(rule: Rule, t) -> str:
    """The rule's name and formula: power rule: d(u²)/du = 2u."""
    name = t(f"explain.rule.{rule.key}")
    try:
        return t("check.rule", name=name, formula=unicode(rule.formula()))
    except NotImplementedError:
        return name


def _claim(value):
    if isinstance(value, Rule):
        return value.key
    if isinstance(value, tuple):
        return [claim(v) for v in value]
    return claim(value)


def _sample(verdict) -> dict:
    derivation = verdict.derivation
    values = {**derivation.problem.param_values, **derivation.point}
    return {s: values[s.name] for s in [*derivation.graph.params, *derivation.graph.inputs, derivation.graph.target]}


def _point_text(point: Mapping) -> str:
    return ", ".join(unicode(Eq(sympy.Symbol(str(k), real=True), sympy.Float(v), evaluate=False))
                     for k, v in point.items())


def _value_text(value, t) -> str:
    return t("check.undefined") if value is None else unicode(sympy.Float(value))


