"""Matrix problems: user text -> :class:`TensorProblem`.

A matrix model is written as a scalar one is (definitions separated by ';', the last defining
``y_hat``), with parameters and inputs that may be vectors or matrices given as nested lists:

    tensor_problem("h = tanh(W1 @ x + b1); y_hat = W2 @ h + b2",
                   params={"W1": [[0.1, -0.2], [0.4, 0.3], [-0.5, 0.2]], "b1": [0, 0.1, 0],
                           "W2": [[0.3, -0.1, 0.2]], "b2": [0.0]},
                   samples=[{"x": [1.0, 2.0], "y": [0.5]}])

Losses: ``mse`` ((ŷ − y)² on a scalar, the mean over the components on a vector, as PyTorch's
MSELoss), ``abs`` and ``bce`` likewise, ``ce`` (softmax cross-entropy of the logits ŷ against the
class index y, as torch.nn.functional.cross_entropy on one sample) or an expression in y_hat and y
whose value is a scalar. Shapes come from the values; they are checked when the graph is built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Mapping

from ..errors import ParseError, SpecError, option
from .arrays import numpy_module
from .spec import MAX_DEFINITIONS, OUTPUT, TARGET, _split_definition, number
from .tensor_parse import TExpr, parse_literal, parse_tensor, split_assignments, uses_matrix_syntax

#: preset losses: (on a scalar output, on a vector or matrix output)
LOSSES = {
    "mse": ("(y_hat - y)**2", "mean((y_hat - y)**2)"),
    "abs": ("abs(y_hat - y)", "mean(abs(y_hat - y))"),
    "bce": ("-(y*log(y_hat) + (1 - y)*log(1 - y_hat))", "mean(-(y*log(y_hat) + (1 - y)*log(1 - y_hat)))"),
}
CROSS_ENTROPY = "ce"


@dataclass(frozen=True)
class TensorProblem:
    """A matrix model, its loss, parameter values (float64 arrays), samples and a learning rate.

    ``definitions`` are (name, TExpr) in order, the last defining y_hat; ``loss`` is the loss
    text's tree for a scalar output and ``loss_vector`` for a vector output (the same tree for a
    custom loss); ``samples`` is a tuple of {input or y: float64 array}.
    """

    definitions: tuple
    loss: TExpr
    loss_vector: TExpr
    loss_name: str
    params: tuple  # ((name, array), ...)
    inputs: tuple
    samples: tuple
    lr: float
    text: str = field(default="", compare=False)
    loss_text: str = field(default="", compare=False)

    #: the commands tell a matrix problem from a scalar one by this
    is_tensor = True

    def __repr__(self) -> str:
        shapes = {n: tuple(v.shape) for n, v in self.params}
        return (f"TensorProblem(model={self.text!r}, loss={self.loss_name!r}, params={shapes}, "
                f"inputs={self.inputs!r}, samples={len(self.samples)}, lr={self.lr!r})")

    @property
    def param_names(self) -> tuple:
        return tuple(n for n, _ in self.params)

    @property
    def param_values(self) -> dict:
        return dict(self.params)

    def sample(self, index: int = 0) -> dict:
        return self.samples[index]

    @property
    def data(self):
        """The samples (``len`` is their number), as a scalar Problem's ``data``."""
        return self.samples

    def with_params(self, values: Mapping) -> "TensorProblem":
        """The same problem at other parameter values (arrays of the same shapes)."""
        np = numpy_module()
        params = tuple((n, _frozen(np.asarray(values.get(n, v), dtype=float).reshape(v.shape))) for n, v in self.params)
        return replace(self, params=params)


def is_tensor_input(model=None, loss=None, params=None, sample=None) -> bool:
    """Does this input need the matrix engine: a list literal, ``@``, a matrix function or the loss ce?"""
    def has_list(values):
        if values is None:
            return False
        if isinstance(values, Mapping):
            return any(isinstance(v, (list, tuple)) or hasattr(v, "shape") and getattr(v, "ndim", 0) > 0
                       for v in values.values())
        if isinstance(values, str):
            values = [values]
        return any("[" in str(v) for v in values)
    if isinstance(loss, str) and loss.strip().lower() == CROSS_ENTROPY:
        return True
    if isinstance(model, str) and any(uses_matrix_syntax(p.partition("=")[2] if "=" in p else p)
                                      for p in re.split(r"[;\n]", model) if p.strip()):
        return True
    return has_list(params) or has_list(sample)


def tensor_problem(model: str, loss: str = "mse", params=None, samples=None, lr: float = 0.01,
                   sample=None) -> TensorProblem:
    """Build a TensorProblem; ``params`` and ``sample`` are mappings or ``NAME=VALUE`` strings (nested
    lists allowed), ``samples`` a sequence of mappings {input or y: value}."""
    numpy_module()  # NumPy or a one-line error saying how to install it, before any work
    definitions = parse_tensor_model(model)
    loss_scalar, loss_vector, loss_name = parse_tensor_loss(loss)
    param_map = _values(params, "parameter")
    if not param_map:
        raise SpecError(f"the problem has no parameters; give at least one with {option('params')} NAME=VALUE")
    defined = {n for n, _ in definitions}
    used = set().union(*(e.names() for _, e in definitions))
    for name in param_map:
        if name in (TARGET, OUTPUT) or name in defined:
            raise SpecError(f"{name} cannot be a parameter: it is {'the target or output' if name in (TARGET, OUTPUT) else 'defined in the model'}")
        if name not in used:
            raise SpecError(f"parameter {name} does not appear in the model; its names are {', '.join(sorted(used))}")
    inputs = _inputs(definitions, defined, param_map)
    rows = [_values(s, "sample value") for s in (samples if samples is not None else ([sample] if sample else []))]
    if not rows:
        example = ",".join(f"{n}=[1.0, 2.0]" if i == 0 else f"{n}=1" for i, n in enumerate(inputs + (TARGET,)))
        raise SpecError(f"a matrix model needs a sample: give it in full with {option('sample')} {example}")
    rows = tuple(_sample(r, inputs, i) for i, r in enumerate(rows))
    return TensorProblem(
        definitions=tuple(definitions), loss=loss_scalar, loss_vector=loss_vector, loss_name=loss_name,
        params=tuple(param_map.items()), inputs=inputs, samples=rows, lr=_lr(lr), text=model, loss_text=loss,
    )


