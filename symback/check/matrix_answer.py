"""A student's matrix-form gradient: read by the safe parser, computed on float64 arrays.

The answer is written in the matrix language of the model (``@`` the matrix product,
``transpose``, ``* / + - **`` elementwise, the functions elementwise, ``sum mean softmax
log_softmax``) and may use these names:

- the parameters, the inputs, ``y``, ``y_hat`` (or ``yhat``) and every name of the graph
  (``h``, ``u1``, …), each standing for its forward value;
- ``delta_v`` (also written ``dL_dv``, ``dL/dv`` or ``∂L/∂v``): δ_v = ∂L/∂v, the gradient the
  backward pass has at the node or parameter ``v`` (the explanation's δ_v);
- ``onehot(y)`` with the loss ``ce``: the class label as a vector (1 at class y, 0 elsewhere);
- ``delta``: the upstream gradient of the one operation that uses the variable being checked
  (for ``--wrt W1`` in ``W1 @ x + b1`` it is δ of ``W1 @ x``), the δ of ``∂L/∂W = δ xᵀ``.

Vectors are columns, as on paper: ``x ∈ ℝ²`` is a 2×1 matrix, ``transpose(x)`` a 1×2 row, so
``delta @ transpose(x)`` is the outer product δ xᵀ, and ``transpose(delta) @ x`` is 1×1.
``*`` is elementwise with NumPy's broadcasting, so a column times a row is also their outer
product (``delta * transpose(x)``). A 1×1 result is a number.

Nothing here evaluates the text: :func:`symback.model.tensor_parse.parse_tensor` builds a tree
from a whitelist, and :func:`compute` walks it with NumPy's arithmetic.
"""

from __future__ import annotations

import re

import numpy as np

from ..core.tensor.kernels import FLOAT
from ..errors import ParseError
from ..model.tensor_parse import TExpr, parse_tensor

#: the upstream gradient of the operation that uses the variable checked
DELTA = "delta"
#: the name ``onehot(y)`` is read as (with the loss ce)
ONEHOT = "onehot_y"
_WORD = r"[A-Za-z][A-Za-z0-9_]*"
#: entries agree when |a − b| ≤ RTOL · max(1, |b|)
RTOL = 1e-9


class AnswerShapeError(ValueError):
    """Operands of the answer whose shapes do not fit (a wrong answer, not an unreadable one)."""

    def __init__(self, part: str, shapes: tuple, op: str):
        super().__init__(part)
        self.part, self.shapes, self.op = part, shapes, op


def adjoint_name(name: str) -> str:
    """The answer's name of δ_name = ∂L/∂name."""
    return f"{DELTA}_{name}"


def normalise(text: str, loss: str = "L") -> str:
    """``dL/dh``, ``∂L/∂h`` and ``dL_dh`` -> ``delta_h``; ``ŷ`` and ``yhat`` -> ``y_hat``; ``onehot(y)`` -> onehot_y.

    Only spellings are changed; the result is read by the safe parser like any text."""
    text = text.replace("∂", "d").replace("ŷ", "y_hat").replace("δ", DELTA)
    text = re.sub(rf"\bd{loss}\s*/\s*d\s*({_WORD})", lambda m: adjoint_name(m.group(1)), text)
    text = re.sub(rf"\bd{loss}_d({_WORD})", lambda m: adjoint_name(m.group(1)), text)
    text = re.sub(r"\bonehot\s*\(\s*y\s*\)", ONEHOT, text)
    return re.sub(r"\byhat\b", "y_hat", text)


def read_matrix_answer(text: str, known: set, loss: str = "L") -> TExpr:
    """The answer's tree; every name must be one of ``known`` (see :func:`answer_names`)."""
    if not isinstance(text, str):
        raise ParseError("the answer must be text such as 'delta @ transpose(x)'")
    expr = parse_tensor(normalise(text, loss), what="answer")
    unknown = sorted(expr.names() - known)
    if unknown:
        raise ParseError(f"the answer uses {', '.join(unknown)}, which the problem does not define; "
                         f"it may use {_listed(known)}")
    return expr


def _listed(names) -> str:
    plain = sorted("onehot(y)" if n == ONEHOT else n for n in names if not n.startswith(DELTA + "_"))
    deltas = sorted(n for n in names if n.startswith(DELTA + "_"))
    more = f" and {deltas[0]}, … (δ of a node)" if deltas else ""
    return ", ".join(plain) + more


def column(value) -> np.ndarray:
    """A value as the answer sees it: a vector of n becomes an n×1 column."""
    value = np.asarray(value, dtype=float)
    return value.reshape(-1, 1) if value.ndim == 1 else value


def as_number(value) -> np.ndarray:
    """A 1×1 matrix is the number it holds (the dot product written transpose(a) @ b)."""
    value = np.asarray(value, dtype=float)
    return value.reshape(()) if value.shape == (1, 1) else value


def compute(expr: TExpr, env: dict) -> np.ndarray:
    """The value of the answer's tree at ``env`` ({name: column-form array})."""
    if expr.op == "name":
        return env[expr.value]
    if expr.op == "number":
        return np.asarray(float(expr.value))
    args = [compute(a, env) for a in expr.args]
    with np.errstate(all="ignore"):
        return _apply(expr, args)


def _apply(expr: TExpr, args: list) -> np.ndarray:
    op = expr.op
    if op in _ELEMENTWISE:
        return _elementwise(expr, args)
    if op == "matmul":
        a, b = (np.atleast_2d(v) if v.ndim else v for v in args)
        if a.ndim < 2 or b.ndim < 2 or a.shape[1] != b.shape[0]:
            raise AnswerShapeError(expr.text, (args[0].shape, args[1].shape), "@")
        return FLOAT.matmul(a, b)
    (a,) = args
    if op == "neg":
        return -a
    if op == "transpose":
        return a.T
    if op == "apply":
        return FLOAT.apply(expr.value, a)
    if op in ("sum", "mean"):
        return np.asarray(np.add.reduce(a.reshape(-1)) / (a.size if op == "mean" else 1))
    if a.ndim == 2 and 1 not in a.shape:  # softmax of a matrix: which axis is not said
        raise AnswerShapeError(expr.text, (a.shape,), op)
    flat = a.reshape(-1)
    return (FLOAT.softmax(flat) if op == "softmax" else FLOAT.log_softmax(flat)).reshape(a.shape)


_ELEMENTWISE = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide, "pow": np.power}
_SYMBOLS = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "**"}


def _elementwise(expr: TExpr, args: list) -> np.ndarray:
    """NumPy's broadcasting: equal shapes, a number, or a column against a row (the outer product)."""
    try:
        np.broadcast_shapes(*(a.shape for a in args))
    except ValueError:
        raise AnswerShapeError(expr.text, tuple(a.shape for a in args), _SYMBOLS[expr.op]) from None
    return _ELEMENTWISE[expr.op](*args)


def close(a, b) -> bool:
    """Same shape, and every entry within RTOL of the other (relative to max(1, |b|)); NaN is never close."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return False
    with np.errstate(invalid="ignore"):
        return bool(np.all(np.abs(a - b) <= RTOL * np.maximum(1.0, np.abs(b))))
