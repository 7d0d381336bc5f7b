"""What the two programs share: names, data, settings, and the annotated line.

A :class:`Program` is a list of :class:`Line` s, each a line of Python with an
optional note (items, as the notes print them) saying which step of the
derivation it performs; ``text()`` writes the runnable file with the notes
as comments. ``Refs`` says where those steps are: the sections of
``symback explain`` for a program on its own, the sections of the notes
inside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from ..errors import SpecError
from ..model.parse import symbol
from ..model.spec import Y
from .printer import program_name

#: the programs write the data into themselves: at most this many rows
MAX_ROWS = 10_000


@dataclass(frozen=True)
class Line:
    """One line of the program and what it does (items; empty for none)."""

    code: str
    note: tuple = ()


@dataclass(frozen=True)
class Program:
    """A runnable program: ``target`` is "pytorch" or "numpy"."""

    target: str
    lines: tuple[Line, ...]

    def text(self) -> str:
        """The source, each note as a comment after its line."""
        return commented((line.code, line.note) for line in self.lines)


class Refs(NamedTuple):
    """Where the forward pass, the backward pass and the update are explained (words)."""

    forward: str
    backward: str
    update: str


def explain_refs(words) -> Refs:
    """The sections of ``symback explain`` (forward 1, backward 3, update 5)."""
    return Refs(*(words("export.ref_explain", n=n) for n in (1, 3, 5)))


class Names:
    """Program names of the parameters, inputs, y and graph nodes (user names where possible)."""

    def __init__(self, problem, graph=None):
        taken: set = set()
        self.map = {}
        for name in list(problem.param_names) + list(problem.inputs) + ["y"]:
            self.map[symbol(name)] = program_name(name, taken)
        for name, _ in problem.definitions:
            self.map.setdefault(name, program_name(name.name, taken))
        if graph is not None:
            for node in graph.nodes:
                self.map.setdefault(node.name, program_name(node.name.name, taken))
        self.taken = taken

    def __getitem__(self, name) -> str:
        return self.map[symbol(name) if isinstance(name, str) else name]

    def params(self, problem) -> list[str]:
        return [self[n] for n in problem.param_names]

    def inputs(self, problem) -> list[str]:
        return [self[n] for n in problem.inputs]

    def adjoint(self, loss, node) -> str:
        """d{L}_d{node}: the variable holding ∂L/∂node."""
        key = ("adjoint", node)
        if key not in self.map:
            self.map[key] = program_name(f"d{self[loss]}_d{self[node]}", self.taken)
        return self.map[key]


def rows_of(problem, limit: int | None = None) -> list[tuple]:
    """The data as (inputs…, y) rows; a SpecError past MAX_ROWS. With ``limit``, the first
    ``limit`` − 1 rows and the last (a listing that shows a few of them)."""
    if limit is not None:
        data, n = problem.data, len(problem.data)
        shown = list(range(n)) if n <= limit else list(range(limit - 1)) + [n - 1]
        return [tuple(float(data.row(i)[c]) for c in list(problem.inputs) + [Y.name]) for i in shown]
    if len(problem.data) > MAX_ROWS:
        raise SpecError(f"the program holds its data: at most {MAX_ROWS:,} rows, these data have "
                        f"{len(problem.data):,}; export a sample of them (--data)")
    return [tuple(map(float, row)) for row in problem.data.select(list(problem.inputs) + [Y.name]).rows]


def literal(value: float) -> str:
    """A float as Python writes it (1.0, 0.01, -2.5)."""
    return repr(float(value))


def point_literal(value: float) -> str:
    """A prediction input as the original program writes it: 4, not 4.0."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def unpack(names: list[str]) -> str:
    """``x, y`` (or ``y,`` for one name): the target of a for loop over rows."""
    return ", ".join(names) + ("," if len(names) == 1 else "")


def data_lines(rows, columns: list[str], note) -> list[Line]:
    """``data = [ … ]``, one row per line when there are many."""
    cells = ["(" + ", ".join(literal(v) for v in row) + ("," if len(row) == 1 else "") + ")" for row in rows]
    one = "data = [" + ", ".join(cells) + "]"
    if len(one) <= 60:
        return [Line(one, note)]
    return [Line("data = [", note)] + [Line(f"    {c},") for c in cells] + [Line("]")]


def tensor_symbols(problem) -> set:
    """The parameters and every definition that depends on one (what the gradient flows through)."""
    tensors = set(problem.param_symbols)
    for name, expr in problem.definitions:
        if expr.free_symbols & tensors:
            tensors.add(name)
    return tensors | {symbol("y_hat")}


def prediction_calls(points, call) -> list[tuple[str, str]]:
    """(printed inputs, call) for each point: ``4``, ``forward(4)``."""
    out = []
    for point in points:
        args = [point_literal(v) for v in point.values()]
        out.append((", ".join(args), call(args)))
    return out


def loss_symbol(problem):
    """The loss's name in the graph (L, unless the model uses L)."""
    from ..core.graph import build_graph

    return build_graph(problem).loss


def loop_head(problem, settings, words) -> tuple[list[Line], str]:
    """The loop lines down to one update's samples, and the indent of its body.

    sgd: for each epoch, each row; batch: each epoch; minibatch: each epoch's
    order, shuffled as symback shuffles it (``random.Random(seed)``), in slices.
    """
    from ..render.document import Text

    head = [Line(f"for epoch in range({settings.epochs}):")]
    if settings.mode == "batch":
        return head, "    "
    if settings.mode == "sgd":
        names = Names(problem)
        return head + [Line(f"    for {unpack(names.inputs(problem) + ['y'])} in data:")], "        "
    size = settings.batch_size
    return ([Line(f"order = list(range({len(problem.data)}))"),
             Line(f"shuffle = random.Random({settings.seed}).shuffle", (Text(words("export.shuffle")),))]
            + head + [Line("    shuffle(order)"), Line(f"    for start in range(0, len(order), {size}):"),
                      Line(f"        index = order[start:start + {size}]")], "        ")


def batch_args(names: list[str], mode: str) -> str:
    """The columns of one update: all of them (batch) or this slice (minibatch)."""
    return ", ".join(f"{c}[index]" if mode == "minibatch" else c for c in names)


#: the column a comment starts at in a listing, when the code is shorter
COMMENT_COLUMN = 44


def commented(lines) -> str:
    """(code, note) lines as Python source, each note (text and maths items) a comment after its line
    (or on its own)."""
    from ..render.text import items as plain

    out = []
    for code, note in lines:
        if note and not code.strip():
            out.append(f"{code}# {plain(note)}")
        elif note:
            out.append(f"{code.ljust(COMMENT_COLUMN - 2)}  # {plain(note)}")
        else:
            out.append(code)
    return "\n".join(out).rstrip() + "\n"
