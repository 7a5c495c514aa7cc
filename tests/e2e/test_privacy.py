"""/privacy: the statement, a complete export, and a delete that reaches every table holding member data."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

from cogs.admin.export_render import SECTION_TITLES
from tests.e2e.conftest import custom_ids, embed_text, set_up_group
from tests.support.db import db_rows
from tests.support.journal_actions import write_entry


def member_tables(db_path) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Every table with a column that names a member (user_id, member_id, ...)."""
    with sqlite3.connect(db_path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        found = {}
        for table in tables:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            named = [c for c in columns if c in ("user_id", "member_id", "author_id") or c.endswith("_user_id")]
            if named:
                found[table] = named
        return found


async def fill_with_member_data(h, member) -> None:  # type: ignore[no-untyped-def]
    """Give one member a row in every feature: quiz answer, journal, subscription, DM failure."""
    g = h.group
    await set_up_group(h)
    await h.run(g.supervisor, "schedule set", kind="quiz_opens", days="Mon", time="09:00")
    await h.run(g.owner, "setup", meeting_day=0, meeting_time="09:04")
    # The quiz closes at 12:30; the member asks to be reminded an hour before, which their closed DMs refuse.
    await h.run(g.supervisor, "schedule set", kind="quiz_closes", days="Mon", time="12:30")
    await h.run(member, "quiz remind on", hours=1)
    for kind in ("meeting_attendance", "meeting_feedback"):
        await h.run(g.supervisor, "schedule set", kind=kind)
    await h.advance(timedelta(hours=1, minutes=5))
    # A meeting: the member marks themselves present, a supervisor confirms, and logs an individual session.
    attendance = next(m for m in h.sandbox.messages(g.channels["prompts"]) if "Mark me present" in str(m.components))
    await (await h.sandbox.click(member, attendance, custom_ids(attendance)[0])).response()
    card = await h.run(g.supervisor, "meeting attendance")
    confirm = next(c for row in card.components for c in row["components"] if c.get("label") == "Confirm attendance")
    await (await h.sandbox.click(g.supervisor, card.message, confirm["custom_id"])).response()
    await h.run(g.supervisor, "meeting individual", supervisee=member, date="today", minutes=50)
    await h.run(g.supervisor, "meeting settings", brief_dm=True)
    await h.run(member, "feedback dm", on=True)
    post = await h.sandbox.wait_for_message(g.channels["quiz"], lambda m: bool(m.components))
    question = await (await h.sandbox.click(member, post, custom_ids(post)[0])).response()
    feedback = await (await h.sandbox.click(member, question.message, custom_ids(question)[0])).response()
    # How sure: guessing brings the item back in the member's own practice, right or wrong.
    guessing = next(c for c in custom_ids(feedback) if c.startswith("sv:quiz:sure:") and c.endswith(":1"))
    await (await h.sandbox.click(member, feedback.message, guessing)).response()
    report = next(c for c in custom_ids(feedback) if c.startswith("sv:quiz:report:"))
    picker = await (await h.sandbox.click(member, feedback.message, report)).response()
    opened = await h.sandbox.select(member, picker.message, custom_ids(picker)[0], ["ambiguous"])
    field = (await opened.modal())["components"][0]["components"][0]["custom_id"]
    await (await h.sandbox.submit_modal(member, opened, {field: "B fits too"})).response()
    saved = await write_entry(h, member, "A private reflection ✨")
    await h.run(g.supervisor, "setup", journal_dm=True)
    private = next(c for c in custom_ids(saved) if c.startswith("sv:reflect:private:"))
    shared = await h.sandbox.click(member, saved.message, private)
    assert "Shared entry" in (await shared.next_followup()).content
    await h.run(member, "reflect subscribe", days="daily", time="09:00", timezone="America/Toronto")
    h.sandbox.faults.block_dms(member)
    await h.advance(timedelta(hours=3, minutes=5))  # the meeting's questions, by DM, which the member blocked
    await h.advance(timedelta(hours=17))


async def test_statement_covers_each_feature_and_its_limits(make_harness) -> None:
    async with make_harness() as h:
        response = await h.run(h.group.trainees[0], "privacy info")
        text = embed_text(response.embeds)
        assert response.ephemeral
        for phrase in ("Whoever hosts it", "/privacy export", "Honest limits", "can identify people"):
            assert phrase in text


async def test_export_contains_what_was_stored(make_harness) -> None:
    async with make_harness() as h:
        member = h.group.trainees[0]
        await fill_with_member_data(h, member)
        ix = await h.sandbox.invoke(h.group.guild, member, "privacy export")
        message = await ix.original_message(predicate=lambda m: len(m.attachments) == 2)
        assert message.flags & 64
        files = {a.filename: a.data for a in message.attachments}
        document = json.loads(files["my-data.json"])
        assert document["member_id"] == member.id and document["server_id"] == h.group.guild.id
        sections = document["sections"]
        assert sections["Reflection journal"][0]["entry"] == "A private reflection ✨"
        assert len(sections["Quiz answers"]) == 1 and sections["Quiz answers"][0]["how_sure"] == "guessing"
        assert len(sections["Quiz review schedule"]) == 1
        assert sections["Quiz item reports"][0]["details"] == "B fits too"
        assert sections["Journal entries shared with supervisors"][0]["supervisor_reply"] is None
        assert sections["Reflective prompt subscription and deliveries"][0]["timezone"] == "America/Toronto"
        assert sections["Failed direct-message deliveries"]
        attended = sections["Supervision meetings attended (hours log)"]
        assert [(r["meeting"], r["minutes"], r["confirmed_by"]) for r in attended] == [
            ("individual, in person", 50, "Dr Supervisor"),
            ("group, in person", 90, "Dr Supervisor"),
        ]
        dms = sections["Meeting DMs you asked for"]
        assert {"asked_for_dms": "questions after each meeting"} in dms
        assert any(r.get("dm") == "questions after each meeting" for r in dms)  # the DM that could not be sent
        markdown = files["my-data.md"].decode()
        assert "## Reflection journal" in markdown and "A private reflection ✨" in markdown
        # Another member's export holds none of it.
        other = h.group.trainees[1]
        ix = await h.sandbox.invoke(h.group.guild, other, "privacy export")
        theirs = await ix.original_message(predicate=lambda m: len(m.attachments) == 2)
        other_doc = json.loads(next(a.data for a in theirs.attachments if a.filename.endswith(".json")))
        # Only their own language, seen in the command they just ran.
        assert other_doc["sections"].pop("Language") == [{"discord_locale_last_seen": "en-US"}]
        assert all(rows == [] for rows in other_doc["sections"].values())


async def test_delete_removes_every_member_row_in_every_table(make_harness) -> None:
    async with make_harness() as h:
        member, other = h.group.trainees[:2]
        await fill_with_member_data(h, member)
        await write_entry(h, other, "someone else's entry")
        tables = member_tables(h.db_path)
        # Every table that can name a member is covered by a repository with export and delete.
        assert set(tables) == {
            "quiz_answers",
            "quiz_reviews",
            "quiz_item_reports",
            "journal_entries",
            "journal_shares",
            "share_dm_recipients",
            "subscriptions",
            "dm_deliveries",
            "dm_failures",
            "meeting_attendance",
            "meeting_dm_optins",
            "meeting_dms",
            "quiz_reminder_optins",
            "reminder_dms",
            "member_locales",
        }
        # The DM recipients are supervisors; the member shared an entry with one of them.
        recipients = {"share_dm_recipients"}
        copy = next(m for m in h.sandbox.dms(h.group.supervisor) if m.embeds)
        assert "A private reflection ✨" in copy.embeds[0]["description"]

        def count(table: str, user_id: int) -> int:
            with sqlite3.connect(h.db_path) as conn:
                return conn.execute(f"SELECT COUNT(*) FROM {table} WHERE user_id = ?", (user_id,)).fetchone()[0]

        assert all(count(table, member.id) > 0 for table in set(tables) - recipients)
        assert count("share_dm_recipients", h.group.supervisor.id) == 1
        asked = await h.run(member, "privacy delete")
        assert "cannot be undone" in asked.content
        done = await (await h.sandbox.click(member, asked.message, custom_ids(asked)[0])).response()
        assert "Everything linked to you in this server is erased" in done.content
        assert "Reflection journal: 1 removed" in done.content
        assert "Anonymous check-ins are not linked to you" in done.content and "/checkin withdraw" in done.content
        assert all(count(table, member.id) == 0 for table in tables)
        assert count("journal_entries", other.id) == 1
        # The supervisor's copy of the shared entry is deleted on Discord too.
        assert h.sandbox.message(copy.id).deleted
        # A supervisor who takes shares by DM is erased from that list by their own delete.
        asked = await h.run(h.group.supervisor, "privacy delete")
        await (await h.sandbox.click(h.group.supervisor, asked.message, custom_ids(asked)[0])).response()
        assert count("share_dm_recipients", h.group.supervisor.id) == 0
        assert count("meeting_dm_optins", h.group.supervisor.id) == 0
        # No confirmation keeps their id (tests/db/test_repositories_meetings.py: the name stays on others' records).
        supervisor = h.group.supervisor.id
        assert db_rows(h, "SELECT COUNT(*) FROM meeting_attendance WHERE confirmer_user_id = ?", supervisor) == [(0,)]


# The tables each member-data repository exports from and deletes from.
TABLES_OF = {
    "Failed direct-message deliveries": ("dm_failures",),
    "Quiz answers": ("quiz_answers",),
    "Reflective prompt subscription and deliveries": ("subscriptions", "dm_deliveries"),
    "Reflection journal": ("journal_entries",),
    "Quiz review schedule": ("quiz_reviews",),
    "Quiz item reports": ("quiz_item_reports",),
    "Journal entries shared with supervisors": ("journal_shares",),
    "Supervision meetings attended (hours log)": ("meeting_attendance",),
    "Meeting DMs you asked for": ("meeting_dm_optins", "meeting_dms"),
    "Reminders and DMs you put off": ("quiz_reminder_optins", "reminder_dms"),
    "Language": ("member_locales",),
}


async def test_every_member_data_repository_exports_and_deletes(make_harness) -> None:
    async with make_harness() as h:
        labels = {repo.member_data_label for repo in h.bot.repos.member_data()}
        assert labels == {
            "Failed direct-message deliveries",
            "Quiz answers",
            "Reflective prompt subscription and deliveries",
            "Reflection journal",
            "Quiz review schedule",
            "Quiz item reports",
            "Journal entries shared with supervisors",
            "Supervision meetings attended (hours log)",
            "Meeting DMs you asked for",
            "Reminders and DMs you put off",
            "Language",
        }
        assert set(TABLES_OF) == labels
        # Each section has a name a translator can translate, for the readable export and the delete's reply.
        assert set(SECTION_TITLES) == labels
        member, other = h.group.trainees[:2]
        guild_id = h.group.guild.id
        await fill_with_member_data(h, member)
        await write_entry(h, other, "someone else's entry")

        def rows_of(user_id: int) -> dict[str, int]:
            return {
                table: db_rows(h, f"SELECT COUNT(*) FROM {table} WHERE user_id = ?", user_id)[0][0]
                for tables in TABLES_OF.values()
                for table in tables
            }

        kept = rows_of(member.id)
        assert all(kept.values()), kept
        others = rows_of(other.id)
        for repo in h.bot.repos.member_data():
            mine = TABLES_OF[repo.member_data_label]
            exported = await repo.export_member(guild_id, member.id)
            assert exported, repo.member_data_label
            assert await repo.delete_member(guild_id, member.id) == sum(kept[t] for t in mine)
            assert await repo.export_member(guild_id, member.id) == []
            kept |= dict.fromkeys(mine, 0)
            # This repository's rows of the member are gone; every other repository's are still there.
            assert rows_of(member.id) == kept, repo.member_data_label
            assert rows_of(other.id) == others, repo.member_data_label
        assert others["journal_entries"] == 1


async def test_a_deleted_journal_entry_is_in_no_file_the_bot_keeps(make_harness) -> None:
    """An operator copying the database and its WAL right after /privacy delete finds none of the words."""
    async with make_harness() as h:
        member = h.group.trainees[0]
        await set_up_group(h)
        words = "Rupture over the missed session, repaired by naming it zq7x"
        await write_entry(h, member, words)
        files = [h.db_path, h.db_path.with_name(h.db_path.name + "-wal")]
        assert any(b"zq7x" in f.read_bytes() for f in files if f.exists())  # the attacker's probe works
        asked = await h.run(member, "privacy delete")
        done = await (await h.sandbox.click(member, asked.message, custom_ids(asked)[0])).response()
        assert "Reflection journal: 1 removed" in done.content
        assert [f.name for f in files if f.exists() and b"zq7x" in f.read_bytes()] == []


async def test_one_deleted_journal_entry_is_in_no_file_the_bot_keeps(make_harness) -> None:
    """Deleting one entry from /reflect journal show leaves its words in neither the database nor its WAL."""
    async with make_harness() as h:
        member = h.group.trainees[0]
        await set_up_group(h)
        await write_entry(h, member, "Kept: the alliance held when I said what I noticed kq4w")
        await write_entry(h, member, "Deleted: my own irritation at the client's lateness vb8j")
        files = [h.db_path, h.db_path.with_name(h.db_path.name + "-wal")]
        assert any(b"vb8j" in f.read_bytes() for f in files if f.exists())  # the attacker's probe works
        page = await h.run(member, "reflect journal show")
        ask = await (await h.sandbox.click(member, page.message, "sv:reflect:delete:2:ask")).response()
        done = await (await h.sandbox.click(member, ask.message, "sv:reflect:delete:2:yes")).response()
        assert "Entry #2 deleted" in done.content
        assert [f.name for f in files if f.exists() and b"vb8j" in f.read_bytes()] == []
        assert any(b"kq4w" in f.read_bytes() for f in files if f.exists())  # the other entry is still there
