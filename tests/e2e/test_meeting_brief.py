"""The pre-meeting brief by DM and by /meeting brief: its contents with groups above and below k, sent once."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.e2e.conftest import custom_ids, embed_text, running
from tests.e2e.meeting_support import MEETING, advance_to, set_up_meetings
from tests.support.checkin_actions import check_in


async def answer_first_question(h, member, post) -> None:  # type: ignore[no-untyped-def]
    question = await (await h.sandbox.click(member, post, custom_ids(post)[0])).response()
    await (await h.sandbox.click(member, question.message, custom_ids(question)[0])).response()


async def week_of(h, members: int, checkins: int) -> None:  # type: ignore[no-untyped-def]
    """A week before the meeting: the quiz, some members answering its first question, some check-ins."""
    await set_up_meetings(h, "checkin_digest", "meeting_brief")
    assert "brief by DM" in (await h.run(h.group.supervisor, "meeting settings", brief_dm=True)).content
    opened = await h.sandbox.invoke(h.group.guild, h.group.supervisor, "quiz open-now")
    await opened.original_message()
    post = await h.sandbox.wait_for_message(h.group.channels["quiz"], lambda m: bool(m.components))
    for member in h.group.trainees[:members]:
        await answer_first_question(h, member, post)
    for member in h.group.trainees[:checkins]:
        saved = await check_in(h, member, dimensions=("helpless", "parental"), raise_it=True)
        assert "Saved anonymously" in saved.content


def brief_dms(h) -> list[str]:  # type: ignore[no-untyped-def]
    return [embed_text(m.embeds) for m in h.sandbox.dms(h.group.supervisor) if m.embeds]


async def test_brief_below_k_shows_no_small_figure(make_harness) -> None:
    async with make_harness() as h:
        await week_of(h, members=2, checkins=2)
        await advance_to(h, MEETING - timedelta(hours=2, minutes=1))
        assert brief_dms(h) == []
        await advance_to(h, MEETING - timedelta(hours=1, minutes=49))  # 10 minutes after the digest
        [brief] = brief_dms(h)
        assert "Your pre-meeting brief" in brief
        assert "fewer than 3 took part" in brief
        assert "% right" not in brief and "fewer than 3 answered" in brief
        assert "0 check-ins shared in digests; 0 asked" in brief  # the digest shared nothing below k
        assert "Helpless" not in brief
        assert "No group prompt has been posted yet" in brief
        assert "No meeting feedback has closed yet" in brief
        # No figure from 1 to k-1 anywhere: the numbers shown are only 0, the k in "fewer than 3", dates and times.
        for number in re.findall(r"(?<![\w:/-])[12](?![\w:%/-])", brief):
            raise AssertionError(f"a small count {number!r} reached the brief: {brief}")
        assert embed_text((await h.run(h.group.trainees[0], "meeting brief")).embeds) == ""


async def test_brief_above_k_and_sent_once_across_a_restart(make_harness, sandbox) -> None:
    async with make_harness() as h:
        await week_of(h, members=3, checkins=3)
        await advance_to(h, MEETING - timedelta(hours=1, minutes=55))  # the digest, at 12:00, has run
        assert [m for m in h.sandbox.messages(h.group.channels["digest"]) if m.embeds]
        await advance_to(h, MEETING - timedelta(hours=1, minutes=49))
        [brief] = brief_dms(h)
        assert "3 took part" in brief and re.search(r"\d+% right", brief)
        assert "3 check-ins shared in digests; 3 asked for it to be raised" in brief, brief
        assert "- Helpless / inadequate: 3" in brief and "- Parental / protective: 3" in brief
        assert h.sandbox.dms(h.group.trainees[0]) == []
        # On demand it says the same, privately.
        ix = await h.sandbox.invoke(h.group.guild, h.group.supervisor, "meeting brief")
        shown = await ix.original_message(predicate=lambda m: bool(m.embeds))
        assert shown.flags & 64 and "3 took part" in embed_text(shown.embeds)
        config, clock = h.bot.config, h.clock
    async with running(sandbox, config, clock) as bot:  # restarted at once: the claimed brief is not sent again
        fires = await bot.scheduler.advance(timedelta(minutes=30))
        await bot.scheduler.wait_finished(fires)
        assert len([m for m in sandbox.dms(h.group.supervisor) if m.embeds]) == 1
