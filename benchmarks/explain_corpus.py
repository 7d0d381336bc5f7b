"""A seeded corpus of random valid models of symback's language, for bench_explain.py.

Each case is the command line of one ``symback explain`` and the CSV data it
reads. Over the corpus: every function of the language, layered models of 1
to 6 definitions, fan-out (a defined name used more than once), fractional
and negative powers and quotients, every loss preset and custom losses, one
sample and the batch. The generator cycles through functions, depths, losses
and modes so that each appears; the rest is drawn from ``random.Random(seed)``.
Validity (finite values at the data) is decided by running the case: the
benchmark keeps the cases that exit 0.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

FUNCTIONS = ("exp", "log", "sin", "cos", "tan", "tanh", "sqrt", "sigmoid", "relu", "abs")
#: functions whose argument should be positive at the data
POSITIVE_ARG = ("log", "sqrt")
POWERS = ("2", "3", "-1", "0.5", "1.5", "-0.5", "-2")
CUSTOM_LOSSES = (
    "(y_hat - y)**4",
    "log(1 + (y_hat - y)**2)",
    "sqrt((y_hat - y)**2 + 1) - 1",
    "exp(y_hat - y) - (y_hat - y) - 1",
    "0.5*(y_hat - y)**2",
    "(y_hat - y)**2/(1 + y**2)",
    "tanh(y_hat - y)**2",
    "abs(y_hat - y)**1.5",
)
LOSSES = ("mse", "abs", "bce") + CUSTOM_LOSSES


@dataclass(frozen=True)
class Case:
    """One explain run: its model, loss, parameters, data and mode."""

    number: int
    model: str
    loss: str
    params: tuple[tuple[str, float], ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[float, ...], ...]
    mode: str

    def args(self, data_path: str) -> list[str]:
        """The options of ``symback explain`` for this case, reading data from ``data_path``."""
        out = ["explain", "--model", self.model, "--loss", self.loss, "--data", data_path, "--mode", self.mode]
        for name, value in self.params:
            out += ["--param", f"{name}={value}"]
        return out

    def csv(self) -> str:
        lines = [",".join(self.columns)] + [",".join(repr(v) for v in row) for row in self.rows]
        return "\n".join(lines) + "\n"

    @property
    def definitions(self) -> int:
        return self.model.count(";") + 1

    def label(self) -> str:
        return f"#{self.number} [{self.mode}, {self.loss}] {self.model}"


class _Builder:
    """Draws one model: parameters get fresh names as they are used."""

    def __init__(self, rng: random.Random, inputs: tuple[str, ...]):
        self.rng, self.inputs, self.params, self.used = rng, inputs, {}, set()

    def param(self, prefix: str, positive: bool = False) -> str:
        name = f"{prefix}{sum(1 for p in self.params if p.startswith(prefix)) + 1}"
        value = self.rng.choice((0.2, 0.3, 0.5, 0.6, 0.8, 1.1, 1.5))
        self.params[name] = value if positive else value * self.rng.choice((1, -1))
        return name

    def linear(self, names: list[str], positive: bool = False) -> str:
        """w·a + b over one or two of ``names``: a neuron's pre-activation."""
        used = self.rng.sample(names, min(len(names), self.rng.choice((1, 1, 2))))
        self.used.update(used)
        terms = [f"{self.param('w', positive)}*{a}" for a in used]
        return " + ".join(terms + [self.param("b", positive)])

    def positive(self, names: list[str]) -> str:
        """An argument that is positive at the data, for log, sqrt and fractional powers."""
        inner = self.linear(names)
        form = self.rng.randrange(4)
        if form == 3:
            return f"{self.param('c', True)} + ({inner})**2"
        return (f"1 + ({inner})**2", f"exp({inner})", f"sigmoid({inner})")[form]

    def unit(self, names: list[str], function: str | None = None) -> str:
        """One hidden unit: a function of a linear form, or a power of a positive form."""
        kind = function or self.rng.choice(FUNCTIONS + ("power", "quotient"))
        if kind == "power":
            return f"({self.positive(names)})**{self.rng.choice(POWERS)}"
        if kind == "quotient":
            return f"{self.linear(names)}/({self.positive(names)})"
        arg = self.positive(names) if kind in POSITIVE_ARG else self.linear(names)
        return f"{kind}({arg})"

    def output(self, names: list[str], squash: bool) -> str:
        """y_hat from the last layer: a weighted sum (of every unit no other unit reads, so each
        parameter reaches y_hat, and of some that others read: fan-out), sometimes with a product."""
        chosen = set(self.rng.sample(names, min(len(names), self.rng.choice((1, 2, 3)))))
        picked = [h for h in names if h in chosen or h not in self.used]
        terms = [f"{self.param('v')}*{h}" for h in picked]
        if len(names) > 1 and self.rng.random() < 0.4:
            terms.append(f"{names[-1]}*{names[0]}")
        body = " + ".join(terms + [self.param("c")])
        return f"sigmoid({body})" if squash else body


def case(number: int, rng: random.Random) -> Case:
    """The ``number``-th case: its function, depth, loss and mode cycle; the rest is random."""
    inputs = ("x",) if rng.random() < 0.7 else ("x1", "x2")
    loss = LOSSES[number % len(LOSSES)]
    depth = 1 + number % 6
    b = _Builder(rng, inputs)
    names, defs = list(inputs), []
    for k in range(1, depth):
        function = FUNCTIONS[(number + k) % len(FUNCTIONS)] if k == 1 else None
        # Fan-out: later units read earlier hidden names as well as the inputs.
        defs.append(f"h{k} = {b.unit(names, function)}")
        names.append(f"h{k}")
    hidden = names[len(inputs):]
    if hidden:
        out = b.output(hidden, squash=loss == "bce")
    else:
        unit = b.unit(names, FUNCTIONS[number % len(FUNCTIONS)])
        out = f"sigmoid({unit})" if loss == "bce" else unit
    model = "; ".join(defs + [f"y_hat = {out}"]) if defs else out
    rows = tuple(tuple(round(rng.uniform(0.2, 2.0), 1) for _ in inputs)
                 + ((float(rng.choice((0, 1))),) if loss == "bce" else (round(rng.uniform(-1, 2), 1),))
                 for _ in range(rng.choice((2, 3, 4))))
    mode = "batch" if number % 3 == 2 else "sample"
    return Case(number, model, loss, tuple(b.params.items()), inputs + ("y",), rows, mode)


def corpus(seed: int = 14):
    """Yield cases forever from ``seed`` (the caller keeps the valid ones)."""
    rng = random.Random(seed)
    number = 0
    while True:
        yield case(number, rng)
        number += 1
