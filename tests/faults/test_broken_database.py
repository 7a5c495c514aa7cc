"""A database that refuses writes: full (PRAGMA max_page_count) or read-only (PRAGMA query_only).

Both faults are set on the bot's own connection, the only place they take effect. The member must
be told "Could not save: nothing was recorded." privately, the file must hold nothing half-written,
the bot must keep serving, and once the fault clears the very same action must succeed.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from bot.db.models import to_unix
from bot.quiz_catalogue import load_catalogue
from cogs.reflect.catalogue import find_prompt
from discord_sandbox.interactions import Callback
from tests.e2e.conftest import Harness, custom_ids, embed_text, set_up_group
from tests.faults.support import dump_tables, fill_until_next_write_grows, integrity, wait_for_dispatched
from tests.support.command_fuzz import REMEMBERED
from tests.support.db import db_rows

COGS = ("about", "admin", "quiz", "reflect")
REFUSED = "Could not save: nothing was recorded."
UNLIMITED_PAGES = 1073741823
# Text a member might paste: Markdown, mentions, right-to-left override, zero-width joiners, emoji.
JOURNAL_TEXT = (
    "**Noticed** a pull to _rescue_ <@123> @everyone \u202eevif\u202c zero\u200bwidth e\u0301 🫂\n\n"
    "> then curious\n" + "Slowing down helps. " * 60
)

SQL = tuple[str, tuple[Any, ...]]


@dataclass
class Action:
    """One member action that writes: how to stage it, the exact row it writes, and how to do it."""

    stage: Callable[[Harness], Awaitable[dict[str, Any]]]
    probe: Callable[[Harness, dict[str, Any]], Awaitable[SQL]]
    filler: Callable[[Harness, dict[str, Any], int], SQL]
    act: Callable[[Harness, dict[str, Any]], Awaitable[Callback]]
    stored: Callable[[Harness, dict[str, Any]], bool]


# --- quiz answer -------------------------------------------------------------------------------


async def stage_answer(h: Harness) -> dict[str, Any]:
    await set_up_group(h)
    opened = await h.sandbox.invoke(h.group.guild, h.group.supervisor, "quiz open-now")
    await opened.original_message(predicate=lambda m: "Opened" in m.content)
    post = await h.sandbox.wait_for_message(h.group.channels["quiz"], lambda m: bool(m.components))
    member = h.group.trainees[0]
    question = await (await h.sandbox.click(member, post, custom_ids(post)[0])).response()
    quiz_id = db_rows(h.db_path, "SELECT id FROM quiz_weeks")[0][0]
    # A closed quiz of an earlier week holds the filler answers, so this week's results stay clean.
    conn = sqlite3.connect(h.db_path)
    with conn:
        filler_quiz = conn.execute(
            "INSERT INTO quiz_weeks (guild_id, week, channel_id, opened_at, closed_at)"
            " VALUES (?, '2025-01-06', ?, 0, 0)",
            (h.group.guild.id, h.group.channels["quiz"].id),
        ).lastrowid
    conn.close()
    button = next(c for c in custom_ids(question) if c.endswith(":0:0"))
    return {"member": member, "question": question, "quiz_id": quiz_id, "filler_quiz": filler_quiz, "button": button}


async def probe_answer(h: Harness, ctx: dict[str, Any]) -> SQL:
    catalogue = await load_catalogue(h.bot.repos, h.group.guild.id)
    first_item = db_rows(
        h.db_path, "SELECT item_id FROM quiz_week_items WHERE quiz_id = ? AND position = 0", ctx["quiz_id"]
    )
    item = catalogue.get(first_item[0][0])
    assert item is not None
    return (
        "INSERT INTO quiz_answers (quiz_id, position, user_id, guild_id, choice, correct, answered_at)"
        " SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM quiz_weeks WHERE id = ? AND closed_at IS NULL)"
        " ON CONFLICT (quiz_id, position, user_id) DO NOTHING",
        (
            ctx["quiz_id"],
            0,
            ctx["member"].id,
            h.group.guild.id,
            0,
            int(item.correct_index == 0),
            to_unix(h.clock()),
            ctx["quiz_id"],
        ),
    )


def filler_answer(h: Harness, ctx: dict[str, Any], number: int) -> SQL:
    return (
        "INSERT INTO quiz_answers (quiz_id, position, user_id, guild_id, choice, correct, answered_at)"
        " VALUES (?, 0, ?, ?, 0, 0, 0)",
        (ctx["filler_quiz"], 1000 + number, h.group.guild.id),
    )


async def act_answer(h: Harness, ctx: dict[str, Any]) -> Callback:
    message = h.sandbox.message(ctx["question"].message.id)
    return await (await h.sandbox.click(ctx["member"], message, ctx["button"])).response()


def answer_stored(h: Harness, ctx: dict[str, Any]) -> bool:
    rows = db_rows(
        h.db_path, "SELECT choice FROM quiz_answers WHERE quiz_id = ? AND user_id = ?", ctx["quiz_id"], ctx["member"].id
    )
    assert rows in ([], [(0,)])
    return bool(rows)


# --- journal entry -----------------------------------------------------------------------------


async def stage_journal(h: Harness) -> dict[str, Any]:
    member = h.group.trainees[1]
    shown = await h.run(member, "reflect prompt")
    write = next(c for c in custom_ids(shown) if c.startswith("sv:reflect:write:"))
    return {"member": member, "shown": shown, "write": write, "prompt_id": write.rsplit(":", 1)[1]}


async def probe_journal(h: Harness, ctx: dict[str, Any]) -> SQL:
    prompt = await find_prompt(h.bot.repos, h.group.guild.id, h.bot.get_guild(h.group.guild.id), ctx["prompt_id"])
    assert prompt is not None
    return (
        "INSERT INTO journal_entries (guild_id, user_id, prompt_id, prompt_text, element, body, written_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (h.group.guild.id, ctx["member"].id, prompt.id, prompt.text, prompt.element, JOURNAL_TEXT, to_unix(h.clock())),
    )


def filler_journal(h: Harness, ctx: dict[str, Any], number: int) -> SQL:
    return (
        "INSERT INTO journal_entries (guild_id, user_id, body, written_at) VALUES (?, 1, ?, 0)",
        (h.group.guild.id, f"filler {number}"),
    )


async def act_journal(h: Harness, ctx: dict[str, Any]) -> Callback:
    sb, member = h.sandbox, ctx["member"]
    opened = await sb.click(member, sb.message(ctx["shown"].message.id), ctx["write"])
    modal = await opened.modal()
    field_id = modal["components"][0]["components"][0]["custom_id"]
    return await (await sb.submit_modal(member, opened, {field_id: JOURNAL_TEXT})).response()


def journal_stored(h: Harness, ctx: dict[str, Any]) -> bool:
    rows = db_rows(h.db_path, "SELECT body FROM journal_entries WHERE user_id = ?", ctx["member"].id)
    assert rows in ([], [(JOURNAL_TEXT,)])
    return bool(rows)


# --- /setup ------------------------------------------------------------------------------------


async def stage_setup(h: Harness) -> dict[str, Any]:
    return {}


def setup_values(h: Harness, guild_id: int) -> tuple[Any, ...]:
    g = h.group
    channels = (g.channels["prompts"].id, g.channels["quiz"].id, g.channels["digest"].id)
    return (guild_id, "Europe/London", g.supervisor_role.id, *channels, None, None, int(time.time()))


async def probe_setup(h: Harness, ctx: dict[str, Any]) -> SQL:
    return (
        "INSERT INTO guild_settings (guild_id, timezone, supervisor_role_id, prompts_channel_id, quiz_channel_id,"
        " digest_channel_id, meeting_weekday, meeting_time, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (guild_id) DO UPDATE SET timezone = excluded.timezone",
        setup_values(h, h.group.guild.id),
    )


def filler_setup(h: Harness, ctx: dict[str, Any], number: int) -> SQL:
    # Other (long gone) servers' settings, to fill the table's pages.
    return (
        "INSERT INTO guild_settings (guild_id, timezone, supervisor_role_id, prompts_channel_id, quiz_channel_id,"
        " digest_channel_id, meeting_weekday, meeting_time, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        setup_values(h, 1000 + number),
    )


async def act_setup(h: Harness, ctx: dict[str, Any]) -> Callback:
    g = h.group
    return await h.run(
        g.owner,
        "setup",
        timezone="Europe/London",
        supervisor_role=g.supervisor_role,
        prompts_channel=g.channels["prompts"],
        quiz_channel=g.channels["quiz"],
        digest_channel=g.channels["digest"],
    )


def setup_stored(h: Harness, ctx: dict[str, Any]) -> bool:
    rows = db_rows(
        h.db_path, "SELECT timezone, quiz_channel_id FROM guild_settings WHERE guild_id = ?", h.group.guild.id
    )
    assert rows in ([], [("Europe/London", h.group.channels["quiz"].id)])
    return bool(rows)


ACTIONS = {
    "quiz answer": Action(stage_answer, probe_answer, filler_answer, act_answer, answer_stored),
    "journal entry": Action(stage_journal, probe_journal, filler_journal, act_journal, journal_stored),
    "setup": Action(stage_setup, probe_setup, filler_setup, act_setup, setup_stored),
}


def succeeded(action: str, response: Callback) -> bool:
    text = response.content + embed_text(response.embeds)
    if action == "quiz answer":
        return any(":quiz:next:" in c for c in custom_ids(response))
    if action == "journal entry":
        return "Saved to your private journal" in text
    return "Saved." in text


async def break_database(h: Harness, fault: str, action: Action, ctx: dict[str, Any]) -> None:
    db = h.bot.repos.db
    if fault == "read-only":
        await db.fetchall("PRAGMA query_only = ON")
        return
    probe = await action.probe(h, ctx)
    # In a thread: the filler waits for the bot's write lock, which the bot can release only if the loop runs.
    pages = await asyncio.to_thread(fill_until_next_write_grows, h.db_path, probe, lambda n: action.filler(h, ctx, n))
    # The limit is per connection, so it goes on the bot's own: its next new page is refused with SQLITE_FULL.
    await db.fetchall(f"PRAGMA max_page_count = {pages}")
    assert (await db.fetchone("PRAGMA max_page_count"))[0] == pages  # type: ignore[index]


async def repair_database(h: Harness, fault: str) -> None:
    db = h.bot.repos.db
    if fault == "read-only":
        await db.fetchall("PRAGMA query_only = OFF")
    else:
        await db.fetchall(f"PRAGMA max_page_count = {UNLIMITED_PAGES}")


@pytest.mark.parametrize("action_name", list(ACTIONS))
@pytest.mark.parametrize("fault", ["disk full", "read-only"])
async def test_a_refused_write_is_reported_changes_nothing_and_succeeds_later(
    make_harness, fault: str, action_name: str
) -> None:
    action = ACTIONS[action_name]
    async with make_harness(cogs=COGS) as h:
        await wait_for_dispatched(h.bot)  # the start-up catch-up writes too; let it finish first
        ctx = await action.stage(h)
        await break_database(h, fault, action, ctx)
        # The member's language is remembered before the command runs (bot/client.py), where there was room.
        before = dump_tables(h.db_path, REMEMBERED)

        refused = await action.act(h, ctx)
        assert refused.ephemeral, refused
        assert refused.content.startswith(REFUSED), refused
        assert not action.stored(h, ctx)
        assert dump_tables(h.db_path, REMEMBERED) == before
        assert integrity(h.db_path) == [("ok",)]

        # The bot is still serving while the database is broken.
        about = await h.run(h.group.trainees[2], "about")
        assert "Uptime" in embed_text(about.embeds)

        await repair_database(h, fault)
        retried = await action.act(h, ctx)
        assert succeeded(action_name, retried), retried
        assert action.stored(h, ctx)
        assert integrity(h.db_path) == [("ok",)]
