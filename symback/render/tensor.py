"""Printers for matrix explanations: the same formats as the scalar ones, from one Document.

``render_tensor(derivation, fmt, lang)``: text, LaTeX (``bmatrix``), Markdown or JSON of a
:class:`~symback.core.tensor.derive.TensorDerivation`.
"""

from __future__ import annotations


def render_tensor(derivation, fmt: str = "text", lang: str = "en", standalone: bool = False,
                  digits: int | None = None, columns: int | None = None) -> str:
    if fmt == "json":
        from .tensor_json import render_tensor_json

        return render_tensor_json(derivation)
    from ..core.numeric import significant_digits
    from ..lang import wording
    from .formats import print_document
    from .tensor_batch import tensor_batch_document
    from .tensor_explanation import tensor_document

    with significant_digits(digits):
        build = tensor_batch_document if getattr(derivation, "is_batch", False) else tensor_document
        return print_document(build(derivation, wording(lang)), fmt, columns, standalone)
