"""Reminders before the quiz closes and "Later (1 h)" / "Skip this one" on reminder and prompt DMs, end to end."""

from __future__ import annotations

from datetime import timedelta

from tests.e2e.conftest import custom_ids, embed_text, running
from tests.e2e.meeting_support import advance_to, at, set_up_meetings
from tests.support.db import db_rows

# The group meets Wednesday 4 March at 14:00 London time (GMT); the quiz closes an hour before, at 13:00.
CLOSES = at(4, 13)


async def open_quiz_now(h):  # type: ignore[no-untyped-def]
    """Schedule the quiz's close at its default, open this week's quiz now, and return the channel post."""
    await set_up_meetings(h, "quiz_closes")
    opened = await h.sandbox.invoke(h.group.guild, h.group.supervisor, "quiz open-now")
    await opened.original_message()
    return await h.sandbox.wait_for_message(h.group.channels["quiz"], lambda m: bool(m.components))


async def answer_every_question(h, member, post) -> None:  # type: ignore[no-untyped-def]
    """Take the whole quiz, choosing the first option each time."""
    response = await (await h.sandbox.click(member, post, custom_ids(post)[0])).response()
    while (answer := next((c for c in custom_ids(response) if ":answer:" in c), None)) is not None:
        response = await (await h.sandbox.click(member, response.message, answer)).response()
        following = next((c for c in custom_ids(response) if c.startswith("sv:quiz:next:")), None)
        if following is None:
            break
        response = await (await h.sandbox.click(member, response.message, following)).response()


def reminders_to(h, member) -> list:  # type: ignore[no-untyped-def]
    return [m for m in h.sandbox.dms(member) if "This week's quiz closes" in m.content]


def button(message, prefix: str) -> str:  # type: ignore[no-untyped-def]
    return next(c for c in custom_ids(message) if c.startswith(prefix))


async def test_only_members_who_asked_and_have_not_finished_get_one_reminder(make_harness) -> None:
    async with make_harness() as h:
        post = await open_quiz_now(h)
        a, b, c, d = h.group.trainees
        on = await h.run(a, "quiz remind on")
        assert on.ephemeral and "**6 h** before the week's quiz closes" in on.content
        assert f"<t:{int(CLOSES.timestamp())}:F>" in on.content and "Privacy Settings" in on.content
        await h.run(b, "quiz remind on")
        await h.run(d, "quiz remind on", hours=2)
        await answer_every_question(h, b, post)  # b finishes: no reminder
        assert db_rows(h, "SELECT COUNT(*) FROM quiz_answers WHERE user_id = ?", b.id) == [(5,)]
        # c never asked. Supervisors see when reminders are due in /status, never who asked.
        status = embed_text((await h.run(h.group.supervisor, "status")).embeds)
        assert f"Quiz reminders (DM) Before the quiz closes <t:{int(CLOSES.timestamp())}:f>" in status
        assert str(a.id) not in status
        await advance_to(h, at(4, 6, 59))
        assert [reminders_to(h, m) for m in (a, b, c, d)] == [[], [], [], []]
        await advance_to(h, at(4, 7, 5))
        [reminder] = reminders_to(h, a)
        assert "From **Supervision group**" in reminder.content and "you've answered" not in reminder.content
        assert "you haven't answered any of its 5 questions yet" in reminder.content
        link = [comp for row in reminder.components for comp in row["components"] if comp.get("url")]
        assert link and link[0]["url"].endswith(f"/{post.channel_id}/{post.id}")
        assert [c.split(":")[2] for c in custom_ids(reminder)] == ["later", "skip"]
        assert reminders_to(h, b) == [] and reminders_to(h, c) == [] and reminders_to(h, d) == []
        await advance_to(h, at(4, 11, 5))
        assert len(reminders_to(h, d)) == 1 and len(reminders_to(h, a)) == 1
        await advance_to(h, at(4, 14))
        assert [len(reminders_to(h, m)) for m in (a, b, c, d)] == [1, 0, 0, 1]
        assert sorted(db_rows(h, "SELECT user_id, kind, status FROM reminder_dms")) == sorted(
            [(a.id, "quiz", "sent"), (d.id, "quiz", "sent")]
        )
        # Off means off.
        assert "No more quiz reminders" in (await h.run(a, "quiz remind off")).content
        assert db_rows(h, "SELECT COUNT(*) FROM quiz_reminder_optins WHERE user_id = ?", a.id) == [(0,)]


