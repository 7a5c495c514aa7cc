"""Load the bundled quiz and prompt banks into dataclasses, validating every item.

English banks are `quiz/<element>.toml` and `prompts/<element>.toml`; a translation lives beside them in a
folder named by its language (`quiz/de/<element>.toml`) and keeps every item's id, so a member's history,
review schedule and item statistics are one across languages.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from bot.content.validation import (
    KEPT_PROMPT_FIELDS,
    KEPT_QUIZ_FIELDS,
    ContentProblem,
    check_locale,
    check_prompt,
    check_quiz_item,
    check_translation,
)
from bot.i18n import _

# Where the bundled banks are read from: the package's own folder.
BUNDLED: Traversable = resources.files("bot.content")
# The language of the banks at the top of `quiz/` and `prompts/`, and of anything that declares none.
ENGLISH = "en"


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
    # The language the texts are in ("en", "de"), and whether it is named where the item is shown because the
    # group reads another (an English item standing in for a missing translation is tagged "(English)").
    language: str = ENGLISH
    tagged: bool = False

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
    language: str = ENGLISH
    tagged: bool = False


class ContentError(Exception):
    """A bank failed validation; carries every problem found."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def quiz_item_from(raw: Mapping[str, Any], element: str | None, language: str = ENGLISH) -> QuizItem:
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
        language=language,
    )


def prompt_from(raw: Mapping[str, Any], element: str | None, language: str = ENGLISH) -> ReflectionPrompt:
    """Build a ReflectionPrompt from a validated TOML table; `element` is its file's, for prompts that name none."""
    return ReflectionPrompt(
        id=raw["id"],
        element=raw.get("element", element),
        stage=raw["stage"],
        text=raw["text"].strip(),
        source=raw["source"].strip(),
        function=raw.get("function"),
        private=raw.get("private", False),
        language=language,
    )


@dataclass(frozen=True)
class BankFile:
    """One bank file as read: its element and declared locale (as written at the top), its entries, its problems."""

    element: str | None
    locale: object
    entries: list[Mapping[str, Any]]
    problems: list[ContentProblem]


