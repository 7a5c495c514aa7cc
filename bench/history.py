"""Months of quiz answers and journal entries for a group, written through the bot's own repositories."""

from __future__ import annotations

import asyncio
import random
from datetime import datetime, timedelta

from bot.content.banks import quiz_bank
from bot.db.repositories import Repositories

ITEMS_PER_WEEK = 5
# Original placeholder text, about the length of a thoughtful entry; no client, no identity.
ENTRY = (
    "Noticed again how much I wanted to fill the silence near the end of the session. Next time I will name "
    "the ending earlier and stay with what it stirs, in the room and in me, before reaching for a summary. "
) * 3


async def seed_history(
    repos: Repositories, guild_id: int, channel_id: int, members: list[int], weeks: int, journal: int, now: datetime
) -> dict[str, int]:
    """Give every member `weeks` past quizzes answered and `journal` journal entries; return the counts."""
    rng = random.Random(16)
    bank = quiz_bank()
    answers = 0
    for back in range(weeks, 0, -1):
        opened = now - timedelta(weeks=back)
        week = (opened.date() - timedelta(days=opened.weekday())).isoformat()
        items = rng.sample(bank, ITEMS_PER_WEEK)
        quiz = await repos.quiz.create_week(guild_id, week, None, channel_id, [i.id for i in items], opened, None)
        assert quiz is not None, f"week {week} already had a quiz"
        # Concurrent, as members answer: group commit lets them share commits, so setup stays quick.
        await asyncio.gather(
            *(
                repos.quiz.record_answer(quiz, position, user, rng.randrange(4), rng.random() < 0.7, opened)
                for user in members
                for position in range(ITEMS_PER_WEEK)
            )
        )
        answers += len(members) * ITEMS_PER_WEEK
        await repos.quiz.close(quiz.id, opened + timedelta(days=6))
    await asyncio.gather(
        *(
            repos.journal.add(guild_id, user, f"Entry {n + 1}. {ENTRY}", now - timedelta(days=n))
            for user in members
            for n in range(journal)
        )
    )
    return {"answers": answers, "entries": len(members) * journal}
