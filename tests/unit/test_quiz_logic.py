"""Weekly quiz rules: week boundaries, focus rotation, item selection over simulated weeks, and results maths."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content.banks import QuizItem, QuizOption, quiz_bank
from bot.content.elements import ELEMENTS
from cogs.quiz.logic import (
    ItemHistory,
    _pick,
    focus_element,
    monday_of,
    most_missed,
    participation,
    personal_mastery,
    question_results,
    quiz_pool,
    record_week,
    select_items,
    streak,
    week_start,
)

START = date(2025, 1, 6)  # a Monday
BANK = quiz_bank()
# Deterministic "hard" items: a quarter of the bank is answered badly the first time it is seen...
WEAK = {item.id for index, item in enumerate(BANK) if index % 4 == 0}
# ...and a few of those stay hard on their first review too, so they must come back twice.
STUBBORN = {item.id for index, item in enumerate(BANK) if index % 12 == 0}


def make_item(item_id: str, element: str = "empathy", difficulty: int = 2) -> QuizItem:
    options = (QuizOption("right", "why", True), QuizOption("wrong", "why", False), QuizOption("no", "why", False))
    return QuizItem(item_id, element, "concept", difficulty, f"Stem {item_id}?", "Author (2000)", options)


def simulated_accuracy(item_id: str, earlier_uses: int) -> float:
    if item_id in STUBBORN and earlier_uses < 2:
        return 0.3
    if item_id in WEAK and earlier_uses == 0:
        return 0.4
    return 0.85


@dataclass
class Simulation:
    quizzes: list[list[QuizItem]] = field(default_factory=list)
    focuses: list[str | None] = field(default_factory=list)
    # item id -> [(week index, accuracy that week)]
    uses: dict[str, list[tuple[int, float]]] = field(default_factory=dict)


def simulate(rotation: list[str], count: int, seed: int, weeks: int = 12) -> Simulation:
    """Run a group through `weeks` weekly quizzes, feeding each week's answers into the next selection."""
    rng = random.Random(seed)
    history: dict[str, ItemHistory] = {}
    sim = Simulation()
    for index in range(weeks):
        week = START + timedelta(weeks=index)
        focus = focus_element(rotation, week)
        quiz = select_items(quiz_pool(BANK, rotation), history, week, count, focus, rng)
        accuracies = {}
        for item in quiz:
            past = sim.uses.setdefault(item.id, [])
            accuracies[item.id] = simulated_accuracy(item.id, len(past))
            past.append((index, accuracies[item.id]))
        history = record_week(history, week, accuracies)
        sim.quizzes.append(quiz)
        sim.focuses.append(focus)
    return sim


ROTATION = ["transference", "countertransference", "rupture_repair", "empathy", "congruence", "working_alliance"]


@pytest.fixture(scope="module")
def rotated() -> Simulation:
    return simulate(ROTATION, count=6, seed=11)


@pytest.fixture(scope="module")
def mixed() -> Simulation:
    return simulate([], count=6, seed=11)


@pytest.mark.parametrize("name", ["rotated", "mixed"])
def test_every_quiz_has_count_distinct_items(name: str, request: pytest.FixtureRequest) -> None:
    sim: Simulation = request.getfixturevalue(name)
    for quiz in sim.quizzes:
        assert len(quiz) == 6
        assert len({item.id for item in quiz}) == 6


@pytest.mark.parametrize("name", ["rotated", "mixed"])
def test_repeats_within_eight_weeks_are_only_reviews_of_weak_items(name: str, request: pytest.FixtureRequest) -> None:
    sim: Simulation = request.getfixturevalue(name)
    reviews = 0
    for item_id, uses in sim.uses.items():
        for (before, accuracy), (after, _) in pairwise(uses):
            gap = after - before
            if gap <= 8:
                assert accuracy < 0.6, f"{item_id} repeated after {gap} weeks though answered well"
                assert 2 <= gap <= 4, f"{item_id} came back after {gap} weeks"
                reviews += 1
    assert reviews >= 8  # the scenario really exercises spaced repetition


