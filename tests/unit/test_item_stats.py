"""Item statistics: facility, pick rates, discrimination, broken-item flags and the k rule, on seeded answers."""

from __future__ import annotations

import math

from bot.content.banks import QuizItem, QuizOption
from bot.content.item_stats import Answer, item_statistics, stats_lines


def make(item_id: str, key: int, options: int = 4) -> QuizItem:
    return QuizItem(
        item_id,
        "empathy",
        "vignette",
        2,
        "Stem?",
        "Someone (2020). Work.",
        tuple(QuizOption(f"option {n}", "", n == key) for n in range(options)),
    )


ITEMS = {"good": make("good", 0), "broken": make("broken", 1), "rare": make("rare", 2), "anchor": make("anchor", 0)}


def seeded() -> list[Answer]:
    """Four members: two strong ones (right on 'anchor'), two weak ones (wrong on it)."""
    answers = []
    strong, weak = ["s1", "s2"], ["w1", "w2"]
    for m in strong:
        answers += [Answer(m, "anchor", 0, True), Answer(m, "good", 0, True), Answer(m, "broken", 2, False)]
    for m in weak:
        answers += [Answer(m, "anchor", 3, False), Answer(m, "good", 3, False), Answer(m, "broken", 1, True)]
    # Only two members answered 'rare': below k = 3 it shows nothing.
    answers += [Answer("s1", "rare", 2, True), Answer("w1", "rare", 0, False)]
    return answers


def test_facility_and_pick_rates_are_shares_of_members() -> None:
    stats = {s.item_id: s for s in item_statistics(seeded(), ITEMS, k=3)}
    assert stats["good"].answers == 4
    assert stats["good"].facility == 0.5
    assert stats["good"].pick_rates == (0.5, 0.0, 0.0, 0.5)
    assert stats["broken"].pick_rates == (0.0, 0.5, 0.5, 0.0)


def test_discrimination_correlates_an_item_with_members_other_answers() -> None:
    stats = {s.item_id: s for s in item_statistics(seeded(), ITEMS, k=3)}
    # By hand: 'good' right for s1, s2 (rest scores 2/3, 1/2), wrong for w1, w2 (1/3, 1/2); r = (1/6) / sqrt(1/18).
    assert stats["good"].discrimination is not None
    assert math.isclose(stats["good"].discrimination, math.sqrt(0.5))
    # 'broken' is answered right by exactly the members who do worst elsewhere.
    assert stats["broken"].discrimination is not None
    assert math.isclose(stats["broken"].discrimination, -1.0)
    assert stats["broken"].flags == ["negative discrimination"]
    assert stats["good"].flags == []


def test_a_distractor_chosen_more_than_the_key_is_flagged() -> None:
    answers = [Answer(f"m{n}", "good", 2 if n < 3 else 0, n >= 3) for n in range(5)]
    (stats,) = item_statistics(answers, ITEMS, k=3)
    assert stats.pick_rates == (0.4, 0.0, 0.6, 0.0)
    assert "distractor C chosen more than the key" in stats.flags
    assert stats.discrimination is None  # nobody answered anything else


def test_items_answered_by_fewer_than_k_members_show_nothing() -> None:
    ids = [s.item_id for s in item_statistics(seeded(), ITEMS, k=3)]
    assert "rare" not in ids
    assert ids == ["anchor", "broken", "good"]
    assert item_statistics(seeded(), ITEMS, k=5) == []
    assert stats_lines([], 5) == ["No item has answers from at least 5 members yet, so there is nothing to show."]


def test_a_members_repeat_answer_counts_once() -> None:
    answers = [Answer("m1", "good", 0, True), Answer("m1", "good", 3, False), Answer("m2", "good", 3, False)]
    answers.append(Answer("m3", "good", 3, False))
    (stats,) = item_statistics(answers, ITEMS, k=3)
    assert stats.answers == 3
    assert math.isclose(stats.facility, 1 / 3)


def test_lines_put_broken_items_first_and_mark_the_key() -> None:
    lines = stats_lines(item_statistics(seeded(), ITEMS, k=3), 3)
    assert lines[0].startswith("broken: n=4, facility 50%, discrimination -1.00; A 0% B* 50% C 50% D 0%")
    assert lines[0].endswith("⚠ negative discrimination")
    assert any(line.startswith("good: n=4, facility 50%, discrimination +0.71;") for line in lines)