async def test_a_reminder_that_cannot_reach_closed_dms_is_named_as_one_in_the_notice(make_harness) -> None:
    async with make_harness() as h:
        await open_quiz_now(h)
        closed = h.group.trainees[0]
        await h.run(closed, "quiz remind on")
        h.sandbox.faults.block_dms(closed)
        await advance_to(h, at(4, 7, 5))
        assert reminders_to(h, closed) == []
        assert db_rows(h, "SELECT feature, reason FROM dm_failures") == [("quiz", "your DMs are closed to this server")]
        ix = await h.sandbox.invoke(h.group.guild, closed, "about")
        notice = await ix.next_followup()
        # What failed was a quiz reminder, not a reflective prompt; opening DMs would let the next one through.
        assert notice.flags & 64 and notice.content == (
            "I couldn't send you 1 quiz reminder by DM: your DMs are closed to this server. To get them, allow "
            "direct messages from server members in this server's privacy settings."
        )


async def test_later_sends_the_reminder_once_more_an_hour_later_exactly_once_across_restarts(
    make_harness, sandbox
) -> None:
    async with make_harness() as h:
        await open_quiz_now(h)
        a, b = h.group.trainees[:2]
        await h.run(a, "quiz remind on")
        await h.run(b, "quiz remind on")
        await advance_to(h, at(4, 7, 5))
        [first] = reminders_to(h, a)
        put_off = await (await h.sandbox.click(a, first, button(first, "sv:quiz:later:"))).response()
        assert "I'll send this again" in put_off.content and "once" in put_off.content
        assert custom_ids(put_off) == []  # only the link to the quiz post is left
        [b_first] = reminders_to(h, b)
        skipped = await (await h.sandbox.click(b, b_first, button(b_first, "sv:quiz:skip:"))).response()
        assert "Skipped" in skipped.content
        await h.advance(timedelta(minutes=50))
        config, clock = h.bot.config, h.clock
    # A restart before the hour is up: nothing is sent again at start, and the put-off reminder comes once.
    async with running(sandbox, config, clock) as bot:
        assert len(reminders_to(h, a)) == 1
        fires = await bot.scheduler.advance(timedelta(minutes=15))
        await bot.scheduler.wait_finished(fires)
        assert len(reminders_to(h, a)) == 2
        resent = reminders_to(h, a)[-1]
        assert custom_ids(resent) == []  # nothing more to put off: it came back once
        fires = await bot.scheduler.advance(timedelta(hours=2))
        await bot.scheduler.wait_finished(fires)
    async with running(sandbox, config, clock) as bot:
        fires = await bot.scheduler.advance(timedelta(hours=2))
        await bot.scheduler.wait_finished(fires)
        assert len(reminders_to(h, a)) == 2 and len(reminders_to(h, b)) == 1
    assert sorted(db_rows(h, "SELECT user_id, status FROM reminder_dms")) == sorted(
        [(a.id, "resent"), (b.id, "skipped")]
    )


async def test_a_reminder_never_comes_in_quiet_hours(make_harness) -> None:
    async with make_harness() as h:
        await open_quiz_now(h)
        a, b = h.group.trainees[:2]
        # 07:00 falls in a's quiet hours, which end at 08:00 with time to spare: it comes at 08:00.
        on = await h.run(a, "quiz remind on", quiet_from="06:00", quiet_until="08:00")
        assert "Quiet hours 06:00-08:00 (Europe/London)" in on.content
        # b is quiet until 12:45, too close to the 13:00 close: theirs comes before the quiet hours, at 04:50.
        await h.run(b, "quiz remind on", quiet_from="05:00", quiet_until="12:45")
        await advance_to(h, at(4, 4, 45))
        assert reminders_to(h, b) == []
        await advance_to(h, at(4, 4, 55))
        assert len(reminders_to(h, b)) == 1
        await advance_to(h, at(4, 7, 55))
        assert reminders_to(h, a) == []
        await advance_to(h, at(4, 8, 5))
        assert len(reminders_to(h, a)) == 1
        # b puts theirs off at 08:05: its hour ends at 09:05, inside b's quiet hours, so it waits until 12:45.
        [b_first] = reminders_to(h, b)
        put_off = await (await h.sandbox.click(b, b_first, button(b_first, "sv:quiz:later:"))).response()
        assert "Put off" in put_off.content
        await advance_to(h, at(4, 12, 40))
        assert len(reminders_to(h, b)) == 1  # still quiet
        await advance_to(h, at(4, 12, 50))
        assert len(reminders_to(h, b)) == 2  # after the quiet hours, before the close


