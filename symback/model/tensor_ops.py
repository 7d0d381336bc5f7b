"""The table of matrix operations: one entry per operation, everything about it side by side.

Each :class:`MatrixOp` holds, for ``out = op(a, b, …)``:

- ``shape``: the shape of ``out`` from the operands' shapes (or a :class:`ShapeMismatch`);
- ``forward(K, a, b, …)``: the value, written against a kernel ``K`` (float64 arrays for the
  numbers, arrays of SymPy expressions for the exact and entry-by-entry forms: one code, two uses);
- ``vjps[i](K, up, args, out)``: the vector-Jacobian product ∂L/∂argᵢ given ``up`` = ∂L/∂out;
- ``rule``: the name of the matrix rule; ``entries[i]``: the same rule entry by entry
  (``∂L/∂W_ij = δ_i x_j``), the bridge to the scalar lesson; ``display[i]``: the rule in matrix
  notation (``δ xᵀ``), text and LaTeX, with ``{up}`` for δ and ``{0}``, ``{1}``, ``{out}`` for the
  operands and the result;
- ``numpy`` / ``numpy_vjps``: the NumPy code of the forward value and of each VJP on one sample
  (templates in the same placeholders; ``{f}`` and ``{df}`` name an elementwise function and its
  derivative), for the compiled training code.

Vectors are one-dimensional (as in NumPy and PyTorch): ``W @ x`` with W of shape (m, n) and x
of shape (n,) has shape (m,). A scalar operand of an elementwise operation that the gradient flows
through is first broadcast by its own node (``broadcast``), whose VJP sums the upstream back: the
reduction is an explicit step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

Shape = tuple


class ShapeMismatch(ValueError):
    """Operands whose shapes an operation cannot combine; the message names both shapes."""


def shape_text(shape: Shape) -> str:
    """(3, 2) -> '3×2', (3,) -> 'vector of 3', () -> 'scalar'."""
    if not shape:
        return "scalar"
    if len(shape) == 1:
        return f"vector of {shape[0]}"
    return "×".join(str(n) for n in shape)


@dataclass(frozen=True)
class MatrixOp:
    """One operation of a matrix model: forward, VJP per operand, rule, display and code (see module doc)."""

    key: str
    arity: int
    shape: Callable
    forward: Callable
    vjps: tuple
    rule: str
    entries: tuple
    display: tuple
    latex: tuple
    numpy: str
    numpy_vjps: tuple
    #: the forward formula, text and LaTeX (``{0}{1}`` for W₁x)
    formula: str = ""
    formula_latex: str = ""
    #: operands that are never differentiated (the class label of cross-entropy)
    constant_args: tuple = field(default=())


def _same(name):
    def shape(a, b):
        if a != b and a and b:
            raise ShapeMismatch(f"{name} needs equal shapes or a scalar, not {shape_text(a)} and {shape_text(b)}")
        return a or b
    return shape


def _matvec_shape(a, b):
    if len(a) != 2 or len(b) != 1 or a[1] != b[0]:
        raise ShapeMismatch(f"{shape_text(a)} @ {shape_text(b)}: the columns of the left must match the right")
    return (a[0],)


def _vecmat_shape(a, b):
    if len(a) != 1 or len(b) != 2 or a[0] != b[0]:
        raise ShapeMismatch(f"{shape_text(a)} @ {shape_text(b)}: the left's length must match the right's rows")
    return (b[1],)


def _matmat_shape(a, b):
    if len(a) != 2 or len(b) != 2 or a[1] != b[0]:
        raise ShapeMismatch(f"{shape_text(a)} @ {shape_text(b)}: the columns of the left must match the rows "
                            "of the right")
    return (a[0], b[1])


def _dot_shape(a, b):
    if len(a) != 1 or len(b) != 1 or a != b:
        raise ShapeMismatch(f"{shape_text(a)} @ {shape_text(b)}: a dot product needs two vectors of one length")
    return ()


def _vector(name):
    def shape(a):
        if len(a) != 1:
            raise ShapeMismatch(f"{name} needs a vector, not {shape_text(a)}")
        return a
    return shape


def _reduce_shape(a):
    return ()


def _transpose_shape(a):
    return tuple(reversed(a))


def _keep(a, *rest):
    return a


def _ce_shape(z, y):
    if len(z) != 1:
        raise ShapeMismatch(f"ce needs a vector of logits y_hat, not {shape_text(z)}")
    if y:
        raise ShapeMismatch(f"ce needs the class index y as a scalar, not {shape_text(y)}")
    return ()


def matmul_kind(a: Shape, b: Shape) -> str:
    """Which product ``a @ b`` is, by the operands' shapes (the key of its entry)."""
    kinds = {(2, 1): "matvec", (1, 2): "vecmat", (2, 2): "matmat", (1, 1): "dot"}
    kind = kinds.get((len(a), len(b)))
    if kind is None:
        raise ShapeMismatch(f"{shape_text(a)} @ {shape_text(b)}: @ multiplies vectors and matrices, not scalars "
                            "(use * for a scalar)")
    return kind


