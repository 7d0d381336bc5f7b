"""The safe parser for matrix models: user text -> a tree of :class:`TExpr`, and nested-list literals.

The same whitelist as :mod:`symback.model.parse` (the text is only read by :func:`ast.parse`,
never evaluated), with ``@``, the reductions ``sum mean transpose softmax log_softmax`` and the
elementwise functions of the scalar language. The tree is the model as written; shapes are
checked when the graph is built (they come from the parameters' and inputs' values).

A literal ``[[0.1, -0.2], [0.4, 0.3]]`` is read the same way: lists of numbers, at most two levels,
rows of equal length; each number the float it spells.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field
from fractions import Fraction

from ..errors import LimitError, ParseError, SpecError
from .ops import CONSTANTS, FUNCTIONS
from .parse import _FORBIDDEN, LIMITS, Limits, _check_size, _clip, _syntax_tree, check_name

#: functions of a vector or matrix (not elementwise) -> the key of their entry in tensor_ops.OPS
REDUCTIONS = {"sum": "sum", "mean": "mean", "transpose": "transpose", "softmax": "softmax",
              "log_softmax": "log_softmax"}
#: the most entries one literal may have
MAX_ENTRIES = 1_000_000

_BINOPS = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow", ast.MatMult: "matmul"}


@dataclass(frozen=True)
class TExpr:
    """A node of a matrix expression: ``op`` is 'name', 'number', 'matmul' or a key of tensor_ops.OPS.

    ``value`` is the name (op 'name'), the number (a Fraction, op 'number') or the function's
    name (op 'apply'); ``text`` is the source of this part, for error messages.
    """

    op: str
    args: tuple = ()
    value: object = None
    text: str = field(default="", compare=False)

    def names(self) -> set:
        """Every name this expression uses."""
        if self.op == "name":
            return {self.value}
        return set().union(*(a.names() for a in self.args)) if self.args else set()

    def __repr__(self) -> str:
        if self.op == "name":
            return str(self.value)
        if self.op == "number":
            return str(self.value)
        inner = ", ".join(map(repr, self.args))
        return f"{self.value if self.op == 'apply' else self.op}({inner})"


def parse_tensor(text: str, *, what: str = "expression", limits: Limits = LIMITS) -> TExpr:
    """Parse ``text`` (a matrix expression) into a :class:`TExpr`, without evaluating it."""
    tree = _syntax_tree(text, what, limits)
    _check_size(tree, text, what, limits)
    return _Builder(text, what, limits).build(tree.body)


def uses_matrix_syntax(text: str) -> bool:
    """Does ``text`` use @ or a function only matrix models have (sum, mean, transpose, softmax, …)?

    Read with the same safe parser; text that does not parse is left to the scalar parser's message."""
    try:
        tree = ast.parse(text.replace("^", "**").strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in REDUCTIONS:
            return True
    return False


class _Builder:
    def __init__(self, text: str, what: str, limits: Limits):
        self.text, self.what, self.limits = text, what, limits

    def fail(self, message: str, cls=ParseError):
        raise cls(f"in the {self.what} '{_clip(self.text)}': {message}")

    def source(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.text.replace("^", "**").strip(), node) or ""

    def build(self, node: ast.AST) -> TExpr:
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            what = _FORBIDDEN.get(type(node), type(node).__name__)
            self.fail(f"{what} is not allowed; write numbers, names, + - * / ** @ and functions such as tanh(...), "
                      "sum(...)")
        return method(node)

    def _Constant(self, node: ast.Constant) -> TExpr:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail("only real numbers are allowed")
        if not math.isfinite(value) or abs(value) > self.limits.max_literal:
            self.fail(f"the number {value:.6g} is too large (at most {self.limits.max_literal:g})", LimitError)
        return TExpr("number", (), Fraction(repr(value)) if isinstance(value, float) else Fraction(value),
                     self.source(node))

    def _Name(self, node: ast.Name) -> TExpr:
        if node.id in CONSTANTS:
            self.fail(f"the constant {node.id} is not available in matrix models; write its value")
        if node.id in FUNCTIONS or node.id in REDUCTIONS:
            self.fail(f"'{node.id}' is a function; call it, e.g. {node.id}(x)")
        check_name(node.id)
        return TExpr("name", (), node.id, node.id)

    def _UnaryOp(self, node: ast.UnaryOp) -> TExpr:
        operand = self.build(node.operand)
        if isinstance(node.op, ast.UAdd):
            return operand
        if not isinstance(node.op, ast.USub):
            self.fail("only the signs + and - may stand before a term")
        if operand.op == "number":
            return TExpr("number", (), -operand.value, self.source(node))
        return TExpr("neg", (operand,), None, self.source(node))

    def _BinOp(self, node: ast.BinOp) -> TExpr:
        op = _BINOPS.get(type(node.op))
        if op is None:
            self.fail("only + - * / ** and @ are allowed between terms")
        left, right = self.build(node.left), self.build(node.right)
        if op == "pow" and right.op != "number":
            self.fail("an exponent must be a number in a matrix model (write x**2, not x**y)")
        if op == "pow" and abs(right.value) > self.limits.max_exponent:
            self.fail(f"the exponent {right.value} is too large (at most {self.limits.max_exponent})", LimitError)
        if op == "div" and right.op == "number" and right.value == 0:
            self.fail("division by zero")
        return TExpr(op, (left, right), None, self.source(node))

    def _Call(self, node: ast.Call) -> TExpr:
        if not isinstance(node.func, ast.Name):
            self.fail("only named functions may be called, e.g. tanh(x)")
        name = node.func.id
        if name not in FUNCTIONS and name not in REDUCTIONS:
            known = ", ".join(sorted((set(FUNCTIONS) - {"ln", "abs"}) | set(REDUCTIONS)))
            self.fail(f"unknown function '{name}'; the functions are {known}")
        if node.keywords or len(node.args) != 1:
            self.fail(f"{name} takes exactly one argument, e.g. {name}(x)")
        arg = self.build(node.args[0])
        if name in REDUCTIONS:
            return TExpr(REDUCTIONS[name], (arg,), None, self.source(node))
        canonical = {"ln": "log", "abs": "Abs"}.get(name, name)
        return TExpr("apply", (arg,), canonical, self.source(node))


def parse_literal(text: str, what: str):
    """``"[[0.1, -0.2], [0.4, 0.3]]"`` -> nested lists of floats; ``"0.5"`` -> 0.5.

    Read by :func:`ast.parse` and walked (never evaluated): numbers with an optional sign, in lists of
    at most two levels whose rows have one length."""
    text = text.strip()
    if len(text) > 40 * MAX_ENTRIES:
        raise LimitError(f"{what} is too long")
    try:
        tree = ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise SpecError(f"{what} = '{_clip(text, 40)}' is not a number or a list such as [1.0, 2.0]") from None
    value = _literal(tree, what, 0)
    if isinstance(value, list):
        _check_rectangular(value, what)
    return value


def _literal(node, what: str, depth: int):
    if isinstance(node, ast.List):
        if depth >= 2:
            raise SpecError(f"{what} is nested more than two levels deep; give a vector [..] or a matrix [[..], ..]")
        if not node.elts:
            raise SpecError(f"{what} has an empty list; give at least one number")
        return [_literal(e, what, depth + 1) for e in node.elts]
    sign = 1.0
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign = -1.0 if isinstance(node.op, ast.USub) else 1.0
        node = node.operand
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        value = sign * float(node.value)
        if not math.isfinite(value) or abs(value) > LIMITS.max_literal:
            raise SpecError(f"{what} has the number {node.value:.6g}, too large (at most {LIMITS.max_literal:g})")
        return value
    raise SpecError(f"{what} may hold only numbers in lists such as [[0.1, -0.2], [0.4, 0.3]]")


def _check_rectangular(value: list, what: str) -> None:
    rows = [isinstance(v, list) for v in value]
    if any(rows) and not all(rows):
        raise SpecError(f"{what} mixes numbers and lists; a matrix is a list of rows [[..], [..]]")
    if all(rows):
        lengths = {len(r) for r in value}
        if len(lengths) > 1:
            raise SpecError(f"{what} has rows of different lengths {sorted(lengths)}; every row needs as many numbers")
        if len(value) * len(value[0]) > MAX_ENTRIES:
            raise LimitError(f"{what} has more than {MAX_ENTRIES} entries")


def split_assignments(items, what: str) -> dict:
    """``["W=[[1, 2], [3, 4]]", "x=[1.0,2.0],y=0.5"]`` -> {name: number or nested list}.

    Commas inside brackets belong to the literal; commas outside separate assignments."""
    if isinstance(items, str):
        items = [items]
    out: dict = {}
    for item in items:
        for piece in _top_level_pieces(item, what):
            name, sep, value = piece.partition("=")
            name = name.strip()
            if not sep:
                raise SpecError(f"{what} '{piece.strip()[:40]}' must be NAME=VALUE, e.g. W=[[0.1, 0.2]] or x=1.0")
            if name not in ("y", "y_hat"):
                check_name(name, f"{what} name")
            if name in out:
                raise SpecError(f"{what} {name} is given twice")
            out[name] = parse_literal(value, f"{what} {name}")
    return out


def _top_level_pieces(text: str, what: str) -> list:
    pieces, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth < 0:
                raise SpecError(f"{what} '{_clip(text, 40)}' has a ']' without its '['")
        elif ch == "," and depth == 0:
            pieces.append(text[start:i])
            start = i + 1
    if depth:
        raise SpecError(f"{what} '{_clip(text, 40)}' has a '[' without its ']'")
    pieces.append(text[start:])
    return [p for p in pieces if p.strip()]
