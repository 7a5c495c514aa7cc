"""Group commit: answers arriving together share one commit, and nobody is told "counted" before it is durable.

The sandbox calls an observer the moment each initial response reaches it, before the member could see
it; the observer reads the bot's database file on its own connection, which sees committed transactions
only. If the bot ever answered before the COMMIT holding that member's answer, the row would be missing.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from discord_sandbox.interactions import Callback, Interaction
from tests.e2e.conftest import custom_ids, set_up_group
from tests.support.db import db_rows

QUIZ_COGS = ("about", "admin", "quiz")
MEMBERS = 24


async def test_answers_arriving_together_share_commits_and_each_is_committed_before_the_member_hears(
    make_harness,
) -> None:
    async with make_harness(trainees=MEMBERS, cogs=QUIZ_COGS) as h:
        sb, g = h.sandbox, h.group
        await set_up_group(h)
        await h.run(g.supervisor, "schedule set", kind="quiz_opens", days="Mon", time="09:00")
        await h.advance(timedelta(hours=1, minutes=5))
        post = await sb.wait_for_message(g.channels["quiz"], lambda m: bool(m.components))
        questions = []
        for member in g.trainees:
            shown = await (await sb.click(member, post, custom_ids(post)[0])).response()
            questions.append((member, shown.message, next(c for c in custom_ids(shown) if ":answer:" in c)))

        seen_when_told: dict[int, int] = {}
        answering: set[int] = set()

        def observe(ix: Interaction, _: Callback) -> None:
            if ix.id in answering:
                rows = db_rows(h, "SELECT COUNT(*) FROM quiz_answers WHERE user_id = ?", ix.user.id)
                seen_when_told[ix.user.id] = rows[0][0]

        sb.on_response(observe)
        assert h.bot.db is not None
        commits, units = h.bot.db.commits, h.bot.db.units
        clicks = await asyncio.gather(*(sb.click(m, message, answer) for m, message, answer in questions))
        answering.update(ix.id for ix in clicks)
        # The clicks were all sent before any could be answered: the observer sees every response.
        assert not any(ix.initial for ix in clicks)
        told = await asyncio.gather(*(ix.response(timeout=10) for ix in clicks))
        # Each member sees whether they were right, and why: the answer counted.
        assert all(cb.data["embeds"][0]["title"].endswith("· Question 1 of 5") for cb in told)
        assert all(cb.data["embeds"][0]["fields"][0]["name"].startswith("You chose") for cb in told)

        assert seen_when_told == {m.user.id: 1 for m in g.trainees}, "a member was told before the commit"
        assert db_rows(h, "SELECT COUNT(*) FROM quiz_answers") == [(MEMBERS,)]
        # Every answer was a unit of work of its own (the answer, and the member's review schedule), and
        # units arriving together shared commits rather than an fsync each.
        assert h.bot.db.units - units >= MEMBERS
        assert h.bot.db.commits - commits < MEMBERS
