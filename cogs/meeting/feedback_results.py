"""What supervisors see of meeting feedback: closed meetings only, figures only from k answers, words shuffled."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from bot.db.repositories import Repositories
from bot.db.repositories.meetings import Meeting
from cogs.meeting.logic import FEEDBACK_ITEMS, MeetingFigures, meeting_figures

_rng = random.SystemRandom()


@dataclass(frozen=True)
class MeetingResult:
    """One closed meeting's feedback as a supervisor may see it."""

    meeting: Meeting
    figures: MeetingFigures
    words: list[str]  # shared words, shuffled; empty below k


async def recent_figures(
    repos: Repositories, guild_id: int, now: datetime, k: int, limit: int = 8
) -> list[MeetingResult]:
    """The latest group meetings whose feedback has closed, oldest first, each under the k rule."""
    meetings = await repos.meetings.with_feedback_closed(guild_id, now, limit)
    answers = await repos.meeting_feedback.for_meetings(guild_id, [m.id for m in meetings])
    results = []
    for meeting in meetings:
        given = answers.get(meeting.id, [])
        figures = meeting_figures([(a.goals, a.tasks, a.bond) for a in given], k)
        words = [a.words for a in given if a.words] if figures.items else []
        _rng.shuffle(words)  # key order is random already; shuffled again so no two views agree on an order
        results.append(MeetingResult(meeting, figures, words))
    return results


def figure_line(result: MeetingResult, k: int) -> str:
    """One meeting in a line: its date and each item's mean ± spread, or why nothing is shown."""
    when = f"{result.meeting.local_start:%a %d %b}"
    figures = result.figures
    if figures.answered == 0:
        return f"{when}: nobody answered."
    if not figures.items:
        return f"{when}: fewer than {k} answered, so nothing is shown."
    parts = [
        f"{item.name} {figures.items[item.key].mean:.1f} ± {figures.items[item.key].spread:.1f}"
        for item in FEEDBACK_ITEMS
    ]
    return f"{when} ({figures.answered} answered): " + " · ".join(parts)


def trend_lines(results: list[MeetingResult], k: int) -> list[str]:
    """Each recent closed meeting in a line, oldest first."""
    return [figure_line(result, k) for result in results]
