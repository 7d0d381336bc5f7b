"""The one document printer: a format is a subclass that prints blocks its own way.

:class:`DocumentPrinter` walks a :class:`~symback.render.document.Document`
(title, then sections, each a heading and blocks) once, for every format.
Each part is printed by the method named after its class, as SymPy's
printers dispatch (``_print_Chains`` for a Chains block, ``_print_Math`` for
a Math item); the nearest class in the part's MRO that has a method wins, and
a part no method prints is a TypeError. So a format overrides only what it
prints differently, and a new kind of block (a matrix, say) is a dataclass
and one ``_print_<Name>`` method in each format that shows it::

    class Shouting(TextFormat):
        def _print_Text(self, x, nested=False):
            return x.text.upper()

A format says how its pieces join: ``title(doc)`` prints what stands before
the sections, ``heading(section)`` a section's title; ``block_gap`` stands
between the heading and the blocks of a section, ``section_gap`` between the
title and the sections; ``block_end`` closes every block.
"""

from __future__ import annotations

from functools import lru_cache

from .document import Math


class DocumentPrinter:
    """Prints a Document, section by section and block by block, by ``_print_<Class>`` methods."""

    block_gap = "\n\n"
    section_gap = "\n\n"
    block_end = ""

    def doprint(self, doc) -> str:
        """The whole document as this format's text."""
        return self._print(doc)

    def _print(self, part, **options):
        """``part`` printed by the ``_print_<Class>`` method of the nearest class of its MRO;
        ``options`` (nested, math, ...) go to that method."""
        method = _method(type(self), type(part))
        if method is None:
            raise TypeError(f"{type(self).__name__} cannot print {part!r}")
        return method(self, part, **options)

    def _print_Document(self, doc) -> str:
        parts = [self.title(doc)] + [self._print(section) for section in doc.sections]
        return self.section_gap.join(part for part in parts if part) + "\n"

    def _print_Section(self, section) -> str:
        head = [self.heading(section)] if section.title else []
        return self.block_gap.join(head + [self._print(block) + self.block_end for block in section.blocks])

    def _print_Appendix(self, block) -> str:
        return self._print(block.document)

    def items(self, xs, **options) -> str:
        """Items side by side (a sentence, a label, a cell)."""
        return "".join(self._print(x, **options) for x in xs)

    def field_value(self, values) -> str:
        """The values of a Fields row: its maths joined by commas, then its words."""
        maths = ", ".join(self._print(v) for v in values if isinstance(v, Math))
        words = " ".join(text for v in values if not isinstance(v, Math) and (text := self._print(v)))
        return f"{maths} {words}"

    def title(self, doc) -> str:
        """What stands before the sections: the document's title."""
        return doc.title

    def heading(self, section) -> str:
        """A section's heading (a section without a title has none)."""
        return numbered(section)


def numbered(section) -> str:
    """A section's title, after its number if it has one: "3. Backward pass"."""
    return f"{section.number}. {section.title}" if section.number else section.title


@lru_cache(maxsize=None)
def _method(printer: type, kind: type):
    for cls in kind.__mro__:
        method = getattr(printer, "_print_" + cls.__name__, None)
        if method is not None:
            return method
    return None
