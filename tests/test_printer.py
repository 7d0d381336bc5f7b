"""The document printer: one loop over sections and blocks, `_print_<Class>` dispatch."""

from dataclasses import dataclass

import pytest

from symback.render.document import Document, Para, Section, Text
from symback.render.text import TextFormat


@dataclass(frozen=True)
class Matrix:
    """A block no format knows yet."""

    rows: tuple


class WithMatrices(TextFormat):
    def _print_Matrix(self, block):
        return "\n".join("  [" + " ".join(map(str, row)) + "]" for row in block.rows)


def _doc(*blocks, title="T"):
    return Document("Doc", (Section(title, blocks, 1),))


def test_a_new_block_is_one_method():
    text = WithMatrices(40).doprint(_doc(Para((Text("A matrix:"),)), Matrix(((1, 2), (3, 4)))))
    assert text == "Doc\n═══\n\n1. T\n────\n  A matrix:\n  [1 2]\n  [3 4]\n"


def test_a_block_no_method_prints_is_a_type_error():
    with pytest.raises(TypeError, match="TextFormat cannot print Matrix"):
        TextFormat(40).doprint(_doc(Matrix(((1,),))))


def test_dispatch_follows_the_class_hierarchy():
    @dataclass(frozen=True)
    class Aside(Para):
        pass

    assert TextFormat(40)._print(Aside((Text("psst"),))) == "  psst"


def test_a_section_without_title_has_no_heading():
    assert TextFormat(40).doprint(_doc(Para((Text("x"),)), title="")) == "Doc\n═══\n\n  x\n"


def test_a_negative_factor_of_a_broken_latex_chain_is_in_parentheses():
    import sympy

    from symback.notes.latex import NotesLatex
    from symback.render.document import Math

    r, x = sympy.symbols("r x", real=True)
    product = Math(sympy.Mul(2, r, x, evaluate=False), {r: -1.5, x: 2})
    assert NotesLatex().breakable(product) == r"2 \cdot \penalty700 \left(-1.5\right) \cdot \penalty700 2"
