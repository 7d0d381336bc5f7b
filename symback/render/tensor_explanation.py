"""What a matrix explanation says, and in which order: a TensorDerivation -> a Document.

The sections follow the scalar explanation: the problem; the forward pass with shapes
(``u₁ = W₁x = [[…]] [1, 2] = [−0.3, 1, −0.1]   ∈ ℝ³``); the local steps, each edge's matrix rule
with its entry-by-entry form as the note (``∂L/∂W₁ = δ_u₁ xᵀ``, entry by entry
``∂L/∂W₁_ij = δ_u₁_i x_j``); the backward pass with the numbers (each contribution, and each sum
where a node is used twice); the checks; the update. Every number comes from the derivation.
"""

from __future__ import annotations

import re
import string
from fractions import Fraction

from ..core.exact import Shown
from ..model.parse import symbol
from ..model.tensor_ops import OPS, node_marks
from .document import Chain, Chains, Document, Fields, Para, Section, Seq, Text
from .explanation import phrase, prose
from .matrix import Formula, Mat
from .printers import tex, unicode


def tensor_document(d, words) -> Document:
    """The Document of a TensorDerivation."""
    sections = [
        problem_section(d, words),
        Section(words("explain.forward"), (Para((Text(words("tensor.forward_lead")),)), forward_chains(d)), 1),
        Section(words("tensor.rules"), (Para((Text(words("tensor.rules_lead")),)), rule_chains(d, words)), 2),
        Section(words("tensor.backward"), (Para((Text(words("tensor.backward_lead")),)), backward_chains(d, words)), 3),
        Section(words("tensor.check"), check_blocks(d, words), 4),
        update_section(d, words, 5),
    ]
    if d.entry is not None:
        sections.append(entry_section(d, words, 6))
    return Document(words("tensor.title"), tuple(sections), words.code)


# -- names and symbols --------------------------------------------------------------------------

def name(n: str) -> Formula:
    """A node, parameter or input: W₁, ŷ, h."""
    return Formula(unicode(symbol(n)), tex(symbol(n)))


def delta(n: str) -> Formula:
    """δ_v, the gradient ∂L/∂v (an array of v's shape)."""
    return Formula("δ_" + unicode(symbol(n)), r"\delta_{" + tex(symbol(n)) + "}")


def d_loss(d, n: str) -> Formula:
    """∂L/∂v."""
    loss = symbol(d.graph.loss)
    return Formula(f"∂{unicode(loss)}/∂{unicode(symbol(n))}",
                   r"\frac{\partial " + tex(loss) + r"}{\partial " + tex(symbol(n)) + "}")


def space(shape) -> Formula:
    """∈ ℝ³ˣ²."""
    from ..core.tensor.graph import space as text_space

    latex = r"\in \mathbb{R}" + ("^{" + r" \times ".join(map(str, shape)) + "}" if shape else "")
    return Formula("∈ " + text_space(shape), latex)


def _positional(template: str) -> str:
    """The op table writes operands as {0}, {1}; str.format with keywords needs names: {a0}, {a1}
    (read by str.format's own parser, so LaTeX's doubled braces stay as they are)."""
    out = []
    for literal, field, spec, conversion in string.Formatter().parse(template):
        out.append(literal.replace("{", "{{").replace("}", "}}"))
        if field is not None:
            out.append("{" + ("a" + field if field.isdigit() else field) + (f"!{conversion}" if conversion else "")
                       + (f":{spec}" if spec else "") + "}")
    return "".join(out)


def _spaced(template: str, latex: bool = False) -> str:
    """Numbers side by side need a product sign (W₁x, but [[…]] · [1, 2]; 2 r, but 2 · (−0.4))."""
    sign = r" \cdot " if latex else " · "
    template = re.sub(r"\{up\}(?:\\,| )\(", lambda m: "{up}" + sign + "(", template)  # 1 · (…), not 1(…)
    return re.sub(r"\}(ᵀ|\^\\top)?(?: |\\,)?\{(a\d|up)\}",
                  lambda m: "}" + (m.group(1) or "") + sign + "{" + m.group(2) + "}", template)


