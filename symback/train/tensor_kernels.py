"""The functions that compiled matrix code calls, in two kinds: portable (the default) and BLAS.

Compiled matrix code (:mod:`symback.train.tensor_code`) works on whole layers: an
array per node with a first axis of samples. Its products are contractions
``contract("nk,mk->nm", X, W)`` (X Wᵀ for the batch), its elementwise functions
``tanh``, ``exp``, … of whole arrays. Each kind provides the same names:

- **portable** (``--backend numpy``, the default): the same digits on every machine.
  A contraction multiplies entry by entry and sums each output's terms with
  NumPy's ``add.reduce`` (pairwise over a layer's width; term after term over
  the samples), in blocks of a fixed size: an order fixed by the code, never
  by the processor (see docs/performance.md). ``exp``, ``tanh``, … run through the C library value
  by value, as the scalar code does.
- **blas** (``--backend blas``): contractions become one matrix product
  (``numpy.matmul``, a BLAS GEMM) and functions NumPy's vectorised loops:
  as fast as NumPy written by hand, but the last digits of a sum depend on
  the BLAS kernel and the processor.

Both compute the same mathematics; tests hold both to PyTorch within 1e-9.
"""

from __future__ import annotations

import math
from functools import lru_cache

from .backends import _portable, _portable_pow, numpy_module
from ..model.ops import BY_CLASS

#: entries of one block of products (fits the processor's cache: 1 MiB of float64)
BLOCK = 1 << 17


@lru_cache(maxsize=None)
def plan(spec: str) -> tuple:
    """How ``contract(spec, a, b)`` lays out its operands: for ``"nk,mk->nm"``, the letters of a
    and b, the batch letters (in a, b and the output), the free letters of a and of b, the
    contracted letters (in a and b, not the output), and the letters only one operand has
    that the output lacks (summed first)."""
    inputs, out = spec.split("->")
    a, b = inputs.split(",")
    batch = tuple(c for c in out if c in a and c in b)
    contracted = tuple(c for c in a if c in b and c not in out)
    free_a = tuple(c for c in out if c in a and c not in b)
    free_b = tuple(c for c in out if c in b and c not in a)
    lone_a = tuple(c for c in a if c not in b and c not in out)
    lone_b = tuple(c for c in b if c not in a and c not in out)
    return a, b, out, batch, contracted, free_a, free_b, lone_a, lone_b


def _arrange(np, x, letters, lone, first, middle, last):
    """``x`` summed over its ``lone`` letters, then laid out as (first, middle, last), each group flattened."""
    if lone:
        x = np.add.reduce(x, axis=tuple(letters.index(c) for c in lone))
        letters = tuple(c for c in letters if c not in lone)
    order = [letters.index(c) for c in first + middle + last]
    x = np.transpose(x, order)
    sizes = [x.shape[:len(first)], x.shape[len(first):len(first) + len(middle)], x.shape[len(first) + len(middle):]]
    return x.reshape(tuple(math.prod(s) for s in sizes)), sizes


def contract(np, product, spec: str, a, b):
    """Σ over the contracted letters of a·b, as numpy.einsum(spec, a, b), with ``product`` doing
    the batched matrix product (Nb, Fa, C) @ (Nb, C, Fb)."""
    letters_a, letters_b, out, batch, contracted, free_a, free_b, lone_a, lone_b = plan(spec)
    a2, (bs, fa, _) = _arrange(np, np.asarray(a), tuple(letters_a), lone_a, batch, free_a, contracted)
    b2, (_, _, fb) = _arrange(np, np.asarray(b), tuple(letters_b), lone_b, batch, contracted, free_b)
    result = product(np, a2, b2).reshape(bs + fa + fb)
    have = batch + free_a + free_b
    return np.transpose(result, [have.index(c) for c in out]) if have != tuple(out) else result


def blas_product(np, a, b):
    """(Nb, Fa, C) @ (Nb, C, Fb) by BLAS: one GEMM when there is no batch letter."""
    if a.shape[0] == 1:
        return np.matmul(a[0], b[0])[None]
    return np.matmul(a, b)


