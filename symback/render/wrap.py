"""Fitting text output to the terminal: its width, and long maths broken at an operator.

A line of maths is broken before a relation or an operator written with
spaces around it (`` = ``, `` + ``, `` − ``, `` × ``, `` · ``), or, last,
before the ``·`` of a product of bracketed factors, preferring a break
outside parentheses; the operator starts the next line, so a reader sees at
once that the line continues. Widths count East Asian wide
characters as two columns.
"""

from __future__ import annotations

import bisect
import shutil
import unicodedata
from functools import lru_cache

#: columns when the output is not a terminal (a file, a pipe) and COLUMNS is not set
DEFAULT_WIDTH = 100
#: a narrower terminal still gets this many columns (below it, nothing reads well)
MIN_WIDTH = 40
#: what a line of maths may break before, best first: a relation, a sum's sign, a product's sign
OPERATORS = ((" = ", " ≈ ", " ← "), (" + ", " − "), (" × ", " · "))
_OPEN, _CLOSE = "([{", ")]}"
#: punctuation that may not begin a line (it stays at the end of the line before, as Chinese typesetting does)
_NO_LINE_START = "，。、：；！？）」』》,.:;!?)"


def terminal_width() -> int:
    """Columns of the terminal: COLUMNS if set, else the terminal's, else DEFAULT_WIDTH."""
    return max(MIN_WIDTH, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)


@lru_cache(maxsize=8192)
def width(text: str) -> int:
    """Columns ``text`` takes in a terminal (wide characters count two)."""
    # Asked again and again of the same sides while columns are fitted, hence the cache;
    # only characters from U+1100 on can be wide.
    return len(text) + sum(1 for ch in text if ch >= "\u1100" and unicodedata.east_asian_width(ch) in "WF")


def breaks(text: str) -> list[tuple[int, int, int]]:
    """(depth, rank, index) of each place ``text`` may break: the space before an operator
    (or a product's unspaced ``·`` itself), with the depth of parentheses there and the
    operator's rank (its group in OPERATORS; an unspaced ``·`` next, then the space after a comma
    between the rows, then the entries, of a matrix written in square brackets)."""
    out, depth, brackets = [], 0, []
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
            brackets.append(ch)
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
            brackets = brackets[:-1]
        elif ch == " " and i > 0 and text[i - 1] == "," and brackets[-1:] == ["["]:
            # between the entries of a matrix [[1, 2], [3, 4]]: a row ends before "[", the last resort
            out.append((depth, len(OPERATORS) + (0 if text.startswith("[", i + 1) else 1), i))
        elif ch == " " and i > 0:
            rank = next((r for r, ops in enumerate(OPERATORS) if any(text.startswith(op, i) for op in ops)), None)
            if rank is not None:
                out.append((depth, rank, i))
        elif ch == "·" and 0 < i < len(text) - 1 and text[i - 1] != " ":
            out.append((depth, len(OPERATORS), i))
    return out


def wrap_math(text: str, first: int, rest: int) -> list[str]:
    """``text`` in lines of at most ``first`` columns (the first) and ``rest`` (the others).

    Each line ends at the best break that fits: outside parentheses rather
    than inside, at a relation or a sum's sign rather than a product's, as
    late as possible (but not in the first half of the line, when another
    break will do). A piece with no break that fits stays whole (too long,
    but never cut inside a number or a name).
    """
    places = breaks(text)
    at = [i for _, _, i in places]
    cols = _columns(text)
    lines, begin, room = [], 0, first
    while cols[-1] - cols[begin] > room:
        # the places after begin, and those of them that fit (widths only grow with i)
        after = bisect.bisect_right(at, begin)
        fit = bisect.bisect_right(cols, cols[begin] + room) - 1
        cut = _best_break(places[after:], places[after:bisect.bisect_right(at, fit)], cols, begin, room)
        if cut is None:
            break
        lines.append(text[begin:cut].rstrip())
        begin, room = (cut + 1 if text[cut] == " " else cut), rest
    return lines + [text[begin:]]


def _columns(text: str) -> list[int]:
    """cols[i] = width(text[:i]): one pass, so a line's width is a difference (long closed forms
    have thousands of breaks; measuring each candidate line anew was quadratic)."""
    cols = [0]
    for ch in text:
        cols.append(cols[-1] + width(ch))
    return cols


def _best_break(places, fitting, cols: list[int], begin: int, room: int) -> int | None:
    if not places:
        return None
    if not fitting:
        return min(places)[2]  # nothing fits: the shallowest, earliest break keeps the overflow short
    depth = min(d for d, _, _ in fitting)
    fitting = [(r, i) for d, r, i in fitting if d == depth]
    full = [(r, i) for r, i in fitting if 2 * (cols[i] - cols[begin]) >= room] or fitting
    rank = min(r for r, _ in full)
    return max(i for r, i in full if r == rank)


def wrap_words(text: str, room: int) -> list[str]:
    """Prose in lines of at most ``room`` columns, broken at spaces; a word too long
    (a run of Chinese has no spaces) is broken between characters."""
    lines: list[str] = []
    for word in text.split():
        if lines and width(lines[-1]) + 1 + width(word) <= room:
            lines[-1] += " " + word
            continue
        lines.append("")
        for ch in word:
            if lines[-1] and width(lines[-1] + ch) > room:
                # punctuation may not begin a line: the character before it comes down too
                carry = lines[-1][-1] if ch in _NO_LINE_START and len(lines[-1]) > 1 else ""
                lines[-1] = lines[-1][:len(lines[-1]) - len(carry)]
                lines.append(carry)
            lines[-1] += ch
    return lines


def fit_lines(lines: list[str], columns: int | None = None) -> list[str]:
    """Sentences in lines of at most ``columns`` (default: the terminal's); a line that is too
    long continues two spaces further in than it starts, and "w = 1.0" is never split."""
    columns = columns or terminal_width()
    out: list[str] = []
    for line in lines:
        if width(line) <= columns:
            out.append(line)
            continue
        indent = len(line) - len(line.lstrip(" "))
        # the spaces of " = " are held by a placeholder while the line wraps
        held = wrap_words(line.replace(" = ", _HELD + "=" + _HELD), columns - indent - 2)
        out += hang([" " * indent + piece.replace(_HELD, " ") for piece in held], 2)
    return out


_HELD = "\ue000"


def hang(lines: list[str], indent: int) -> list[str]:
    """The first line as it is, the others indented by ``indent`` columns."""
    return lines[:1] + [" " * indent + line for line in lines[1:]]
