"""Load the bundled quiz and prompt banks into dataclasses, validating every item."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from bot.content.validation import ContentProblem, check_prompt, check_quiz_item


@dataclass(frozen=True)
class QuizOption:
    """One answer option with the reason it is right or wrong."""

    text: str
    explanation: str
    correct: bool


@dataclass(frozen=True)
class QuizItem:
    """A multiple-choice question about one element."""

    id: str
    element: str
    kind: str
    difficulty: int
    stem: str
    source: str
    options: tuple[QuizOption, ...]

    @property
    def correct_index(self) -> int:
        """The position of the correct option."""
        return next(i for i, option in enumerate(self.options) if option.correct)


@dataclass(frozen=True)
class ReflectionPrompt:
    """A reflective prompt about one element."""

    id: str
    element: str
    stage: str
    text: str
    source: str
    function: str | None = None
    # Private prompts (sexual feelings, personal history, shame) go to DMs and the journal, never a group thread.
    private: bool = False


class ContentError(Exception):
    """A bank failed validation; carries every problem found."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def quiz_item_from(raw: Mapping[str, Any], element: str | None) -> QuizItem:
    """Build a QuizItem from a validated TOML table; `element` is its file's, for items that name none."""
    return QuizItem(
        id=raw["id"],
        element=raw.get("element", element),
        kind=raw["kind"],
        difficulty=raw["difficulty"],
        stem=raw["stem"].strip(),
        source=raw["source"].strip(),
        options=tuple(
            QuizOption(o["text"].strip(), o["explanation"].strip(), o.get("correct", False)) for o in raw["options"]
        ),
    )


def prompt_from(raw: Mapping[str, Any], element: str | None) -> ReflectionPrompt:
    """Build a ReflectionPrompt from a validated TOML table; `element` is its file's, for prompts that name none."""
    return ReflectionPrompt(
        id=raw["id"],
        element=raw.get("element", element),
        stage=raw["stage"],
        text=raw["text"].strip(),
        source=raw["source"].strip(),
        function=raw.get("function"),
        private=raw.get("private", False),
    )


def parse_bank(
    text: str,
    file: str,
    list_key: str,
    check: Callable[..., list[ContentProblem]],
    seen_ids: set[str] | None = None,
) -> tuple[str | None, list[Mapping[str, Any]], list[ContentProblem]]:
    """Parse one bank file; return its element, its raw entries and every problem found."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [], [ContentProblem(file, "-", "file", f"invalid TOML: {exc}")]
    except RecursionError:
        # tomllib recurses per nesting level; an import file must not be able to crash the bot.
        return None, [], [ContentProblem(file, "-", "file", "invalid TOML: values are nested too deeply")]
    element = data.get("element")
    entries = data.get(list_key)
    if not isinstance(entries, list) or not entries:
        return element, [], [ContentProblem(file, "-", list_key, f"no [[{list_key}]] entries found")]
    seen = set() if seen_ids is None else seen_ids
    problems = []
    for entry in entries:
        problems += check(entry, file, seen, element)
    return element, entries, problems


def _bundled(
    folder: str, list_key: str, check: Callable[..., list[ContentProblem]]
) -> tuple[list[tuple[Mapping[str, Any], str | None]], list[ContentProblem]]:
    seen: set[str] = set()
    problems: list[ContentProblem] = []
    loaded: list[tuple[Mapping[str, Any], str | None]] = []
    files = sorted(
        (e for e in resources.files("bot.content").joinpath(folder).iterdir() if e.name.endswith(".toml")),
        key=lambda e: e.name,
    )
    for entry in files:
        name = f"{folder}/{entry.name}"
        element, raws, found = parse_bank(entry.read_text(encoding="utf-8"), name, list_key, check, seen)
        problems += found
        loaded += [(raw, element) for raw in raws]
    return loaded, problems


def validate_bundled() -> list[ContentProblem]:
    """Validate both bundled banks without raising; used by `supervision-bot check` and tests."""
    return _bundled("quiz", "items", check_quiz_item)[1] + _bundled("prompts", "prompts", check_prompt)[1]


@cache
def quiz_bank() -> tuple[QuizItem, ...]:
    """Return the bundled quiz items; raise ContentError if any is invalid."""
    loaded, problems = _bundled("quiz", "items", check_quiz_item)
    if problems:
        raise ContentError(problems)
    return tuple(quiz_item_from(raw, element) for raw, element in loaded)


@cache
def prompt_bank() -> tuple[ReflectionPrompt, ...]:
    """Return the bundled reflective prompts; raise ContentError if any is invalid."""
    loaded, problems = _bundled("prompts", "prompts", check_prompt)
    if problems:
        raise ContentError(problems)
    return tuple(prompt_from(raw, element) for raw, element in loaded)
