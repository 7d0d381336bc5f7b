"""The package's layers, read from its source: imports go down the pipeline, never round in a circle.

Every ``import`` statement counts: at the top of a module, inside a function
(a lazy import defers a dependency, it does not remove it: that is how cycles
hide) and under ``if TYPE_CHECKING`` (a type in a signature is a dependency
of whoever reads it). A package's ``__init__`` running before its submodules
is not counted as an import of the package: only what a module names.

The layers, lowest first; a module may import its own layer's package and
the layers below, never a sibling on its layer (train and check stay
independent), never a layer above:

    errors, io, timebox, display, namesake   the ground: everyone may use them
    model     user text -> Problem (and the table of operations)
    lang      the wording catalogues (the rule names of the operations default from their table)
    core      Problem -> Graph -> Derivation
    train, check
    render    Documents and their formats, the reports
    export    the lesson as a program (the notes show it)
    notes     lessons
    app       use cases shared by the commands
    cli       the click commands

The core (model, core, train, check) names no command-line flag in what it
says: a message names a setting with ``errors.option("lr")``, which the
command line spells ``--lr`` (docstrings may mention flags).

``symback/__init__.py`` is the front door: it may name any layer (lazily) and
nothing inside the package imports it.
"""

from __future__ import annotations

import ast
import pathlib
import re
import subprocess
import sys

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "symback"

LAYERS = (
    ("errors", "io", "timebox", "display", "namesake"),
    ("model",),
    ("lang",),
    ("core",),
    ("train", "check"),
    ("render",),
    ("export",),
    ("notes",),
    ("app",),
    ("cli",),
)
#: the modules of the lowest layer may use one another (in one direction: cycles are caught apart)
GROUND = 0


def module_names(root: pathlib.Path) -> dict[str, pathlib.Path]:
    """Dotted name -> file, for every .py file under ``root`` (a package directory)."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def imports_of(root: pathlib.Path) -> dict[str, dict[str, int]]:
    """The import graph of the package at ``root``: module -> {module it imports: first line}."""
    modules = module_names(root)
    top = root.name
    graph = {}
    for name, path in modules.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: dict[str, int] = {}
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            for target in _targets(node, here, modules):
                if (target == top or target.startswith(top + ".")) and target != name:
                    found.setdefault(target, node.lineno)
        graph[name] = found
    return graph


def _targets(node, here: str, modules) -> list[str]:
    """The modules an import statement names (``from . import x`` names the submodule x if it is one)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        base = here.split(".")[: len(here.split(".")) - (node.level - 1)]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    return [f"{source}.{a.name}" if f"{source}.{a.name}" in modules else source for a in node.names]


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Each import cycle once, as the modules around it (the first repeated at the end)."""
    found, done = [], set()
    for start in sorted(graph):
        path, seen_on_path = [start], {start}
        stack = [iter(sorted(graph.get(start, ())))]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                done.add(path.pop())
                seen_on_path = set(path)
                continue
            if nxt in seen_on_path:
                loop = path[path.index(nxt):] + [nxt]
                key = frozenset(loop)
                if key not in {frozenset(c) for c in found}:
                    found.append(loop)
            elif nxt not in done and nxt in graph:
                path.append(nxt)
                seen_on_path.add(nxt)
                stack.append(iter(sorted(graph[nxt])))
    return found


def layer_of(module: str) -> tuple[int, str] | None:
    """(layer number, package) of ``symback.<package>...``; None for the front door itself."""
    parts = module.split(".")
    if len(parts) == 1:
        return None
    for number, names in enumerate(LAYERS):
        if parts[1] in names:
            return number, parts[1]
    raise AssertionError(f"{module} belongs to no layer: give symback.{parts[1]} its place in LAYERS")


def wrong_way(graph: dict[str, dict[str, int]]) -> list[str]:
    """Each import that goes up a layer, across to a sibling, or into the front door."""
    out = []
    for module, targets in sorted(graph.items()):
        mine = layer_of(module)
        for target, line in sorted(targets.items()):
            theirs = layer_of(target)
            where = f"{module} (line {line}) imports {target}"
            if mine is None:
                continue  # the front door may name every layer
            if theirs is None:
                out.append(f"{where}: the front door; import the module that defines the name")
            elif theirs[0] > mine[0]:
                out.append(f"{where}: {theirs[1]} is above {mine[1]}")
            elif theirs[0] == mine[0] and theirs[1] != mine[1] and mine[0] != GROUND:
                out.append(f"{where}: {mine[1]} and {theirs[1]} are independent")
    return out


CORE = ("model", "core", "train", "check")
FLAG = re.compile(r"(?<![\w-])--[a-z]")


def flags_named(path: pathlib.Path) -> list[str]:
    """Each string in ``path`` (docstrings aside) that names a command-line flag, as 'line: text'."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [f"{node.lineno}: {node.value}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            and FLAG.search(node.value)]


