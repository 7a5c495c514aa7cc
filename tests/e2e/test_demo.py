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
        "A reminder before the quiz closes",
        "pre-meeting brief, by DM",
        "mark themselves present",
        "confirms attendance",
        "Anonymous feedback on the meeting",
        "how the group found it",
    ):
        assert scene in page, scene
    assert "Only supervisors can do this" in page
    assert "Your first answer is the one that counts" in page
    assert "I noticed a phone number (07700 900123)" in page
    assert "Check-in · " in page and "Quiz results" in page
    assert "A private reply to an anonymous check-in" in page and "What happens in you just before" in page
    assert "Your check-in · " in page  # the author read the reply with their code
    images = sorted(p for p in path.parent.iterdir() if p.suffix == ".png")
    assert len(images) == 5 and all(is_png(p.read_bytes()) for p in images)
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


def test_the_meeting_brief_attendance_and_feedback_as_a_supervisor_sees_them(demo) -> None:
    page, _, _, entries = demo
    shown = [e for e in entries if e.kind == "message"]
    [brief] = [e for e in shown if e.embeds and e.embeds[0].get("title") == "Your pre-meeting brief"]
    assert brief.place == "Direct messages · Dr Supervisor" and brief.ephemeral_to is None
    brief_text = str(brief.embeds)
    assert "Check-in themes" in brief_text and "4 check-ins shared in digests" in brief_text
    assert "took part" in brief_text and "No meeting feedback has closed yet" in brief_text
    # Attendance: three marked themselves, the supervisor added the fourth and confirmed everyone, under their name.
    assert "Confirmed 4 now" in page and "added by a supervisor · confirmed by Dr Supervisor" in page
    assert "Confirmed:</strong> 1.5 h (1.5 h group" in page  # Trainee A's /hours show
    # Feedback: nothing while open, then the figures and the shared words once k answered and the questions closed.
    [open_view, closed_view] = [e for e in shown if e.embeds and e.embeds[0].get("title") == "Meeting feedback"]
    assert "No meeting's questions have closed yet" in str(open_view.embeds)
    assert "(3 answered): Goals 7.0 ± 0.8 · Tasks 6.0 ± 0.8 · Bond 8.7 ± 0.5" in str(closed_view.embeds)
    for words in ("The role-play on endings helped", "a little more time for the case I brought"):
        assert words in str(closed_view.embeds)
    # The transcript shows one member's answer being made; the others' choices are theirs alone.
    assert not [e for e in entries if e.kind == "action" and e.who in ("Trainee B", "Trainee C") and "of 10" in e.text]


def test_the_quiz_reminder_waits_out_quiet_hours_and_is_put_off_once(demo) -> None:
    _, _, _, entries = demo
    dms = [e for e in entries if e.kind == "message" and e.place == "Direct messages · Trainee D"]
    reminders = [e for e in dms if "This week's quiz closes" in e.text]
    assert reminders and all(e.at is not None and e.at.hour == 7 and e.at.minute >= 30 for e in reminders)
    assert "Put off: I'll send this again" in reminders[-1].text


def test_status_lists_the_next_runs_in_the_order_they_happen(demo) -> None:
    _, _, _, entries = demo
    status = [e for e in entries if e.kind == "message" and e.embeds and e.embeds[0].get("title") == "Status"][-1]
    fields = {f["name"]: f["value"] for f in status.embeds[0]["fields"]}
    stamps = [int(t) for t in re.findall(r"<t:(\d+):f>", fields["Next runs"])]
    assert len(stamps) == 7 and stamps == sorted(stamps)
    purge = fields["Last retention purge"]
    assert purge.count("dm delivery") == 1, purge  # two tables share that setting: one figure