def read_bank(
    text: str,
    file: str,
    list_key: str,
    check: Callable[..., list[ContentProblem]],
    seen_ids: set[str] | None = None,
) -> BankFile:
    """Parse one bank file; return its element, its locale, its raw entries and every problem found."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return BankFile(
            None, None, [], [ContentProblem(file, "-", "file", _("invalid TOML: {error}").format(error=exc))]
        )
    except RecursionError:
        # tomllib recurses per nesting level; an import file must not be able to crash the bot.
        return BankFile(
            None, None, [], [ContentProblem(file, "-", "file", _("invalid TOML: values are nested too deeply"))]
        )
    element = data.get("element")
    entries = data.get(list_key)
    if not isinstance(entries, list) or not entries:
        return BankFile(
            element,
            data.get("locale"),
            [],
            [ContentProblem(file, "-", list_key, _("no [[{list}]] entries found").format(list=list_key))],
        )
    seen = set() if seen_ids is None else seen_ids
    problems = []
    for entry in entries:
        problems += check(entry, file, seen, element)
    return BankFile(element, data.get("locale"), entries, problems)


def parse_bank(
    text: str,
    file: str,
    list_key: str,
    check: Callable[..., list[ContentProblem]],
    seen_ids: set[str] | None = None,
) -> tuple[str | None, list[Mapping[str, Any]], list[ContentProblem]]:
    """Parse one bank file; return its element, its raw entries and every problem found."""
    bank = read_bank(text, file, list_key, check, seen_ids)
    return bank.element, bank.entries, bank.problems


@dataclass(frozen=True)
class _Folder:
    """One bundled bank: where it lives and how its entries are checked."""

    name: str
    list_key: str
    check: Callable[..., list[ContentProblem]]
    kept: tuple[str, ...]


QUIZ = _Folder("quiz", "items", check_quiz_item, KEPT_QUIZ_FIELDS)
PROMPTS = _Folder("prompts", "prompts", check_prompt, KEPT_PROMPT_FIELDS)
_Loaded = list[tuple[Mapping[str, Any], str | None]]


def _toml_files(folder: Traversable) -> list[Traversable]:
    if not folder.is_dir():
        return []
    return sorted((e for e in folder.iterdir() if e.is_file() and e.name.endswith(".toml")), key=lambda e: e.name)


def _locale_problems(locale: object, file: str, expected: str) -> list[ContentProblem]:
    """A bundled file's declared locale against its folder: none or "en" at the top, its language's in a subfolder."""
    declared, problems = check_locale(locale, file)
    if problems or declared == expected:
        return problems
    said = "missing" if locale is None else repr(locale)
    if expected == ENGLISH:
        return [
            ContentProblem(
                file, "-", "locale", _("{said}; an English bank declares no other language").format(said=said)
            )
        ]
    return [
        ContentProblem(
            file,
            "-",
            "locale",
            _('{said}; a file in {folder}/ declares locale = "{folder}"').format(said=said, folder=expected),
        )
    ]


def _bundled(bank: _Folder) -> tuple[_Loaded, list[ContentProblem]]:
    seen: set[str] = set()
    problems: list[ContentProblem] = []
    loaded: _Loaded = []
    for entry in _toml_files(BUNDLED.joinpath(bank.name)):
        name = f"{bank.name}/{entry.name}"
        read = read_bank(entry.read_text(encoding="utf-8"), name, bank.list_key, bank.check, seen)
        problems += read.problems
        problems += _locale_problems(read.locale, name, ENGLISH)
        loaded += [(raw, read.element) for raw in read.entries]
    return loaded, problems


def bundled_languages() -> tuple[str, ...]:
    """The languages with a bundled translation of either bank, by folder name ("de")."""
    found = {
        entry.name
        for bank in (QUIZ, PROMPTS)
        if BUNDLED.joinpath(bank.name).is_dir()
        for entry in BUNDLED.joinpath(bank.name).iterdir()
        if entry.is_dir() and _toml_files(entry)
    }
    return tuple(sorted(found))


def _translation(bank: _Folder, language: str) -> tuple[_Loaded, list[ContentProblem]]:
    """One language's translation of a bank, checked item by item against the English it translates."""
    english = _bundled(bank)[0]
    originals = {raw.get("id"): (raw, element) for raw, element in english if isinstance(raw, Mapping)}
    english_files = {entry.name: entry for entry in _toml_files(BUNDLED.joinpath(bank.name))}
    seen: set[str] = set()
    problems: list[ContentProblem] = []
    loaded: _Loaded = []
    for entry in _toml_files(BUNDLED.joinpath(bank.name).joinpath(language)):
        name = f"{bank.name}/{language}/{entry.name}"
        read = read_bank(entry.read_text(encoding="utf-8"), name, bank.list_key, bank.check, seen)
        problems += read.problems
        problems += _locale_problems(read.locale, name, language)
        if entry.name not in english_files:
            problems.append(
                ContentProblem(
                    name, "-", "file", _("no English {file} to translate").format(file=f"{bank.name}/{entry.name}")
                )
            )
        for raw in read.entries:
            if not isinstance(raw, Mapping):
                continue
            original, english_element = originals.get(raw.get("id"), (None, None))
            problems += check_translation(raw, original, name, bank.kept)
            element = raw.get("element", read.element)
            if original is not None and element != original.get("element", english_element):
                problems.append(
                    ContentProblem(
                        name,
                        str(raw.get("id")),
                        "element",
                        _("{element}; the English is {english}").format(
                            element=repr(element), english=repr(english_element)
                        ),
                    )
                )
        loaded += [(raw, read.element) for raw in read.entries]
    return loaded, problems


def validate_bundled() -> list[ContentProblem]:
    """Validate the bundled banks and every translation without raising; used by `supervision-bot check` and tests."""
    problems: list[ContentProblem] = []
    for bank in (QUIZ, PROMPTS):
        problems += _bundled(bank)[1]
        for language in bundled_languages():
            problems += _translation(bank, language)[1]
    return problems


@cache
def quiz_bank() -> tuple[QuizItem, ...]:
    """Return the bundled quiz items; raise ContentError if any is invalid."""
    loaded, problems = _bundled(QUIZ)
    if problems:
        raise ContentError(problems)
    return tuple(quiz_item_from(raw, element) for raw, element in loaded)


@cache
def prompt_bank() -> tuple[ReflectionPrompt, ...]:
    """Return the bundled reflective prompts; raise ContentError if any is invalid."""
    loaded, problems = _bundled(PROMPTS)
    if problems:
        raise ContentError(problems)
    return tuple(prompt_from(raw, element) for raw, element in loaded)


@cache
def quiz_translations(language: str) -> Mapping[str, QuizItem]:
    """Return a language's bundled quiz items by id (empty for English or a language with none)."""
    if language == ENGLISH:
        return {}
    loaded, problems = _translation(QUIZ, language)
    if problems:
        raise ContentError(problems)
    return {raw["id"]: quiz_item_from(raw, element, language) for raw, element in loaded}


@cache
def prompt_translations(language: str) -> Mapping[str, ReflectionPrompt]:
    """Return a language's bundled prompts by id (empty for English or a language with none)."""
    if language == ENGLISH:
        return {}
    loaded, problems = _translation(PROMPTS, language)
    if problems:
        raise ContentError(problems)
    return {raw["id"]: prompt_from(raw, element, language) for raw, element in loaded}