def parse_tensor_model(text: str) -> list:
    """``"h = tanh(W1 @ x + b1); y_hat = W2 @ h + b2"`` -> [("h", TExpr), ("y_hat", TExpr)]."""
    if not isinstance(text, str):
        raise ParseError("the model must be text such as 'W @ x + b'")
    parts = [p for p in re.split(r"[;\n]", text) if p.strip()]
    if not parts:
        raise ParseError("the model is empty; write an expression such as W @ x + b")
    if len(parts) > MAX_DEFINITIONS:
        raise ParseError(f"the model has {len(parts)} definitions; at most {MAX_DEFINITIONS} are allowed")
    definitions, defined = [], set()
    for i, part in enumerate(parts):
        name, body = _split_definition(part, last=i == len(parts) - 1)
        expr = parse_tensor(body, what=f"definition of {name}" if len(parts) > 1 else "model")
        used = expr.names()
        if name in defined:
            raise ParseError(f"{name} is defined twice in the model; give each definition its own name")
        if name in used:
            raise ParseError(f"{name} is defined in terms of itself")
        if TARGET in used or OUTPUT in used:
            raise ParseError("the model may use only parameters, inputs and earlier names, not y or y_hat")
        later = {n for n, _ in (_split_definition(p, last=j == len(parts) - 1) for j, p in enumerate(parts) if j > i)}
        if used & later:
            raise ParseError(f"{sorted(used & later)[0]} is used before it is defined; define it earlier in the model")
        definitions.append((name, expr))
        defined.add(name)
    return definitions


def parse_tensor_loss(text: str) -> tuple:
    """(loss on a scalar output, loss on a vector output, name): a preset or an expression in y_hat and y."""
    if not isinstance(text, str):
        raise ParseError("the loss must be text: mse, abs, bce, ce or an expression in y_hat and y")
    key = text.strip().lower()
    if key == CROSS_ENTROPY:
        ce = TExpr("cross_entropy", (TExpr("name", (), OUTPUT, OUTPUT), TExpr("name", (), TARGET, TARGET)), None,
                   "ce(y_hat, y)")
        return ce, ce, CROSS_ENTROPY
    if key in LOSSES:
        scalar, vector = LOSSES[key]
        return parse_tensor(scalar, what="loss"), parse_tensor(vector, what="loss"), key
    expr = parse_tensor(text.replace("yhat", OUTPUT), what="loss")
    extra = sorted(expr.names() - {TARGET, OUTPUT})
    if extra:
        raise ParseError(f"the loss uses {', '.join(extra)}; a loss may use only y_hat and y, or be one of "
                         "mse, abs, bce, ce")
    if OUTPUT not in expr.names():
        raise ParseError("the loss does not depend on y_hat, so it has no gradient; write it in y_hat and y")
    return expr, expr, "custom"


def _values(items, what: str) -> dict:
    """{name: read-only float64 array} from a mapping or NAME=VALUE strings."""
    np = numpy_module()
    if items is None:
        return {}
    raw = dict(items) if isinstance(items, Mapping) else split_assignments(list(items) if not isinstance(items, str) else [items], what)
    out = {}
    for name, value in raw.items():
        if isinstance(value, str):
            value = parse_literal(value, f"{what} {name}")
        try:
            array = np.array(value, dtype=float)
        except (TypeError, ValueError):
            raise SpecError(f"{what} {name} is not a number or a rectangular list of numbers") from None
        if array.ndim > 2:
            raise SpecError(f"{what} {name} has {array.ndim} axes; give a number, a vector or a matrix")
        if array.size == 0 or not np.isfinite(array).all():
            raise SpecError(f"{what} {name} must hold finite numbers")
        if array.ndim == 0:
            number(float(array), f"{what} {name}")
        out[str(name)] = _frozen(array)
    return out


def _frozen(array):
    array = array.copy()
    array.setflags(write=False)
    return array


def _inputs(definitions, defined, param_map) -> tuple:
    names: list = []
    for _, expr in definitions:
        for name in sorted(expr.names()):
            if name not in defined and name not in param_map and name not in names:
                names.append(name)
    return tuple(names)


def _sample(row: dict, inputs: tuple, index: int) -> dict:
    missing = [n for n in inputs + (TARGET,) if n not in row]
    if missing:
        raise SpecError(f"sample {index + 1} has no value for {', '.join(missing)}; the model's inputs are "
                        f"{', '.join(inputs) or 'none'} and the target is y")
    extra = sorted(set(row) - set(inputs) - {TARGET})
    if extra:
        raise SpecError(f"sample {index + 1} gives {', '.join(extra)}, which the model does not use")
    return {n: row[n] for n in inputs + (TARGET,)}


def _lr(lr) -> float:
    value = number(lr, "learning rate")
    if value <= 0:
        raise SpecError(f"the learning rate must be positive, not {value:g}; try {option('lr')} 0.01", option="lr", value=value)
    return value
