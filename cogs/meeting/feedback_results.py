"""What supervisors see of meeting feedback: closed meetings only, figures only from k answers, words shuffled."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from bot.db.repositories import Repositories
from bot.db.repositories.meetings import Meeting
from bot.i18n import _, ngettext, number
from cogs.meeting.logic import FEEDBACK_ITEMS, MeetingFigures, meeting_figures, short_day

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
    when = short_day(result.meeting.local_start.date())
    figures = result.figures
    if figures.answered == 0:
        return _("{day}: nobody answered.").format(day=when)
    if not figures.items:
        return _("{day}: fewer than {k} answered, so nothing is shown.").format(day=when, k=k)
    parts = [
        f"{_(item.name)} {number(figures.items[item.key].mean, 1)} ± {number(figures.items[item.key].spread, 1)}"
        for item in FEEDBACK_ITEMS
    ]
    # Translators: {figures} is each question's mean ± spread, e.g. "Goals 8.0 ± 0.8 · Tasks 7.0 ± 0.8 · …".
    count = figures.answered or 0
    return ngettext("{day} ({count} answered): {figures}", "{day} ({count} answered): {figures}", count).format(
        day=when, count=count, figures=" · ".join(parts)
    )


def trend_lines(results: list[MeetingResult], k: int) -> list[str]:
    """Each recent closed meeting in a line, oldest first."""
    return [figure_line(result, k) for result in results]
