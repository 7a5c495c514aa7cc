"""Per-server caches of settings and banks: a write through the repository, or by another process, is seen next read."""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime

from bot.db.cache import one_look
from bot.db.models import QuizSettings
from bot.db.repositories import Repositories

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GUILD = 111


def write_elsewhere(repos: Repositories, sql: str, *args: object) -> None:
    """A write by another connection: a second bot process, or an operator's tool, on the same file."""
    with contextlib.closing(sqlite3.connect(repos.db.path)) as conn, conn:
        conn.execute(sql, args)


async def test_a_change_through_the_repository_is_read_back_at_once(repos: Repositories) -> None:
    assert (await repos.settings.get(GUILD)).quiz_channel_id is None  # now cached
    await repos.settings.update(GUILD, quiz_channel_id=5)
    assert (await repos.settings.get(GUILD)).quiz_channel_id == 5
    assert await repos.reflect.disabled(GUILD) == set()
    await repos.reflect.disable(GUILD, "p1")
    assert await repos.reflect.disabled(GUILD) == {"p1"}
    assert await repos.quiz_bank.disabled(GUILD) == set()
    await repos.quiz_bank.disable(GUILD, "q1")
    assert await repos.quiz_bank.disabled(GUILD) == {"q1"}
    assert await repos.quiz_reports.paused(GUILD) == set()
    assert await repos.quiz_reports.report(GUILD, "q2", 201, "wrong key", None, NOW, k=1)
    assert await repos.quiz_reports.paused(GUILD) == {"q2"}
    await repos.quiz_reports.resolve(GUILD, "q2", NOW)
    assert await repos.quiz_reports.paused(GUILD) == set()
    await repos.reflect.add_custom(GUILD, "own-1", "empathy", "any", None, "What moved you?", NOW)
    assert [p.prompt_id for p in await repos.reflect.custom_prompts(GUILD)] == ["own-1"]


async def test_a_change_by_another_process_is_read_on_the_next_look(repos: Repositories) -> None:
    assert (await repos.settings.get(GUILD)).timezone == "UTC"
    assert await repos.reflect.disabled(GUILD) == set()
    write_elsewhere(
        repos, "INSERT INTO guild_settings (guild_id, timezone, updated_at) VALUES (?, 'Asia/Tokyo', 0)", GUILD
    )
    write_elsewhere(repos, "INSERT INTO disabled_prompts (guild_id, prompt_id) VALUES (?, 'p9')", GUILD)
    assert (await repos.settings.get(GUILD)).timezone == "Asia/Tokyo"
    assert await repos.reflect.disabled(GUILD) == {"p9"}


async def test_a_cached_value_changed_by_its_caller_stays_as_stored(repos: Repositories) -> None:
    await repos.quiz_bank.disable(GUILD, "q1")
    mine = await repos.quiz_bank.disabled(GUILD)
    mine.add("q2")
    assert await repos.quiz_bank.disabled(GUILD) == {"q1"}
    assert await repos.quiz_bank.disabled(GUILD + 1) == set()
    # Servers with nothing switched off share one stored empty set: a caller's change reaches none of them.
    theirs = await repos.quiz_bank.disabled(GUILD + 1)
    theirs.add("q3")
    assert await repos.quiz_bank.disabled(GUILD + 2) == set()
    assert await repos.quiz_bank.disabled(GUILD + 1) == set()


async def test_one_unit_of_work_reads_one_state_and_the_next_sees_another_process(repos: Repositories) -> None:
    """An interaction or a fire looks for other processes' commits once, at its first cached read."""
    with one_look():
        assert (await repos.settings.get(GUILD)).timezone == "UTC"
        write_elsewhere(
            repos, "INSERT INTO guild_settings (guild_id, timezone, updated_at) VALUES (?, 'Asia/Tokyo', 0)", GUILD
        )
        assert (await repos.settings.get(GUILD)).timezone == "UTC"  # the state the unit began with
        await repos.reflect.disable(GUILD, "p1")  # its own writes are read back at once
        assert await repos.reflect.disabled(GUILD) == {"p1"}
    with one_look():
        assert (await repos.settings.get(GUILD)).timezone == "Asia/Tokyo"
    write_elsewhere(repos, "UPDATE guild_settings SET timezone = 'Europe/Oslo' WHERE guild_id = ?", GUILD)
    assert (await repos.settings.get(GUILD)).timezone == "Europe/Oslo"  # outside a unit: every read looks


