"""The bundled bank's quality rules: surface-cue lint, real vignettes, verified keys, prompts safe for a group."""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import pytest

from bot.content.banks import QuizItem, QuizOption, ReflectionPrompt, prompt_bank, quiz_bank
from bot.content.elements import ELEMENTS, TOPICS
from bot.content.lint import absolute_ratio, key_positions, keyed_longest, lint_bank
from cogs.quiz.logic import quiz_pool
from cogs.reflect.logic import choose_prompt, group_rotation_prompts, next_element

VERIFICATION = Path(__file__).resolve().parents[2] / "bot" / "content" / "quiz" / "VERIFICATION.md"
# A statistic in an option: an effect size, a sample count or a percentage.
STATISTIC = re.compile(r"\b[rdgk] = |%|\bN = ")
DECISION = re.compile(r"\b(what|which|how)\b[^?]*\?\s*$", re.IGNORECASE)


def crafted(index: int, key_at: int = 0) -> QuizItem:
    """An item written the test-wise way: the key is long, hedged and first; distractors are absolute."""
    options = [
        QuizOption("It can depend on the client, the moment and what the two of them have agreed so far.", "", True),
        QuizOption("Always.", "", False),
        QuizOption("Never at all.", "", False),
        QuizOption("Only with every client.", "", False),
    ]
    options.insert(key_at, options.pop(0))
    return QuizItem(f"bad-{index:03d}", "empathy", "vignette", 2, "Stem?", "Someone (2020). Work.", tuple(options))


def test_the_bundled_bank_passes_its_own_lint() -> None:
    figures = lint_bank(quiz_bank())
    assert [f.name for f in figures] == [
        "keyed-longest share",
        "absolute-word ratio (keys / distractors)",
        "key positions (observed/expected)",
    ]
    assert all(f.ok for f in figures), [str(f) for f in figures if not f.ok]


def test_a_bank_with_every_cue_fails_each_figure() -> None:
    bank = [crafted(n) for n in range(40)]
    assert not keyed_longest(bank).ok
    assert "40/40 = 100%" in keyed_longest(bank).value
    assert not absolute_ratio(bank).ok
    assert not key_positions(bank).ok


def test_each_figure_is_computed_not_fixed() -> None:
    # The same crafted items, keys spread evenly over positions: only the position figure recovers.
    spread = [crafted(n, key_at=n % 4) for n in range(40)]
    assert key_positions(spread).ok
    assert "A10/10 B10/10 C10/10 D10/10" in key_positions(spread).value
    assert not keyed_longest(spread).ok
    # Keys that use absolute words as often as distractors do bring the ratio into its band.
    balanced = [
        QuizItem(
            f"ok-{n}",
            "empathy",
            "recall",
            1,
            "Stem?",
            "Someone (2020). Work.",
            (
                QuizOption("Only the bond.", "", n % 2 == 0),
                QuizOption("Goals and tasks.", "", n % 2 == 1),
                QuizOption("The whole alliance.", "", False),
            ),
        )
        for n in range(20)
    ]
    assert absolute_ratio(balanced).ok


def test_application_items_are_at_least_sixty_percent() -> None:
    kinds = Counter(item.kind for item in quiz_bank())
    assert set(kinds) <= {"vignette", "recall"}
    assert kinds["vignette"] / sum(kinds.values()) >= 0.6


@pytest.mark.parametrize("item", [i for i in quiz_bank() if i.kind == "vignette"], ids=lambda i: i.id)
def test_every_vignette_sets_a_scene_and_asks_for_a_decision(item: QuizItem) -> None:
    sentences = [s for s in re.split(r"(?<=[.!?'\"])\s+", item.stem) if s.strip()]
    assert len(sentences) >= 2, "a vignette needs a scene before its question"
    assert DECISION.search(item.stem), "a vignette asks what is happening or what to do"
    # Asking for a figure inside a scene is recall dressed up as a vignette.
    assert not STATISTIC.search(item.options[item.correct_index].text)


def test_an_explanation_that_says_correct_belongs_to_the_key() -> None:
    misplaced = [
        item.id
        for item in quiz_bank()
        for index, option in enumerate(item.options)
        if option.explanation.startswith("Correct") and index != item.correct_index
    ]
    assert misplaced == []


def test_every_item_is_listed_in_the_verification_notes() -> None:
    entry = re.compile(r"^- `([a-z0-9_-]+)` \((vignette|recall)\): (Confirmed|Verified)", re.M)
    listed = entry.findall(VERIFICATION.read_text())
    bank = {item.id: item.kind for item in quiz_bank()}
    assert {item_id: kind for item_id, kind, _ in listed} == bank
    assert len(listed) == len(bank)


def test_supervision_is_a_topic_of_its_own_with_enough_items() -> None:
    supervision = [item for item in quiz_bank() if item.element == "supervision"]
    assert "supervision" in TOPICS and "supervision" not in ELEMENTS
    assert len(supervision) >= 14
    assert sum(item.kind == "vignette" for item in supervision) > len(supervision) / 2


def test_supervision_items_join_quizzes_only_when_the_rotation_names_them() -> None:
    bank = quiz_bank()
    assert not any(item.element == "supervision" for item in quiz_pool(bank, ()))
    assert not any(item.element == "supervision" for item in quiz_pool(bank, ("empathy",)))
    assert sum(item.element == "supervision" for item in quiz_pool(bank, ("empathy", "supervision"))) >= 14


def test_the_group_rotation_never_posts_a_private_prompt() -> None:
    bank = prompt_bank()
    private = {p.id for p in bank if p.private}
    assert {"countertransference-p021", "countertransference-p013"} <= private
    group = group_rotation_prompts(bank)
    rng, used, elements, posted = random.Random(7), set(), [], []
    # A year and a half of weekly posts cycles through every element's group prompts more than once.
    for _ in range(80 * len(ELEMENTS)):
        element = next_element(elements, None)
        prompt, restarted = choose_prompt(group, element, used, rng)
        used = {prompt.id} if restarted else used | {prompt.id}
        elements.append(element)
        posted.append(prompt.id)
    assert not private & set(posted)
    assert {p.id for p in group} == set(posted)


def test_a_private_prompt_is_left_out_even_when_it_is_an_elements_only_one() -> None:
    public = ReflectionPrompt("empathy-p900", "empathy", "feel", "Public?", "Someone (2020). Work.")
    secret = ReflectionPrompt("empathy-p901", "empathy", "feel", "Private?", "Someone (2020). Work.", private=True)
    assert group_rotation_prompts([secret, public]) == [public]


def test_every_element_keeps_twenty_prompts_a_group_may_see() -> None:
    counts = Counter(p.element for p in group_rotation_prompts(prompt_bank()))
    assert {element: counts[element] >= 20 for element in ELEMENTS} == dict.fromkeys(ELEMENTS, True)
