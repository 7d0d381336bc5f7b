"""Why a gradient is not a finite number at a point, in words a student can act on.

A local derivative ∂v/∂u can be infinite or undefined where v itself is
finite: √u at u = 0 (its derivative 1/(2√u) is infinite there), u^(1/3) at 0.
Then the gradient does not exist at this point, whatever the learning rate:
the remedy is another starting value, and the message says so, naming the
node, its derivative and the parameters below it.
"""

from __future__ import annotations

import math
from typing import Mapping

import sympy

from ..errors import MathError, option
from .numeric import format_float

class SingularGradient(MathError):
    """The gradient is infinite or undefined at this point (no learning rate helps)."""


def singular_error(graph, local, values: Mapping, value: float) -> SingularGradient:
    """The error for a local ∂node/∂child whose value at ``values`` is ``value`` (inf or nan)."""
    node, child = local.node, local.child
    kind = "infinite" if math.isinf(value) else "undefined"
    at = format_float(values[child]) if child in values else "this point"
    # what is infinite, said the way a student would recognise it (the op's ``singular``)
    why = node.op.singular.format(n=_exponent(node), f=node.expr.func.__name__, value=at)
    params = ", ".join(p.name for p in params_below(graph, node.name)) or "the parameters"
    derivative = f"∂{node.name}/∂{child} = {sympy.sstr(local.expr)} at {child} = {at}"
    return SingularGradient(
        f"the gradient is {kind} at this point: {why + ' (' if why else ''}{derivative}{')' if why else ''}; "
        f"no learning rate helps: start {params} from another value ({option('params')} NAME=VALUE)"
    )


def params_below(graph, name) -> list:
    """The parameters that ``name``'s value depends on, in the graph's order."""
    children = {n.name: n.children for n in graph.nodes}
    seen, stack = set(), [name]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return [p for p in graph.params if p in seen or p == name]


def _exponent(node) -> str:
    exponent = node.expr.exp if node.expr.is_Pow else ""
    return f"({exponent})" if isinstance(exponent, sympy.Rational) and not exponent.is_Integer else str(exponent)
