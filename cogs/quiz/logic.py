"""Pure rules for the weekly quiz: week boundaries, focus rotation, item selection and results maths.

Selection rules, in order of priority:

1. Review: an item the group got less than 60% right comes back two to four weeks after it was used.
   Reviews take at most half the quiz (rounded down) so new material always appears; when more are due,
   the most overdue go first, then the focus element's, then the least well answered. A review that finds no
   room by week four is treated like any other recently used item.
2. Fresh items, not used by the group this week or in the 8 weeks before: the focus element's first, then the
   other elements'. The focus element fills every slot it can, so it dominates the quiz.
3. Fallback for small banks: the least recently used of the remaining items, so the quiz still has `count`.

Within each step never-used items beat used ones and older use beats newer; no difficulty takes more than
half the quiz (rounded up) while the step offers another; remaining ties are broken by the caller's `rng`.
The final order is shuffled so review questions are not always first.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.content.banks import QuizItem
from bot.content.elements import TOPICS

RECENT_WEEKS = 8
REVIEW_BELOW = 0.6
REVIEW_FIRST_WEEK, REVIEW_LAST_WEEK = 2, 4
# Any Monday works; a fixed one keeps the rotation stable across restarts and year ends.
ROTATION_EPOCH = date(2024, 1, 1)


def monday_of(day: date) -> date:
    """Return the Monday of the week containing a date."""
    return day - timedelta(days=day.weekday())


def weeks_between(earlier: date, later: date) -> int:
    """Return how many weeks separate the weeks containing two dates (negative if `later` is earlier)."""
    return (monday_of(later) - monday_of(earlier)).days // 7


def week_start(moment: datetime, timezone: str) -> date:
    """Return the Monday of the local week, in an IANA zone, that contains an aware moment."""
    if moment.utcoffset() is None:
        raise ValueError("week_start needs a timezone-aware datetime")
    return monday_of(moment.astimezone(ZoneInfo(timezone)).date())


def focus_element(rotation: Sequence[str], week: date, anchor: date = ROTATION_EPOCH) -> str | None:
    """Return the week's focus element from a rotation cycling one per week, or None for a mixed quiz."""
    if not rotation:
        return None
    # Counting weeks from a fixed Monday, not ISO week numbers, avoids a jump when week 52/53 wraps to 1.
    return rotation[weeks_between(anchor, week) % len(rotation)]


def quiz_pool(items: Iterable[QuizItem], rotation: Sequence[str]) -> list[QuizItem]:
    """Return the items a group's quizzes draw on: opt-in topics only when its rotation names them."""
    return [item for item in items if item.element not in TOPICS or item.element in rotation]


@dataclass(frozen=True)
class ItemHistory:
    """How a group last used one item: when, how often, and how well it was answered then."""

    item_id: str
    last_used_week: date
    times_used: int
    group_accuracy: float | None

    def age(self, week: date) -> int:
        """Return how many weeks before `week` the item was last used."""
        return weeks_between(self.last_used_week, week)

    def is_recent(self, week: date) -> bool:
        """Return whether the item was used this week or in the previous eight weeks."""
        # A negative age (history from the future) is treated as recent, the safe side.
        return self.age(week) <= RECENT_WEEKS

    def is_due_review(self, week: date) -> bool:
        """Return whether the group did poorly on the item and it is two to four weeks old."""
        weak = self.group_accuracy is not None and self.group_accuracy < REVIEW_BELOW
        return weak and REVIEW_FIRST_WEEK <= self.age(week) <= REVIEW_LAST_WEEK


def record_week(
    history: Mapping[str, ItemHistory], week: date, accuracies: Mapping[str, float | None]
) -> dict[str, ItemHistory]:
    """Return the history updated with a week's quiz: item id to the group's accuracy (None if unanswered)."""
    updated = dict(history)
    for item_id, accuracy in accuracies.items():
        previous = history.get(item_id)
        used = previous.times_used if previous else 0
        updated[item_id] = ItemHistory(item_id, monday_of(week), used + 1, accuracy)
    return updated


