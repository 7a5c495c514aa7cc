"""The house's walls, read from the code: features stand alone and imports flow one way.

Read with ast, so a rule broken anywhere is named with its file, without importing anything.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "cogs", "discord_sandbox")
# The command line imports the client and the database only in the command that needs them, so
# `--help` and a config error answer at once without loading discord.py.
LAZY_IMPORTERS = {"bot.cli"}


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    module_level: bool


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def our_modules() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))}


def _absolute(source: str, path: Path, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = source.split(".")
    if path.name != "__init__.py":
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _known(name: str, modules: dict[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _targets(node: ast.Import | ast.ImportFrom, source: str, path: Path, modules: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = _absolute(source, path, node)
        # `from package import module` imports the module; `from module import name` the module itself.
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
    return [t for t in (_known(n, modules) for n in names) if t is not None and t != source]


def edges() -> list[Edge]:
    """Every import of one of our modules by another; imports under `if TYPE_CHECKING:` never run."""
    modules = our_modules()
    found: list[Edge] = []
    for source, path in modules.items():

        def visit(body: list[ast.stmt], module_level: bool, source: str = source, path: Path = path) -> None:
            for node in body:
                if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                    continue
                if isinstance(node, ast.Import | ast.ImportFrom):
                    found.extend(Edge(source, t, module_level) for t in _targets(node, source, path, modules))
                inner = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                for child in ast.iter_child_nodes(node):
                    if isinstance(child, ast.stmt):
                        visit([child], module_level and not inner)

        visit(ast.parse(path.read_text(encoding="utf-8")).body, True)
    return found


def feature_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "cogs" and len(parts) > 1 else None


def test_the_import_graph_has_no_cycles() -> None:
    graph: dict[str, set[str]] = {}
    for edge in edges():
        if edge.module_level:
            graph.setdefault(edge.source, set()).add(edge.target)
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        raise AssertionError(f"import cycle: {' -> '.join(error.args[1])}") from None


def test_no_function_local_imports_of_our_own_modules() -> None:
    # A function-local import is how a cycle hides; the one exception defers start-up cost.
    hidden = [f"{e.source} imports {e.target} inside a function" for e in edges() if not e.module_level]
    assert [h for h in hidden if h.split()[0] not in LAZY_IMPORTERS] == []


def test_no_feature_imports_another() -> None:
    crossings = [
        f"{e.source} imports {e.target}"
        for e in edges()
        if feature_of(e.source) and feature_of(e.target) and feature_of(e.source) != feature_of(e.target)
    ]
    assert crossings == []


def test_the_core_imports_no_feature() -> None:
    # bot/ is what every feature stands on; it reaches features only by loading them as extensions.
    assert [
        f"{e.source} imports {e.target}" for e in edges() if e.source.startswith("bot.") and feature_of(e.target)
    ] == []


def test_the_rules_see_the_imports_they_judge() -> None:
    # Guards against a reader that silently finds nothing: known edges of each kind must be present.
    found = {(e.source, e.target, e.module_level) for e in edges()}
    assert ("cogs.quiz.flow", "cogs.quiz.views", True) in found
    assert ("bot.cli", "bot.client", False) in found
    assert ("cogs.reflect.group_prompt", "bot.accuracy", True) in found


def test_no_test_module_imports_another() -> None:
    # Shared helpers live in tests/support or a conftest, so running or changing one test file never
    # depends on another's name.
    crossings = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[-1].startswith("test_"):
                crossings.append(f"{path.relative_to(ROOT)} imports {node.module}")
    assert crossings == []
