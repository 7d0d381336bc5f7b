"""The exercises and their worked answers as notes sections.

:func:`exercise_section` asks; :func:`answer_section` solves, with the same
chains the rest of the notes print (forward values, the backward pass, the
update, the update map) and, where ``symback check`` can grade the answer,
the command that grades it right.
"""

from __future__ import annotations

from sympy import Abs, Derivative, Eq, Mul, StrictLessThan

from ..render.document import Chain, Chains, Math, Num, Para, Section, Seq, Text, phrase
from ..render.explanation import forward_chains
from .backward import backward_section
from .blocks import Grid, Output, point_items
from .exercises import check_command

ETA_NAME = "eta"


def _symbol(name):
    from ..model.parse import symbol

    return symbol(name)


def _params(d) -> tuple:
    return point_items(d.problem.params)


def exercise_section(lesson, words, separate: bool) -> Section:
    """Each exercise, numbered; the lead says where the answers are."""
    lead = Para((Text(words("notes.exercises_lead_file" if separate else "notes.exercises_lead")),))
    blocks = [lead]
    for n, e in enumerate(lesson.exercises, start=1):
        blocks += QUESTIONS[e.kind](lesson, e, words, (Text(words("notes.ex_n", n=n) + " "),))
    return Section(words("notes.exercises"), tuple(blocks))


def answer_section(lesson, words) -> Section:
    blocks = []
    for n, e in enumerate(lesson.exercises, start=1):
        head = (Text(words("notes.ex_n", n=n) + " "),)
        blocks += ANSWERS[e.kind](lesson, e, words, head)
        if e.check:
            blocks += [Para((Text(words("notes.ans_check")),)), Output(shell_lines(check_command(lesson, e)))]
    return Section(words("notes.answers"), tuple(blocks))


def _q_forward(lesson, e, words, head):
    return [Para(head + phrase(words, "notes.ex_forward", params=_params(e.d), sample=point_items(e.d.point),
                            L=Math(e.d.graph.loss)))]


def _q_local(lesson, e, words, head):
    node = e.edge.node
    return [Para(head + phrase(words, "notes.ex_local", params=_params(e.d), sample=point_items(e.d.point),
                            definition=Math(Eq(node.name, node.shown, evaluate=False)), child=Math(e.edge.child),
                            partial=Math(Derivative(node.name, e.edge.child))))]


def _q_gradient(lesson, e, words, head):
    return [Para(head + phrase(words, "notes.ex_gradient", params=_params(e.d), sample=point_items(e.d.point),
                            partial=Math(Derivative(e.d.graph.loss, e.param))))]


def _q_update(lesson, e, words, head):
    eta = Math(Eq(_symbol(ETA_NAME), _number(e.d.problem.lr), evaluate=False))
    return [Para(head + phrase(words, "notes.ex_update", params=_params(e.d), sample=point_items(e.d.point), eta=eta))]


def _q_mistake(lesson, e, words, head):
    d, L = e.d, e.d.graph.loss
    diagnosis = e.verdict.diagnosis
    steps = []
    for local in _path(d, e.param):
        wrong = local is diagnosis.edge or (diagnosis.edge is not None and local.node.name == diagnosis.edge.node.name
                                           and local.child == diagnosis.edge.child)
        expr = diagnosis.fields["wrong"] if wrong else local.expr
        steps.append(Chain((Math(Derivative(local.node.name, local.child)), Math(expr))))
    value = e.verdict.at_sample[0]
    got = Chain((Math(Derivative(L, e.param)), Math(e.wrong), Math(e.wrong, _env(d)),
                 Num(value) if value is not None else Text("?")))
    return [Para(head + phrase(words, "notes.ex_mistake", partial=Math(Derivative(L, e.param)), params=_params(d),
                            sample=point_items(d.point))),
            Chains(tuple(steps)), Para((Text(words("notes.ex_mistake_got")),)), Chains((got,)),
            Para((Text(words("notes.ex_mistake_ask")),))]


def _path(d, param):
    from ..check.backprop import Backprop

    return Backprop(d).edges(d.graph.loss, param)


def _q_stability(lesson, e, words, head):
    eta = Math(Eq(_symbol(ETA_NAME), _number(e.d.problem.lr), evaluate=False))
    K = _symbol("K")
    condition = Math(StrictLessThan(Abs(1 - Mul(_symbol(ETA_NAME), K, evaluate=False), evaluate=False), 1))
    return [Para(head + phrase(words, "notes.ex_stability", eta=eta, condition=condition))]


def _a_forward(lesson, e, words, head):
    L = e.d.graph.loss
    return [Para(head), forward_chains(e.d),
            Para(phrase(words, "notes.ans_forward", L=Math(L), value=Num(e.d.values[L])))]


def _a_local(lesson, e, words, head):
    local = e.edge
    sides = (Math(Derivative(local.node.name, local.child)), Math(local.expr), Math(local.expr, e.d.values),
             Num(e.d.local_value(local)))
    note = (Text(words("explain.rule." + local.rule.key) + ": "), Math(local.rule.formula()))
    return [Para(head), Chains((Chain(sides, note=note),))]


def _a_gradient(lesson, e, words, head):
    g = next(g for g in e.d.gradients if g.param == e.param)
    table = next(b for b in backward_section(e.d, words).blocks if isinstance(b, Grid))
    return [Para(head + (Text(words("notes.ans_gradient")),)), table, Para((Text(words("notes.ans_value")),)),
            _value_chain(e.d, g)]


