"""The project's layers import downward only, with no import cycles (the customer's standard).

The import graph of the project's own modules (``addin``, ``workbook``, ``udfs``) is read from
the source with :mod:`ast`, nothing is imported. An import inside a function counts (a deferred
import that closes a circle is still a circle); one under ``if TYPE_CHECKING:`` does not count
for cycles (it never runs), but does count for the layer order (a type from an upper layer
still ties the lower one to it). A module's implicit import of its parent packages is not an
edge: the packages' ``__init__`` modules are part of their package.

The layer rule, true of the code (each layer imports only from itself and those listed):

- ``addin.i18n`` (the message catalogue): nothing of the project;
- ``addin.core`` (pure rules): ``addin.i18n``;
- ``workbook`` (stores, files): ``addin.core``, ``addin.i18n``;
- ``udfs`` (worksheet functions): ``addin.core``, ``addin.i18n``, ``workbook``;
- ``addin.mail``: ``addin.core``, ``addin.i18n``, ``workbook``;
- ``addin.services`` (actions): ``addin.core``, ``addin.i18n``, ``workbook``, ``addin.mail``;
- the top: ``addin.commands``, ``addin.cli``, ``addin.ribbon``, ``addin.demo``, ``addin.xlam``,
  ``addin.logfile`` import from the layers below and from one another (no cycle).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("addin", "workbook", "udfs")

# Layer -> the layers it may import from (itself always allowed). The first matching prefix wins.
BELOW: dict[str, frozenset[str]] = {
    "addin.i18n": frozenset(),
    "addin.core": frozenset({"addin.i18n"}),
    "workbook": frozenset({"addin.core", "addin.i18n"}),
    "udfs": frozenset({"addin.core", "addin.i18n", "workbook"}),
    "addin.mail": frozenset({"addin.core", "addin.i18n", "workbook"}),
    "addin.services": frozenset({"addin.core", "addin.i18n", "workbook", "addin.mail"}),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_name(path)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(name: str, path: Path, known: dict[str, Path]) -> tuple[set[str], set[str]]:
    """The project modules ``name`` imports: (at run time, under ``TYPE_CHECKING`` only)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    runtime: set[str] = set()
    typing_only: set[str] = set()

    def targets(node: ast.Import | ast.ImportFrom) -> list[str]:
        if isinstance(node, ast.Import):
            return [alias.name for alias in node.names]
        if node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            module = ".".join([*base, *([node.module] if node.module else [])])
        else:
            module = node.module or ""
        # ``from pkg import mod`` imports the module pkg.mod; ``from mod import name`` only mod
        return [
            f"{module}.{a.name}" if f"{module}.{a.name}" in known else module for a in node.names
        ]

    def visit(node: ast.AST, into: set[str]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.body:
                    visit_stmt(stmt, typing_only)
                for stmt in child.orelse:
                    visit_stmt(stmt, into)
            else:
                visit_stmt(child, into)

    def visit_stmt(stmt: ast.AST, into: set[str]) -> None:
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            for target in targets(stmt):
                while target and target not in known:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    into.add(target)
        visit(stmt, into)

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)), runtime)
    return runtime, typing_only - runtime


def _graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    known = _modules()
    runtime, typing_only = {}, {}
    for name, path in known.items():
        runtime[name], typing_only[name] = _imports(name, path, known)
    return runtime, typing_only


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One import circle through each strongly connected component of ``graph`` (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(component)

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return [_circle(graph, component) for component in components]


def _circle(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A shortest import path from the component's first module back to itself."""
    start = min(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(graph[v] & component):
                if w == start:
                    return [*paths[v], start]
                if w not in paths:
                    paths[w] = [*paths[v], w]
                    nxt.append(w)
        frontier = nxt
    raise AssertionError(f"no circle in {component}")  # pragma: no cover - Tarjan found one


def _layer(module: str) -> str:
    for layer in (*BELOW, "addin"):
        if module == layer or module.startswith(layer + "."):
            return layer if layer in BELOW else module
    return module


def test_the_graph_sees_deferred_and_relative_imports_but_not_type_checking_ones(
    tmp_path: Path,
) -> None:
    """The reader itself: a circle closed by a function-level import is found, one closed only
    under ``TYPE_CHECKING`` is not a circle."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from pkg import b\n")
    (pkg / "b.py").write_text("def f():\n    from . import c\n")
    (pkg / "c.py").write_text("import pkg.a\n")
    (pkg / "d.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.e import X\n"
    )
    (pkg / "e.py").write_text("from pkg.d import Y\n")
    known = {".".join(p.relative_to(tmp_path).with_suffix("").parts): p for p in pkg.glob("?.py")}
    graph, typing_only = {}, {}
    for name, path in known.items():
        graph[name], typing_only[name] = _imports(name, path, known)
    assert _cycles(graph) == [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]]
    assert typing_only["pkg.d"] == {"pkg.e"}


def test_no_import_cycles() -> None:
    runtime, _ = _graph()
    circles = [" -> ".join(circle) for circle in _cycles(runtime)]
    assert not circles, "import cycles:\n" + "\n".join(circles)


def test_layers_import_downward_only() -> None:
    runtime, typing_only = _graph()
    upward = []
    for module in sorted(runtime):
        layer = _layer(module)
        if layer not in BELOW:
            continue
        for target in sorted(runtime[module] | typing_only[module]):
            below = _layer(target)
            if below != layer and below not in BELOW[layer]:
                kind = " (TYPE_CHECKING)" if target in typing_only[module] else ""
                upward.append(f"{module} -> {target}{kind}")
    assert not upward, "imports against the layer order:\n" + "\n".join(upward)


def test_the_layer_rule_covers_every_package_below_the_top() -> None:
    """Every module of a listed layer is checked: the layers exist and hold modules."""
    runtime, _ = _graph()
    for layer in BELOW:
        assert any(_layer(m) == layer for m in runtime), layer
