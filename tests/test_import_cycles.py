"""No import cycles among the project's modules (logic/, generator/).

Every ``import`` statement counts, wherever it stands: at the top of a module, inside a function
(a lazy import still makes the two modules depend on each other) or under ``if TYPE_CHECKING``.
A statement ``from a.b import c`` depends on ``a.b.c`` when that is a module, else on ``a.b``.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("logic", "generator")
# Not imported here, only parsed: scripts that run inside Pyodide (shipped as text or run by
# Node), and the `python -m` entry points (importing them runs the command).
NOT_IMPORTED = {
    "generator.pyodide.glue",
    "generator.pyodide.precompile",
    "generator.__main__",
    "generator.postbuild.__main__",
}


def module_files() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


def imports_of(name: str, path: Path, modules: set[str]) -> set[str]:
    """The project modules ``name``'s import statements name (anywhere in the file)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        else:
            continue
        found.update(target for target in targets if target in modules and target != name)
    return found


def graph() -> dict[str, set[str]]:
    files = module_files()
    return {name: imports_of(name, path, set(files)) for name, path in files.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a path (first module repeated at the end), or None. Depth-first search:
    a module met again while still on the path closes a cycle."""
    state: dict[str, str] = {}  # "open" while on the path, "done" once fully explored
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        state[node] = "done"
        return None

    for node in sorted(edges):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_cycle_finder_names_a_cycle_and_passes_a_tree():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_function_level_and_relative_imports_count(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "def f():\n    from logic.case import CaseError\n    from . import regimen\n",
        encoding="utf-8",
    )
    known = {"logic.case", "logic.regimen", "logic"}
    assert imports_of("logic.m", module, known) == {"logic.case", "logic.regimen"}


def test_the_project_has_modules_and_imports_to_check():
    edges = graph()
    assert {"logic", "logic.guideline", "generator.core", "generator.steps"} <= set(edges)
    assert "logic.evaluate" in edges["logic.guideline"]


@pytest.mark.parametrize("name", sorted(set(module_files()) - NOT_IMPORTED))
def test_every_module_imports(name):
    importlib.import_module(name)


def test_no_import_cycle():
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])