async def test_bad_input_is_refused_plainly_and_nothing_is_saved(make_harness) -> None:
    async with make_harness() as h:
        await open_quiz_now(h)
        a = h.group.trainees[0]
        half = await h.run(a, "quiz remind on", quiet_from="22:00")
        assert half.ephemeral and "Give both ends of the quiet hours" in half.content
        zone = await h.run(a, "quiz remind on", timezone="Mars/Olympus")
        assert zone.ephemeral and "Mars/Olympus" in zone.content
        assert db_rows(h, "SELECT COUNT(*) FROM quiz_reminder_optins") == [(0,)]
        assert "had no quiz reminder" in (await h.run(a, "quiz remind off")).content


async def test_a_prompt_dm_put_off_comes_back_once_and_a_pause_or_skip_stops_it(make_harness, sandbox) -> None:
    async with make_harness() as h:
        await set_up_meetings(h)
        a, b, c = h.group.trainees[:3]
        for member in (a, b, c):
            await h.run(
                member, "reflect subscribe", days="daily", time="09:00", quiet_from="09:30", quiet_until="10:30"
            )
        await h.advance(timedelta(hours=1, minutes=5))  # 09:05 London
        prompts = {m.id: h.sandbox.dms(m) for m in (a, b, c)}
        assert all(len(dms) == 1 for dms in prompts.values())
        first = prompts[a.id][0]
        assert [cid.split(":")[2] for cid in custom_ids(first)] == ["write", "later", "skip"]
        put_off = await (await h.sandbox.click(a, first, button(first, "sv:reflect:later:"))).response()
        assert "I'll send this again" in put_off.content
        assert h.sandbox.message(first.id).embeds == first.embeds  # the prompt itself stays
        assert [cid.split(":")[2] for cid in custom_ids(put_off)] == ["write"]
        b_first = prompts[b.id][0]
        skipped = await (await h.sandbox.click(b, b_first, button(b_first, "sv:reflect:skip:"))).response()
        assert "Skipped" in skipped.content and custom_ids(skipped) == []
        c_first = prompts[c.id][0]
        await (await h.sandbox.click(c, c_first, button(c_first, "sv:reflect:later:"))).response()
        await h.run(c, "reflect pause", until="2026-03-10")
        # Their hour ends at 10:05, inside their quiet hours (09:30-10:30): the prompt waits for 10:30.
        await h.advance(timedelta(hours=1, minutes=5))
        assert len(h.sandbox.dms(a)) == 1
        config, clock = h.bot.config, h.clock
    async with running(sandbox, config, clock) as bot:
        fires = await bot.scheduler.advance(timedelta(minutes=30))  # 10:40
        await bot.scheduler.wait_finished(fires)
        again = sandbox.dms(a)
        assert len(again) == 2 and "an hour later" in embed_text(again[-1].embeds)
        assert [cid.split(":")[2] for cid in custom_ids(again[-1])] == ["write"]
        fires = await bot.scheduler.advance(timedelta(hours=3))
        await bot.scheduler.wait_finished(fires)
    assert len(sandbox.dms(a)) == 2 and len(sandbox.dms(b)) == 1 and len(sandbox.dms(c)) == 1
    assert sorted(db_rows(h, "SELECT user_id, kind, status FROM reminder_dms")) == sorted(
        [(a.id, "prompt", "resent"), (b.id, "prompt", "skipped"), (c.id, "prompt", "skipped")]
    )