def select_items(
    bank: Iterable[QuizItem],
    history: Mapping[str, ItemHistory],
    week: date,
    count: int,
    focus: str | None,
    rng: random.Random,
) -> list[QuizItem]:
    """Pick `count` distinct items for a group's quiz this week, following the rules in the module notes."""
    pool = list({item.id: item for item in bank}.values())
    if count <= 0 or not pool:
        return []
    # One draw per item in bank order keeps the result reproducible for a given seed.
    tiebreak = {item.id: rng.random() for item in pool}
    # At most half the quiz is review, so every quiz still brings new material.
    chosen = _due_reviews(pool, history, week, focus, tiebreak)[: count // 2]
    for step in _steps(pool, history, week, focus, chosen):
        chosen += _pick(step, count - len(chosen), chosen, count, history, tiebreak)
    # Otherwise review questions would always come first and give themselves away.
    rng.shuffle(chosen)
    return chosen


def _due_reviews(
    pool: list[QuizItem],
    history: Mapping[str, ItemHistory],
    week: date,
    focus: str | None,
    tiebreak: Mapping[str, float],
) -> list[QuizItem]:
    """Return the items due for review, most urgent first."""
    due = [item for item in pool if item.id in history and history[item.id].is_due_review(week)]

    def urgency(item: QuizItem) -> tuple[int, bool, float, float]:
        past = history[item.id]
        return (-past.age(week), item.element != focus, past.group_accuracy or 0.0, tiebreak[item.id])

    return sorted(due, key=urgency)


def _steps(
    pool: list[QuizItem],
    history: Mapping[str, ItemHistory],
    week: date,
    focus: str | None,
    chosen: list[QuizItem],
) -> list[list[QuizItem]]:
    """Return the remaining candidates split into focus-fresh, other-fresh and recently used groups."""
    taken = {item.id for item in chosen}
    rest = [item for item in pool if item.id not in taken]
    recent = {item.id for item in rest if item.id in history and history[item.id].is_recent(week)}
    return [
        [item for item in rest if item.id not in recent and item.element == focus],
        [item for item in rest if item.id not in recent and item.element != focus],
        [item for item in rest if item.id in recent],
    ]


def _pick(
    candidates: list[QuizItem],
    need: int,
    chosen: list[QuizItem],
    count: int,
    history: Mapping[str, ItemHistory],
    tiebreak: Mapping[str, float],
) -> list[QuizItem]:
    """Return up to `need` candidates, oldest use first, keeping the quiz's difficulties mixed."""
    difficulties = Counter(item.difficulty for item in chosen)
    half = max(1, (count + 1) // 2)

    def age(item: QuizItem) -> tuple[date, float]:
        return (history[item.id].last_used_week if item.id in history else date.min, tiebreak[item.id])

    # Within one difficulty the order (oldest use, then the draw) never changes as items are picked; only how
    # crowded each difficulty is does. So each difficulty is sorted once and each pick compares their heads:
    # a few comparisons per pick instead of a pass over every candidate (hundreds per weekly quiz open).
    queues: dict[int, list[QuizItem]] = defaultdict(list)
    for item in sorted(candidates, key=age, reverse=True):
        queues[item.difficulty].append(item)  # each difficulty's best last, to pop

    def preference(difficulty: int) -> tuple[bool, date, int, float]:
        last_used, draw = age(queues[difficulty][-1])
        return (difficulties[difficulty] >= half, last_used, difficulties[difficulty], draw)

    picked: list[QuizItem] = []
    while queues and len(picked) < need:
        difficulty = min(queues, key=preference)
        best = queues[difficulty].pop()
        if not queues[difficulty]:
            del queues[difficulty]
        picked.append(best)
        difficulties[difficulty] += 1
    return picked


@dataclass(frozen=True)
class QuestionResult:
    """How a group answered one question: answers per option."""

    item: QuizItem
    option_counts: tuple[int, ...]

    @property
    def total(self) -> int:
        """Return the number of answers counted."""
        return sum(self.option_counts)

    def share(self, index: int) -> float:
        """Return the fraction of answers that chose an option (0 when nobody answered)."""
        return self.option_counts[index] / self.total if self.total else 0.0

    @property
    def accuracy(self) -> float | None:
        """Return the fraction of answers that were correct, or None when nobody answered."""
        return self.share(self.item.correct_index) if self.total else None


def question_results(item: QuizItem, answers: Sequence[int]) -> QuestionResult:
    """Tally chosen option indexes for one question; reject indexes the question does not have."""
    counts = [0] * len(item.options)
    for chosen in answers:
        if not 0 <= chosen < len(counts):
            raise ValueError(f"option {chosen} does not exist on item {item.id}")
        counts[chosen] += 1
    return QuestionResult(item, tuple(counts))


def participation(answerers: Iterable[Hashable]) -> int:
    """Return how many different members answered."""
    return len(set(answerers))


def personal_mastery(answers: Sequence[tuple[date, str, bool]]) -> dict[str, list[tuple[date, float]]]:
    """Return accuracy per element per week (Monday), oldest first, from (date, element, correct) answers.

    Works for a whole group's answers too, giving the group-accuracy series.
    """
    tallies: dict[str, dict[date, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for day, element, correct in answers:
        tally = tallies[element][monday_of(day)]
        tally[0] += bool(correct)
        tally[1] += 1
    return {
        element: [(week, right / total) for week, (right, total) in sorted(weeks.items())]
        for element, weeks in tallies.items()
    }


def streak(weeks_taken: set[date], current_week: date) -> int:
    """Return how many weeks in a row a member took the quiz, ending this week or, if not yet, last week."""
    taken = {monday_of(week) for week in weeks_taken}
    week = monday_of(current_week)
    # This week's quiz may still be open, so an untaken current week does not break the streak yet.
    if week not in taken:
        week -= timedelta(weeks=1)
    length = 0
    while week in taken:
        length += 1
        week -= timedelta(weeks=1)
    return length


def most_missed(answers: Sequence[tuple[str, bool]], limit: int = 3) -> list[tuple[str, int]]:
    """Return up to `limit` (item id, misses) pairs with the most wrong answers, ties by item id."""
    misses = Counter(item_id for item_id, correct in answers if not correct)
    return sorted(misses.items(), key=lambda pair: (-pair[1], pair[0]))[: max(limit, 0)]