def formula(text: str, latex: str, parts: tuple):
    """A Formula, or the one part itself when the template is just that part ({up}: δ, unbracketed)."""
    whole = re.fullmatch(r"\{(\w+)\}", text.strip())
    if whole:
        return dict(parts)[whole.group(1)]
    return Formula(text, latex, parts)


def decimal(q: Fraction) -> Mat:
    """A number the user typed (or the learning rate), exactly as typed."""
    return Mat(Shown(float(q), q))


def _operand_parts(d, node, numbers: bool) -> list:
    parts = []
    for i, arg in enumerate(node.args):
        if isinstance(arg, Fraction):
            parts.append((f"a{i}", decimal(arg)))
        else:
            parts.append((f"a{i}", Mat(d.shown[arg]) if numbers else name(arg)))
    if node.op == "apply":
        parts.append(("f", _function_name(node.kw["f"])))
    shapes = tuple(d.graph.shape(a) for a in node.args)
    marks = node_marks(node.op, node.args, shapes)
    if "n" in marks and not numbers:
        marks["n"] = ("n", "n")
    parts += [(k, Formula(t, l)) for k, (t, l) in marks.items()]
    return parts


def _function_name(f: str) -> Formula:
    """The function's printed name from the Op table: σ, ln, tanh."""
    from ..model import ops

    op = next((o for o in ops.OPS.values() if f in o.names), None)
    if op is None or op.sympy is None:
        return Formula(f, r"\operatorname{" + f + "}")
    return Formula(op.display, op.latex or r"\operatorname{" + op.code + "}")


# -- sections -----------------------------------------------------------------------------------

def problem_section(d, words, rows: int | None = None) -> Section:
    """Model, loss, parameters, the sample (or, for a batch, the number of rows) and the learning rate."""
    p = d.problem
    loss_key = p.loss_name + ("_vector" if d.graph.shape(d.graph.output) and p.loss_name in ("mse", "abs", "bce")
                              else "")
    described = words("tensor.preset." + loss_key) if loss_key in ("ce",) or loss_key.endswith("_vector") else (
        words("explain.preset." + p.loss_name))
    fields = [
        (words("explain.model"), (Text(p.text),)),
        (words("explain.loss"), (Text(f"{p.loss_name}: {described}" if p.loss_name != "custom"
                                      else f"L = {p.loss_text}"),)),
        (words("explain.parameters"), tuple(_valued(n, d.shown[n]) for n, _ in d.graph.params)),
        (words("explain.sample"), tuple(_valued(n, d.shown[n]) for n, _ in d.graph.inputs)) if rows is None
        else (words("explain.data"), (Text(words("explain.rows", n=rows)),)),
        (words("explain.learning_rate"), (Formula("η = " + prose(p.lr).text, r"\eta = " + prose(p.lr).text),)),
    ]
    return Section(words("explain.problem"), (Fields(tuple(fields)),))


def _valued(n: str, shown) -> Formula:
    import numpy as np

    shape = np.shape(shown)
    return Formula("{n} = {v}" + (" {s}" if shape else ""), "{n} = {v}" + (" {s}" if shape else ""),
                   (("n", name(n)), ("v", Mat(shown)), ("s", space(shape))))


def forward_chains(d) -> Chains:
    """name = operation = operation with the numbers = value      ∈ ℝⁿ, node by node."""
    rows = []
    for node in d.graph.nodes:
        op = OPS[node.op]
        text, latex = _positional(op.formula), _positional(op.formula_latex)
        symbolic = formula(text, latex, tuple(_operand_parts(d, node, False)))
        numeric = formula(_spaced(text), _spaced(latex, True), tuple(_operand_parts(d, node, True)))
        rows.append(Chain((name(node.name), symbolic, numeric, Mat(d.shown[node.name])), note=(space(node.shape),)))
    return Chains(tuple(rows))