@pytest.mark.parametrize("name", ["rotated", "mixed"])
def test_every_weak_item_returns_two_to_four_weeks_later(name: str, request: pytest.FixtureRequest) -> None:
    sim: Simulation = request.getfixturevalue(name)
    last_week = len(sim.quizzes) - 1
    checked = 0
    for item_id, uses in sim.uses.items():
        for position, (week, accuracy) in enumerate(uses):
            if accuracy >= 0.6 or week + 4 > last_week:
                continue
            following = uses[position + 1] if position + 1 < len(uses) else None
            assert following is not None, f"weak {item_id} from week {week} never came back"
            assert 2 <= following[0] - week <= 4
            checked += 1
    assert checked >= 8
    # Stubborn items were answered badly on review too and came back a second time.
    assert any(len(uses) >= 3 for item_id, uses in sim.uses.items() if item_id in STUBBORN)


@pytest.mark.parametrize("name", ["rotated", "mixed"])
def test_reviews_never_take_more_than_half_the_quiz(name: str, request: pytest.FixtureRequest) -> None:
    sim: Simulation = request.getfixturevalue(name)
    for index, quiz in enumerate(sim.quizzes):
        repeats = [item for item in quiz if any(week < index for week, _ in sim.uses[item.id])]
        assert len(repeats) <= 3


def test_focus_element_dominates_with_a_rotation(rotated: Simulation) -> None:
    focus_items = 0
    for quiz, focus in zip(rotated.quizzes, rotated.focuses, strict=True):
        on_focus = sum(item.element == focus for item in quiz)
        assert on_focus >= len(quiz) // 2
        others = Counter(item.element for item in quiz if item.element != focus)
        assert on_focus > max(others.values(), default=0)
        focus_items += on_focus
    assert focus_items >= 0.7 * 12 * 6
    # The rotation is followed in order, one element per week, wrapping around.
    offset = ROTATION.index(rotated.focuses[0])
    assert rotated.focuses == [ROTATION[(offset + n) % len(ROTATION)] for n in range(12)]


def test_mixed_quizzes_spread_over_elements(mixed: Simulation) -> None:
    for quiz in mixed.quizzes:
        assert len({item.element for item in quiz}) >= 3
    assert {item.element for quiz in mixed.quizzes for item in quiz} == set(ELEMENTS)


@pytest.mark.parametrize("name", ["rotated", "mixed"])
def test_difficulties_are_mixed(name: str, request: pytest.FixtureRequest) -> None:
    sim: Simulation = request.getfixturevalue(name)
    for quiz in sim.quizzes:
        levels = Counter(item.difficulty for item in quiz)
        assert len(levels) >= 2
        assert max(levels.values()) <= 4


def test_selection_is_deterministic_for_a_seed() -> None:
    def ids(sim: Simulation) -> list[list[str]]:
        return [[item.id for item in quiz] for quiz in sim.quizzes]

    first = simulate(ROTATION, count=6, seed=5, weeks=6)
    assert ids(first) == ids(simulate(ROTATION, count=6, seed=5, weeks=6))
    assert ids(first) != ids(simulate(ROTATION, count=6, seed=6, weeks=6))


def test_due_reviews_are_capped_at_half_with_most_overdue_first() -> None:
    bank = [make_item(f"item-{n:02d}") for n in range(20)]
    week = date(2025, 3, 3)
    history = {
        f"item-{n:02d}": ItemHistory(f"item-{n:02d}", week - timedelta(weeks=age), 1, 0.2)
        for n, age in enumerate([2, 2, 3, 4, 4, 1, 5])
    }
    quiz = {item.id for item in select_items(bank, history, week, 4, None, random.Random(1))}
    # Two review slots, both taken by the four-week-old items whose window closes now.
    assert {"item-03", "item-04"} <= quiz
    assert not quiz & {"item-00", "item-01", "item-02", "item-05", "item-06"}


