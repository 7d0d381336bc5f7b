"""The lesson as a NumPy program: the reverse pass written out by hand.

``gradient`` computes one node per line, forwards, then one adjoint per line,
backwards, each the upstream gradient times the local derivative of the
derivation (and a sum where a node feeds several others):

    r = y_hat - y                 # r = ŷ − y
    dL_dr = dL_dL * (2 * r)       # ∂L/∂r = ∂L/∂L × 2r   (power rule)

The training loop around it prints what the PyTorch program prints. In
float32 every number is a ``F = np.float32``, so every operation rounds to
float32 in PyTorch's order, as ``symback train --dtype float32`` does. On a
batch each line works on all samples at once; the mean loss gives each sample
the weight 1/n at the start of the reverse pass, and a parameter, shared by
every sample, adds up their contributions (``np.sum``).
"""

from __future__ import annotations

from sympy import Derivative
from sympy.printing.precedence import PRECEDENCE

from ..core.derive import local_derivatives
from ..model.ops import BY_CLASS
from ..core.graph import build_graph
from ..core.reverse import backward, group_by_node
from ..model.parse import symbol
from ..render.document import Math, Text
from ..model.spec import Y_HAT
from .printer import ProgramPrinter
from .program import Line, Names, Program, batch_args, data_lines, literal, loop_head, prediction_calls, rows_of, unpack

ETA = symbol("eta")


def numpy_program(problem, settings, points, words, refs, limit: int | None = None) -> Program:
    """The NumPy program of ``problem`` trained with ``settings`` (sgd, batch or minibatch)."""
    graph = build_graph(problem)
    names = Names(problem, graph)
    f32 = settings.dtype == "float32"
    num = (lambda text: f"F({text})") if f32 else (lambda text: text)  # noqa: E731
    printer = ProgramPrinter(names.map, "numpy", number="F" if f32 else None, square=True)
    lines = [Line("", (Text(words("export.numpy_title")),)), Line("", (Text(words("export.numpy_run")),)),
             Line("import random") if settings.mode == "minibatch" else None, Line("import numpy as np"), Line("")]
    if f32:
        lines += [Line("F = np.float32", (Text(words("export.numpy_float32")),)), Line("")]
    lines += [Line(f"{names[n]} = {num(literal(v))}", (Text(words("export.numpy_param")),) if i == 0 else ())
              for i, (n, v) in enumerate(problem.params)]
    lines += _data(problem, names, settings, words, limit)
    lines.append(Line(f"lr = {num(literal(problem.lr))}", (Text(words("export.lr")), Math(ETA))))
    for helper in _helpers([n.expr for n in graph.nodes] + [l.expr for l in local_derivatives(graph)]):
        lines += [Line(""), Line("")] + [Line(x) for x in helper]
    params, inputs = names.params(problem), names.inputs(problem)
    lines += [Line(""), Line(""), Line(f"def forward({', '.join(params + inputs)}):")]
    lines += [Line(f"    {names[n]} = {printer.line(e)}") for n, e in problem.definitions]
    lines += [Line(f"    return {names[Y_HAT]}"), Line(""), Line("")]
    lines += _gradient(problem, graph, names, printer, settings, words, refs)
    lines += [Line(""), Line("")] + _loop(problem, graph, names, settings, points, words, refs)
    return Program("numpy", tuple(x for x in lines if x is not None))


def _helpers(exprs) -> list:
    """The definitions of the table's functions NumPy lacks (sigmoid, relu) that ``exprs`` use
    (the forward pass and the local derivatives: a function's derivative may call another)."""
    own = [op for op in BY_CLASS.values() if op.numpy_helper]
    used = {type(f) for e in exprs for f in e.atoms(*(op.sympy for op in own))}
    return [op.numpy_helper for op in own if op.sympy in used]


def _data(problem, names, settings, words, limit=None) -> list[Line]:
    columns = names.inputs(problem) + ["y"]
    rows = rows_of(problem, limit)
    if settings.mode == "sgd":
        return data_lines(rows, columns, (Text(words("export.data", columns=", ".join(columns))),))
    dtype = ", dtype=F" if settings.dtype == "float32" else ""
    out = []
    for j, name in enumerate(columns):
        note = (Text(words("export.columns")),) if j == 0 else ()
        out.append(Line(f"{name} = np.array([{', '.join(literal(row[j]) for row in rows)}]{dtype})", note))
    return out


