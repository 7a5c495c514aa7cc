"""Helpers for the meeting tests: a group that meets on Wednesdays at 14:00 London time, and its members' clicks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.e2e.conftest import Harness, custom_ids, set_up_group

# The harness starts on Monday 2 March 2026, 08:00 UTC (London is on GMT until 29 March).
MEETING = datetime(2026, 3, 4, 14, 0, tzinfo=UTC)


async def set_up_meetings(h: Harness, *kinds: str) -> None:
    """Set the group up with a Wednesday 14:00 meeting and the given meeting schedules at their defaults."""
    await set_up_group(h)
    await h.run(h.group.owner, "setup", meeting_day=2, meeting_time="14:00")
    for kind in kinds:
        saved = await h.run(h.group.supervisor, "schedule set", kind=kind)
        assert "saved" in saved.content, saved.content


async def advance_to(h: Harness, moment: datetime) -> None:
    """Move the bot's clock to a moment, running everything that falls due on the way."""
    await h.advance(moment - h.clock())


def attendance_post(h: Harness) -> Any:
    """The latest "Mark me present" post in the group channel."""
    posts = [m for m in h.sandbox.messages(h.group.channels["prompts"]) if "Mark me present" in str(m.components)]
    assert posts, "the attendance post is in the group channel"
    return posts[-1]


def feedback_post(h: Harness) -> Any:
    """The latest feedback post in the group channel."""
    posts = [m for m in h.sandbox.messages(h.group.channels["prompts"]) if "sv:meeting:feedback:" in str(m.components)]
    assert posts, "the feedback post is in the group channel"
    return posts[-1]


async def mark_present(h: Harness, member: Any) -> Any:
    """Press "Mark me present" as a member; return the private answer."""
    post = attendance_post(h)
    return await (await h.sandbox.click(member, post, custom_ids(post)[0])).response()


async def answer_feedback(
    h: Harness, member: Any, ratings: tuple[int, int, int], words: str | None = None, message: Any = None
) -> Any:
    """Open the questions from the channel post (or a DM), rate the three items, add words, send."""
    sb = h.sandbox
    source = message or feedback_post(h)
    button = next(c for c in custom_ids(source) if c.startswith("sv:meeting:feedback:"))
    card = await (await sb.click(member, source, button)).response()
    if not card.components:
        return card  # refused, with the reason as its text
    for index, rating in enumerate(ratings):
        selects = [c for row in card.components for c in row["components"] if c["type"] == 3]
        card = await (await sb.select(member, card.message, selects[index]["custom_id"], [str(rating)])).response()
    if words is not None:
        add = next(c for row in card.components for c in row["components"] if c.get("label", "").startswith("Add"))
        opened = await sb.click(member, card.message, add["custom_id"])
        field = (await opened.modal())["components"][0]["components"][0]["custom_id"]
        card = await (await sb.submit_modal(member, opened, {field: words})).response()
    send = next(c for row in card.components for c in row["components"] if c.get("label") == "Send")
    return await (await sb.click(member, card.message, send["custom_id"])).response()


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in March 2026, UTC."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


WEEK = timedelta(weeks=1)
