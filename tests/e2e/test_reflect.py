"""Reflective prompts end to end: group prompt and thread, DMs in members' own zones, the private journal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import RetentionConfig
from cogs.reflect.logic import extract_bodies
from discord_sandbox import CommandUsageError
from tests.e2e.conftest import custom_ids, embed_text, set_up_group
from tests.support.db import db_rows
from tests.support.journal_actions import write_entry

REFLECT_COGS = ("about", "admin", "quiz", "reflect")


async def test_group_prompt_is_posted_with_a_thread(make_harness) -> None:
    async with make_harness(cogs=REFLECT_COGS) as h:
        await set_up_group(h)
        await h.run(h.group.supervisor, "schedule set", kind="reflective_prompt", days="Mon", time="10:00")
        fires = await h.advance(timedelta(hours=2, minutes=1))
        assert [f.kind for f in fires if not f.job.startswith("system:")] == ["reflective_prompt"]
        post = await h.sandbox.wait_for_message(h.group.channels["prompts"])
        assert "This week's reflective prompt" in post.embeds[0]["title"]
        assert "Reply in the thread below" in embed_text(post.embeds)
        assert post.thread_id is not None
        thread_row = db_rows(h, "SELECT thread_id, message_id FROM group_prompts")
        assert thread_row == [(post.thread_id, post.id)]
        assert db_rows(h, "SELECT status FROM fires WHERE kind = 'reflective_prompt'") == [("posted",)]


async def test_group_prompt_falls_back_without_thread_permission(make_harness) -> None:
    async with make_harness(cogs=REFLECT_COGS) as h:
        await set_up_group(h)
        h.sandbox.deny_bot(h.group.channels["prompts"], "create_public_threads")
        await h.sandbox.sync_gateway()
        await h.run(h.group.supervisor, "schedule set", kind="reflective_prompt", days="Mon", time="10:00")
        await h.advance(timedelta(hours=2, minutes=1))
        post = await h.sandbox.wait_for_message(h.group.channels["prompts"])
        assert post.thread_id is None
        assert "Reply in this channel" in embed_text(post.embeds)
        detail = db_rows(h, "SELECT detail FROM fires WHERE kind = 'reflective_prompt'")[0][0]
        assert "without a thread" in detail


async def test_prompts_rotate_and_never_repeat_over_a_term(make_harness) -> None:
    async with make_harness(cogs=REFLECT_COGS) as h:
        await set_up_group(h)
        await h.run(h.group.supervisor, "reflect settings", lean=False)
        await h.run(h.group.supervisor, "schedule set", kind="reflective_prompt", days="daily", time="10:00")
        for _ in range(42):
            await h.advance(timedelta(hours=12))
        used = db_rows(h, "SELECT prompt_id, element FROM group_prompts ORDER BY posted_at")
        assert len(used) == 21
        assert len({p for p, _ in used}) == 21
        assert [e for _, e in used][:7] == [
            "empathy",
            "congruence",
            "unconditional_positive_regard",
            "working_alliance",
            "transference",
            "countertransference",
            "rupture_repair",
        ]


async def test_group_prompt_leans_toward_the_element_the_group_found_hardest(make_harness) -> None:
    async with make_harness(cogs=REFLECT_COGS) as h:
        await set_up_group(h)
        repos, g = h.bot.repos, h.group
        # Last week's quiz: rupture-and-repair questions mostly missed, the rest mostly right.
        quiz = await repos.quiz.create_week(
            g.guild.id,
            "2026-02-23",
            None,
            g.channels["quiz"].id,
            ["rupture_repair-001", "rupture_repair-002", "empathy-001", "congruence-001"],
            h.clock(),
            None,
        )
        from bot.content.banks import quiz_bank

        items = {i.id: i for i in quiz_bank()}
        for position, item_id in enumerate(quiz.item_ids):
            item = items[item_id]
            for member in g.trainees:
                wrong = item.element == "rupture_repair"
                choice = (item.correct_index + 1) % len(item.options) if wrong else item.correct_index
                await repos.quiz.record_answer(quiz, position, member.id, choice, not wrong, h.clock())
        await h.run(g.supervisor, "schedule set", kind="reflective_prompt", days="Mon", time="10:00")
        await h.advance(timedelta(hours=2, minutes=1))
        assert db_rows(h, "SELECT element FROM group_prompts") == [("rupture_repair",)]
        detail = db_rows(h, "SELECT detail FROM fires WHERE kind = 'reflective_prompt'")[0][0]
        assert "leaning toward Rupture and repair" in detail


async def test_dm_prompts_arrive_at_each_members_local_time_across_dst(make_harness) -> None:
    # From 1 March to 8 April 2026: New York (8 Mar), London (29 Mar) and Sydney (5 Apr) all change.
    # Keep the delivery records for the whole run, so every due time can be checked.
    keep = {"retention": RetentionConfig(dm_delivery_days=365)}
    async with make_harness(cogs=REFLECT_COGS, start=datetime(2026, 3, 1, tzinfo=UTC), sections=keep) as h:
        await set_up_group(h)
        zones = ["Europe/London", "America/New_York", "Australia/Sydney"]
        for member, zone in zip(h.group.trainees, zones, strict=False):
            response = await h.run(member, "reflect subscribe", days="Sun", time="09:00", timezone=zone)
            assert "Subscribed" in response.content
        for _ in range(38 * 8):
            await h.advance(timedelta(hours=3))
        for member, zone in zip(h.group.trainees, zones, strict=False):
            due = db_rows(h, "SELECT due_at, status FROM dm_deliveries WHERE user_id = ? ORDER BY due_at", member.id)
            local = [datetime.fromtimestamp(t, UTC).astimezone(ZoneInfo(zone)) for t, _ in due]
            assert {(t.hour, t.minute, t.weekday()) for t in local} == {(9, 0, 6)}, zone
            assert len(due) in (5, 6) and {s for _, s in due} == {"sent"}
            dms = h.sandbox.dms(member)
            assert len(dms) == len(due)
            assert custom_ids(dms[0])[0].startswith(f"sv:reflect:write:{h.group.guild.id}:")


async def test_closed_dms_skip_one_member_and_are_reported_once(make_harness) -> None:
    async with make_harness(cogs=REFLECT_COGS) as h:
        await set_up_group(h)
        closed, *others = h.group.trainees
        h.sandbox.faults.block_dms(closed)
        for member in h.group.trainees:
            await h.run(member, "reflect subscribe", days="daily", time="09:00")
        await h.advance(timedelta(hours=1, minutes=5))
        assert all(len(h.sandbox.dms(m)) == 1 for m in others)
        assert h.sandbox.dms(closed) == []
        assert db_rows(h, "SELECT user_id, feature FROM dm_failures") == [(closed.id, "reflect")]
        # Told once, ephemerally, after their next command.
        ix = await h.sandbox.invoke(h.group.guild, closed, "about")
        notice = await ix.next_followup()
        assert notice.flags & 64 and "your DMs are closed to this server" in notice.content
        assert db_rows(h, "SELECT notified FROM dm_failures") == [(1,)]
        # After three failed deliveries the subscription pauses; nobody else is affected.
        for _ in range(2):
            await h.advance(timedelta(days=1))
        assert db_rows(h, "SELECT active FROM subscriptions WHERE user_id = ?", closed.id) == [(0,)]
        assert all(len(h.sandbox.dms(m)) == 3 for m in others)


async def test_journal_round_trips_text_exactly_through_export(make_harness) -> None:
    async with make_harness(cogs=REFLECT_COGS) as h:
        member = h.group.trainees[0]
        text = "**Noticed** a pull to _rescue_ 🫂\n\n- felt `protective`\n> then curious\n\nNext time: slow down 🌱"
        saved = await write_entry(h, member, text)
        assert "Saved to your private journal as entry #1" in saved.content and saved.ephemeral
        assert db_rows(h, "SELECT body FROM journal_entries") == [(text,)]
        ix = await h.sandbox.invoke(h.group.guild, member, "reflect journal export")
        exported = await ix.original_message(predicate=lambda m: bool(m.attachments))
        markdown = exported.attachments[0].data.decode("utf-8")
        assert extract_bodies(markdown) == [text]


async def test_journal_pages_and_privacy(make_harness) -> None:
    async with make_harness(cogs=REFLECT_COGS) as h:
        owner, other = h.group.trainees[:2]
        for n in range(7):
            await write_entry(h, owner, f"entry number {n}")
        page = await h.run(owner, "reflect journal show")
        assert "Page 1 of 3" in embed_text(page.embeds) and "entry number 6" in embed_text(page.embeds)
        assert "sv:reflect:page:1:next" in custom_ids(page) and not any(":prev" in c for c in custom_ids(page))
        last = await (await h.sandbox.click(owner, page.message, "sv:reflect:page:1:next")).response()
        last = await (await h.sandbox.click(owner, last.message, "sv:reflect:page:2:next")).response()
        assert "Page 3 of 3" in embed_text(last.embeds) and "entry number 0" in embed_text(last.embeds)
        assert not any(":next" in c for c in custom_ids(last))
        # The other member's journal is empty, and they cannot act on the owner's entries.
        theirs = await h.run(other, "reflect journal show")
        assert "No entries yet" in embed_text(theirs.embeds)
        # Discord lets only the recipient press an ephemeral message's buttons, and our own queries are
        # scoped to the author, so even a forged click would find nothing.
        with pytest.raises(CommandUsageError):
            await h.sandbox.click(other, page.message, "sv:reflect:delete:1:ask")
        assert await h.bot.repos.journal.get(h.group.guild.id, other.id, 1) is None
        assert not await h.bot.repos.journal.delete(h.group.guild.id, other.id, 1)
        assert db_rows(h, "SELECT COUNT(*) FROM journal_entries") == [(7,)]
        # The owner deletes one after confirming.
        fresh = await h.run(owner, "reflect journal show")
        ask = await (await h.sandbox.click(owner, fresh.message, "sv:reflect:delete:7:ask")).response()
        assert "Delete entry #7 for good?" in ask.content
        done = await (await h.sandbox.click(owner, ask.message, "sv:reflect:delete:7:yes")).response()
        assert "deleted" in done.content
        assert db_rows(h, "SELECT COUNT(*) FROM journal_entries WHERE id = 7") == [(0,)]


async def test_sharing_an_entry_posts_it_under_the_members_name_without_pings(make_harness) -> None:
    async with make_harness(cogs=REFLECT_COGS) as h:
        await set_up_group(h)
        await h.run(h.group.supervisor, "schedule set", kind="reflective_prompt", days="Mon", time="10:00")
        await h.advance(timedelta(hours=2, minutes=1))
        post = await h.sandbox.wait_for_message(h.group.channels["prompts"])
        member = h.group.trainees[0]
        saved = await write_entry(h, member, "I noticed @everyone in me wanted to fix it <@&1>.")
        shared = await (await h.sandbox.click(member, saved.message, custom_ids(saved)[0])).response()
        assert "Shared entry #1" in shared.content
        in_thread = h.sandbox.messages(post.thread_id)[-1]
        assert in_thread.content.startswith("**Trainee A** shared a reflection")
        assert in_thread.allowed_mentions == {"parse": []} and not in_thread.mention_everyone


async def test_on_demand_prompt_offers_write_and_another(make_harness) -> None:
    async with make_harness(cogs=REFLECT_COGS) as h:
        member = h.group.trainees[0]
        shown = await h.run(member, "reflect prompt", element="transference")
        assert shown.ephemeral and "Transference" in embed_text(shown.embeds)
        ids = custom_ids(shown)
        assert ids[1] == "sv:reflect:another:transference"
        again = await (await h.sandbox.click(member, shown.message, ids[1])).response()
        assert "Transference" in embed_text(again.embeds)
