"""symback: backpropagation, derived exactly and explained step by step.

The pipeline, as plain functions and values::

    from symback import problem, explain, render
    p = problem()                      # the classic lesson: y_hat = w*x, mse, w = 1
    d = explain(p)                     # Derivation: graph, locals, backward pass, update
    print(render(d, "text"))           # or "latex", "markdown", "json"; lang="zh"
    d.gradient                         # {'w': -2.0}

Names are imported lazily, so ``import symback`` (and ``symback --help``)
does not import SymPy.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "problem": "model.spec",
    "Problem": "model.spec",
    "build_graph": "core.graph",
    "Graph": "core.graph",
    "forward": "core.graph",
    "explain": "core.derive",
    "derive": "core.derive",
    "local_derivatives": "core.derive",
    "Derivation": "core.derive",
    "explain_batch": "core.batch",
    "BatchDerivation": "core.batch",
    "render": "render",
    "train": "train.run",
    "settings": "train.run",
    "Settings": "train.run",
    "History": "train.run",
    "check_answer": "check.grade",
    "check_step": "check.grade",
    "SymbackError": "errors",
    "read_csv": "model.data",
    "Dataset": "model.data",
}


def __getattr__(name):
    if name in _EXPORTS:
        if name != "render" and "render" not in globals():
            # The core never imports the printers; the front door loads them, and with them the
            # Jupyter display of a derivation (see symback.display).
            __getattr__("render")
        module = importlib.import_module(f".{_EXPORTS[name]}", __name__)
        value = getattr(module, name)
        # 'render' is both a subpackage and its main function: the function wins
        # (importing the subpackage has just set the attribute to the module).
        globals()[name] = value
        return value
    raise AttributeError(f"module 'symback' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_EXPORTS))


__all__ = list(_EXPORTS)
