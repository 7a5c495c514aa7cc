"""Anonymous feedback after a meeting: one answer each, nothing below k, by button or DM, snooze exactly once."""

from __future__ import annotations

from datetime import timedelta

from tests.e2e.conftest import custom_ids, embed_text, running
from tests.e2e.meeting_support import (
    MEETING,
    WEEK,
    advance_to,
    answer_feedback,
    feedback_post,
    mark_present,
    set_up_meetings,
)
from tests.support.db import db_rows

KINDS = ("meeting_attendance", "meeting_feedback")


async def meeting_with(h, members) -> None:  # type: ignore[no-untyped-def]
    """Run the next meeting's attendance with these members present, and open its questions."""
    start = MEETING + WEEK * len([m for m in h.extra.get("meetings", [])])
    h.extra.setdefault("meetings", []).append(start)
    await advance_to(h, start + timedelta(minutes=1))
    for member in members:
        assert "Marked present" in (await mark_present(h, member)).content
    await advance_to(h, start + timedelta(hours=3, minutes=1))  # the questions open when attendance closes


async def results(h):  # type: ignore[no-untyped-def]
    ix = await h.sandbox.invoke(h.group.guild, h.group.supervisor, "meeting feedback")
    message = await ix.original_message(predicate=lambda m: bool(m.attachments))
    return embed_text(message.embeds), message


async def test_one_answer_per_member_and_nothing_below_k(make_harness) -> None:
    async with make_harness() as h:
        await set_up_meetings(h, *KINDS)
        a, b, c, d = h.group.trainees
        await meeting_with(h, [a, b])
        post = feedback_post(h)
        assert "How was supervision" in post.content and "anonymously" in post.content
        sent = await answer_feedback(h, a, (8, 7, 9), words="More role-play, please")
        assert "your answer is saved, without your name" in sent.content and sent.components == [], sent.data
        again = await answer_feedback(h, a, (1, 1, 1))
        assert "already answered" in again.content
        absent = await answer_feedback(h, d, (5, 5, 5))
        assert "for members recorded at that meeting" in absent.content
        refused = await answer_feedback(h, h.group.supervisor, (5, 5, 5))
        assert "for members recorded at that meeting" in refused.content
        await answer_feedback(h, b, (6, 5, 7))
        assert await count_answers(h) == 2
        # While the questions are open nothing is shown, even the count.
        text, _ = await results(h)
        assert "No meeting's questions have closed yet" in text
        await h.advance(timedelta(days=3))
        text, message = await results(h)
        assert "fewer than 3 answered, so nothing is shown" in text
        for hidden in ("More role-play", "8.0", "7.5", "2 answered"):
            assert hidden not in text
        assert "fewer than 3" in (message.attachments[0].description or "")
        closed = await answer_feedback(h, c, (5, 5, 5))
        assert "have closed" in closed.content

        # The next meeting: three answer, so its figures and words show, and the earlier one still does not.
        await meeting_with(h, [a, b, c])
        words = ["Felt heard today", "@everyone the pace was too quick", None]
        for member, ratings, said in zip((a, b, c), ((9, 8, 10), (7, 6, 8), (8, 7, 9)), words, strict=True):
            assert "saved" in (await answer_feedback(h, member, ratings, words=said)).content
        await h.advance(timedelta(days=3))
        text, message = await results(h)
        assert "(3 answered): Goals 8.0 ± 0.8 · Tasks 7.0 ± 0.8 · Bond 9.0 ± 0.8" in text
        assert "Felt heard today" in text and "@\u200beveryone the pace was too quick" in text
        assert "fewer than 3 answered" in text  # the first meeting stays hidden
        assert message.allowed_mentions == {"parse": []}


async def count_answers(h) -> int:  # type: ignore[no-untyped-def]
    from tests.e2e.conftest import anon_rows

    return anon_rows(h, "SELECT COUNT(*) FROM meeting_feedback")[0][0]


async def test_feedback_by_dm_snoozes_once_and_survives_a_restart(make_harness) -> None:
    async with make_harness() as h:
        await set_up_meetings(h, *KINDS)
        a, b = h.group.trainees[:2]
        assert "I'll DM you the three questions" in (await h.run(a, "feedback dm", on=True)).content
        await meeting_with(h, [a, b])
        dms = h.sandbox.dms(a)
        assert len(dms) == 1 and "How was supervision" in dms[0].content
        assert h.sandbox.dms(b) == []  # b never asked for DMs
        ids = custom_ids(dms[0])
        later = next(c for c in ids if c.startswith("sv:meeting:later:"))
        put_off = await (await h.sandbox.click(a, dms[0], later)).response()
        assert "I'll send this again" in put_off.content
        assert [c for c in custom_ids(put_off) if c.startswith(("sv:meeting:later", "sv:meeting:skip"))] == []
        again = await (await h.sandbox.click(a, dms[0], ids[0])).response()  # the answer button still works
        assert again.components
        await h.advance(timedelta(minutes=50))
        assert len(h.sandbox.dms(a)) == 1
        await h.advance(timedelta(minutes=15))
        assert len(h.sandbox.dms(a)) == 2  # sent again, once, about an hour later
        await h.advance(timedelta(hours=3))
        assert len(h.sandbox.dms(a)) == 2
        # Answering from the DM works, and counts once.
        resent = h.sandbox.dms(a)[-1]
        assert "saved" in (await answer_feedback(h, a, (6, 6, 6), message=resent)).content
        skip = next(c for c in custom_ids(resent) if c.startswith("sv:meeting:skip:"))
        skipped = await (await h.sandbox.click(a, resent, skip)).response()
        assert "Skipped" in skipped.content and custom_ids(skipped) == []
        statuses = db_rows(h, "SELECT user_id, kind, status FROM meeting_dms")
        assert statuses == [(a.id, "feedback", "skipped")]
        h.extra["db"] = h.db_path


async def test_a_snooze_and_the_questions_go_out_once_across_a_restart(make_harness, sandbox) -> None:
    async with make_harness() as h:
        await set_up_meetings(h, *KINDS)
        a = h.group.trainees[0]
        await h.run(a, "feedback dm", on=True)
        await meeting_with(h, [a])
        first = h.sandbox.dms(a)[0]
        later = next(c for c in custom_ids(first) if c.startswith("sv:meeting:later:"))
        await (await h.sandbox.click(a, first, later)).response()
        config, clock = h.bot.config, h.clock
    # A restart at the same moment catches up nothing twice; the snoozed DM still comes back once.
    async with running(sandbox, config, clock) as bot:
        assert len(sandbox.dms(a)) == 1
        fires = await bot.scheduler.advance(timedelta(hours=1, minutes=5))
        await bot.scheduler.wait_finished(fires)
        assert len(sandbox.dms(a)) == 2
        fires = await bot.scheduler.advance(timedelta(hours=2))
        await bot.scheduler.wait_finished(fires)
    async with running(sandbox, config, clock) as bot:
        fires = await bot.scheduler.advance(timedelta(hours=1))
        await bot.scheduler.wait_finished(fires)
        assert len(sandbox.dms(a)) == 2
        posts = sandbox.messages(h.group.channels["prompts"])
        assert len([m for m in posts if "How was supervision" in m.content]) == 1