def _op(key, arity, shape, forward, vjps, rule, entries, display, latex, numpy, numpy_vjps, formula="",
        formula_latex="", constant_args=(), attrs=False):
    """An entry; unless ``attrs``, its forward and VJPs ignore the node's attributes (keyword arguments)."""
    if not attrs:
        forward, vjps = _ignoring(forward), [_ignoring(v) for v in vjps]
    return MatrixOp(key, arity, shape, forward, tuple(vjps), rule, tuple(entries), tuple(display), tuple(latex),
                    numpy, tuple(numpy_vjps), formula, formula_latex, tuple(constant_args))


def _ignoring(fn):
    return lambda *args, **_: fn(*args)


OPS: dict[str, MatrixOp] = {}


def _register(*ops: MatrixOp) -> None:
    for op in ops:
        OPS[op.key] = op


_register(
    _op("matvec", 2, _matvec_shape, lambda K, W, x: K.matmul(W, x),
        [lambda K, up, a, out: K.outer(up, a[1]), lambda K, up, a, out: K.matmul(K.T(a[0]), up)],
        "matrix_vector",
        ["∂L/∂{0}_ij = δ_i {1}_j", "∂L/∂{1}_j = Σ_i {0}_ij δ_i"],
        ["{up} {1}ᵀ", "{0}ᵀ {up}"], [r"{up}\,{1}^\top", r"{0}^\top {up}"],
        "{0} @ {1}", ["np.outer({up}, {1})", "{0}.T @ {up}"], "{0}{1}", "{0}{1}"),
    _op("vecmat", 2, _vecmat_shape, lambda K, x, W: K.matmul(x, W),
        [lambda K, up, a, out: K.matmul(a[1], up), lambda K, up, a, out: K.outer(a[0], up)],
        "vector_matrix",
        ["∂L/∂{0}_i = Σ_j {1}_ij δ_j", "∂L/∂{1}_ij = {0}_i δ_j"],
        ["{1} {up}", "{0} {up}ᵀ"], [r"{1}\,{up}", r"{0}\,{up}^\top"],
        "{0} @ {1}", ["{1} @ {up}", "np.outer({0}, {up})"], "{0}ᵀ{1}", r"{0}^\top {1}"),
    _op("matmat", 2, _matmat_shape, lambda K, A, B: K.matmul(A, B),
        [lambda K, up, a, out: K.matmul(up, K.T(a[1])), lambda K, up, a, out: K.matmul(K.T(a[0]), up)],
        "matrix_matrix",
        ["∂L/∂{0}_ij = Σ_k δ_ik {1}_jk", "∂L/∂{1}_jk = Σ_i {0}_ij δ_ik"],
        ["{up} {1}ᵀ", "{0}ᵀ {up}"], [r"{up}\,{1}^\top", r"{0}^\top {up}"],
        "{0} @ {1}", ["{up} @ {1}.T", "{0}.T @ {up}"], "{0}{1}", "{0}{1}"),
    _op("dot", 2, _dot_shape, lambda K, a, b: K.matmul(a, b),
        [lambda K, up, a, out: up * a[1], lambda K, up, a, out: up * a[0]],
        "dot_product",
        ["∂L/∂{0}_i = δ {1}_i", "∂L/∂{1}_i = δ {0}_i"],
        ["{up} {1}", "{up} {0}"], [r"{up}\,{1}", r"{up}\,{0}"],
        "{0} @ {1}", ["{up} * {1}", "{up} * {0}"], "{0}ᵀ{1}", r"{0}^\top {1}"),
    _op("add", 2, _same("+"), lambda K, a, b: a + b,
        [lambda K, up, a, out: up, lambda K, up, a, out: up],
        "sum", ["∂L/∂{0}_i = δ_i", "∂L/∂{1}_i = δ_i"],
        ["{up}", "{up}"], ["{up}", "{up}"], "{0} + {1}", ["{up}", "{up}"], "{0} + {1}", "{0} + {1}"),
    _op("sub", 2, _same("-"), lambda K, a, b: a - b,
        [lambda K, up, a, out: up, lambda K, up, a, out: -up],
        "difference", ["∂L/∂{0}_i = δ_i", "∂L/∂{1}_i = −δ_i"],
        ["{up}", "−{up}"], ["{up}", "-{up}"], "{0} - {1}", ["{up}", "-{up}"], "{0} − {1}", "{0} - {1}"),
    _op("mul", 2, _same("*"), lambda K, a, b: a * b,
        [lambda K, up, a, out: up * a[1], lambda K, up, a, out: up * a[0]],
        "hadamard", ["∂L/∂{0}_i = δ_i {1}_i", "∂L/∂{1}_i = δ_i {0}_i"],
        ["{up} ⊙ {1}", "{up} ⊙ {0}"], [r"{up} \odot {1}", r"{up} \odot {0}"],
        "{0} * {1}", ["{up} * {1}", "{up} * {0}"], "{0} ⊙ {1}", r"{0} \odot {1}"),
    _op("div", 2, _same("/"), lambda K, a, b: a / b,
        [lambda K, up, a, out: up / a[1], lambda K, up, a, out: -up * a[0] / (a[1] * a[1])],
        "quotient", ["∂L/∂{0}_i = δ_i / {1}_i", "∂L/∂{1}_i = −δ_i {0}_i / {1}_i²"],
        ["{up} ⊘ {1}", "−{up} ⊙ {0} ⊘ {1}²"], [r"{up} \oslash {1}", r"-{up} \odot {0} \oslash {1}^{{2}}"],
        "{0} / {1}", ["{up} / {1}", "-{up} * {0} / {1}**2"], "{0} ⊘ {1}", r"{0} \oslash {1}"),
    _op("pow", 2, _same("**"), lambda K, a, c: K.power(a, c),
        [lambda K, up, a, out: up * a[1] * K.power(a[0], a[1] - 1)],
        "power", ["∂L/∂{0}_i = δ_i · {1} {0}_i{pm1}"],
        ["{up} ⊙ {1} {0}{pm1}"], [r"{up} \odot {1}\,{0}{pm1}"],
        "{0} ** {1}", ["{up} * {1} * {0} ** ({1} - 1)"], "{0}{p}", "{0}{p}", constant_args=(1,)),
    _op("neg", 1, _keep, lambda K, a: -a, [lambda K, up, a, out: -up],
        "negation", ["∂L/∂{0}_i = −δ_i"], ["−{up}"], ["-{up}"], "-{0}", ["-{up}"], "−{0}", "-{0}"),
    _op("identity", 1, _keep, lambda K, a: a, [lambda K, up, a, out: up],
        "identity", ["∂L/∂{0}_i = δ_i"], ["{up}"], ["{up}"], "{0}", ["{up}"], "{0}", "{0}"),
    _op("apply", 1, _keep, lambda K, a, f: K.apply(f, a),
        [lambda K, up, a, out, f: up * K.derivative(f, a[0], out)],
        "elementwise", ["∂L/∂{0}_i = δ_i {f}′({0}_i)"], ["{up} ⊙ {df}"], [r"{up} \odot {df}"],
        "{f}({0})", ["{up} * {df}"], "{f}({0})", r"{f}\left({0}\right)", attrs=True),
    _op("broadcast", 1, _keep, lambda K, a, shape: K.broadcast(a, shape),
        [lambda K, up, a, out, shape: K.total(up)],
        "broadcast", ["∂L/∂{0} = Σ_i δ_i"], ["Σᵢ {up}ᵢ"], [r"\textstyle\sum_i {up}_i"],
        "np.full({shape}, {0})", ["np.sum({up})"], "{0}𝟙", r"{0}\mathbf{{1}}", attrs=True),
    _op("sum", 1, _reduce_shape, lambda K, a: K.total(a),
        [lambda K, up, a, out: K.broadcast(up, a[0].shape)],
        "sum_entries", ["∂L/∂{0}_i = δ"], ["{up} 𝟙"], [r"{up}\,\mathbf{{1}}"],
        "np.sum({0})", ["np.full({0}.shape, {up})"], "Σᵢ {0}ᵢ", r"\textstyle\sum_i {0}_i"),
    _op("mean", 1, _reduce_shape, lambda K, a: K.total(a) / K.size(a),
        [lambda K, up, a, out: K.broadcast(up / K.size(a[0]), a[0].shape)],
        "mean_entries", ["∂L/∂{0}_i = δ / n"], ["({up}/{n}) 𝟙"], [r"\tfrac{{{up}}}{{{n}}}\,\mathbf{{1}}"],
        "np.mean({0})", ["np.full({0}.shape, {up} / {0}.size)"], "mean({0})", r"\operatorname{{mean}}({0})"),
    _op("transpose", 1, _transpose_shape, lambda K, a: K.T(a), [lambda K, up, a, out: K.T(up)],
        "transpose", ["∂L/∂{0}_ij = δ_ji"], ["{up}ᵀ"], [r"{up}^\top"], "{0}.T", ["{up}.T"], "{0}ᵀ", r"{0}^\top"),
    _op("softmax", 1, _vector("softmax"), lambda K, z: K.softmax(z),
        [lambda K, up, a, out: out * (up - K.matmul(up, out))],
        "softmax", ["∂L/∂{0}_j = s_j (δ_j − Σ_i δ_i s_i)"], ["{out} ⊙ ({up} − {out}ᵀ{up})"],
        [r"{out} \odot ({up} - {out}^\top {up})"],
        "softmax({0})", ["{out} * ({up} - {out} @ {up})"], "softmax({0})", r"\operatorname{{softmax}}({0})"),
    _op("log_softmax", 1, _vector("log_softmax"), lambda K, z: K.log_softmax(z),
        [lambda K, up, a, out: up - K.softmax(a[0]) * K.total(up)],
        "log_softmax", ["∂L/∂{0}_j = δ_j − softmax({0})_j Σ_i δ_i"], ["{up} − softmax({0}) Σᵢ {up}ᵢ"],
        [r"{up} - \operatorname{{softmax}}({0}) \textstyle\sum_i {up}_i"],
        "log_softmax({0})", ["{up} - softmax({0}) * np.sum({up})"], "log_softmax({0})",
        r"\operatorname{{log\,softmax}}({0})"),
    _op("cross_entropy", 2, _ce_shape, lambda K, z, y: K.cross_entropy(z, y),
        [lambda K, up, a, out: up * (K.softmax(a[0]) - K.onehot(a[1], a[0].shape))],
        "softmax_cross_entropy", ["∂L/∂{0}_j = δ (softmax({0})_j − [j = {1}])"],
        ["{up} (softmax({0}) − onehot({1}))"],
        [r"{up}\,(\operatorname{{softmax}}({0}) - \operatorname{{onehot}}({1}))"],
        "logsumexp({0}) - {0}[int({1})]", ["{up} * (softmax({0}) - onehot({1}, {0}.size))"],
        "−log softmax({0})_{1}", r"-\log \operatorname{{softmax}}({0})_{{{1}}}", constant_args=(1,)),
)



_SUPERSCRIPT = str.maketrans("0123456789-/().", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻ᐟ⁽⁾·")


def exponent_marks(c: Fraction) -> dict:
    """The marks a power node's templates use, in text and LaTeX: ``p`` the exponent (x², x^{1/2}),
    ``pm1`` the exponent of the derivative (nothing for x¹)."""
    def marks(e: Fraction) -> tuple:
        text = str(e)
        return text.translate(_SUPERSCRIPT), "^{" + text + "}"
    p_text, p_tex = marks(c)
    pm1_text, pm1_tex = ("", "") if c - 1 == 1 else marks(c - 1)
    return {"p": (p_text, p_tex), "pm1": (pm1_text, pm1_tex)}


def node_marks(op: str, args: tuple, shapes: tuple) -> dict:
    """{placeholder: (text, LaTeX)} a node's templates need beyond its operands, upstream and output:
    the exponents of a power, the number n of entries of a mean."""
    if op == "pow":
        return exponent_marks(args[1])
    if op == "mean":
        n = 1
        for k in shapes[0]:
            n *= k
        return {"n": (str(n), str(n))}
    return {}
