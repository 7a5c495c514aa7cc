"""Group accuracy per element from stored answer counts, under the k rule where a figure is shown."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date

from bot.db.repositories.quiz import ItemUsage


def accuracy_by_element(
    rows: Iterable[ItemUsage],
    element_of: Callable[[str], str | None],
    weeks: int = 8,
    min_members: int = 1,
) -> dict[str, list[tuple[date, float]]]:
    """Group accuracy per element per week, over the most recent `weeks` weeks with answers.

    A cell counts only if one of its questions had min_members answers (each from a different member), so a
    group figure never rests on fewer than k people.
    """
    totals: dict[str, dict[date, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    for r in rows:
        item_id, week, correct, answers = r.item_id, r.week, r.correct, r.answers
        element = element_of(item_id)
        if element is None or not answers:
            continue
        cell = totals[element][date.fromisoformat(week)]
        cell[0] += correct
        cell[1] += answers
        cell[2] = max(cell[2], answers)
    totals = {
        element: {w: cell for w, cell in per_week.items() if cell[2] >= min_members}
        for element, per_week in totals.items()
    }
    recent = sorted({w for per_week in totals.values() for w in per_week})[-weeks:]
    return {
        element: [(w, per_week[w][0] / per_week[w][1]) for w in recent if w in per_week]
        for element, per_week in sorted(totals.items())
        if any(w in per_week for w in recent)
    }


def element_totals(
    rows: Iterable[ItemUsage], element_of: Callable[[str], str | None], weeks: int
) -> dict[str, tuple[int, int]]:
    """(correct, answers) per element over the most recent `weeks` weeks of quizzes."""
    rows = list(rows)
    recent = set(sorted({r.week for r in rows})[-weeks:])
    totals: dict[str, tuple[int, int]] = {}
    for r in rows:
        element = element_of(r.item_id)
        if element is None or r.week not in recent:
            continue
        right, count = totals.get(element, (0, 0))
        totals[element] = (right + r.correct, count + r.answers)
    return totals
