"""A member and a supervisor with the weekly quiz, as sandbox actions, for any test that needs a quiz."""

from __future__ import annotations

from datetime import timedelta

from tests.e2e.conftest import custom_ids, set_up_group
from tests.support.db import db_rows

QUIZ_COGS = ("about", "admin", "quiz")


async def open_quiz(h):  # type: ignore[no-untyped-def]
    """Schedule the quiz for Monday 09:00 and let the clock reach it; return the channel post."""
    await set_up_group(h)
    await h.run(h.group.supervisor, "schedule set", kind="quiz_opens", days="Mon", time="09:00")
    fires = await h.advance(timedelta(hours=1, minutes=5))
    assert [f.kind for f in fires if not f.job.startswith("system:")] == ["quiz_opens"]
    post = await h.sandbox.wait_for_message(h.group.channels["quiz"], lambda m: bool(m.components))
    return post


async def take(h, member, post):  # type: ignore[no-untyped-def]
    """Press the channel button; return the ephemeral question response."""
    ix = await h.sandbox.click(member, post, custom_ids(post)[0])
    return ix, await ix.response()


def quiz_items(h) -> list[str]:  # type: ignore[no-untyped-def]
    return [r[0] for r in db_rows(h, "SELECT item_id FROM quiz_week_items ORDER BY position")]
