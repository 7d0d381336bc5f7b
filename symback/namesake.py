"""A package that can be called as its namesake function: ``symback.train(problem)``, ``symback.render(d)``."""

from __future__ import annotations

import sys
import types


def callable_module(name: str, function) -> None:
    """Calling module ``name`` calls ``function``, its namesake (symback.render, symback.train).

    Importing a submodule sets the package's attribute of that name to the
    module, so after ``import symback.render``, ``from symback import render``
    gives the module, not the function; called, the module does what the
    function does.
    """
    class _Module(types.ModuleType):
        def __call__(self, *args, **kwargs):
            return function(*args, **kwargs)

    sys.modules[name].__class__ = _Module
