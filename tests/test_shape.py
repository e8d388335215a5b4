"""The code's shape: the model imports no generator, the adapter sits above it, no import goes round in a circle,
and no test module imports another."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

SRC = ROOT / "src"
GENERATORS = ("mkdocs", "material", "properdocs", "jinja2", "publicity_mkdocs")


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The modules a file imports, absolute names, at any depth of the file."""
    name = _module(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from . import x` may name a module
    return found


def _graph(package: str) -> dict[str, set[str]]:
    modules = {_module(p): p for p in (SRC / package).rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = {t for t in _imports(path) if t in modules and t != name}
        # Importing a.b from outside a runs a/__init__.py first (inside a, a is already being imported).
        parents = {t.rpartition(".")[0] for t in targets}
        targets |= {p for p in parents if p in modules and p != name and not name.startswith(p + ".")}
        graph[name] = targets
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return trail + [node, target]
            if target not in state:
                found = visit(target, trail + [node])
                if found:
                    return found
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node, [])
            if found:
                return found
    return None


def test_the_content_model_imports_no_generator():
    for path in (SRC / "publicity").rglob("*.py"):
        bad = sorted(i for i in _imports(path) if i.split(".")[0] in GENERATORS)
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_no_import_goes_round_in_a_circle():
    graph = _graph("publicity")
    assert len(graph) > 30
    assert _cycle(graph) is None, " -> ".join(_cycle(graph))
    assert _cycle(_graph("publicity_mkdocs")) is None


def test_the_adapter_sits_above_the_model():
    adapter = {i for p in (SRC / "publicity_mkdocs").rglob("*.py") for i in _imports(p)}
    assert any(i.startswith("publicity.") for i in adapter) and any(i.startswith("mkdocs") for i in adapter)


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_test_module_imports_another():
    """Shared test helpers live in conftest.py (or problem_corpus.py, hostile.py): importing a test module runs its
    tests' module-level set-up twice and ties two tiers together (a fast test importing a browser module)."""
    modules = {p.stem for p in (ROOT / "tests").glob("test_*.py")}
    for path in (ROOT / "tests").glob("test_*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names.add((node.module or "").split(".")[0])
        assert not names & modules, f"{path.name} imports {sorted(names & modules)}"