def _value_chain(d, g, formula=None) -> Chains:
    """∂L/∂p = formula = with the numbers = value (a chain: long ones break across lines)."""
    formula = g.closed if formula is None else formula
    sides = (Math(Derivative(d.graph.loss, g.param)),)
    if formula is not None:
        sides += (Math(formula), Math(formula, _env(d)))
    return Chains((Chain(sides + (Num(g.value),)),))


def _env(d) -> dict:
    """The symbols of the parameters and the sample, with their values."""
    return {**{_symbol(n): v for n, v in d.problem.params}, **{_symbol(n): v for n, v in d.point.items()}}


def _a_update(lesson, e, words, head):
    d, L = e.d, e.d.graph.loss
    eta = _symbol(ETA_NAME)
    rows = [Chain((Math(Derivative(L, g.param)), Num(g.value))) for g in d.gradients]
    for g in d.gradients:
        grad = Derivative(L, g.param)
        step = g.param - eta * grad
        values = {g.param: g.before, eta: d.problem.lr, grad: g.value}
        after = _rational(g.before) - _rational(d.problem.lr) * _rational(g.value)  # as the hand computes it
        rows.append(Chain((Math(g.param), Math(step), Math(step, values), _exact(after)), arrow=True))
    return [Para(head + (Text(words("notes.ans_update")),)), Chains(tuple(rows))]


def _rational(value: float):
    """The decimal a float prints as, exactly (0.1 is 1/10)."""
    import sympy

    from ..core.numeric import format_float

    return sympy.Rational(format_float(value))


def _a_mistake(lesson, e, words, head):
    from ..render.check_report import explain_mistake

    d = e.d
    g = next(g for g in d.gradients if g.param == e.param)
    why = explain_mistake(e.verdict, e.verdict.diagnosis, words)
    return [Para(head + (Text(why),)), Para((Text(words("notes.ans_mistake")),)), _value_chain(d, g)]


def _a_stability(lesson, e, words, head):
    c = e.analysis
    K, a, A = _symbol("K"), _symbol("a"), _symbol("A")
    eta = _symbol(ETA_NAME)
    slope = Math(Eq(a, 1 - Mul(eta, K, evaluate=False), evaluate=False))
    header = ((Text(words("notes.col_sample")),), (Math(K),), (slope,))
    curvatures, slopes, epoch = exact_slopes(c, e.d.problem.lr)
    rows = tuple((point_items(s.point), (_exact(k),), (_exact(x),)) for s, k, x in zip(c.samples, curvatures, slopes))
    product = (Math(A), Text(" = "), Seq("·", tuple(_exact(x) for x in slopes)), Text(" = "), _exact(epoch))
    key = "notes.ans_converges" if e.stable else "notes.ans_diverges"
    bound = 2 / max(curvatures)  # the smallest 2/K: every step shrinks the error below it
    return [Para(head + phrase(words, "notes.ans_stability", K=Math(K), relation=slope)), Grid(header, rows, "lrr"),
            Para(phrase(words, "notes.ans_epoch", product=product)),
            Para(phrase(words, key, A=Math(Abs(A)), value=_exact(abs(epoch)), bound=_exact(bound))),
            Para((Text(words("notes.ans_try")),)), Output(shell_lines(_train_command(lesson, e)))]


def shell_lines(command: str, width: int = 72) -> str:
    """A command folded between its words with a backslash, as a shell reads it."""
    import shlex

    words = [shlex.quote(w) for w in shlex.split(command)]
    groups = []  # an option stays on the line of its value
    for word in words:
        if groups and groups[-1].startswith("--") and " " not in groups[-1] and not word.startswith("--"):
            groups[-1] += " " + word
        else:
            groups.append(word)
    lines, line = [], ""
    for word in groups:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line + " \\")
            line = "    " + word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join(lines + [line])


def exact_slopes(c, lr: float) -> tuple[list, list, object]:
    """Each sample's K and a = 1 − η·K, and A = Π a, in exact arithmetic on the decimals as typed."""
    import sympy

    eta = _rational(lr)
    curvatures = [c.curvature.xreplace({_symbol(n): _rational(v) for n, v in s.point.items()}) for s in c.samples]
    slopes = [1 - eta * k for k in curvatures]
    return curvatures, slopes, sympy.Mul(*slopes)


def _exact(value) -> Num | Math:
    """An exact number as a decimal where it terminates (2.728), else as it is (1/3)."""
    q = value.q if hasattr(value, "q") else None
    if q is not None and set(_prime_factors(q)) <= {2, 5}:
        return Num(float(value))
    return Math(value)


def _prime_factors(n: int) -> list:
    out, f = [], 2
    while n > 1 and f * f <= n:
        while n % f == 0:
            out.append(f)
            n //= f
        f += 1
    return out + ([n] if n > 1 else [])


def _train_command(lesson, e) -> str:
    import shlex

    from .exercises import problem_options

    options = problem_options(lesson) + ("--lr", f"{e.d.problem.lr:g}")
    return "symback train " + " ".join(shlex.quote(x) for x in options)


def _number(value: float):
    from .blocks import exact

    return exact(value)


QUESTIONS = {"forward": _q_forward, "local": _q_local, "gradient": _q_gradient, "update": _q_update,
             "mistake": _q_mistake, "stability": _q_stability}
ANSWERS = {"forward": _a_forward, "local": _a_local, "gradient": _a_gradient, "update": _a_update,
           "mistake": _a_mistake, "stability": _a_stability}
