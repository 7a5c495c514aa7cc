"""What the README says about the command line and the sections messages point to is true."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from bot.cli import _parser

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_readme_says_which_commands_take_config() -> None:
    without = {name for name, parser in subcommands().items() if "--config" not in parser._option_string_actions}
    assert without == {"demo"}
    assert "Every command except `demo` takes `--config PATH`" in README


def test_every_readme_section_a_message_points_to_exists() -> None:
    headings = {line.lstrip("#").strip() for line in README.splitlines() if line.startswith("#")}
    sources = [p for folder in ("bot", "cogs") for p in (ROOT / folder).rglob("*.py")]
    pointers = [
        (path.name, name)
        for path in sources
        for name in re.findall(r"README, '([^']+)'", path.read_text(encoding="utf-8"))
    ]
    assert pointers, "the pattern no longer finds the pointers; update this test"
    for source, name in pointers:
        assert name in headings, f"{source} points to a README section {name!r} that does not exist"


def test_every_file_the_readme_links_to_exists() -> None:
    targets = re.findall(r"\]\(((?!https?://|#)[^)#\s]+)", README)
    assert "docs/for-trainees.md" in targets and "deploy/config.toml" in targets
    missing = [target for target in targets if not (ROOT / target).exists()]
    assert not missing, f"README links to files that do not exist: {missing}"