@pytest.mark.parametrize(("age", "picked"), [(8, "item-2"), (9, "item-1")])
def test_items_rest_for_eight_weeks(age: int, picked: str) -> None:
    week = date(2025, 3, 3)
    # A focus item still resting loses even to another element's fresh item; once rested it wins.
    bank = [make_item("item-1", "empathy"), make_item("item-2", "congruence")]
    history = {"item-1": ItemHistory("item-1", week - timedelta(weeks=age), 1, 0.9)}
    assert [item.id for item in select_items(bank, history, week, 1, "empathy", random.Random(0))] == [picked]


def test_recent_items_return_only_when_fresh_ones_run_out() -> None:
    week = date(2025, 3, 3)
    bank = [make_item(f"item-{n}") for n in range(4)]
    history = {
        "item-0": ItemHistory("item-0", week - timedelta(weeks=8), 1, 0.9),
        "item-1": ItemHistory("item-1", week - timedelta(weeks=9), 1, 0.9),
        "item-2": ItemHistory("item-2", week - timedelta(weeks=9), 1, 0.9),
        "item-3": ItemHistory("item-3", week, 1, 0.9),
    }
    assert {item.id for item in select_items(bank, history, week, 2, None, random.Random(0))} == {"item-1", "item-2"}
    assert {item.id for item in select_items(bank, history, week, 3, None, random.Random(0))} == {
        "item-0",
        "item-1",
        "item-2",
    }


def test_one_difficulty_does_not_fill_the_quiz_when_others_exist() -> None:
    week = date(2025, 3, 3)
    never_used = [make_item(f"new-{n}", difficulty=2) for n in range(6)]
    rested = [make_item("old-easy", difficulty=1), make_item("old-hard", difficulty=3)]
    history = {item.id: ItemHistory(item.id, week - timedelta(weeks=20), 1, 0.9) for item in rested}
    quiz = select_items(never_used + rested, history, week, 4, None, random.Random(0))
    assert Counter(item.difficulty for item in quiz)[2] == 2
    assert {"old-easy", "old-hard"} <= {item.id for item in quiz}


@pytest.mark.parametrize(("age", "returns"), [(1, False), (2, True), (3, True), (4, True), (5, False), (8, False)])
def test_weak_items_return_only_two_to_four_weeks_later(age: int, returns: bool) -> None:
    week = date(2025, 3, 3)
    bank = [make_item(f"item-{n}") for n in range(10)]
    history = {"item-0": ItemHistory("item-0", week - timedelta(weeks=age), 1, 0.59)}
    quiz = select_items(bank, history, week, 4, None, random.Random(0))
    assert ("item-0" in {item.id for item in quiz}) is returns


def test_items_answered_at_sixty_percent_are_not_reviewed() -> None:
    week = date(2025, 3, 3)
    bank = [make_item(f"item-{n}") for n in range(10)]
    history = {"item-0": ItemHistory("item-0", week - timedelta(weeks=3), 1, 0.6)}
    assert "item-0" not in {item.id for item in select_items(bank, history, week, 4, None, random.Random(0))}


def test_unanswered_items_are_not_reviewed() -> None:
    bank = [make_item(f"item-{n}") for n in range(6)]
    week = date(2025, 3, 3)
    history = {"item-0": ItemHistory("item-0", week - timedelta(weeks=3), 1, None)}
    quiz = select_items(bank, history, week, 4, None, random.Random(0))
    assert "item-0" not in {item.id for item in quiz}


def test_small_bank_falls_back_to_least_recently_used() -> None:
    week = date(2025, 3, 3)
    bank = [make_item(f"item-{n}") for n in range(5)]
    # Every item was used recently and answered well; item-4 longest ago, item-0 most recently.
    history = {f"item-{n}": ItemHistory(f"item-{n}", week - timedelta(weeks=n + 1), 1, 0.9) for n in range(5)}
    quiz = select_items(bank, history, week, 3, None, random.Random(0))
    assert {item.id for item in quiz} == {"item-4", "item-3", "item-2"}