def _gradient(problem, graph, names, printer, settings, words, refs) -> list[Line]:
    """def gradient(params, inputs, y): the forward lines, the reverse lines, return (L, gradients)."""
    L = graph.loss
    batch = settings.mode != "sgd"
    params, inputs = names.params(problem), names.inputs(problem)
    out = [Line(f"def gradient({', '.join(params + inputs + ['y'])}):"),
           Line("    ", (Text(words("export.numpy_forward", ref=refs.forward)),))]
    for node in graph.nodes:
        out.append(Line(f"    {names[node.name]} = {printer.line(node.expr)}",
                        (Math(node.name), Text(" = "), Math(node.shown))))
    out.append(Line("    ", (Text(words("export.numpy_backward", ref=refs.backward)),)))
    one = "F(1)" if settings.dtype == "float32" else "1.0"
    if batch:
        dtype = ", dtype=F" if settings.dtype == "float32" else ""
        out.append(Line(f"    {names.adjoint(L, L)} = np.full(len(y), {one} / len(y){dtype})",
                        (Text(words("export.numpy_seed_batch")),)))
    else:
        out.append(Line(f"    {names.adjoint(L, L)} = {one}", (Math(Derivative(L, L)), Text(" = 1"))))
    out += _reverse(graph, names, printer, batch, words)
    grads = [names.adjoint(L, p) for p in graph.params]
    loss = f"np.mean({names[L]})" if batch else names[L]
    out.append(Line(f"    return {loss}, ({unpack(grads)})"))
    return out


def _reverse(graph, names, printer, batch: bool, words) -> list[Line]:
    """a_u = Σ over the nodes v using u of a_v × ∂v/∂u, from the loss down; the parameters last."""
    L = graph.loss
    # Each adjoint is a variable of the program: the walk only gathers the terms of its line
    # (every node gets one, "= 0.0" where its contributions cancel).
    walk = backward(graph.order, group_by_node(local_derivatives(graph)), L, None,
                    lambda up, local: (local.node.name, local), lambda terms: None, every=True, leaves=False)
    out = []
    for u in [n.name for n in reversed(graph.nodes) if n.name != L] + list(graph.params):
        out += _adjoint(L, u, walk.terms.get(u, []), names, printer, batch and u in graph.params, words)
    return out


def _adjoint(L, u, contributions, names, printer, shared: bool, words) -> list[Line]:
    if not contributions:
        return [Line(f"    {names.adjoint(L, u)} = 0.0")]
    code, items = [], []
    for v, local in contributions:
        d = local.expr.xreplace({local.node.expr: local.node.name})
        code.append(f"{names.adjoint(L, v)} * {printer.parenthesize(d, PRECEDENCE['Mul'])}")
        items += ([Text(" + ")] if items else []) + [Math(Derivative(L, v)), Text(" × "), Math(local.expr)]
    total = " + ".join(code)
    if shared:
        total = f"np.sum({total})"
    note = [Math(Derivative(L, u)), Text(" = ")] + items
    if len(contributions) == 1:
        note.append(Text(f"   ({words('explain.rule.' + contributions[0][1].rule.key)})"))
    else:
        note.append(Text(f"   ({words('notes.sum_row', n=len(contributions))})"))
    if shared:
        note.append(Text(f"; {words('export.numpy_shared')}"))
    return [Line(f"    {names.adjoint(L, u)} = {total}", tuple(note))]


def _loop(problem, graph, names, settings, points, words, refs) -> list[Line]:
    params, inputs = names.params(problem), names.inputs(problem)
    grads = [names.adjoint(graph.loss, p) for p in graph.params]
    f32 = settings.dtype == "float32"
    cast = (lambda n: f"F({n})") if f32 else (lambda n: n)  # noqa: E731
    predictions = prediction_calls(points, lambda args: f"float(forward({', '.join(params + [cast(a) for a in args])}))")
    out = [Line(f"print('predict(before training)', {shown}, {call})") for shown, call in predictions]
    shown = ", ".join(f"float({g})" for g in grads)
    updates = [Line(f"{p} = {p} - lr * {g}", (Math(symbol(n)), Text(" ← "),
                    Math(symbol(n) - ETA * Derivative(graph.loss, symbol(n))), Text(f" ({refs.update})")))
               for p, g, n in zip(params, grads, problem.param_names)]
    call = f"l, ({unpack(grads)}) = gradient"
    head, pad = loop_head(problem, settings, words)
    if settings.mode == "sgd":
        step = [f"{call}({', '.join(params + [cast(c) for c in inputs + ['y']])})",
                f"print('\\tgrad:', {', '.join(inputs + ['y'])}, {shown})"]
    else:
        step = [f"{call}({', '.join(params)}, {batch_args(inputs + ['y'], settings.mode)})",
                f"print('\\tgrad:', {shown})"]
    out += head + [Line(pad + x) for x in step] + [Line(pad + u.code, u.note) for u in updates]
    out.append(Line("    print('progress:', epoch, float(l))",
                    (Text(words("export.progress" if settings.mode == "sgd" else "export.progress_mean")),)))
    out += [Line(f"print('predict(after training)', {shown_}, {c})") for shown_, c in predictions]
    return out