def portable_product(np, a, b):
    """(Nb, Fa, C) @ (Nb, C, Fb) in an order fixed by the code alone (never by the processor).

    Few terms per output (a layer's forward pass, C = its width): each output's C products
    summed pairwise by ``add.reduce`` over a contiguous axis. Many terms (a parameter's
    gradient, C = the number of samples): the products of a block of terms, each a whole
    Fa×Fb matrix, summed term after term in order, then the blocks one after another.
    """
    nb, fa, c = a.shape
    fb = b.shape[2]
    if c == 0:
        return np.zeros((nb, fa, fb))
    if c > fa * fb:
        return _accumulated(np, a, b)
    out = np.empty((nb, fa, fb))
    bt = np.ascontiguousarray(np.swapaxes(b, 1, 2))  # (Nb, Fb, C): each output's terms contiguous
    rows = max(1, BLOCK // (fb * c))
    for k in range(nb):
        for i in range(0, fa, rows):
            out[k, i:i + rows] = np.add.reduce(a[k, i:i + rows, None, :] * bt[k, None, :, :], axis=2)
    return out


def _accumulated(np, a, b):
    """Σ_c a[k,:,c] b[k,c,:] with the terms c taken in order, a block of them at a time."""
    nb, fa, c = a.shape
    fb = b.shape[2]
    at = np.ascontiguousarray(np.swapaxes(a, 1, 2))  # (Nb, C, Fa)
    b = np.ascontiguousarray(b)
    out = np.zeros((nb, fa, fb))
    step = max(1, BLOCK // (fa * fb))
    for k in range(nb):
        for s in range(0, c, step):
            out[k] += np.add.reduce(at[k, s:s + step, :, None] * b[k, s:s + step, None, :], axis=0)
    return out


def _heaviside(np):
    return lambda z, h0: np.where(z > 0, 1.0, np.where(z < 0, 0.0, h0))


def _softmax(np, exp):
    def softmax(z):
        """Along the last axis: e^(z − max z) / Σ e^(z − max z), no overflow."""
        e = exp(z - np.max(z, axis=-1, keepdims=True))
        return e / np.add.reduce(e, axis=-1, keepdims=True)
    return softmax


def _logsumexp(np, exp, log):
    def logsumexp(z):
        m = np.max(z, axis=-1)
        return m + log(np.add.reduce(exp(z - m[..., None]), axis=-1))
    return logsumexp


def common(np, exp, log, log1p) -> dict:
    """The functions both kinds share, built on their ``exp``, ``log`` and ``log1p``."""
    softmax = _softmax(np, exp)

    def cross_entropy(z, y):
        """−log softmax(z)[y] = logsumexp(z) − z[y], per sample (y a class index per sample)."""
        picked = np.take_along_axis(z, np.asarray(y, dtype=np.intp)[..., None], axis=-1)[..., 0]
        return logsumexp(z) - picked

    def onehot(y, size):
        return (np.arange(size) == np.asarray(y, dtype=np.intp)[..., None]).astype(np.float64)

    def sum_to(x, ndim, batched):
        """``x`` summed down to ``ndim`` axes: first over the sample axis (a parameter's gradient,
        when ``batched`` is False), then over leading axes of a broadcast."""
        if not batched and np.ndim(x) > ndim:
            x = np.add.reduce(x, axis=0)
        while np.ndim(x) > ndim + batched:
            x = np.add.reduce(x, axis=int(batched))
        return x

    def total(x, batched):
        """The sum of each sample's entries (or of all entries, unbatched)."""
        x = np.asarray(x)
        if batched:
            return np.add.reduce(x.reshape(len(x), -1), axis=1)
        return np.add.reduce(x.reshape(-1))

    logsumexp = _logsumexp(np, exp, log)
    def log_sigmoid(z):
        """log σ(z) = min(z, 0) − log(1 + e^(−|z|)): finite wherever z is."""
        return np.minimum(z, 0.0) - log1p(exp(-np.abs(z)))

    return {"np": np, "softmax": softmax, "log_sigmoid": log_sigmoid, "logsumexp": logsumexp, "cross_entropy": cross_entropy,
            "onehot": onehot, "sum_to": sum_to, "total": total, **_own(np, exp, log, log1p),
            "heaviside": _heaviside(np), "sign": np.sign,
            "absolute": np.abs, "sqrt": np.sqrt, "maximum": np.maximum}


def _own(np, exp, log, log1p) -> dict:
    """The operation table's functions that NumPy lacks (sigmoid, relu, softplus), in float64 arrays,
    built on this kind's ``exp``, ``log`` and ``log1p``."""
    lib = {"exp": exp, "log": log, "log1p": log1p}
    return {op.code: op.numpy(np, np.float64, lib) for op in BY_CLASS.values() if op.numpy is not None}


@lru_cache(maxsize=None)
def namespace(kind: str) -> dict:
    """The names compiled matrix code sees, for ``kind`` "portable" or "blas"."""
    np = numpy_module()
    if kind == "portable":
        functions = {name: _portable(np, np.float64, name) for name in ("exp", "log", "log1p", "tanh", "sin", "cos", "tan")}
        functions["fpow"] = _portable_pow(np, np.float64)
        product = portable_product
    else:
        functions = {name: getattr(np, name) for name in ("exp", "log", "log1p", "tanh", "sin", "cos", "tan")}
        functions["fpow"] = np.power
        product = blas_product
    space = common(np, functions["exp"], functions["log"], functions["log1p"])
    space.update(functions)
    space["contract"] = lambda spec, a, b: contract(np, product, spec, a, b)
    return space
