"""The emulator is a package of its own: the bot reaches it only from the demo, and it never reaches back."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_roots(folder: str) -> dict[str, set[str]]:
    """Top-level package of every absolute import, per file under folder."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[path.relative_to(ROOT).as_posix()] = names
    return found


def test_only_the_demo_imports_the_emulator() -> None:
    users = {
        path
        for folder in ("bot", "cogs")
        for path, names in imported_roots(folder).items()
        if "discord_sandbox" in names
    }
    assert users and all(path.startswith("bot/demo/") for path in users)


def test_the_emulator_imports_nothing_of_the_bot_and_no_test_tool() -> None:
    for path, names in imported_roots("discord_sandbox").items():
        assert not names & {"bot", "cogs", "tests", "pytest", "pytest_asyncio"}, path


def test_shipped_code_imports_no_test_tool() -> None:
    for folder in ("bot", "cogs"):
        for path, names in imported_roots(folder).items():
            assert not names & {"tests", "pytest", "pytest_asyncio", "hypothesis"}, path
