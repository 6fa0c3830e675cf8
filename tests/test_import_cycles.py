"""No import cycles within toolkit: data flows one way.

Every import counts, also those inside functions and under ``TYPE_CHECKING``: a lazy import is
how a circle usually hides, and a type-only import still ties the two modules together.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

import toolkit

ROOT = Path(toolkit.__file__).parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(node: ast.AST, here: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = here.split(".")
            base = base if is_package else base[:-1]
            base = base[: len(base) - (node.level - 1)]
            stem = ".".join([*base, node.module] if node.module else base)
        else:
            stem = node.module or ""
        # "from package import module" imports the module; "from module import name" the module.
        return [stem, *(f"{stem}.{alias.name}" for alias in node.names)]
    return []


def import_graph() -> nx.DiGraph:
    paths = sorted(ROOT.rglob("*.py"))
    modules = {module_name(p): p for p in paths}
    graph = nx.DiGraph()
    for name, path in modules.items():
        graph.add_node(name)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            for target in imported(node, name, path.name == "__init__.py"):
                # Importing a package's own __init__ from inside it is how Python works.
                inside = name.startswith(target + ".")
                if target in modules and target not in (name, "toolkit") and not inside:
                    graph.add_edge(name, target)
    return graph


def test_the_graph_sees_imports() -> None:
    graph = import_graph()
    assert graph.has_edge("toolkit.cli.casebook_commands", "toolkit.casebook.alerts")
    assert graph.has_edge("toolkit.casebook", "toolkit.casebook.casebook")
    assert len(graph) > 40


def test_a_cycle_is_detected() -> None:
    graph = import_graph()
    graph.add_edge("toolkit.errors", "toolkit.cli.base")
    assert list(nx.simple_cycles(graph))


def test_no_import_cycles_within_toolkit() -> None:
    cycles = sorted(" -> ".join([*c, c[0]]) for c in nx.simple_cycles(import_graph()))
    assert not cycles, "import cycles:\n" + "\n".join(cycles)
