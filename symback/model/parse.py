"""The safe parser: user text -> SymPy expression, without evaluating the text.

The text is read by :func:`ast.parse` (which only builds a syntax tree) and the
tree is walked against a whitelist: numbers, names, ``+ - * / **`` (``^`` is
read as ``**``), unary signs and calls of the functions in
:data:`symback.model.ops.FUNCTIONS`. SymPy objects are built node by node here;
no string ever reaches ``eval``, ``sympify`` or ``lambdify``. Sizes are bounded
before any SymPy work so that hostile input fails fast.
"""

from __future__ import annotations

import ast
import keyword
import math
import re
from dataclasses import dataclass
from functools import lru_cache

import sympy

from ..errors import LimitError, ParseError
from .ops import CONSTANTS, FUNCTIONS, OPS, callable_names


@dataclass(frozen=True)
class Limits:
    """Bounds on one expression (one definition of a layered model)."""

    max_chars: int = 2000
    max_nodes: int = 400
    max_depth: int = 40
    max_literal: float = 1e15
    max_exponent: int = 100
    max_result_digits: int = 300
    max_name: int = 32


LIMITS = Limits()
NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")

_FORBIDDEN = {
    ast.Attribute: "attribute access with '.'",
    ast.Subscript: "indexing with [...]",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.JoinedStr: "f-strings",
    ast.Compare: "comparisons",
    ast.BoolOp: "'and'/'or'",
    ast.IfExp: "'if ... else'",
    ast.List: "lists",
    ast.Tuple: "tuples (a comma)",
    ast.Dict: "dictionaries",
    ast.Set: "sets",
    ast.Starred: "'*' unpacking",
    ast.NamedExpr: "':='",
    ast.Await: "'await'",
    ast.Yield: "'yield'",
    ast.YieldFrom: "'yield'",
}

_BINOPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


@lru_cache(maxsize=None)
def symbol(name: str) -> sympy.Symbol:
    """The one SymPy symbol for ``name``: real, so that |u|' = sign(u)."""
    return sympy.Symbol(name, real=True)


def check_name(name: str, what: str = "name") -> str:
    """Return ``name`` if it is a usable symbol name, else raise ParseError."""
    if len(name) > LIMITS.max_name:
        raise LimitError(f"{what} '{name[:40]}…' is too long (at most {LIMITS.max_name} characters)")
    if not NAME_RE.match(name):
        raise ParseError(
            f"{what} '{name}' is not a valid name: use ASCII letters, digits and _, starting with a letter"
        )
    if "__" in name:
        raise ParseError(f"{what} '{name}' contains '__'; use a name without double underscores")
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise ParseError(f"{what} '{name}' is a Python keyword; choose another name")
    if name in FUNCTIONS or name in CONSTANTS:
        raise ParseError(f"{what} '{name}' is the name of a function or constant; choose another name")
    return name


def parse(text: str, *, what: str = "expression", limits: Limits = LIMITS, orders: dict | None = None,
          written: set | None = None) -> sympy.Expr:
    """Parse ``text`` into a SymPy expression whose symbols are real.

    ``what`` names the text in error messages ("model", "loss", "answer").
    If ``orders`` is a dict, it receives {sum or product: its terms or
    factors in the order the user wrote them}, so printers can keep that order
    (SymPy itself sorts them). If ``written`` is a set, it receives the name
    of every symbol written, also of those that cancel (b in ``w*x + b - b``).
    """
    tree = _syntax_tree(text, what, limits)
    _check_size(tree, text, what, limits)
    builder = _Builder(text, what, limits, orders)
    expr = builder.build(tree.body)
    if written is not None:
        written.update(builder.written)
    return expr


def parse_unevaluated(text: str, *, what: str = "expression", limits: Limits = LIMITS) -> sympy.Expr:
    """``text`` exactly as written, unevaluated: ``w*x + b - b`` keeps its b − b.

    For showing (and exporting) a model in which a name cancels; the maths
    uses :func:`parse`. The text is checked by the same whitelist first.
    """
    parse(text, what=what, limits=limits)
    tree = _syntax_tree(text, what, limits)
    return _Unevaluated(text, what, limits, None).build(tree.body)


def _syntax_tree(text: str, what: str, limits: Limits) -> ast.Expression:
    if not isinstance(text, str):
        raise ParseError(f"the {what} must be text, not {type(text).__name__}")
    if len(text) > limits.max_chars:
        hint = " (split a long model into definitions separated by ';')" if what == "model" else ""
        raise LimitError(f"the {what} is {len(text)} characters long; at most {limits.max_chars} are allowed{hint}")
    if not text.strip():
        raise ParseError(f"the {what} is empty")
    source = text.replace("^", "**")  # '^' is how people write powers
    try:
        return ast.parse(source.strip(), mode="eval")
    except (SyntaxError, ValueError) as err:
        raise ParseError(_syntax_message(text, what, err)) from None
    except (RecursionError, MemoryError):
        raise LimitError(f"the {what} is nested too deeply") from None