async def _values(repos: Repositories, guild_id: int) -> tuple[object, ...]:
    """Every cached value a scheduled post reads for a server."""
    return (
        await repos.settings.get(guild_id),
        await repos.quiz_settings.get(guild_id),
        await repos.quiz_bank.custom_items(guild_id),
        await repos.quiz_bank.disabled(guild_id),
        await repos.quiz_reports.paused(guild_id),
        await repos.reflect.custom_prompts(guild_id),
        await repos.reflect.disabled(guild_id),
    )


async def test_warming_many_servers_caches_what_each_would_read_on_its_own(repos: Repositories) -> None:
    """A fan-out's batch is read ahead, a read per kind: the values are each server's own, and are kept."""
    servers = [GUILD, GUILD + 1, GUILD + 2, GUILD + 3]  # the last never set up: defaults
    await repos.settings.update(GUILD + 1, timezone="Asia/Tokyo", locale="de")
    await repos.quiz_settings.save(QuizSettings(GUILD, ("empathy", "congruence"), 3, True))
    await repos.quiz_bank.disable(GUILD + 2, "q1")
    await repos.quiz_reports.report(GUILD, "q2", 201, "wrong key", None, NOW, k=1)
    await repos.reflect.disable(GUILD, "p1")
    await repos.reflect.add_custom(GUILD + 1, "own-1", "empathy", "any", None, "What moved you?", NOW)
    await repos.reflect.add_custom(GUILD + 1, "own-2", "congruence", "any", None, "Where were you real?", NOW)
    each_on_its_own = {guild_id: await _values(Repositories(repos.db), guild_id) for guild_id in servers}
    with one_look():
        await repos.warm(servers)
        # Another process changes every server now; inside the unit only a value not read ahead would show it.
        write_elsewhere(repos, "UPDATE guild_settings SET timezone = 'Europe/Oslo'")
        write_elsewhere(repos, "DELETE FROM disabled_prompts")
        write_elsewhere(repos, "DELETE FROM quiz_paused_items")
        write_elsewhere(repos, "INSERT INTO quiz_disabled_items (guild_id, item_id) VALUES (?, 'q9')", GUILD + 3)
        assert {guild_id: await _values(repos, guild_id) for guild_id in servers} == each_on_its_own
    with one_look():  # the next unit sees the other process's commits
        assert (await repos.settings.get(GUILD + 1)).timezone == "Europe/Oslo"
        assert await repos.quiz_bank.disabled(GUILD + 3) == {"q9"}


async def test_a_cached_quiz_follows_its_changes_here_and_elsewhere(repos: Repositories) -> None:
    """Every quiz click looks its quiz up from the cache; closing or posting it shows at once, another server never."""
    assert await repos.quiz.in_server(GUILD, 1) is None  # looked up before it exists
    quiz = await repos.quiz.create_week(GUILD, "2026-03-02", None, 500, ["q1", "q2"], NOW, None)
    assert quiz is not None and quiz.id == 1
    assert await repos.quiz.in_server(GUILD, quiz.id) == quiz  # the row as written, cached from here on
    assert await repos.quiz.in_server(GUILD + 1, quiz.id) is None
    await repos.quiz.set_message(quiz.id, 900)
    assert await repos.quiz.in_server(GUILD, quiz.id) == replace(quiz, message_id=900)
    assert await repos.quiz.close(quiz.id, NOW)
    assert await repos.quiz.in_server(GUILD, quiz.id) == replace(quiz, message_id=900, closed_at=NOW)
    assert not await repos.quiz.close(quiz.id, NOW)  # already closed
    write_elsewhere(repos, "UPDATE quiz_weeks SET closed_at = NULL WHERE id = ?", quiz.id)
    assert await repos.quiz.in_server(GUILD, quiz.id) == replace(quiz, message_id=900)
