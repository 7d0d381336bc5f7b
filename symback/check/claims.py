"""Check the claims of an explanation in JSON, on their own: ``symback verify FILE.json``.

Every step of ``explain --format json`` has a ``claim`` ``lhs = rhs`` (and a
rule step a ``formula``). This module reads each with symback's safe parser
(never ``sympify``: the file is user input), in the namespace the claims are
written in: every name is a real symbol (``E``, ``I``, ``gamma``, ``Q`` are the
user's names, not SymPy's constants), ``sigmoid`` and ``relu`` are defined as
1/(1 + e^(−z)) and max(0, z), ``Derivative``, ``Heaviside`` and ``sign`` are
SymPy's, and a decimal is the exact rational it spells (0.1 is 1/10). Then:

* a claim in numbers holds **exactly**, or, where the step says
  ``"approx": true``, to the last digit of its right-hand side
  (|lhs − rhs| ≤ one unit of that digit; the left side evaluated to PRECISION digits);
* a claim in symbols is an identity: symbolically, or at random real points.
"""

from __future__ import annotations

import ast
import json
import random
from dataclasses import dataclass

import mpmath
import sympy

from ..errors import ParseError, SpecError
from ..core.exact import decimal_parts
from ..model.ops import BY_CLASS, FUNCTIONS
from ..model.parse import Limits, _Builder, _check_size, _syntax_tree, check_name, symbol
from ..timebox import within

#: digits the left side of a numeric claim is evaluated to
PRECISION = 50
#: claims are machine-written and can be long (a closed form over many rows)
CLAIM_LIMITS = Limits(max_chars=200_000, max_nodes=100_000, max_depth=400, max_literal=1e308,
                      max_exponent=10_000, max_result_digits=100_000)
SIMPLIFY_SECONDS = 2.0
#: random points at which a symbolic claim is compared when simplify cannot decide it
POINTS = 5


@dataclass(frozen=True)
class Verdict:
    """One claim checked: ``ok``, and ``how`` ('exact', 'to its digits', 'symbolic', 'at points')."""

    index: int
    field: str
    rule: str
    claim: str
    ok: bool
    how: str


def verify(payload: dict) -> list[Verdict]:
    """Check every claim and formula of an ``explain --format json`` payload."""
    steps = payload.get("steps") if isinstance(payload, dict) else None
    if not isinstance(steps, list):
        raise SpecError("this is not the JSON of symback explain: it has no list of steps")
    verdicts = []
    for i, step in enumerate(steps, start=1):
        if not isinstance(step, dict) or not isinstance(step.get("claim"), str):
            raise SpecError(f"step {i} of the JSON has no claim")
        for field in ("formula", "claim"):
            if isinstance(step.get(field), str):
                approx = bool(step.get("approx")) and field == "claim"
                ok, how = check(step[field], approx)
                verdicts.append(Verdict(i, field, str(step.get("rule", "")), step[field], ok, how))
    return verdicts