def test_fresh_items_beat_recent_ones_and_never_used_beat_used() -> None:
    week = date(2025, 3, 3)
    bank = [make_item(f"item-{n}") for n in range(6)]
    history = {
        "item-0": ItemHistory("item-0", week - timedelta(weeks=1), 1, 0.9),
        "item-1": ItemHistory("item-1", week - timedelta(weeks=20), 1, 0.9),
        "item-2": ItemHistory("item-2", week - timedelta(weeks=10), 1, 0.9),
    }
    quiz = select_items(bank, history, week, 4, None, random.Random(0))
    assert {item.id for item in quiz} == {"item-3", "item-4", "item-5", "item-1"}


def test_bank_smaller_than_count_returns_whole_bank_once() -> None:
    bank = [make_item("item-a"), make_item("item-b"), make_item("item-a")]
    quiz = select_items(bank, {}, START, 5, "empathy", random.Random(0))
    assert sorted(item.id for item in quiz) == ["item-a", "item-b"]
    assert select_items(bank, {}, START, 0, None, random.Random(0)) == []
    assert select_items([], {}, START, 5, None, random.Random(0)) == []


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    count=st.integers(1, 15),
    focus=st.sampled_from([None, *ELEMENTS]),
    used=st.dictionaries(
        st.sampled_from([item.id for item in BANK]),
        st.tuples(st.integers(0, 20), st.one_of(st.none(), st.floats(0, 1))),
        max_size=60,
    ),
)
def test_selection_properties_hold_for_any_history(
    seed: int, count: int, focus: str | None, used: dict[str, tuple[int, float | None]]
) -> None:
    week = date(2025, 6, 2)
    history = {key: ItemHistory(key, week - timedelta(weeks=age), 1, acc) for key, (age, acc) in used.items()}
    quiz = select_items(BANK, history, week, count, focus, random.Random(seed))
    ids = [item.id for item in quiz]
    assert len(ids) == count == len(set(ids))
    assert ids == [item.id for item in select_items(BANK, history, week, count, focus, random.Random(seed))]
    repeats = [i for i in ids if i in history and history[i].is_recent(week)]
    fresh_available = sum(1 for item in BANK if not (item.id in history and history[item.id].is_recent(week)))
    due = [i for i in repeats if history[i].is_due_review(week)]
    assert len(due) <= count // 2
    # Recently used items that are not due reviews only appear when fresh ones ran out.
    if len(repeats) > len(due):
        assert fresh_available < count - len(due)


def _pick_by_scanning(
    candidates: list[QuizItem],
    need: int,
    chosen: list[QuizItem],
    count: int,
    history: dict[str, ItemHistory],
    tiebreak: dict[str, float],
) -> list[QuizItem]:
    """The selection rule as first written: each pick scans every remaining candidate."""
    picked: list[QuizItem] = []
    remaining = list(candidates)
    difficulties = Counter(item.difficulty for item in chosen)
    half = max(1, (count + 1) // 2)

    def preference(item: QuizItem) -> tuple[bool, date, int, float]:
        last_used = history[item.id].last_used_week if item.id in history else date.min
        return (difficulties[item.difficulty] >= half, last_used, difficulties[item.difficulty], tiebreak[item.id])

    while remaining and len(picked) < need:
        best = min(remaining, key=preference)
        remaining.remove(best)
        picked.append(best)
        difficulties[best.difficulty] += 1
    return picked


@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    need=st.integers(0, 12),
    count=st.integers(1, 12),
    already=st.lists(st.sampled_from(BANK), max_size=6),
    candidates=st.lists(st.sampled_from(BANK), max_size=16, unique_by=lambda item: item.id),
    ages=st.lists(st.one_of(st.none(), st.integers(0, 20)), min_size=16, max_size=16),
)
def test_picking_matches_a_scan_of_every_candidate(
    seed: int,
    need: int,
    count: int,
    already: list[QuizItem],
    candidates: list[QuizItem],
    ages: list[int | None],
) -> None:
    # Small pools with most items used: where crowded difficulties and old uses pull against each other.
    week = date(2025, 6, 2)
    history = {
        item.id: ItemHistory(item.id, week - timedelta(weeks=age), 1, None)
        for item, age in zip(candidates, ages, strict=False)
        if age is not None
    }
    rng = random.Random(seed)
    tiebreak = {item.id: rng.random() for item in BANK}
    expected = _pick_by_scanning(candidates, need, already, count, history, tiebreak)
    assert _pick(candidates, need, already, count, history, tiebreak) == expected