@pytest.fixture(scope="module")
def graph():
    return imports_of(PACKAGE)


def test_the_package_has_no_import_cycle(graph):
    assert [" -> ".join(c) for c in cycles(graph)] == []


def test_every_import_goes_down_the_layers(graph):
    assert wrong_way(graph) == []


def test_the_core_imports_no_printer_notes_app_or_cli(graph):
    core = [m for m in graph if m.split(".")[1:2] in (["model"], ["core"], ["train"], ["check"])]
    above = ("symback.render", "symback.notes", "symback.export", "symback.app", "symback.cli")
    assert core and [(m, t) for m in core for t in graph[m] if t.startswith(above)] == []


def test_the_core_names_no_command_line_flag():
    named = {str(path.relative_to(PACKAGE)): flags_named(path) for part in CORE for path in (PACKAGE / part).rglob("*.py")}
    assert {path: found for path, found in named.items() if found} == {}


def test_a_flag_in_a_message_is_found_and_one_in_a_docstring_is_not(tmp_path):
    path = tmp_path / "m.py"
    path.write_text('"""Read with --data."""\n\ndef f(lr):\n    """--lr"""\n'
                    '    raise ValueError(f"bad {lr}; try --lr 0.01")\n')
    assert flags_named(path) == ["5: ; try --lr 0.01"]


def test_the_reader_sees_every_module_and_lazy_imports(graph):
    assert "symback.core.derive" in graph and "symback.cli" in graph
    # cli/train.py imports the trainer inside its command, never at the top
    assert "symback.train.run" in graph["symback.cli.train"]


def test_a_cycle_is_found():
    fake = {"a.x": {"a.y": 1}, "a.y": {"a.z": 3}, "a.z": {"a.x": 7}, "a.w": {"a.x": 2}}
    assert cycles(fake) == [["a.x", "a.y", "a.z", "a.x"]]


def test_a_graph_without_cycles_has_none():
    assert cycles({"a.x": {"a.y": 1}, "a.y": {}, "a.w": {"a.x": 1, "a.y": 2}}) == []


def test_an_upward_import_is_found():
    fake = {"symback.core.derive": {"symback.render": 104, "symback.model.spec": 3}}
    assert wrong_way(fake) == ["symback.core.derive (line 104) imports symback.render: render is above core"]


def test_siblings_on_a_layer_are_independent():
    assert wrong_way({"symback.check.grade": {"symback.train.run": 5}}) == [
        "symback.check.grade (line 5) imports symback.train.run: check and train are independent"]


def test_printers_may_not_import_the_command_line():
    assert wrong_way({"symback.render.text": {"symback.cli.options": 9}}) == [
        "symback.render.text (line 9) imports symback.cli.options: cli is above render"]


def test_the_front_door_is_imported_by_nobody():
    assert wrong_way({"symback.train": {"symback": 7}, "symback": {"symback.cli": 1}}) == [
        "symback.train (line 7) imports symback: the front door; import the module that defines the name"]


def test_a_package_outside_the_layers_is_refused():
    with pytest.raises(AssertionError, match="symback.extra"):
        wrong_way({"symback.extra.thing": {"symback.errors": 1}})


def test_lazy_and_type_only_imports_count(tmp_path):
    root = tmp_path / "pkg"
    (root / "sub").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "sub" / "__init__.py").write_text("")
    (root / "sub" / "a.py").write_text("def f():\n    from .b import g\n    return g()\n")
    (root / "sub" / "b.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import a\n")
    graph = imports_of(root)
    assert graph["pkg.sub.a"] == {"pkg.sub.b": 2} and graph["pkg.sub.b"] == {"pkg.sub.a": 3}
    assert cycles(graph) == [["pkg.sub.a", "pkg.sub.b", "pkg.sub.a"]]


def test_a_derivation_displays_itself_in_jupyter_though_the_core_imports_no_printer():
    code = ("from symback.core.derive import explain\n"
            "alone = explain()._repr_markdown_()\n"
            "from symback import explain\n"
            "d = explain()\n"
            "print(alone, d._repr_markdown_().startswith('#'), d._repr_latex_().startswith('$$'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parent, check=True)
    assert done.stdout.split() == ["None", "True", "True"]
