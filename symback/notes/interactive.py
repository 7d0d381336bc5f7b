"""The notes as an interactive page: step through the forward and backward pass in the browser.

``symback notes -o lesson.html --interactive`` writes the HTML notes with the
graph section turned into a step-through: the figure (its boxes, arrows and
texts marked with slot numbers), buttons and the arrow keys to move, the
current step's equation with its numbers, fields for the sample, the
parameters and the learning rate, and the list of every step. The program
the page replays is JSON data from :mod:`.steps`, run by the small script
``interactive.js`` (ours, inlined; no other script, style sheet or network
access). Without JavaScript the page is the notes, with every step listed as
printed here; the controls only appear when the script runs.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from html import escape

from ..errors import SpecError
from ..core.numeric import format_float
from .blocks import Figure
from .steps import Program, program, render_text
from .html import NotesHtml

STYLE = """
#sb-stepper .sb-controls { display: none; }
#sb-stepper.sb-live .sb-controls { display: block; }
.sb-controls { position: sticky; top: 0; background: #fff; padding: 0.5rem 0; z-index: 1;
  border-bottom: 1px solid var(--rule); }
.sb-buttons button { font: inherit; padding: 0.25rem 0.9rem; margin-right: 0.4rem; border: 1px solid var(--accent);
  background: #fff; color: var(--accent); border-radius: 4px; cursor: pointer; }
.sb-buttons button:disabled { opacity: 0.4; cursor: default; }
#sb-phase { color: var(--muted); margin-left: 0.6rem; }
#sb-equation { font: 1.15rem/1.5 "DejaVu Sans Mono", "Noto Sans Mono", monospace; margin: 0.6rem 0 0;
  padding: 0.5rem 0.7rem; background: #f6f8fa; border-left: 3px solid #c8102e; overflow-wrap: anywhere; }
.sb-fields { display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; margin: 0.6rem 0 0; }
.sb-fields label { white-space: nowrap; }
.sb-fields input { width: 7rem; font: inherit; padding: 0.1rem 0.3rem; }
.sb-fields input[aria-invalid="true"] { outline: 2px solid #c8102e; }
#sb-stepper g.sb-current rect { stroke: #c8102e; stroke-width: 3.5; }
#sb-stepper path.sb-current { stroke: #c8102e; stroke-width: 3; }
#sb-stepper text.sb-label { paint-order: stroke; stroke: #fff; stroke-width: 5px; stroke-linejoin: round; }
#sb-all { font: 0.95rem/1.5 "DejaVu Sans Mono", "Noto Sans Mono", monospace; padding-left: 2.2rem; }
#sb-all li { overflow-wrap: anywhere; }
#sb-all li.sb-current { background: #fdecee; }
@media print { .sb-controls { display: none !important; } }
"""


@dataclass(frozen=True)
class Stepper:
    """The step-through block that replaces the graph figure (printed by :class:`InteractiveHtml`)."""

    program: Program
    figure: Figure
    words: object



class InteractiveHtml(NotesHtml):
    """The notes page with the step-through in place of the graph figure."""

    def _print_Stepper(self, block: Stepper) -> str:
        w, p = block.words, block.program
        phases = "".join(f' data-sb-{k}="{escape(w("notes.step_" + k))}"' for k in ("forward", "backward", "update"))
        return (f'<div id="sb-stepper"{phases} data-sb-count="{escape(w("notes.step_count"))}">\n'
                f'<p>{escape(w("notes.step_lead"))}</p>\n' + _controls(p, w)
                + self._print_Figure(block.figure, (p.keys, p.grads)) + "\n"
                + f'<p>{escape(w("notes.step_all"))}</p>\n<ol id="sb-all">\n'
                + "\n".join(f"<li>{escape(render_text(s['text'], p.values))}</li>" for s in p.steps)
                + "\n</ol>\n</div>")


def _controls(p: Program, w) -> str:
    buttons = "".join(f'<button type="button" id="sb-{k}">{escape(w("notes.step_" + k))}</button>'
                      for k in ("start", "back", "next"))
    fields = "".join(f'<label>{escape(p.labels[s] if p.labels[s] != "η" else "η (" + w("notes.step_lr") + ")")} '
                     f'<input type="number" step="any" value="{format_float(p.values[s])}" data-sb-field="{s}"></label>'
                     for s in p.fields)
    first = escape(render_text(p.steps[0]["text"], p.values))
    return (f'<div class="sb-controls">\n<div class="sb-buttons">{buttons}<span id="sb-phase"></span></div>\n'
            f'<p id="sb-equation" aria-live="polite">{first}</p>\n'
            f'<div class="sb-fields" aria-label="{escape(w("notes.step_fields"))}">{fields}</div>\n</div>\n')


def script_data(p: Program) -> str:
    """The program as JSON inside a <script type="application/json">: <, > and & written as
    \\u escapes, so no text in it can end the element."""
    data = {"values": list(p.values), "nodes": p.nodes, "locals": p.locals, "backward": p.backward,
            "updates": p.updates, "steps": p.steps}
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def script() -> str:
    with open(os.path.join(os.path.dirname(__file__), "interactive.js"), encoding="utf-8") as handle:
        return handle.read()


def interactive_document(doc, lesson, words):
    """The Document with the graph figure replaced by the step-through, and the program."""
    p = program(lesson.derivation, lesson.problem.lr)
    if not any(b.kind == "graph" for b in doc.blocks(Figure)):
        raise SpecError(f"the interactive page steps through the drawn graph, and a graph of "
                        f"{len(lesson.derivation.graph.nodes)} nodes is too big to draw")
    sections = []
    for section in doc.sections:
        blocks = tuple(Stepper(p, b, words) if isinstance(b, Figure) and b.kind == "graph" else b
                       for b in section.blocks)
        sections.append(replace(section, blocks=blocks))
    return replace(doc, sections=tuple(sections)), p


def render_interactive_html(doc, lesson, words) -> str:
    """The whole interactive page."""
    doc, p = interactive_document(doc, lesson, words)
    tail = (f'<script type="application/json" id="sb-program">{script_data(p)}</script>\n'
            f"<script>\n{script()}</script>\n")
    return InteractiveHtml(STYLE, tail).doprint(doc)
