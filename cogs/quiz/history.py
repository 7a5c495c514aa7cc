"""Turn stored usage rows into the per-item history and per-element series the quiz rules need."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from bot.db.repositories.quiz import ItemUsage
from cogs.quiz.logic import ItemHistory, record_week


def history_from_usage(rows: Iterable[ItemUsage]) -> dict[str, ItemHistory]:
    """Build each item's history from its usage rows, oldest first."""
    by_week: dict[str, dict[str, float | None]] = defaultdict(dict)
    for r in rows:
        by_week[r.week][r.item_id] = r.correct / r.answers if r.answers else None
    history: dict[str, ItemHistory] = {}
    for week in sorted(by_week):
        history = record_week(history, date.fromisoformat(week), by_week[week])
    return history