def verify_file(path: str) -> list[Verdict]:
    """:func:`verify` for a JSON file written by ``symback explain --format json``."""
    try:
        with open(path, encoding="utf-8") as handle:
            payload = json.load(handle)
    except OSError as err:
        raise SpecError(f"cannot read {path}: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise SpecError(f"{path} is not UTF-8 text") from None
    except json.JSONDecodeError as err:
        raise SpecError(f"{path} is not JSON: {err.msg} at line {err.lineno}") from None
    return verify(payload)


def check(text: str, approx: bool = False) -> tuple[bool, str]:
    """Does the claim ``lhs = rhs`` hold? Returns (ok, how it was decided). A claim between
    matrices (a matrix model's step) holds when it holds entry by entry."""
    lhs, rhs = sides(text)
    lhs, rhs = lhs.doit(), rhs.doit()
    if isinstance(lhs, sympy.MatrixBase) or isinstance(rhs, sympy.MatrixBase):
        return _entrywise(lhs, rhs, approx)
    if not (lhs.free_symbols or rhs.free_symbols):
        return _numeric(lhs, rhs, approx)
    return _identity(lhs, rhs)


def sides(text: str) -> tuple[sympy.Expr, sympy.Expr]:
    """The two sides of a claim, parsed in the claims' namespace."""
    parts = text.split(" = ")
    if len(parts) != 2:
        raise ParseError(f"the claim '{text[:60]}' is not one equation 'lhs = rhs'")
    return parse_side(parts[0]), parse_side(parts[1])


def parse_side(text: str) -> sympy.Expr:
    tree = _syntax_tree(text, "claim", CLAIM_LIMITS)
    _check_size(tree, text, "claim", CLAIM_LIMITS)
    return _ClaimBuilder(text.strip().replace("^", "**"), "claim", CLAIM_LIMITS, None).build(tree.body)


class _ClaimBuilder(_Builder):
    """The safe parser, with the claims' extras: exact decimals from the text itself (0.1 is 1/10
    even when a float could not hold the digits), Derivative, Heaviside, sign, undefined f(u),
    sigmoid and relu as their definitions, and any name a symbol."""

    def _Constant(self, node: ast.Constant) -> sympy.Expr:
        super()._Constant(node)  # the same checks
        literal = ast.get_source_segment(self.text, node) or repr(node.value)
        return sympy.Rational(literal.replace("_", ""))

    def _Name(self, node: ast.Name) -> sympy.Expr:
        if node.id == "pi":
            return sympy.pi
        if node.id in FUNCTIONS or node.id in _EXTRA:
            self.fail(f"'{node.id}' is a function; call it")
        return symbol(check_name(node.id))

    def _Call(self, node: ast.Call) -> sympy.Expr:
        if not isinstance(node.func, ast.Name) or node.keywords:
            self.fail("only named functions may be called")
        if node.func.id == "Matrix":
            return self._matrix(node)
        name, args = node.func.id, [self.build(a) for a in node.args]
        if name in _EXTRA:
            return _EXTRA[name](*args)
        if name in _DEFINED:
            return _DEFINED[name](*args)
        if name in FUNCTIONS:
            return FUNCTIONS[name](*args)
        return sympy.Function(check_name(name, "function"))(*args)  # a rule's generic f(u): undefined


    def _matrix(self, node: ast.Call):
        """``Matrix([[a, b], [c, d]])``: rows of entries, each entry an expression of the claims' language."""
        rows = node.args[0] if len(node.args) == 1 else None
        if not isinstance(rows, ast.List) or not rows.elts or not all(isinstance(r, ast.List) for r in rows.elts):
            self.fail("Matrix takes one list of rows, e.g. Matrix([[1, 2], [3, 4]])")
        entries = [[self.build(e) for e in row.elts] for row in rows.elts]
        if len({len(r) for r in entries}) != 1 or not entries[0]:
            self.fail("the rows of a Matrix must have one length")
        return sympy.ImmutableMatrix(entries)


def _derivative(expr, var):
    if not var.is_Symbol:
        raise ParseError("Derivative(expr, var) needs a name as its variable")
    return sympy.Derivative(expr, var)


_EXTRA = {"Derivative": _derivative, "Heaviside": sympy.Heaviside, "sign": sympy.sign}
#: the table's functions SymPy does not know (sigmoid, relu), read as their definitions
_DEFINED = {op.code: op.definition for op in BY_CLASS.values() if op.definition is not None}


def _entrywise(lhs, rhs, approx: bool) -> tuple[bool, str]:
    if not (isinstance(lhs, sympy.MatrixBase) and isinstance(rhs, sympy.MatrixBase)) or lhs.shape != rhs.shape:
        return False, "shapes differ"
    verdicts = [_numeric(a, b, approx) if not (a.free_symbols or b.free_symbols) else _identity(a, b)
                for a, b in zip(lhs, rhs)]
    bad = next((v for v in verdicts if not v[0]), None)
    return bad if bad is not None else (True, verdicts[0][1] if verdicts else "exact")


def _numeric(lhs, rhs, approx: bool) -> tuple[bool, str]:
    """A claim in numbers: exact, or to the last digit of ``rhs`` when ``approx``."""
    delta = lhs - rhs
    if delta.is_Rational:
        if delta == 0:
            return True, "exact"
        return approx and _within_last_digit(abs(delta), rhs), "to its digits" if approx else "exact"
    with mpmath.workdps(PRECISION):
        value = sympy.N(delta, PRECISION)
    if not value.is_real:
        return False, "not a real number"
    if not approx:
        return bool(abs(value) <= sympy.Float(10) ** (5 - PRECISION) * max(1, abs(sympy.N(rhs)))), "exact"
    return _within_last_digit(abs(value), rhs), "to its digits"


def _within_last_digit(error, rhs) -> bool:
    """Is ``error`` at most one unit in the last printed digit of ``rhs``?"""
    if not rhs.is_Rational:
        return False
    parts = decimal_parts(sympy.Rational(rhs))
    if parts is None:
        return False
    return bool(error <= sympy.Rational(10) ** parts[2])


def _identity(lhs, rhs) -> tuple[bool, str]:
    """A claim in symbols: lhs − rhs is 0, by simplification, or else at random real points."""
    delta = lhs - rhs
    if delta == 0 or within(SIMPLIFY_SECONDS, lambda: sympy.simplify(delta) == 0, False):
        return True, "symbolic"
    rng = random.Random(7)
    free = sorted(delta.free_symbols, key=str)
    for _ in range(POINTS):
        point = {s: sympy.Rational(rng.randint(20, 90), 100) for s in free}
        a, b = (complex(sympy.N(side.subs(point), 30)) for side in (lhs, rhs))
        if not abs(a - b) <= 1e-12 * max(1.0, abs(b)):
            return False, "at points"
    return True, "at points"


def summary(verdicts: list[Verdict]) -> str:
    """One line: how many claims hold, and how they were checked."""
    hold = [v for v in verdicts if v.ok]
    ways = {}
    for v in hold:
        ways[v.how] = ways.get(v.how, 0) + 1
    detail = ", ".join(f"{n} {how}" for how, n in ways.items())
    return f"{len(hold)} of {len(verdicts)} claims hold" + (f" ({detail})" if detail else "")