def _syntax_message(text: str, what: str, err: Exception) -> str:
    hint = ""
    if re.search(r"(?<![A-Za-z_0-9.])\d+(\.\d*)?[A-Za-z_(]", text):
        hint = "; write multiplication explicitly, e.g. 2*x"
    elif "=" in text and ("model" in what or "definition" in what):
        hint = "; '=' only separates a name from its definition (h = tanh(w*x))"
    where = ""
    if isinstance(err, SyntaxError) and err.offset:
        where = f" at column {err.offset}"
    reason = err.msg if isinstance(err, SyntaxError) else str(err)
    return f"cannot read the {what} '{_clip(text)}': {reason}{where}{hint}"


def _clip(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


#: operators SymPy flattens into one sum or one product: a chain of them is one level, not many
_CHAINS = ({ast.Add, ast.Sub}, {ast.Mult, ast.Div})


def _check_size(tree: ast.AST, text: str, what: str, limits: Limits) -> None:
    """Count nodes and depth iteratively (a recursive walk could itself overflow).

    ``a + b + c`` parses as ``(a + b) + c``; the terms of such a chain stand at one depth,
    as in the flat sum SymPy makes of it, so a long sum is long, not deep.
    """
    count, stack = 0, [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if depth > limits.max_depth:
            raise LimitError(f"the {what} is nested more than {limits.max_depth} levels deep")
        if count > limits.max_nodes:
            raise LimitError(
                f"the {what} has more than {limits.max_nodes} parts; split it into definitions separated by ';'"
            )
        stack.extend((child, depth + (0 if _same_chain(node, child) else 1)) for child in ast.iter_child_nodes(node))


def _same_chain(parent: ast.AST, child: ast.AST) -> bool:
    """Whether ``child`` is the left part of a chain of + and - (or of * and /) that ``parent`` continues."""
    if not (isinstance(parent, ast.BinOp) and isinstance(child, ast.BinOp) and child is parent.left):
        return False
    return any(type(parent.op) in chain and type(child.op) in chain for chain in _CHAINS)


class _Builder:
    """Builds SymPy objects from a whitelisted syntax tree, one node at a time."""

    def __init__(self, text: str, what: str, limits: Limits, orders: dict | None):
        self.text, self.what, self.limits = text, what, limits
        self.orders = {} if orders is None else orders
        self.written: set[str] = set()

    def fail(self, message: str, cls=ParseError):
        raise cls(f"in the {self.what} '{_clip(self.text)}': {message}")

    def build(self, node: ast.AST) -> sympy.Expr:
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            self.fail(f"{_FORBIDDEN.get(type(node), type(node).__name__)} is not allowed; "
                      "write numbers, names, + - * / ** and functions such as exp(...)")
        result = method(node)
        if result.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            self.fail("division by zero or an infinite value", ParseError)
        return result

    def _flat(self, expr: sympy.Expr, kind: str) -> list:
        if getattr(expr, "is_" + kind):
            return list(self.orders.get(expr, expr.args))
        return [expr]

    def _record(self, result: sympy.Expr, parts: list) -> sympy.Expr:
        if result.is_Add or result.is_Mul:
            self.orders.setdefault(result, tuple(parts))
        return result

    def _Constant(self, node: ast.Constant) -> sympy.Expr:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            kind = "text in quotes" if isinstance(value, (str, bytes)) else repr(value)
            self.fail(f"{kind} is not allowed; only real numbers")
        if isinstance(value, float) and not math.isfinite(value):
            self.fail("the number is too large", LimitError)
        if abs(value) > self.limits.max_literal:
            # an int may be too large for a float, so its size is told in digits, not formatted as one
            shown = f"{value:.6g}" if isinstance(value, float) else f"with {len(str(abs(value)))} digits"
            self.fail(f"the number {shown} is too large (at most {self.limits.max_literal:g})", LimitError)
        if isinstance(value, int):
            return sympy.Integer(value)
        # The decimal the user wrote, exactly: 0.1 stays 1/10, so algebra is exact.
        return sympy.Rational(repr(value))

    def _Name(self, node: ast.Name) -> sympy.Expr:
        name = node.id
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in FUNCTIONS:
            self.fail(f"'{name}' is a function; call it, e.g. {name}(x)")
        check_name(name)
        self.written.add(name)
        return symbol(name)

    def _UnaryOp(self, node: ast.UnaryOp) -> sympy.Expr:
        operand = self.build(node.operand)
        if isinstance(node.op, ast.USub):
            if operand.is_Add:
                return self._record(-operand, [-t for t in self._flat(operand, "Add")])
            return -operand
        if isinstance(node.op, ast.UAdd):
            return operand
        self.fail("only the signs + and - may stand before a term")

    def _BinOp(self, node: ast.BinOp) -> sympy.Expr:
        op = type(node.op)
        if op is ast.Pow:
            return self._power(node)
        if op not in _BINOPS:
            self.fail("only + - * / and ** are allowed between terms")
        left, right = self.build(node.left), self.build(node.right)
        if op is ast.Div and right.is_zero:
            self.fail("division by zero")
        return self._record(_BINOPS[op](left, right), self._parts(op, left, right))

    def _parts(self, op, left, right) -> list:
        """The terms (of + and -) or factors (of * and /) in the order written."""
        if op in (ast.Add, ast.Sub):
            sign = 1 if op is ast.Add else -1
            return self._flat(left, "Add") + [sign * t for t in self._flat(right, "Add")]
        if op is ast.Mult:
            return self._flat(left, "Mul") + self._flat(right, "Mul")
        return self._flat(left, "Mul") + [1 / t for t in self._flat(right, "Mul")]

    def _power(self, node: ast.BinOp) -> sympy.Expr:
        base, exponent = self.build(node.left), self.build(node.right)
        if exponent.is_number:
            if abs(exponent) > self.limits.max_exponent:
                self.fail(f"the exponent {exponent} is too large (at most {self.limits.max_exponent})", LimitError)
            if base.is_number and not base.is_zero:
                digits = float(abs(exponent)) * math.log10(max(float(abs(base)), 1e-300))
                if abs(digits) > self.limits.max_result_digits:
                    self.fail("the power is too large to compute", LimitError)
        if base.is_zero and exponent.is_number and exponent.is_negative:
            self.fail("division by zero (0 to a negative power)")
        result = base**exponent
        if result.is_number and result.is_real is False:
            self.fail(f"{base}**{exponent} is not a real number")
        return result

    def _Call(self, node: ast.Call) -> sympy.Expr:
        if not isinstance(node.func, ast.Name):
            self.fail("only named functions may be called, e.g. tanh(x)")
        name = node.func.id
        if name not in FUNCTIONS:
            known = ", ".join(callable_names())
            self.fail(f"unknown function '{name}'; the functions are {known}")
        if node.keywords or len(node.args) != 1:
            self.fail(f"{name} takes exactly one argument, e.g. {name}(x)")
        arg = self.build(node.args[0])
        domain = _OP_NAMED[name].domain
        if domain and arg.is_number and domain[0](arg):
            self.fail(domain[1].format(arg=arg))
        if FUNCTIONS[name] is sympy.Abs and not arg.is_number and arg.could_extract_minus_sign():
            # SymPy would write |ŷ − y| as |y − ŷ|; keep the user's sign, so r = ŷ − y as written
            return sympy.Abs(arg, evaluate=False)
        return FUNCTIONS[name](arg)


#: the operation each callable name stands for
_OP_NAMED = {name: op for op in OPS.values() for name in op.names}


class _Unevaluated(_Builder):
    """The same tree with nothing evaluated (the text already passed :class:`_Builder`'s checks)."""

    def build(self, node: ast.AST) -> sympy.Expr:
        return getattr(self, "_" + type(node).__name__)(node)

    def _UnaryOp(self, node: ast.UnaryOp) -> sympy.Expr:
        operand = self.build(node.operand)
        return sympy.Mul(-1, operand, evaluate=False) if isinstance(node.op, ast.USub) else operand

    def _BinOp(self, node: ast.BinOp) -> sympy.Expr:
        left, right, op = self.build(node.left), self.build(node.right), type(node.op)
        if op is ast.Pow:
            return sympy.Pow(left, right, evaluate=False)
        if op is ast.Sub:
            right = sympy.Mul(-1, right, evaluate=False)
        elif op is ast.Div:
            right = sympy.Pow(right, -1, evaluate=False)
        kind = sympy.Add if op in (ast.Add, ast.Sub) else sympy.Mul
        # a chain a + b - c is one flat sum, as it prints without brackets
        return kind(*(kind.make_args(left) if isinstance(left, kind) else (left,)), right, evaluate=False)

    def _Call(self, node: ast.Call) -> sympy.Expr:
        return FUNCTIONS[node.func.id](self.build(node.args[0]), evaluate=False)
