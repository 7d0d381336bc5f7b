"""Problem specification: user text -> :class:`Problem`.

This is the only module that reads user strings (through :mod:`symback.model.parse`).
A Problem holds the model as a list of definitions ending with ``y_hat``, the
per-sample loss in ``y_hat`` and ``y``, the parameters with their values, the
input names, the data and the learning rate. Every default is the original
lesson: ``y_hat = w*x``, ``L = (y_hat - y)**2``, ``w = 1``, data (1,2), (2,4),
(3,6), learning rate 0.01.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping

import sympy

from . import data as datamod
from ..errors import ParseError, SpecError, option
from .ops import FUNCTIONS
from .parse import LIMITS, check_name, parse, parse_unevaluated, symbol

Y, Y_HAT = symbol("y"), symbol("y_hat")
TARGET, OUTPUT = "y", "y_hat"

#: preset losses on one sample, written in y_hat and y
LOSSES = {
    "mse": "(y_hat - y)**2",
    "abs": "abs(y_hat - y)",
    "bce": "-(y*log(y_hat) + (1 - y)*log(1 - y_hat))",
}

MAX_DEFINITIONS = 5000
MAX_MODEL_CHARS = 1_000_000
_DEF_RE = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)(.*)\Z", re.S)


@dataclass(frozen=True)
class Problem:
    """A model, a loss, parameter values, data and a learning rate.

    ``definitions`` are ``(name, expression)`` pairs in order; each expression
    uses parameters, inputs and earlier names; the last name is ``y_hat``.
    ``loss`` is the loss of one sample, in ``y_hat`` and ``y``.
    """

    definitions: tuple[tuple[sympy.Symbol, sympy.Expr], ...]
    loss: sympy.Expr
    loss_name: str
    params: tuple[tuple[str, float], ...]
    inputs: tuple[str, ...]
    data: datamod.Dataset
    lr: float
    #: {sum or product: its terms in the order the user wrote them}, for printing
    orders: dict = field(default_factory=dict, compare=False, repr=False)
    #: the definitions unevaluated, exactly as written, when a name cancels in one (w*x + b - b)
    written: tuple = field(default=(), compare=False, repr=False)

    def __repr__(self) -> str:
        model = "; ".join(f"{n} = {sympy.sstr(e, order='none')}" for n, e in self.definitions)
        return (
            f"Problem(model={model!r}, loss={sympy.sstr(self.loss, order='none')!r}, "
            f"params={dict(self.params)!r}, inputs={self.inputs!r}, data={self.data!r}, lr={self.lr!r})"
        )

    @property
    def shown_definitions(self) -> tuple[tuple[sympy.Symbol, sympy.Expr], ...]:
        """The definitions to show: as written where a name cancels (b − b stays), else the parsed ones."""
        return self.written or self.definitions

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.params)

    @property
    def param_values(self) -> dict[str, float]:
        return dict(self.params)

    @property
    def param_symbols(self) -> tuple[sympy.Symbol, ...]:
        return tuple(symbol(n) for n in self.param_names)

    @property
    def input_symbols(self) -> tuple[sympy.Symbol, ...]:
        return tuple(symbol(n) for n in self.inputs)

    @property
    def model_expr(self) -> sympy.Expr:
        """ŷ as one expression in parameters and inputs (definitions substituted).

        Built forwards, each definition substituted once into the composed
        earlier ones (which it shares, not copies). Only small models need
        it (closed forms); training and the graph never compose the model.
        """
        composed: dict = {}
        for name, definition in self.definitions:
            composed[name] = definition.xreplace(composed)
        return composed[self.definitions[-1][0]]

    @property
    def loss_expr(self) -> sympy.Expr:
        """The loss of one sample in parameters, inputs and y."""
        return self.loss.xreplace({Y_HAT: self.model_expr})

    def sample(self, index: int = 0) -> dict[str, float]:
        """Row ``index`` of the data as {input or y: value}."""
        return self.data.row(index)

    def with_params(self, values: Mapping[str, float]) -> "Problem":
        """The same problem at other parameter values."""
        params = tuple((n, float(values.get(n, v))) for n, v in self.params)
        return replace(self, params=params)


def problem(
    model: str = "w*x",
    loss: str = "mse",
    params: Mapping[str, float] | Iterable[str] | None = None,
    data=None,
    lr: float = 0.01,
    sample: Mapping[str, float] | None = None,
) -> Problem:
    """Build a Problem from user text and values; every default is the seed lesson.

    ``params`` is a mapping {name: value} or strings "name=value"; ``data`` is
    None (the seed data), a path (CSV, or NumPy .npz/.npy), a
    :class:`~symback.model.table.Dataset`, a pair (column names, rows), or a mapping
    {column name: NumPy array} (kept as arrays, for large data). Without data,
    the seed data apply only when the model's inputs are the seed's (x or
    none); otherwise ``sample``, one sample given in full ({input or y:
    value}), is the data.
    """
    orders: dict = {}
    written: set = set()
    unevaluated: dict = {}
    definitions = parse_model(model, orders, written, unevaluated)
    loss_expr, loss_name = parse_loss(loss, orders)
    param_map = _param_map(params)
    defined = {name.name for name, _ in definitions}
    _check_params(param_map, [(n, unevaluated.get(n, e)) for n, e in definitions], written, explicit=params is not None)
    inputs = _input_names(definitions, defined, param_map, written)
    dataset = _dataset(data, inputs) if data is not None else _default_data(inputs, sample)
    return Problem(
        definitions=tuple(definitions),
        loss=loss_expr,
        loss_name=loss_name,
        params=tuple(param_map.items()),
        inputs=inputs,
        data=dataset,
        lr=_learning_rate(lr),
        orders=orders,
        written=tuple((n, unevaluated.get(n, e)) for n, e in definitions) if unevaluated else (),
    )


def parse_model(text: str, orders: dict | None = None, written: set | None = None,
                unevaluated: dict | None = None) -> list[tuple[sympy.Symbol, sympy.Expr]]:
    """``"h = tanh(w*x + b); y_hat = v*h + c"`` -> [(h, ...), (y_hat, ...)].

    A single expression is the definition of y_hat. Each definition may use
    only names defined before it. ``written`` receives every name written,
    also those that cancel (b in ``w*x + b - b``); ``unevaluated`` receives
    {name: its definition as written} for each definition in which a name cancels.
    """
    if not isinstance(text, str):
        raise ParseError("the model must be text such as 'w*x'")
    if len(text) > MAX_MODEL_CHARS:
        raise ParseError(f"the model is longer than {MAX_MODEL_CHARS} characters")
    parts = [p for p in re.split(r"[;\n]", text) if p.strip()]
    if not parts:
        raise ParseError("the model is empty; write an expression such as w*x")
    if len(parts) > MAX_DEFINITIONS:
        raise ParseError(f"the model has {len(parts)} definitions; at most {MAX_DEFINITIONS} are allowed")
    # where each name is defined last, so a use before that is found in one lookup (linear in the model)
    last_definition = {m.group(1): i for i, p in enumerate(parts) if (m := _DEF_RE.match(p))}
    definitions: list[tuple[sympy.Symbol, sympy.Expr]] = []
    defined: set[str] = set()
    for i, part in enumerate(parts):
        name, body = _split_definition(part, last=i == len(parts) - 1)
        what, names = f"definition of {name}" if len(parts) > 1 else "model", set()
        expr = parse(body, what=what, orders=orders, written=names)
        if unevaluated is not None and len(names) > len(expr.free_symbols):  # a name cancels: keep the text's form
            unevaluated[symbol(name)] = parse_unevaluated(body, what=what)
        if written is not None:
            written |= names
        _check_uses(name, expr, defined, i, last_definition)
        definitions.append((symbol(name), expr))
        defined.add(name)
    return definitions


def _split_definition(part: str, last: bool) -> tuple[str, str]:
    match = _DEF_RE.match(part)
    if not match:
        if last:
            return OUTPUT, part
        raise ParseError(f"'{part.strip()[:40]}' must be a definition such as h = tanh(w*x); only the last may be bare")
    name, body = match.group(1), match.group(2)
    name = OUTPUT if name == "yhat" else name
    if last and name != OUTPUT:
        raise ParseError(f"the last definition defines {name}; it must define y_hat (e.g. y_hat = v*{name} + c)")
    if not last and name == OUTPUT:
        raise ParseError("y_hat must be defined last, after the names it uses")
    if name == TARGET:
        raise ParseError("y is the target; it cannot be defined in the model")
    if name != OUTPUT:
        check_name(name, "defined name")
    return name, body


def _check_uses(name: str, expr: sympy.Expr, defined: set, index: int, last_definition: dict) -> None:
    used = {s.name for s in expr.free_symbols}
    if name in defined:
        raise ParseError(f"{name} is defined twice in the model; give each definition its own name")
    if name in used:
        raise ParseError(f"{name} is defined in terms of itself")
    if TARGET in used:
        raise ParseError("the model uses y, the target; the model may use only parameters and inputs")
    if OUTPUT in used:
        raise ParseError("the model uses y_hat, its own output; y_hat may appear only in the loss")
    early = sorted(n for n in used if last_definition.get(n, -1) > index)
    if early:
        raise ParseError(f"{early[0]} is used before it is defined; define it earlier in the model")


def parse_loss(text: str, orders: dict | None = None) -> tuple[sympy.Expr, str]:
    """A preset name (mse, abs, bce) or an expression in y_hat (or yhat) and y."""
    if not isinstance(text, str):
        raise ParseError("the loss must be text: mse, abs, bce or an expression in y_hat and y")
    key = text.strip().lower()
    name = key if key in LOSSES else "custom"
    expr = parse(LOSSES.get(key, text), what="loss", orders=orders)
    expr = expr.xreplace({symbol("yhat"): Y_HAT})
    if name != "custom":
        return expr, name
    extra = sorted(s.name for s in expr.free_symbols - {Y, Y_HAT})
    if extra:
        raise ParseError(
            f"the loss uses {', '.join(extra)}; a loss may use only y_hat (the prediction) and y (the target), "
            "or be one of mse, abs, bce"
        )
    if Y_HAT not in expr.free_symbols:
        raise ParseError("the loss does not depend on y_hat, so it has no gradient; write it in y_hat and y")
    return expr, "custom"


def parse_assignments(items: Iterable[str] | str, what: str) -> dict[str, float]:
    """``["w=1", "b=0.5"]`` or ``"x=1,y=2"`` -> {"w": 1.0, "b": 0.5}; values are plain numbers."""
    if isinstance(items, str):
        items = [items]
    out: dict[str, float] = {}
    for item in items:
        for piece in item.split(","):
            if not piece.strip():
                continue
            name, sep, value = piece.partition("=")
            name = name.strip()
            if not sep:
                raise SpecError(f"{what} '{piece.strip()}' must be NAME=VALUE, e.g. w=1.0")
            if name not in (TARGET, OUTPUT):
                check_name(name, f"{what} name")
            if name in out:
                raise SpecError(f"{what} {name} is given twice")
            out[name] = number(value, f"{what} {name}")
    return out


def number(value, what: str) -> float:
    """A finite float of reasonable size from a number or a numeric string."""
    try:
        result = float(value.strip() if isinstance(value, str) else value)
    except OverflowError:  # an int too large to be a float
        result = math.inf
    except (TypeError, ValueError):
        raise SpecError(f"{what} = '{str(value).strip()[:30]}' is not a number") from None
    if isinstance(value, bool) or not math.isfinite(result):
        raise SpecError(f"{what} must be a finite number, not {str(value).strip()[:30]}")
    if abs(result) > LIMITS.max_literal:
        raise SpecError(f"{what} = {result:g} is too large (at most {LIMITS.max_literal:g} in size)")
    return result


def _param_map(params) -> dict[str, float]:
    if params is None:
        return {"w": 1.0}
    if isinstance(params, Mapping):
        out = {}
        for name, value in params.items():
            check_name(str(name), "parameter name")
            out[str(name)] = number(value, f"parameter {name}")
        return out
    return parse_assignments(list(params), "parameter")


def _check_params(param_map, definitions, written, explicit: bool) -> None:
    """Every parameter is written in the model and reaches y_hat (it may cancel: its gradient is then 0).

    ``definitions`` are as written where a name cancels, so h in ``y_hat = h - h + v`` counts as used.
    """
    defined = {name.name for name, _ in definitions}
    names = set(written) - defined
    reach = _reaching(definitions)
    for name in param_map:
        if name in (TARGET, OUTPUT):
            raise SpecError(f"{name} cannot be a parameter: y is the target and y_hat the prediction")
        if name in defined:
            raise SpecError(f"{name} is defined in the model, so it cannot also be a parameter")
        if name not in names:
            if not explicit:
                guesses = [n for n in sorted(names) if not n.startswith("x")] or sorted(names)
                candidates = " ".join(f"{option('params')} {n}=0.5" for n in guesses[:3])
                raise SpecError(
                    f"the model has no symbol w (the default parameter); name its parameters, e.g. {candidates}"
                )
            raise SpecError(
                f"parameter {name} does not appear in the model; its symbols are {', '.join(sorted(names)) or 'none'}"
            )
        users = [n.name for n, e in definitions if symbol(name) in e.free_symbols]
        if name not in reach and users:
            raise SpecError(
                f"parameter {name} does not reach y_hat: it is used only in {', '.join(users)}, "
                f"which y_hat does not use; use {users[0]} in the definition of y_hat, or leave {name} out"
            )
    if not param_map:
        raise SpecError(f"the problem has no parameters; give at least one with {option('params')} NAME=VALUE")


def _reaching(definitions) -> set[str]:
    """The names y_hat depends on through the definitions; a name that cancels counts (it is written)."""
    exprs = {n.name: e for n, e in definitions}
    seen, stack = set(), [OUTPUT]
    while stack:
        for s in exprs[stack.pop()].free_symbols:
            if s.name not in seen:
                seen.add(s.name)
                if s.name in exprs:
                    stack.append(s.name)
    return seen


def _input_names(definitions, defined, param_map, written=()) -> tuple[str, ...]:
    """Free symbols that are not parameters, in the order of the definitions; then names that cancel."""
    names: list[str] = []
    for _, expr in definitions:
        for s in sorted(expr.free_symbols, key=lambda s: s.name):
            if s.name not in defined and s.name not in param_map and s.name not in names:
                names.append(s.name)
    names += sorted(set(written) - defined - set(param_map) - set(names))
    return tuple(names)


def _dataset(data, inputs: tuple[str, ...]) -> datamod.Dataset:
    if data is None:
        dataset = datamod.seed_dataset()
    elif isinstance(data, datamod.Dataset):
        dataset = data
    elif isinstance(data, (str, os.PathLike)):
        dataset = datamod.read_data(os.fspath(data))
    elif isinstance(data, Mapping):
        from .arrays import from_columns

        dataset = from_columns(data)
    else:
        names, rows = data
        dataset = datamod.from_rows(names, rows)
    needed = tuple(inputs) + (TARGET,)
    missing = [n for n in needed if n not in dataset.names]
    if missing:
        raise datamod.DataError(
            f"the data have no column {', '.join(missing)} (columns: {', '.join(dataset.names)}); "
            f"the model's inputs are {', '.join(inputs) or 'none'} and the target is y"
            + (f"; if {missing[0]} is a parameter, give it with {option('params')} {missing[0]}=VALUE" if missing[0] != TARGET else "")
        )
    return dataset.select(needed)


def _default_data(inputs: tuple[str, ...], sample) -> datamod.Dataset:
    """The seed data when the model's inputs are the seed's; else the one sample given in full."""
    seed = datamod.seed_dataset()
    needed = tuple(inputs) + (TARGET,)
    if set(inputs) <= set(seed.names) - {TARGET}:
        return seed.select(needed)
    if sample and all(n in sample for n in needed):
        return datamod.from_rows(needed, [[sample[n] for n in needed]])
    example = ",".join(f"{n}=1" for n in needed)
    missing = [n for n in needed if n not in (sample or {})]
    raise datamod.DataError(
        f"the model's inputs are {', '.join(inputs)}, not the lesson's x, so the lesson's data do not apply: "
        f"give data with {option('data')} FILE.csv (header {','.join(needed)})"
        + (f"; to explain one sample, give it in full: {option('sample')} {example}" if not sample
           else f"; the sample has no {', '.join(missing)}")
        + (f"; if {missing[0]} is a parameter, give it with {option('params')} {missing[0]}=VALUE" if missing[0] != TARGET else "")
    )


def _learning_rate(lr) -> float:
    value = number(lr, "learning rate")
    if value <= 0:
        raise SpecError(f"the learning rate must be positive, not {value:g}; try {option('lr')} 0.01", option="lr", value=value)
    return value


__all__ = ["Problem", "problem", "parse_model", "parse_loss", "parse_assignments", "LOSSES", "FUNCTIONS"]
