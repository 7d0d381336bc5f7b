"""The terminal format: Unicode maths in aligned columns, fitted to the terminal.

Equation chains in one group share their columns, so the "=" signs line
up; widths count East Asian wide characters as two columns, so Chinese
labels align too. Output fits the terminal's width (:mod:`.wrap`): a chain
too wide to align, or much wider than the others of its group, is printed
on its own, its relations and operators starting new lines with a hanging
indent; a table too wide is split into column groups.
"""

from __future__ import annotations

from .document import Chains, Fields, Math, Num, Table, marked_sides, needs_parens, relations
from . import matrix
from .numbers import number
from .printer import DocumentPrinter, numbered
from .printers import unicode
from .wrap import DEFAULT_WIDTH, fit_lines, hang, terminal_width, width, wrap_math, wrap_words

INDENT = "  "
#: a side this many columns wider than every other of its column is not aligned with them
OUTLIER = 30


def pad(text: str, columns: int) -> str:
    return text + " " * (columns - width(text))


class TextFormat(DocumentPrinter):
    """The terminal: the title underlined with ═, each heading with ─, blocks two columns in,
    everything fitted to ``columns`` (default: the terminal's width)."""

    block_gap = "\n"

    def __init__(self, columns: int | None = None):
        self.columns = columns or terminal_width()
        self.limit = self.columns - len(INDENT)

    def doprint(self, doc) -> str:
        return super().doprint(doc).rstrip() + "\n"

    def title(self, doc) -> str:
        return "\n".join(_heading(doc.title, "═", self.columns))

    def heading(self, section) -> str:
        return "\n".join(_heading(numbered(section), "─", self.columns))

    # -- items: ``nested`` parenthesises negative numbers and sums --------------

    def _print_Text(self, x, nested: bool = False) -> str:
        return x.text

    def _print_Num(self, x, nested: bool = False) -> str:
        text = number(x.value)
        return f"({text})" if nested and x.value < 0 else text

    def _print_Math(self, x, nested: bool = False) -> str:
        text = unicode(x.expr, x.values)
        return f"({text})" if nested and needs_parens(x) else text

    def _print_Seq(self, x, nested: bool = False) -> str:
        inner = (x.op if x.op == "/" else f" {x.op} ").join(
            self._print(i, nested=x.op != "+" or isinstance(i, Num)) for i in x.items)
        return f"({inner})" if nested and x.op == "+" else inner

    def _print_Mat(self, x, nested: bool = False) -> str:
        return matrix.mat_text(x.entries, nested)

    def _print_Formula(self, x, nested: bool = False) -> str:
        return matrix.formula_text(x, lambda part: self._print(part, nested=True))

    # -- blocks: lines fitted to ``limit``, indented ----------------------------

    def _print_Chains(self, block) -> str:
        return _indented(self.chain_lines(block))

    def _print_Fields(self, block) -> str:
        return _indented(self.field_lines(block))

    def _print_Table(self, block) -> str:
        return _indented(self.table_lines(block))

    def _print_Para(self, block) -> str:
        return _indented(wrap_words(self.items(block.items), self.limit) or [""])

    def chain_lines(self, block: Chains) -> list[str]:
        """The chains of a group, their relations in shared columns where they fit."""
        limit = self.limit
        rows = [self._chain_row(c) for c in block.rows]
        label_w = max((width(r[0]) for r in rows), default=0)
        lead = label_w + 2 if label_w else 0
        widths, aligned = _columns(rows, lead, limit)
        body = []
        for row, in_line in zip(rows, aligned):
            label, sides, signs, _note = row
            start = pad(label, label_w) + "  " if label_w else ""
            if in_line:
                body.append(([start + _aligned(sides, signs, widths)], True))
            else:
                first = pad(sides[0], widths[0]) if len(sides) > 1 and width(sides[0]) <= widths[0] else sides[0]
                body.append((_flowed(start + first, signs, sides[1:], limit, lead), False))
        return _with_notes(body, [r[3] for r in rows], lead, limit)

    def _chain_row(self, chain) -> tuple[str, list[str], list[str], str]:
        """(label, sides, the relation before each side after the first, note) of one chain."""
        sides, approx = marked_sides(chain, self._print)
        signs = relations(chain, len(sides) - 1, " ← ", " = ", approx, " ≈ ")
        return self.items(chain.label), sides, signs, self.items(chain.note)

    def field_lines(self, block: Fields) -> list[str]:
        """``label   value, value`` lines; a line too long continues under its first value."""
        label_w = max(width(label) for label, _ in block.rows)
        lines = []
        for label, values in block.rows:
            parts = [text for text in map(self._print, values) if text]
            sep = ", " if all(isinstance(v, Math) for v in values) else "  "
            filled = _fill(parts, sep, self.limit - label_w - 3)
            filled[0] = pad(label, label_w) + "   " + filled[0]
            lines += hang(filled, label_w + 3)
        return lines

    def table_lines(self, block: Table) -> list[str]:
        """The table; one too wide for the line is split into groups of columns, each
        repeating the first (the row's key). Each rule is as wide as its column."""
        cells = [[self._print(c) for c in row] for row in (block.header, *block.rows)]
        widths = [max(width(row[j]) for row in cells) for j in range(len(block.header))]
        out: list[str] = []
        for group in _column_groups(widths, self.limit):
            rows = [[row[j] for j in group] for row in cells]
            lines = ["  ".join(pad(c, widths[j]) for c, j in zip(row, group)).rstrip() for row in rows]
            lines.insert(1, "  ".join("─" * widths[j] for j in group))
            out += ([""] if out else []) + lines
        return out


