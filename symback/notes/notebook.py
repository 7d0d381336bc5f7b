"""The notes as a Jupyter notebook: the same lesson, with cells that run it.

Markdown cells carry the lesson (figures as cell attachments, so the
notebook is one file); code cells rebuild the problem with symback and
recompute what the text shows: the derivation, the gradient and the update,
training and the prediction, and, for one parameter, SymPy deriving the
update map. Plain JSON in nbformat 4.5 (nbformat itself is not needed to
write it). User text reaches the code only as Python string literals.
"""

from __future__ import annotations

import base64
import json

from .blocks import Figure
from ..render.markdown import escape
from .markdown import NotesMarkdown
from .svg import figure_svg

KERNEL = {"display_name": "Python 3", "language": "python", "name": "python3"}


def _markdown(text: str, attachments: dict | None = None) -> dict:
    cell = {"cell_type": "markdown", "metadata": {}, "source": text}
    if attachments:
        cell["attachments"] = attachments
    return cell


def _code(source: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}


def _attachments(section) -> dict:
    """The section's figures as base64 SVG attachments, by name."""
    out = {}
    for block in section.blocks:
        if isinstance(block, Figure):
            svg = figure_svg(block)
            out[f"{block.name}.svg"] = {"image/svg+xml": base64.b64encode(svg.encode("utf-8")).decode("ascii")}
    return out


def setup_code(lesson) -> str:
    """Python that rebuilds the lesson's problem: the model and loss as text, the data as numbers."""
    p = lesson.problem
    model = lesson.source.get("model") or _model_text(p)
    loss = lesson.source.get("loss") or (p.loss_name if p.loss_name != "custom" else _claim(p.loss))
    rows = [list(row) for row in p.data.rows]
    return (
        "from symback import explain, problem\nfrom symback.train import settings, train\n\n"
        f"p = problem(\n    model={model!r},\n    loss={loss!r},\n    params={dict(p.params)!r},\n"
        f"    data=({list(p.data.names)!r}, {rows!r}),\n    lr={p.lr!r},\n)\np"
    )


def _claim(expr) -> str:
    from ..render.printers import claim

    return claim(expr)


def _model_text(p) -> str:
    if len(p.definitions) == 1:
        return _claim(p.definitions[0][1])
    return "; ".join(f"{name} = {_claim(expr)}" for name, expr in p.definitions)


def train_code(lesson) -> str:
    s = lesson.history.settings
    extra = "".join(f", {k}={getattr(s, k)!r}" for k in ("batch_size", "seed", "dtype")
                    if getattr(s, k) != {"batch_size": None, "seed": 0, "dtype": "float64"}[k])
    return f"h = train(p, settings(p, epochs={s.epochs}, mode={s.mode!r}{extra}))\nh"


def predict_code(lesson) -> str | None:
    if not lesson.predictions:
        return None
    points = [dict(q.point) for q in lesson.predictions]
    return f"[h.predict(point) for point in {points!r}]"


# expand runs under symback's bound (a second), as in the notes: a power of a sum can ask for gigabytes
MAP_CODE = ("import sympy\nfrom symback.notes.convergence import ETA as eta\nfrom symback.timebox import within\n\n"
            "sympy.init_printing()\n"
            "g = d.gradients[0]                 # the gradient; g.closed is its closed form\n"
            "step = g.param - eta * g.closed     # one update: the old value -> the new one\n"
            "# expanded and collected in w if SymPy can within a second, else as it stands\n"
            "mapped = within(1.0, lambda: sympy.collect(sympy.expand(step), g.param), step)\n"
            "mapped, sympy.diff(step, g.param)")


def try_code(lesson) -> str | None:
    """Train again with a learning rate past the bound of the convergence section."""
    c = lesson.convergence
    bound = c.batch_bound if c.mode == "batch" else c.smallest_bound
    if bound is None:
        return None
    lr = float(f"{2.5 * bound:.2g}")
    s = lesson.history.settings
    return (f"from dataclasses import replace\n\nfaster = replace(p, lr={lr!r})\n"
            f"train(faster, settings(faster, epochs=20, mode={s.mode!r}))")


def _after(lesson, words) -> dict:
    """{section title: cells to put after it}."""
    d = lesson.derivation
    sample = {k: v for k, v in d.point.items()}
    cells = {
        words("notes.question"): [_markdown(words("notes.nb_setup")), _code(setup_code(lesson))],
        words("notes.graph"): [_markdown(words("notes.nb_explain")), _code(f"d = explain(p, {sample!r})\nd.graph")],
        words("notes.first_update"): [_markdown(words("notes.nb_gradient")), _code("d.gradient, d.params_after")],
        words("notes.learned"): [_markdown(words("notes.nb_train")), _code(train_code(lesson))]
        + ([_code(predict_code(lesson))] if lesson.predictions else []),
    }
    if lesson.convergence is not None:
        tail = [_markdown(words("notes.nb_map")), _code(MAP_CODE)]
        experiment = try_code(lesson)
        if experiment:
            tail += [_markdown(words("notes.nb_try")), _code(experiment)]
        cells[words("notes.stability")] = cells[words("notes.stability_fails")] = tail
    cells[words("notes.first_update_batch")] = cells[words("notes.first_update")]
    return cells


def render_notebook(doc, lesson, words) -> str:
    """The notebook as JSON text (nbformat 4.5)."""
    after = _after(lesson, words)
    cells = [_markdown(f"# {escape(doc.title)}")]
    printer = NotesMarkdown(lambda block: f"attachment:{block.name}.svg")
    for section in doc.sections:
        names = _attachments(section)
        text = printer._print(section)
        if text:
            cells.append(_markdown(text, names))
        cells += after.get(section.title, [])
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i}"
    notebook = {"cells": cells, "metadata": {"kernelspec": KERNEL, "language_info": {"name": "python"}},
                "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(notebook, ensure_ascii=False, indent=1) + "\n"
