"""Bundled content read from a copy of the package's banks, with translation files a test writes beside them.

The bot reads its banks from `bot.content.banks.BUNDLED`; pointing it at a copy lets a test add (or break) a
translation through the real loader, validator and flows without touching the package's own files.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.content import banks, localise

PACKAGE = Path(banks.__file__).resolve().parent


def forget_bundled() -> None:
    """Drop every bank read so far, so the next read comes from where BUNDLED points now."""
    for cached in (
        banks.quiz_bank,
        banks.prompt_bank,
        banks.quiz_translations,
        banks.prompt_translations,
        localise.quiz_items_in,
        localise.prompts_in,
    ):
        cached.cache_clear()


@contextmanager
def bundled_copy(monkeypatch: pytest.MonkeyPatch, root: Path, files: dict[str, str]) -> Iterator[Path]:
    """Serve the English banks from a copy under `root`, with `files` (path under the copy -> text) written in.

    Only the English is copied, not the package's translations, so what is translated is what the test wrote.
    """
    for folder in ("quiz", "prompts"):
        (root / folder).mkdir(parents=True)
        for english in (PACKAGE / folder).glob("*.toml"):
            shutil.copyfile(english, root / folder / english.name)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(banks, "BUNDLED", root)
    forget_bundled()
    try:
        yield root
    finally:
        monkeypatch.undo()
        forget_bundled()


# Two bundled items in German, as a translator would write them: same ids, kinds, difficulties, sources and keys.
GERMAN_EMPATHY = (Path(__file__).parent / "german_empathy.toml").read_text(encoding="utf-8")