class ReportText(TextFormat):
    """A report (train, check) for the terminal: sentences fitted to the width, a long one
    continuing two columns further in ("w = 1.0" never split); the title a plain line if
    ``titled``; no headings; a Detail, a two-column Fields and a chain indented; tables without
    rules."""

    def __init__(self, columns: int | None = None, titled: bool = False):
        super().__init__(columns)
        self.titled = titled

    def doprint(self, doc) -> str:
        return DocumentPrinter.doprint(self, doc)[:-1]  # no newline after the last line: it is echoed

    def title(self, doc) -> str:
        return self._fit(doc.title) if self.titled else ""

    def _fit(self, line: str) -> str:
        return "\n".join(fit_lines([line], self.columns))

    def _print_Detail(self, block) -> str:
        return "\n".join(self._fit(INDENT + line) for line in self.items(block.items).split("\n"))

    def _print_Fields(self, block) -> str:
        """``label   value``; a value of several lines (a Grid) keeps them under its first."""
        label_w = max(width(label) for label, _ in block.rows)
        lines = []
        for label, values in block.rows:
            first, *more = self.items(values).split("\n")
            lines += [INDENT + pad(label, label_w) + "   " + first] + [INDENT + " " * (label_w + 3) + m for m in more]
        return "\n".join(map(self._fit, lines))

    def _print_Grid(self, x, nested: bool = False) -> str:
        return "\n".join(matrix.grid_lines(x))

    def _print_Chains(self, block) -> str:
        """Each chain ``lhs = side`` with every further side on a line of its own, under the first "="."""
        lines = []
        for chain in block.rows:
            lhs, *sides = map(self._print, chain.sides)
            lines += [f"{lhs if i == 0 else ' ' * width(lhs)} = {side}" for i, side in enumerate(sides)]
        return "\n".join(self._fit(INDENT + line) for line in lines)

    def _print_Appendix(self, block) -> str:
        return TextFormat().doprint(block.document)  # as symback explain prints it

    def lines(self, blocks) -> list[str]:
        """The blocks' lines, for a report printed as it goes (``train -v``)."""
        return [line for block in blocks for line in self._print(block).split("\n")]

    def _print_Para(self, block) -> str:
        return self._fit(self.items(block.items))

    def _print_Remark(self, block) -> str:
        return self.items(block.items)

    def _print_Table(self, block) -> str:
        cells = [[self._print(c) for c in row] for row in (block.header, *block.rows)]
        widths = [max(width(row[j]) for row in cells) for j in range(len(block.header))]
        return "\n".join("  ".join(pad(c, w) for c, w in zip(row, widths)).rstrip() for row in cells)


#: prints items as plain Unicode text for other modules (alt text, widths of cells)
PLAIN = TextFormat(DEFAULT_WIDTH)


def item(x, nested: bool = False) -> str:
    """One item as text; ``nested`` parenthesises negative numbers and sums."""
    return PLAIN._print(x, nested=nested)


def items(xs, sep: str = "") -> str:
    return sep.join(item(x) for x in xs)


def _indented(lines: list[str]) -> str:
    return "\n".join(INDENT + line if line else line for line in lines)


def _heading(title: str, rule: str, columns: int) -> list[str]:
    """A title in lines of at most ``columns``, underlined as wide as its widest line."""
    lines = wrap_words(title, columns) or [title]
    return lines + [rule * max(map(width, lines))]


def _columns(rows, lead: int, limit: int) -> tuple[list[int], list[bool]]:
    """Widths of the shared columns, and which rows line up in them.

    The first column (the left sides) is shared by every row unless one is an
    outlier. A row lines up in the others unless it is too wide for ``limit``
    once padded, or one of its sides is an outlier (OUTLIER columns wider
    than the rest of its column): such rows are left out, widest first.
    Each round is linear in the rows (widths measured once; the widest and
    second widest of each column stand for "the rest of the column").
    """
    sizes = [[width(side) for side in r[1]] for r in rows]
    signs = [sum(width(s) for s in r[2]) for r in rows]
    aligned = [True] * len(rows)
    count = max(len(r) for r in sizes)
    first = _first_column([w[0] for w in sizes if len(w) > 1], limit)
    while True:
        top = [_two_widest([(w[j], i) for i, w in enumerate(sizes) if aligned[i] and len(w) > j + 1])
               for j in range(count)]
        widths = [first] + [top[j][0][0] for j in range(1, count)]
        worst = [i for i, w in enumerate(sizes) if aligned[i]
                 and (lead + _padded(w, signs[i], widths) > limit or _is_outlier(i, w, top, first))]
        if not worst:
            return widths, aligned
        aligned[max(worst, key=lambda i: sum(sizes[i]))] = False


