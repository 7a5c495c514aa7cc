"""SIGKILL the real bot process in the middle of a burst of quiz answers, restart it, and audit the database.

The promise under test: a member who was shown feedback has a counted answer on disk (the commit
comes before the reply), nothing is ever counted twice, and the file survives a crash intact.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.db.connection import Database
from bot.db.migrate import migrate
from bot.db.repositories import Repositories
from discord_sandbox import Sandbox
from discord_sandbox.interactions import Callback, Interaction
from tests.e2e.conftest import Group, build_group, custom_ids
from tests.faults.support import BotProcess, integrity, start_bot_process, write_config
from tests.support.db import db_rows

COGS = ("about", "admin", "quiz")
ALREADY = "Your first answer is the one that counts"

CALLBACK = "/interactions/{interaction_id}/{interaction_token}/callback"


async def seed_settings(db_path: Path, group: Group) -> None:
    """Configure the group through a separate connection before the bot ever starts."""
    db = await Database.open(db_path)
    try:
        await migrate(db)
        await Repositories(db).settings.update(
            group.guild.id,
            timezone="Europe/London",
            supervisor_role_id=group.supervisor_role.id,
            quiz_channel_id=group.channels["quiz"].id,
        )
    finally:
        await db.close()


def answer_button(question: Callback) -> str:
    """The first (A) answer button of a question."""
    return next(c for c in custom_ids(question) if ":answer:" in c)


def is_feedback(response: Callback) -> bool:
    """The reply to a counted answer: the question turned into feedback with a Next button."""
    return any(":quiz:next:" in c for c in custom_ids(response))


def counted(db_path: Path, position: int) -> set[int]:
    return {uid for (uid,) in db_rows(db_path, "SELECT user_id FROM quiz_answers WHERE position = ?", position)}


async def burst_then_kill(sb: Sandbox, group: Group, questions: list[Callback], proc: BotProcess) -> dict:  # type: ignore[type-arg]
    """Every member clicks answer A at once; SIGKILL the bot the moment a tenth of them have a reply.

    The kill is sent synchronously from the sandbox's own change notification, in the same step that
    records the reply. Replies after the first tenth never reach Discord (the bot may well have
    stored those answers), so the rest of the burst is certainly unanswered when the process dies,
    however fast the bot is next to the test.
    """
    clicks: dict[int, Interaction] = {}
    wanted = max(1, len(group.trainees) // 10)
    cut_off = sb.faults.drop_after("POST", CALLBACK, skip=wanted)
    notifier = sb.world.notifier
    notify = notifier.changed

    def changed() -> None:
        if proc.proc.returncode is None and sum(ix.initial is not None for ix in clicks.values()) >= wanted:
            proc.proc.kill()
        notify()

    notifier.changed = changed  # type: ignore[method-assign]
    try:
        for member, question in zip(group.trainees, questions, strict=True):
            clicks[member.id] = await sb.click(member, question.message, answer_button(question))
        await sb.wait_for(
            lambda: sum(ix.initial is not None for ix in clicks.values()) >= wanted, timeout=20, what="the replies"
        )
        await proc.kill()
    finally:
        notifier.changed = notify  # type: ignore[method-assign]
        cut_off.set()
        sb.faults.clear()
    return clicks


async def kill_mid_burst(sb: Sandbox, tmp_path: Path, members: int, rounds: int) -> None:
    g = build_group(sb, trainees=members)
    config = write_config(tmp_path, sb, COGS)
    db_path = tmp_path / "bot.sqlite3"
    await seed_settings(db_path, g)
    by_id = {m.id: m for m in g.trainees}

    proc = await start_bot_process(sb, config, "run-0")
    try:
        opened = await sb.invoke(g.guild, g.supervisor, "quiz open-now")
        await opened.original_message(timeout=15, predicate=lambda m: "Opened" in m.content)
        post = await sb.wait_for_message(g.channels["quiz"], lambda m: bool(m.components))
        quiz_id = db_rows(db_path, "SELECT id FROM quiz_weeks")[0][0]
        questions = [await (await sb.click(m, post, custom_ids(post)[0])).response(timeout=15) for m in g.trainees]

        for position in range(rounds):
            clicks = await burst_then_kill(sb, g, questions, proc)
            # Snapshot after the process is gone: no reply can still be on its way.
            replied = {uid for uid, ix in clicks.items() if ix.initial is not None}
            assert len(replied) < len(clicks), "every click was answered before the kill: nothing was in flight"
            assert integrity(db_path) == [("ok",)]
            stored = counted(db_path, position)
            assert replied <= stored, f"feedback shown but no answer stored for {sorted(replied - stored)}"
            assert all(is_feedback(clicks[uid].initial) for uid in replied)  # type: ignore[arg-type]

            proc = await start_bot_process(sb, config, f"run-{position + 1}")
            # Members left without a reply press the same button again, on the message still in front of them.
            for uid, ix in clicks.items():
                if ix.initial is not None:
                    continue
                assert ix.message is not None
                again = await sb.click(by_id[uid], sb.message(ix.message.id), ix.payload["data"]["custom_id"])
                response = await again.response(timeout=15)
                if uid in stored:
                    assert ALREADY in response.content, response
                else:
                    assert is_feedback(response), response
            assert counted(db_path, position) == set(by_id)
            if position + 1 < rounds:
                questions = [await (await sb.invoke(g.guild, m, "quiz take")).response(timeout=15) for m in g.trainees]
                assert {q.embeds[0]["title"] for q in questions} == {f"Question {position + 2} of 5"}
    finally:
        await proc.kill()

    assert integrity(db_path) == [("ok",)]
    doubled = "SELECT quiz_id, position, user_id FROM quiz_answers GROUP BY 1, 2, 3 HAVING COUNT(*) > 1"
    assert db_rows(db_path, doubled) == []
    per_member = db_rows(db_path, "SELECT user_id, COUNT(*) FROM quiz_answers WHERE quiz_id = ? GROUP BY 1", quiz_id)
    assert sorted(per_member) == sorted((uid, rounds) for uid in by_id)
    assert {r[0] for r in db_rows(db_path, "SELECT choice FROM quiz_answers")} == {0}


async def test_kill_9_mid_burst_keeps_every_acknowledged_answer(sandbox: Sandbox, tmp_path: Path) -> None:
    await kill_mid_burst(sandbox, tmp_path, members=40, rounds=1)


@pytest.mark.slow
@pytest.mark.timeout(900)
async def test_kill_9_mid_burst_again_and_again_with_a_big_group(sandbox: Sandbox, tmp_path: Path) -> None:
    await kill_mid_burst(sandbox, tmp_path, members=80, rounds=5)
