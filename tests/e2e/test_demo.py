"""`supervision-bot demo` plays the whole week and writes a transcript that reads like the Discord client."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from bot import cli, i18n
from bot.demo.lines import DEMO_LANGUAGES
from bot.demo.page import ONLY_YOU
from bot.demo.run import play
from bot.demo.stage import Stage
from tests.e2e.conftest import is_png
from tests.support.db import db_rows

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


@pytest.fixture(scope="module")
def demo_de(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list, dict[str, str], str]:
    """Play the demo in German once: the page, the entries, each person's locale as the bot kept it, and the
    group's language as the bot sees it."""
    entries: list = []
    kept: dict[str, str] = {}
    group: list[str] = []

    def inspect(stage: Stage) -> None:
        entries.extend(stage.transcript.entries)
        [guild] = stage.sandbox.world.guilds.values()
        names = {user_id: stage.name(member) for user_id, member in guild.members.items()}
        for user_id, locale in db_rows(stage.bot.config.database_path, "SELECT user_id, locale FROM member_locales"):
            kept[names[user_id]] = locale
        seen = stage.bot.get_guild(guild.id)
        group.append(seen.preferred_locale.value if seen is not None else "")

    output = tmp_path_factory.mktemp("demo-de") / "demo-output"
    path = asyncio.run(play(output, echo=False, inspect=inspect, locale="de"))
    return path.read_text(encoding="utf-8"), entries, kept, group[0]


def bot_text(entries: list) -> str:
    """Everything the bot said on the page: messages' text and embeds, not the narration or people's actions."""
    return "\n".join(e.text + str(e.embeds) + str(e.components) for e in entries if e.kind == "message")


def test_the_german_demo_plays_every_scene_with_a_german_group(demo_de) -> None:
    page, _, kept, group = demo_de
    for scene in ("set up in a minute", "quiz opens", "Prompts by DM", "check-in digest", "how the group found it"):
        assert scene in page, scene  # the narration stays English
    assert "Discord is set to German: the bot speaks it to them" in page
    # The server prefers German, and every person who used a command did so from a German Discord.
    assert group == "de"
    assert set(kept) >= {"Server owner", "Dr Supervisor", "Trainee A", "Trainee B", "Trainee C", "Trainee D"}
    assert set(kept.values()) == {"de"}
    assert not RAW_MARKUP.findall(page)


def test_the_german_demo_shows_the_bot_speaking_german(demo_de) -> None:
    page, entries, _, _ = demo_de
    said = bot_text(entries)
    # A refusal, element names, weekdays and an uptime (the shared core), and Discord timestamps as a German
    # client shows them.
    assert "Das können nur Supervisor:innen" in said and "Only supervisors can do this" not in said
    german_elements = {"Empathie", "Kongruenz (Echtheit)", "Bedingungslose positive Wertschätzung", "Arbeitsbündnis"}
    german_elements |= {"Übertragung", "Gegenübertragung", "Ruptur und Reparatur"}
    assert len({name for name in german_elements if name in said}) >= 3  # the quiz's and the prompts' elements
    assert "Fr." in said and "Sek." in said
    assert "Mittwoch, 11. März 2026 13:00" in page and "in 6 Tagen" in page
    assert "Wednesday, 11 March 2026" not in page and "in 6 days" not in page


# Common English words: a line of bot text holding one is an English sentence (German uses none of them).
ENGLISH = re.compile(r"\b(the|you|your|and|with|this|is|are|of|to)\b")


def test_no_english_sentence_reaches_a_german_group(demo_de) -> None:
    _, entries, _, _ = demo_de
    with i18n.speaking("de"):
        # Fire details are recorded in English with the log (shown under "Last runs" in /status); a source is cited
        # as published.
        last_runs, source = i18n._("Last runs"), i18n._("Source: {source}").split("{")[0]
    lines: list[str] = []
    status_seen = False
    for entry in (e for e in entries if e.kind == "message"):
        lines += entry.text.splitlines()
        for embed in entry.embeds:
            lines += [embed.get("title", ""), *embed.get("description", "").splitlines()]
            lines += (embed.get("footer") or {}).get("text", "").splitlines()
            for item in embed.get("fields", []):
                status_seen |= item["name"] == last_runs
                if item["name"] != last_runs:
                    lines += [item["name"], *item["value"].splitlines()]
        for row in entry.components:
            for control in row.get("components", []):
                lines += [control.get("label") or "", control.get("placeholder") or ""]
                lines += [option.get("label", "") for option in control.get("options", [])]
    assert status_seen and len(lines) > 500
    english = [line for line in lines if ENGLISH.search(line) and not line.startswith(source)]
    assert not english, "\n".join(english[:20])


def test_what_the_members_type_in_the_german_demo_is_german(demo_de) -> None:
    page, entries, _, _ = demo_de
    typed = [value for e in entries if e.kind == "form" for _, value in e.fields]
    assert "Ich habe einen Sog gespürt, zu beruhigen, statt beim Zweifel der Klientin zu bleiben." in typed[0]
    assert any("wovor die Distanz schützt" in text for text in typed)
    assert any("Was passiert in dir, kurz bevor deine Gedanken abschweifen?" in text for text in typed)
    assert "Das Rollenspiel zum Therapieende hat geholfen" in page
    assert "TelefonSeelsorge 0800 111 0 111" in page and "Samaritans" not in page
    for english in ("I wonder what the distance protects", "The role-play on endings", "slow down. 🌱"):
        assert english not in page, english
    # The supervisor's reply reached its author, who looked it up with their code.
    assert "Danke, dass du die Distanz benennst." in bot_text(entries)


def test_the_demo_languages_are_the_ones_the_command_line_offers() -> None:
    demo = next(a for a in cli._parser()._subparsers._group_actions[0].choices["demo"]._actions if a.dest == "locale")
    assert tuple(demo.choices) == DEMO_LANGUAGES and demo.default == "en-US"