# --- week boundaries and rotation -------------------------------------------------------------------------------


def test_week_start_is_local_in_a_far_off_zone() -> None:
    # Sunday 12:30 UTC is already Monday 01:30 in Auckland (NZDT, +13).
    moment = datetime(2025, 1, 12, 12, 30, tzinfo=UTC)
    assert week_start(moment, "Pacific/Auckland") == date(2025, 1, 13)
    assert week_start(moment, "UTC") == date(2025, 1, 6)
    # One minute before local midnight is still the old week.
    assert week_start(datetime(2025, 1, 12, 10, 59, tzinfo=UTC), "Pacific/Auckland") == date(2025, 1, 6)


def test_week_start_across_dst_changes() -> None:
    # Auckland leaves DST on Sunday 6 April 2025 (+13 -> +12): Monday 00:00 NZST is Sunday 12:00 UTC.
    assert week_start(datetime(2025, 4, 6, 11, 59, tzinfo=UTC), "Pacific/Auckland") == date(2025, 3, 31)
    assert week_start(datetime(2025, 4, 6, 12, 0, tzinfo=UTC), "Pacific/Auckland") == date(2025, 4, 7)
    # London enters DST on Sunday 30 March 2025; Sunday 23:30 BST is 22:30 UTC, still that week.
    assert week_start(datetime(2025, 3, 30, 22, 30, tzinfo=UTC), "Europe/London") == date(2025, 3, 24)
    assert week_start(datetime(2025, 3, 30, 23, 0, tzinfo=UTC), "Europe/London") == date(2025, 3, 31)


def test_week_start_rejects_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="aware"):
        week_start(datetime(2025, 1, 1, 12, 0), "UTC")


@settings(max_examples=60, deadline=None)
@given(
    moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)),
    zone=st.sampled_from(["UTC", "Pacific/Auckland", "America/Los_Angeles", "Asia/Kolkata", "Pacific/Kiritimati"]),
)
def test_week_start_is_the_monday_on_or_before_the_local_date(moment: datetime, zone: str) -> None:
    start = week_start(moment, zone)
    local = moment.astimezone(ZoneInfo(zone)).date()
    assert start.weekday() == 0
    assert 0 <= (local - start).days <= 6


def test_focus_rotation_cycles_weekly_and_survives_year_end() -> None:
    rotation = ["empathy", "congruence", "transference"]
    weeks = [date(2025, 12, 15) + timedelta(weeks=n) for n in range(9)]  # crosses into 2026
    focuses = [focus_element(rotation, week) for week in weeks]
    assert all(focuses[n] != focuses[n + 1] for n in range(8))
    assert focuses[:3] == focuses[3:6] == focuses[6:9]
    assert sorted(focuses[:3]) == sorted(rotation)
    # Any day of a week gives that week's focus; an empty rotation means a mixed quiz.
    assert focus_element(rotation, weeks[0] + timedelta(days=6)) == focuses[0]
    assert focus_element([], weeks[0]) is None


def test_focus_rotation_can_start_at_an_anchor_week() -> None:
    anchor = date(2025, 9, 1)
    assert focus_element(["a", "b"], anchor, anchor) == "a"
    assert focus_element(["a", "b"], anchor + timedelta(weeks=1), anchor) == "b"
    assert focus_element(["a", "b"], anchor - timedelta(weeks=1), anchor) == "b"