def _two_widest(column: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The two widest (width, row) of a column, padded with (0, -1)."""
    return (sorted(column, reverse=True)[:2] if len(column) < 3 else _top_two(column)) + [(0, -1)] * 2


def _top_two(column):
    best = second = (0, -1)
    for entry in column:
        if entry > best:
            best, second = entry, best
        elif entry > second:
            second = entry
    return [best, second]


def _first_column(sizes: list[int], limit: int) -> int:
    """The width of the left sides: the widest that is neither an outlier nor half the line."""
    sizes = sorted(size for size in sizes if size <= limit // 2)
    while len(sizes) > 1 and sizes[-1] > sizes[-2] + OUTLIER:
        sizes.pop()
    return sizes[-1] if sizes else 0


def _padded(sizes: list[int], signs: int, widths) -> int:
    """Columns of the row's line with its sides padded to ``widths``."""
    return sum(widths[:len(sizes) - 1]) + sizes[-1] + signs


def _is_outlier(index: int, sizes: list[int], top, widths0: int) -> bool:
    """Whether a side of the row is much wider than the rest of its column (the first: wider than it)."""
    for j, size in enumerate(sizes[:-1]):
        if j == 0:
            if size > widths0:
                return True
            continue
        widest, runner_up = top[j][0], top[j][1]
        other = runner_up if widest[1] == index else widest  # the widest side of the other rows
        if other[1] != -1 and size > other[0] + OUTLIER:
            return True
    return False


def _aligned(sides, signs, widths) -> str:
    text = sides[0] if len(sides) == 1 else pad(sides[0], widths[0])
    for j, (sign, side) in enumerate(zip(signs, sides[1:]), start=1):
        text += sign + (pad(side, widths[j]) if j + 1 < len(sides) else side)
    return text


def _flowed(head: str, signs, sides, limit: int, lead: int) -> list[str]:
    """A chain on its own: each relation stays on the line while it fits, else starts a new
    line under the first relation; a side too long for a line breaks at its operators."""
    column = width(head) if width(head) <= limit // 2 else lead + 4
    lines, fresh = [head], True
    for sign, side in zip(signs, sides):
        if width(lines[-1]) + width(sign) + width(side) <= limit:
            lines[-1] += sign + side
            fresh = False
            continue
        if not fresh:
            lines.append(" " * column)
        start = width(lines[-1]) + width(sign)
        pieces = wrap_math(side, limit - start, limit - start)
        lines[-1] += sign + pieces[0]
        lines += [" " * start + piece for piece in pieces[1:]]
        fresh = False
    return lines


def _with_notes(body: list[tuple[list[str], bool]], notes: list[str], lead: int, limit: int) -> list[str]:
    """Notes in one column after the aligned one-line rows if all fit, else each under its row."""
    body = [([line.rstrip() for line in lines], ok) for lines, ok in body]
    beside = [(lines[0], note) for (lines, ok), note in zip(body, notes) if note and ok and len(lines) == 1]
    column = max((width(line) for line, _ in beside), default=0) + 3
    in_column = all(column + width(note) <= limit for _, note in beside)
    out = []
    for (lines, ok), note in zip(body, notes):
        if note and in_column and ok and len(lines) == 1:
            out.append(pad(lines[0], column) + note)
        elif note and not ok and width(lines[-1]) + 3 + width(note) <= limit:
            out += lines[:-1] + [lines[-1] + "   " + note]
        else:
            out += lines + ([" " * lead + "    " + note] if note else [])
    return out


def _fill(parts: list[str], sep: str, room: int) -> list[str]:
    """``parts`` joined by ``sep`` in lines of at most ``room`` columns; a part too long breaks at its operators."""
    lines: list[str] = []
    for part in parts:
        if lines and width(lines[-1] + sep + part) <= room:
            lines[-1] += sep + part
        else:
            if lines:
                lines[-1] += sep.rstrip()
            lines += wrap_math(part, room, room)
    return lines or [""]


def _column_groups(widths: list[int], limit: int) -> list[list[int]]:
    """Columns in groups that fit in ``limit``, each group after the first led by column 0."""
    groups, current = [], [0]
    for j in range(1, len(widths)):
        if len(current) > 1 and sum(widths[k] + 2 for k in current) + widths[j] > limit:
            groups.append(current)
            current = [0]
        current.append(j)
    return groups + [current]