def _vjp_formula(d, local, numbers: bool, up) -> Formula:
    """The edge's VJP in matrix notation: symbols (``δ_u₁ xᵀ``) or the numbers."""
    node = local.node
    op = OPS[node.op]
    text, latex = _positional(op.display[local.index]), _positional(op.latex[local.index])
    parts = _operand_parts(d, node, numbers)
    parts.append(("up", Mat(up) if numbers else delta(node.name)))
    parts.append(("out", Mat(d.shown[node.name]) if numbers else name(node.name)))
    if node.op == "apply":
        parts.append(("df", Mat(local.derivative) if numbers else _derivative_formula(node)))
    if numbers:
        text, latex = _spaced(text), _spaced(latex, True)
    return formula(text, latex, tuple(parts))


def _derivative_formula(node) -> Formula:
    """f′ at the operand, written with the node's names: 1 − h² for h = tanh(u₂)."""
    from ..core.tensor.kernels import _U, scalar_function

    f, derivative = scalar_function(node.kw["f"])
    arg, out = symbol(node.args[0]), symbol(node.name)
    expr = derivative.xreplace({f(_U): out}).xreplace({_U: arg})
    return Formula(f"({unicode(expr)})" if expr.is_Add else unicode(expr),
                   rf"\left({tex(expr)}\right)" if expr.is_Add else tex(expr))


def _entry_line(d, local) -> Formula:
    """The rule entry by entry, its operands named: ∂L/∂W₁_ij = δ_i x_j (δ: the gradient of the node)."""
    node = local.node
    line = _positional(OPS[node.op].entries[local.index])
    marks = node_marks(node.op, node.args, tuple(d.graph.shape(a) for a in node.args))
    texts = {f"a{i}": (unicode(symbol(a)) if isinstance(a, str) else str(a)) for i, a in enumerate(node.args)}
    texs = {f"a{i}": "{" + (tex(symbol(a)) if isinstance(a, str) else str(a)) + "}" for i, a in enumerate(node.args)}
    f = node.kw.get("f", "")
    text = line.format(f=_function_name(f).text if f else "", **texts, **{k: t for k, (t, _) in marks.items()})
    latex = _entry_latex(line).format(f=_function_name(f).latex if f else "", **texs,
                                      **{k: l for k, (_, l) in marks.items()})
    return Formula(text, latex)


_ENTRY_TEX = [("∂L/∂", r"\partial L/\partial "), ("δ", r"\delta "), ("Σ_i", r"\sum_i "), ("Σ_j", r"\sum_j "),
              ("Σ_k", r"\sum_k "), ("−", "-"), ("′", "'"), ("²", "^{{2}}"), ("·", r"\cdot "), ("_ij", "_{{ij}}"),
              ("_jk", "_{{jk}}"), ("_ik", "_{{ik}}"), ("_ji", "_{{ji}}"), ("^(", "^{{("), ("−1)", "-1)}}")]


def _entry_latex(line: str) -> str:
    for a, b in _ENTRY_TEX:
        line = line.replace(a, b)
    return line


def rule_chains(d, words) -> Chains:
    """∂L/∂child = the VJP in symbols, labelled with the node and its rule; the note: entry by entry."""
    rows = []
    for local in reversed(d.locals):
        node = local.node
        rule = words("tensor.rule." + OPS[node.op].rule, f=node.kw.get("f", ""))
        label = (name(node.name), Text(": " + rule))
        note = phrase(words, "tensor.entry", line=_entry_line(d, local))
        rows.append(Chain((d_loss(d, local.child), _vjp_formula(d, local, False, None)), label=label, note=note))
    return Chains(tuple(rows))


