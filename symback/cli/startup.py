"""Start-up of the symback command: SymPy's first sum without SymPy's tensor module.

SymPy's ``Add.flatten`` imports ``sympy.tensor.tensor`` on its first call,
only to ask whether a term is a tensor expression. With the combinatorics it
pulls in, that import costs about a tenth of ``import sympy``, paid by every
command, and symback never makes a tensor. So the command (not the library)
puts a stand-in module in its place before SymPy is imported: its
``TensExpr`` is a class no object belongs to, which gives ``Add`` the same
answer ("not a tensor"). Any other name asked of it imports the real module,
which then replaces the stand-in, so code that does use tensors is unchanged.
"""

from __future__ import annotations

import importlib
import sys
import types

TENSOR = "sympy.tensor.tensor"


class _TensorStandIn(types.ModuleType):
    """``sympy.tensor.tensor`` until something needs more than ``TensExpr``."""

    class TensExpr:
        """No object is an instance: no tensor exists until the real module is loaded."""

    TensAdd = TensExpr  # Add asks for it too, and uses it only on a TensExpr

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)  # the import system's own questions (__path__, ...)
        if sys.modules.get(TENSOR) is self:
            del sys.modules[TENSOR]
        return getattr(importlib.import_module(TENSOR), name)


def defer_sympy_tensor() -> None:
    """Put the stand-in in place, unless SymPy's tensor module is already imported."""
    if TENSOR not in sys.modules:
        sys.modules[TENSOR] = _TensorStandIn(TENSOR)