def test_record_week_counts_uses_and_keeps_other_items() -> None:
    history = {"old": ItemHistory("old", date(2025, 1, 6), 2, 0.5)}
    updated = record_week(history, date(2025, 2, 5), {"old": 0.75, "new": None})
    assert updated["old"] == ItemHistory("old", date(2025, 2, 3), 3, 0.75)
    assert updated["new"] == ItemHistory("new", date(2025, 2, 3), 1, None)
    assert history["old"].times_used == 2


# --- results maths ----------------------------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 2), max_size=40))
def test_question_shares_sum_to_one_and_accuracy_is_the_correct_share(answers: list[int]) -> None:
    item = make_item("q")  # option 0 is correct
    result = question_results(item, answers)
    assert result.total == len(answers)
    assert sum(result.option_counts) == len(answers)
    if answers:
        assert sum(result.share(i) for i in range(3)) == pytest.approx(1.0)
        assert result.accuracy == pytest.approx(answers.count(0) / len(answers))
    else:
        assert result.accuracy is None
        assert result.share(0) == 0.0


def test_question_results_counts_each_option() -> None:
    result = question_results(make_item("q"), [0, 0, 1, 2, 0])
    assert result.option_counts == (3, 1, 1)
    assert result.share(1) == pytest.approx(0.2)
    assert result.accuracy == pytest.approx(0.6)


def test_question_results_rejects_unknown_options() -> None:
    with pytest.raises(ValueError, match="option 3"):
        question_results(make_item("q"), [0, 3])
    with pytest.raises(ValueError):
        question_results(make_item("q"), [-1])


def test_participation_counts_distinct_members() -> None:
    assert participation([101, 102, 101, 103]) == 3
    assert participation([]) == 0


def test_personal_mastery_groups_by_element_and_week() -> None:
    answers = [
        (date(2025, 1, 7), "empathy", True),
        (date(2025, 1, 9), "empathy", False),  # same week as the 7th
        (date(2025, 1, 14), "empathy", True),
        (date(2025, 1, 8), "congruence", False),
    ]
    mastery = personal_mastery(answers)
    assert mastery == {
        "empathy": [(date(2025, 1, 6), 0.5), (date(2025, 1, 13), 1.0)],
        "congruence": [(date(2025, 1, 6), 0.0)],
    }
    assert personal_mastery([]) == {}


def test_personal_mastery_sorts_weeks() -> None:
    answers = [(date(2025, 2, 3), "empathy", True), (date(2025, 1, 6), "empathy", False)]
    assert [week for week, _ in personal_mastery(answers)["empathy"]] == [date(2025, 1, 6), date(2025, 2, 3)]


@pytest.mark.parametrize(
    ("taken_offsets", "expected"),
    [
        ([], 0),
        ([0], 1),
        ([1], 1),  # this week's quiz not taken yet: the streak still counts
        ([0, 1, 2], 3),
        ([1, 2, 3], 3),
        ([2, 3], 0),  # missed last week: the streak is broken
        ([0, 1, 3, 4], 2),
        ([-1, 0], 1),  # a future week is ignored
    ],
)
def test_streak(taken_offsets: list[int], expected: int) -> None:
    current = date(2025, 3, 10)
    weeks = {current - timedelta(weeks=offset) for offset in taken_offsets}
    assert streak(weeks, current) == expected


def test_streak_accepts_any_day_of_the_week() -> None:
    assert streak({date(2025, 3, 12), date(2025, 3, 5)}, date(2025, 3, 16)) == 2


def test_most_missed_orders_by_misses_then_id() -> None:
    answers = [
        ("b", False),
        ("a", False),
        ("c", False),
        ("c", False),
        ("c", True),
        ("d", True),
        ("b", False),
        ("e", False),
    ]
    assert most_missed(answers) == [("b", 2), ("c", 2), ("a", 1)]
    assert most_missed(answers, limit=10) == [("b", 2), ("c", 2), ("a", 1), ("e", 1)]
    assert most_missed([("d", True)]) == []
    assert most_missed(answers, limit=0) == []


def test_monday_of() -> None:
    assert monday_of(date(2025, 3, 16)) == date(2025, 3, 10)
    assert monday_of(date(2025, 3, 10)) == date(2025, 3, 10)
