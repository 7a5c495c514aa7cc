"""Bank import files (/quiz bank import, and the bundled banks) under random and malformed input.

parse_bank must return problems, never raise; and whatever it accepts must be an item the bot can
actually use: buildable, with an id its buttons can carry, within the embed limits.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.content.banks import parse_bank, prompt_from, quiz_item_from
from bot.content.elements import ELEMENTS, REFLECTIVE_STAGES
from bot.content.validation import (
    EXPLANATION_MAX,
    OPTION_TEXT_MAX,
    PROMPT_TEXT_MAX,
    STEM_MAX,
    ContentProblem,
    check_prompt,
    check_quiz_item,
)
from tests.badinput.strategies import any_text, nasty_text
from tests.badinput.toml_values import toml_value, toml_values

FILE = "ours.toml"
# What a persistent button's custom_id can carry (cogs/quiz/views.py PracticeAnswer).
ITEM_ID = re.compile(r"[a-z0-9_-]+")

GOOD_OPTION = {"text": "Reflect the shift gently.", "explanation": "It keeps the 'as if' quality."}
GOOD_ITEM: dict[str, Any] = {
    "id": "our-empathy-001",
    "element": "empathy",
    "kind": "vignette",
    "difficulty": 2,
    "stem": "A client's voice drops when a topic comes up. What is the most empathic next step?",
    "source": "Rogers, C.R. (1957). The necessary and sufficient conditions.",
    "options": [dict(GOOD_OPTION, correct=True), GOOD_OPTION, GOOD_OPTION],
}
GOOD_PROMPT: dict[str, Any] = {
    "id": "our-prompt-001",
    "element": "empathy",
    "stage": "feel",
    "text": "When did you last feel moved by a client's experience, and what did you do with it?",
    "source": "Gibbs, G. (1988). Learning by doing.",
}


def item_toml(items: list[Any], element: Any = "empathy", list_key: str = "items") -> str:
    """A bank file with each item as an inline table (any value can go in any field)."""
    head = f"element = {toml_value(element)}\n" if element is not None else ""
    return head + f"{list_key} = [\n" + ",\n".join(toml_value(i) for i in items) + "\n]\n"


def check_problems(problems: list[ContentProblem]) -> None:
    for problem in problems:
        assert isinstance(problem, ContentProblem)
        assert problem.file == FILE
        str(problem)


def assert_usable_quiz_items(element: Any, raws: list[Any]) -> None:
    for raw in raws:
        item = quiz_item_from(raw, element)
        assert ITEM_ID.fullmatch(item.id), f"accepted id {item.id!r} cannot sit in a button's custom_id"
        assert item.element in ELEMENTS
        assert 3 <= len(item.options) <= 5 and sum(o.correct for o in item.options) == 1
        assert 0 < len(item.stem) <= STEM_MAX
        assert all(0 < len(o.text) <= OPTION_TEXT_MAX for o in item.options)
        assert all(0 < len(o.explanation) <= EXPLANATION_MAX for o in item.options)
        assert item.correct_index in range(len(item.options))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), nasty_text(), st.binary().map(lambda b: b.decode("utf-8", "replace"))))
@example("[[items")
@example("items = " + "[" * 3000)  # deeper than the TOML parser can recurse
@example("element = " + "{a = " * 3000)
def test_random_files_give_problems_never_exceptions(text: str) -> None:
    for list_key, check in (("items", check_quiz_item), ("prompts", check_prompt)):
        element, raws, problems = parse_bank(text, FILE, list_key, check, set())
        check_problems(problems)
        if not problems and list_key == "items":
            assert_usable_quiz_items(element, raws)


FIELDS = [*GOOD_ITEM, "options.text", "options.explanation", "options.correct", "extra"]


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(FIELDS), st.one_of(toml_values, any_text()), st.one_of(st.none(), toml_values))
@example("id", "abc\n", "empathy")  # `$` in a regex also matches before a final newline
@example("id", "ok-id\n", None)
@example("difficulty", True, "empathy")
@example("options", [], "empathy")
@example("stem", "x" * 100_000, "empathy")
def test_wrong_types_and_huge_values_in_every_field(field: str, value: Any, element: Any) -> None:
    item = dict(GOOD_ITEM)
    if element is not None:
        item.pop("element")
    if field.startswith("options."):
        options = [dict(o) for o in item["options"]]
        options[1][field.split(".")[1]] = value
        item["options"] = options
    else:
        item[field] = value
    text = item_toml([item], element)
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return  # only where our TOML writer cannot express the value; parse_bank must still cope
    found_element, raws, problems = parse_bank(text, FILE, "items", check_quiz_item, set())
    check_problems(problems)
    if not problems:
        assert_usable_quiz_items(found_element, raws)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(toml_values, st.just(GOOD_ITEM)), max_size=4), st.one_of(st.none(), toml_values))
def test_whole_item_lists_of_anything(items: list[Any], element: Any) -> None:
    found_element, raws, problems = parse_bank(item_toml(items, element), FILE, "items", check_quiz_item, set())
    check_problems(problems)
    if not problems:
        assert_usable_quiz_items(found_element, raws)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from([*GOOD_PROMPT, "function", "extra"]), st.one_of(toml_values, any_text()))
@example("id", "abc\n")
@example("text", "x" * 10_000)
def test_prompt_files_with_wrong_values(field: str, value: Any) -> None:
    prompt = dict(GOOD_PROMPT, **{field: value})
    text = item_toml([prompt], None, "prompts")
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    element, raws, problems = parse_bank(text, FILE, "prompts", check_prompt, set())
    check_problems(problems)
    for raw in raws if not problems else []:
        built = prompt_from(raw, element)
        assert ITEM_ID.fullmatch(built.id), f"accepted id {built.id!r}"
        assert built.element in ELEMENTS and built.stage in REFLECTIVE_STAGES
        assert 0 < len(built.text) <= PROMPT_TEXT_MAX


def test_a_good_file_is_accepted() -> None:
    element, raws, problems = parse_bank(item_toml([GOOD_ITEM], None), FILE, "items", check_quiz_item, set())
    assert problems == []
    assert_usable_quiz_items(element, raws)


def test_duplicate_ids_in_one_file_are_reported() -> None:
    _, _, problems = parse_bank(item_toml([GOOD_ITEM, GOOD_ITEM], None), FILE, "items", check_quiz_item, set())
    assert [p.field for p in problems] == ["id"]
