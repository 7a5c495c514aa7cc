"""`supervision-bot demo` plays the whole week and writes a transcript with charts."""

from __future__ import annotations

from pathlib import Path

from bot.demo.run import play
from tests.e2e.conftest import is_png


async def test_demo_runs_every_scene_and_writes_the_transcript(tmp_path: Path) -> None:
    path = await play(tmp_path / "demo-output", echo=False)
    page = path.read_text(encoding="utf-8")
    for scene in (
        "set up in a minute",
        "quiz opens",
        "reflective prompt",
        "Prompts by DM",
        "check-ins",
        "check-in digest",
        "anonymous results",
    ):
        assert scene in page, scene
    assert "Only supervisors can do this" in page
    assert "Your first answer is the one that counts" in page
    assert "I noticed a phone number (07700 900123)" in page
    assert "Check-in · " in page and "Quiz results" in page
    images = sorted(p for p in path.parent.iterdir() if p.suffix == ".png")
    assert len(images) == 3 and all(is_png(p.read_bytes()) for p in images)
    assert all(f"src='{p.name}'" in page for p in images)
