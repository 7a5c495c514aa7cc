"""`supervision-bot demo` plays the whole week and writes a transcript that reads like the Discord client."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from bot.demo.page import ONLY_YOU
from bot.demo.run import play
from bot.demo.stage import Stage
from tests.e2e.conftest import is_png

RAW_MARKUP = re.compile(r"<#\d|<@&?!?\d|<t:-?\d|&lt;#\d|&lt;@&amp;\d|&lt;@!?\d|&lt;t:-?\d|▌")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, dict[int, bool], list]:
    """Play the demo once; keep the page and, from the emulator, which shown messages really were ephemeral."""
    truth: dict[int, bool] = {}
    entries: list = []

    def inspect(stage: Stage) -> None:
        entries.extend(stage.transcript.entries)
        for entry in stage.transcript.entries:
            if entry.message_id is not None:
                truth[entry.message_id] = stage.sandbox.world.messages[entry.message_id].ephemeral

    path = asyncio.run(play(tmp_path_factory.mktemp("demo") / "demo-output", echo=False, inspect=inspect))
    return path.read_text(encoding="utf-8"), path, truth, entries


def message_blocks(page: str) -> list[str]:
    """The HTML of each bot message, in order."""
    return re.findall(r"<div class='msg[^']*'>.*?</div></div>(?=\n|$)", page, flags=re.S)


def test_demo_runs_every_scene_and_writes_the_transcript(demo) -> None:
    page, path, _, _ = demo
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
    assert "A private reply to an anonymous check-in" in page and "What happens in you just before" in page
    assert "Your check-in · " in page  # the author read the reply with their code
    images = sorted(p for p in path.parent.iterdir() if p.suffix == ".png")
    assert len(images) == 3 and all(is_png(p.read_bytes()) for p in images)
    assert all(f"src='{p.name}'" in page for p in images)


def test_no_raw_mentions_timestamps_or_bars_are_left(demo) -> None:
    page, _, _, _ = demo
    assert not RAW_MARKUP.findall(page)
    # What they became: names and times a reader in the stated zone sees.
    assert "Times are shown as a reader in Europe/London sees them" in page
    assert "<span class='mention'>#quiz</span>" in page
    assert "<span class='mention'>@Supervisor</span>" in page
    assert "Wednesday, 11 March 2026 13:00" in page
    assert "in 6 days" in page  # the relative form, where the bot used it
    assert "UTC (" not in page  # no time printed twice


def test_every_ephemeral_message_carries_its_label_and_no_other_does(demo) -> None:
    page, _, truth, entries = demo
    shown = [entry for entry in entries if entry.kind == "message"]
    blocks = message_blocks(page)
    assert len(blocks) == len(shown) and truth
    ephemeral = 0
    for entry, block in zip(shown, blocks, strict=True):
        assert truth[entry.message_id] == (ONLY_YOU in block), block[:300]
        ephemeral += truth[entry.message_id]
    # Answers to quiz buttons and the withdrawal codes are ephemeral edits: both must be labelled.
    assert ephemeral >= 30
    for phrase in ("withdrawal code", "Right · Question 1", "Saved to your private journal"):
        assert all(ONLY_YOU in block for block in blocks if phrase in block), phrase


def test_headings_cards_controls_and_choices_look_like_discord(demo) -> None:
    page, _, _, _ = demo
    for heading in ("#</span>general", "#</span>quiz", "#</span>check-ins", "@</span>Direct messages · Trainee B"):
        assert f"<div class='place'><span class='icon'>{heading}</div>" in page, heading
    assert "<div class='embed' style='border-left-color:#" in page
    assert "<div class='field' style='grid-column:1 / 5'>" in page  # three inline fields share a row
    assert "<span class='button primary'>Take this week&#x27;s quiz</span>" in page
    assert "<div class='select'>" in page
    # The check-in choices being made, not just a card that says "nothing chosen yet".
    assert "chooses <strong>Helpless / inadequate</strong>" in page
    assert "Noticed: Helpless / inadequate" in page
    assert "<div class='form-title'>Write a reflection</div>" in page
