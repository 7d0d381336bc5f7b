"""Straight-line code for lambdify, and the passes that tidy it.

A :class:`Code` is a function's arguments, its lines ``v = expr`` in order
(``expr`` None meaning ``del v``) and its result. :func:`tidy` substitutes
copies, drops lines nothing needs and, for NumPy arrays, lets NumPy reuse
temporaries and frees each array after its last use. Every pass keeps the
function's value: it only renames, substitutes or deletes.
"""

from __future__ import annotations

import inspect
from typing import Callable, NamedTuple

import sympy

from ..errors import SymbackError

#: the learning rate η in generated code
ETA = sympy.Symbol("lr", real=True)


class Code(NamedTuple):
    """Straight-line code: ``lines`` are (variable, expression) in order, None meaning ``del``."""

    args: tuple
    lines: tuple
    result: tuple

    def function(self, backend) -> Callable:
        """The compiled function (sympy.lambdify with these lines as its cse)."""
        extra = {"docstring_limit": 0} if "docstring_limit" in _LAMBDIFY_PARAMS else {}
        try:
            return sympy.lambdify(self.args, self.result, modules=backend.modules, printer=backend.printer(),
                                  cse=lambda _: (list(self.lines), self.result), **extra)
        except (TypeError, ValueError, NameError, SyntaxError) as err:  # an operation no backend prints
            raise SymbackError(f"cannot compile this model for training: {err}") from None


    def operations(self) -> int:
        """Arithmetic operations and function calls in the lines and the result (SymPy's count_ops)."""
        exprs = [e for _, e in self.lines if e is not None] + _flat(self.result)
        return sum(sympy.count_ops(e) for e in exprs)


_LAMBDIFY_PARAMS = inspect.signature(sympy.lambdify).parameters


def tidy(args, lines, result, batch: bool) -> Code:
    """Propagate copies, drop lines nothing needs; in batch code also let NumPy reuse
    temporaries and delete each array after its last use."""
    lines, result = _propagate(lines, result, batch)
    needed = set().union(*(e.free_symbols for e in _flat(result)))
    live = []
    for var, expr in reversed(lines):
        if var in needed:
            live.append((var, expr))
            needed |= expr.free_symbols
    live.reverse()
    if batch:
        live = _inline_single_use(live, result)
    live, result = narrow(live, result)
    if batch:
        live = _with_deletes(live, result)
    return Code(args, tuple(live), result)


def _propagate(lines, result, batch: bool):
    """Substitute copies (a = b) and constants (a = 2) into later lines; in batch code
    also scalings (a = 2*b), so that Σ_i 2·r_i·x_i becomes 2·(r·x) with no array 2·r."""
    subs, kept = {}, []
    for var, expr in lines:
        expr = expr.xreplace(subs)
        coeff, rest = expr.as_coeff_Mul()
        if expr.is_Symbol or expr.is_Number or (batch and coeff.is_Number and rest.is_Symbol):
            subs[var] = expr
        else:
            kept.append((var, expr))
    return kept, _map(result, lambda e: e.xreplace(subs))


def _inline_single_use(lines, result):
    """Write an array used once straight into its consumer (r = w*x + b - y, not
    u = w*x + b; r = u - y): NumPy then reuses the temporary instead of allocating."""
    users: dict = {}
    for i, (_, expr) in enumerate(lines):
        for s in expr.free_symbols:
            users.setdefault(s, []).append(i)
    kept = set().union(*(e.free_symbols for e in _flat(result)))
    out, dropped = list(lines), set()
    for j, (var, _) in enumerate(lines):
        expr, who = out[j][1], users.get(var, [])
        if var in kept or len(who) != 1:
            continue
        target, consumer = out[who[0]]
        # a direct operand only; and no sum into a product, which SymPy would multiply out
        if var in consumer.args and not (consumer.is_Mul and expr.is_Add) and not consumer.is_Pow:
            out[who[0]] = (target, consumer.xreplace({var: expr}))
            dropped.add(j)
    return [line for i, line in enumerate(out) if i not in dropped]


def _with_deletes(lines, result):
    """``del v`` right after the line that uses v for the last time (arrays are large)."""
    last = {}
    for i, (_, expr) in enumerate(lines):
        last.update(dict.fromkeys(expr.free_symbols, i))
    for expr in _flat(result):
        last.update(dict.fromkeys(expr.free_symbols, len(lines)))
    assigned = {var for var, _ in lines}
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        out += [(s, None) for s in sorted(assigned, key=str) if last.get(s) == i]
    return out


#: a sum or product of more terms than this is computed in parts
WIDE = 64


def narrow(lines, result) -> tuple[list, tuple]:
    """The same code with every sum or product of more than WIDE terms computed in parts
    (v = p0 + p1 + …, each part a line of at most WIDE terms): Python's compiler recurses
    once per operator of a line, so a parameter used by 3000 definitions, whose gradient
    sums 3000 terms, would otherwise overflow its stack."""
    out, count = [], iter(range(10**9))

    def fresh():
        return sympy.Symbol(f"_part{next(count)}")

    def split(expr):
        if not expr.args:
            return expr
        args = [split(a) for a in expr.args]
        if all(new is old for new, old in zip(args, expr.args)) and len(args) <= WIDE:
            return expr
        while (expr.is_Add or expr.is_Mul) and len(args) > WIDE:
            parts = []
            for i in range(0, len(args), WIDE):
                parts.append(fresh())
                out.append((parts[-1], expr.func(*args[i:i + WIDE], evaluate=False)))
            args = parts
        return expr.func(*args, evaluate=False) if (expr.is_Add or expr.is_Mul) else expr.func(*args)

    for var, expr in lines:
        out.append((var, None if expr is None else split(expr)))
    result = _map(result, split)
    return out, result


def _map(result, f):
    return tuple(_map(r, f) for r in result) if isinstance(result, tuple) else f(result)


def _flat(result):
    return [e for r in result for e in _flat(r)] if isinstance(result, tuple) else [result]