def backward_chains(d, words) -> Chains:
    """∂L/∂L = 1, then each variable's contributions with the numbers, and their sum where there are several."""
    rows = [Chain((d_loss(d, d.graph.loss), Mat(d.adjoints.value[d.graph.loss].shown)))]
    locals_by_edge = {(l.node.name, l.index): l for l in d.locals}
    variables = [n.name for n in reversed(d.graph.nodes)] + [n for n, _ in d.graph.params]
    for variable in variables:
        terms = d.adjoints.terms.get(variable, ())
        for edge, up, contribution in terms:
            local = locals_by_edge[(edge.node, edge.index)]
            label = (Text(words("explain.via", node="")), name(edge.node)) if len(terms) > 1 else ()
            rows.append(Chain((d_loss(d, variable), _vjp_formula(d, local, False, None),
                               _vjp_formula(d, local, True, up.shown), Mat(contribution.shown)), label=label))
        if len(terms) > 1:
            total = d.adjoints.value[variable]
            rows.append(Chain((d_loss(d, variable), Seq("+", tuple(Mat(c.shown) for _, _, c in terms)),
                               Mat(total.shown)), note=(Text(words("tensor.sum_of")),)))
    return Chains(tuple(rows))


def check_blocks(d, words) -> tuple:
    from ..core.tensor.verify import MAX_SYMBOLIC_ENTRIES

    blocks = [Para((Text(words("tensor.check_lead")),))]
    methods = {"sympy.diff entry by entry": "tensor.entrywise", "central finite differences": "tensor.fd"}
    for check in d.checks:
        key = "tensor.agrees" if check.agrees else "tensor.disagrees"
        blocks.append(Para((Text(words(key, method=words(methods[check.method]), error=f"{check.error:.1e}")),)))
    if not any(c.method.startswith("sympy") for c in d.checks) and not getattr(d, "is_batch", False):
        blocks.append(Para((Text(words("tensor.no_entrywise", n=MAX_SYMBOLIC_ENTRIES)),)))
    return tuple(blocks)


def update_section(d, words, number: int) -> Section:
    """W ← W − η ∂L/∂W = numbers = new value, for each parameter."""
    gradients = {n: d.adjoints.value[n].shown for n, _ in d.graph.params}
    after = phrase(words, "explain.loss_after", before=prose(d.loss), after=prose(d.loss_after))
    return update_blocks(d, gradients, d.update_shown, after, words, number)


def update_blocks(d, gradients: dict, updated: dict, sentence: tuple, words, number: int) -> Section:
    """The update section of derivation ``d`` (sample 1 of a batch) with the shown ``gradients`` and
    parameters ``updated``, and ``sentence`` (the loss before and after) at its end."""
    lr = Fraction(repr(float(d.problem.lr)))
    rows = []
    for n, _ in d.graph.params:
        symbolic = Formula("{w} − η {g}", r"{w} - \eta\, {g}", (("w", name(n)), ("g", d_loss(d, n))))
        numeric = Formula("{w} − {eta} · {g}", r"{w} - {eta} \cdot {g}",
                          (("w", Mat(d.shown[n])), ("eta", decimal(lr)), ("g", Mat(gradients[n]))))
        rows.append(Chain((name(n), symbolic, numeric, Mat(updated[n])), arrow=True))
    blocks = (Para((Text(words("explain.update_lead")),)), Chains(tuple(rows)), Para(sentence))
    return Section(words("explain.update"), blocks, number)


def entry_section(d, words, number: int) -> Section:
    """The scalar derivation of one gradient entry, by the scalar engine's own sections."""
    from .explanation import backward_chains as scalar_backward, forward_chains as scalar_forward, local_chains

    e = d.entry
    label = e.label
    blocks = (Para((Text(words("tensor.entries_lead", entry=f"∂L/∂{label}")),)), scalar_forward(e.scalar),
              local_chains(e.scalar, words), scalar_backward(e.scalar, words),
              Para((Text(words("tensor.entries_value", value=prose(e.matrix_value).text)),)))
    return Section(words("tensor.entries", entry=f"∂L/∂{label}"), blocks, number)
