"""Training: the derived gradient compiled to code, and gradient descent with it.

``symback.train(problem)`` runs :func:`symback.train.run.train`: importing this
package sets ``symback.train`` to it, so the package is callable too.
"""

from ..namesake import callable_module


def _train(*args, **kwargs):
    from .run import train

    return train(*args, **kwargs)


callable_module(__name__, _train)

#: names kept importable from ``symback.train`` (as before it was a package)
_RUN = ("train", "settings", "Settings", "History", "MODES")


def __getattr__(name):
    if name in _RUN:
        from . import run

        return getattr(run, name)
    raise AttributeError(f"module 'symback.train' has no attribute {name!r}")
