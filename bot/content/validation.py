"""Check content items field by field, so a broken item is reported precisely.

The problems are worded in the current language: a supervisor importing items reads them in theirs; the content
check on the console (python -m bot.content) speaks English. Field names and values are quoted as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.content.elements import ELEMENTS, QUIZ_TOPICS, REFLECTIVE_STAGES, SUPERVISION_FUNCTIONS
from bot.i18n import LANGUAGES, _, catalogue_name, ngettext

# Limits chosen so a question, its options and two explanations fit one embed well inside
# Discord's 4,096-character description and 6,000-character message totals.
STEM_MAX = 600
OPTION_TEXT_MAX = 200
EXPLANATION_MAX = 350
PROMPT_TEXT_MAX = 300
SOURCE_MAX = 300
MIN_OPTIONS, MAX_OPTIONS = 3, 5
_YEAR = re.compile(r"\((?:18|19|20)\d\d[a-z]?\)")
_ID = re.compile(r"[a-z0-9][a-z0-9_-]{2,48}")


@dataclass(frozen=True)
class ContentProblem:
    """One problem: where it is and what is wrong."""

    file: str
    item: str
    field: str
    message: str

    def __str__(self) -> str:
        # Translators: {file} is a file name, {item} an item's id, {field} a field name (kept as written).
        return _("{file}: item {item}: {field}: {problem}").format(
            file=self.file, item=self.item, field=self.field, problem=self.message
        )


_QUIZ_FIELDS = {"id", "element", "kind", "difficulty", "stem", "source", "options"}
_OPTION_FIELDS = {"text", "explanation", "correct"}
_PROMPT_FIELDS = {"id", "element", "stage", "function", "text", "source", "private"}
# "vignette" applies an idea to an invented scene; "recall" asks for a fact ("concept" is its older name).
QUIZ_KINDS = ("vignette", "recall", "concept")


class _Checker:
    def __init__(self, file: str, item: str) -> None:
        self.file, self.item = file, item
        self.problems: list[ContentProblem] = []

    def add(self, field: str, message: str) -> None:
        self.problems.append(ContentProblem(self.file, self.item, field, message))

    def known_fields(self, raw: Mapping[str, Any], allowed: set[str], prefix: str = "") -> None:
        for key in sorted(set(raw) - allowed):
            self.add(
                f"{prefix}{key}", _("unknown field; expected one of {fields}").format(fields=", ".join(sorted(allowed)))
            )

    def text(self, raw: Mapping[str, Any], field: str, limit: int, *, required: bool = True) -> str | None:
        value = raw.get(field)
        if value is None:
            if required:
                self.add(field, _("missing"))
            return None
        if not isinstance(value, str) or not value.strip():
            self.add(field, _("{value} is not non-empty text").format(value=repr(value)))
            return None
        if len(value) > limit:
            self.add(field, _("{length} characters; at most {limit} fit").format(length=len(value), limit=limit))
        return value.strip()

    def choice(self, raw: Mapping[str, Any], field: str, allowed: tuple[str, ...], *, required: bool = True) -> None:
        value = raw.get(field)
        if value is None and not required:
            return
        if value not in allowed:
            self.add(field, _("{value} is not one of {allowed}").format(value=repr(value), allowed=", ".join(allowed)))

    def source(self, raw: Mapping[str, Any]) -> None:
        value = self.text(raw, "source", SOURCE_MAX)
        if value is not None and not _YEAR.search(value):
            self.add("source", _("should name the author(s), the year in parentheses and the work"))


def _check_id(check: _Checker, raw: Mapping[str, Any], seen: set[str]) -> None:
    value = raw.get("id")
    if not isinstance(value, str) or not _ID.fullmatch(value):
        check.add(
            "id", _("{value} is not an id of 3-49 lowercase letters, digits, '-' or '_'").format(value=repr(value))
        )
    elif value in seen:
        check.add("id", _("{value} is used by another item").format(value=repr(value)))
    else:
        seen.add(value)


def check_quiz_item(raw: Any, file: str, seen_ids: set[str], element: str | None = None) -> list[ContentProblem]:
    """Validate one quiz item as read from TOML; return its problems."""
    label = raw.get("id", "?") if isinstance(raw, Mapping) else "?"
    check = _Checker(file, str(label))
    if not isinstance(raw, Mapping):
        check.add("item", _("is not a table"))
        return check.problems
    check.known_fields(raw, _QUIZ_FIELDS)
    _check_id(check, raw, seen_ids)
    check.choice({"element": raw.get("element", element)}, "element", tuple(QUIZ_TOPICS))
    check.choice(raw, "kind", QUIZ_KINDS)
    difficulty = raw.get("difficulty")
    if not isinstance(difficulty, int) or isinstance(difficulty, bool) or not 1 <= difficulty <= 3:
        check.add("difficulty", _("{value} is not 1, 2 or 3").format(value=repr(difficulty)))
    check.text(raw, "stem", STEM_MAX)
    check.source(raw)
    options = raw.get("options")
    if not isinstance(options, list) or not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        count = len(options) if isinstance(options, list) else 0
        options_count = ngettext(
            "{count} option; need {least} to {most}", "{count} options; need {least} to {most}", count
        )
        check.add("options", options_count.format(count=count, least=MIN_OPTIONS, most=MAX_OPTIONS))
        return check.problems
    correct = 0
    for number, option in enumerate(options, start=1):
        if not isinstance(option, Mapping):
            check.add(f"options[{number}]", _("is not a table"))
            continue
        check.known_fields(option, _OPTION_FIELDS, f"options[{number}].")
        sub = _Checker(file, check.item)
        sub.text(option, "text", OPTION_TEXT_MAX)
        sub.text(option, "explanation", EXPLANATION_MAX)
        for problem in sub.problems:
            check.add(f"options[{number}].{problem.field}", problem.message)
        flag = option.get("correct", False)
        if not isinstance(flag, bool):
            check.add(f"options[{number}].correct", _("{value} is not true or false").format(value=repr(flag)))
        correct += flag is True
    if correct != 1:
        marked = ngettext(
            "{count} option is marked correct; exactly one must be",
            "{count} options are marked correct; exactly one must be",
            correct,
        )
        check.add("options", marked.format(count=correct))
    return check.problems


def check_prompt(raw: Any, file: str, seen_ids: set[str], element: str | None = None) -> list[ContentProblem]:
    """Validate one reflective prompt as read from TOML; return its problems."""
    label = raw.get("id", "?") if isinstance(raw, Mapping) else "?"
    check = _Checker(file, str(label))
    if not isinstance(raw, Mapping):
        check.add("prompt", _("is not a table"))
        return check.problems
    check.known_fields(raw, _PROMPT_FIELDS)
    _check_id(check, raw, seen_ids)
    check.choice({"element": raw.get("element", element)}, "element", tuple(ELEMENTS))
    check.choice(raw, "stage", REFLECTIVE_STAGES)
    check.choice(raw, "function", SUPERVISION_FUNCTIONS, required=False)
    check.text(raw, "text", PROMPT_TEXT_MAX)
    check.source(raw)
    private = raw.get("private", False)
    if not isinstance(private, bool):
        check.add("private", _("{value} is not true or false").format(value=repr(private)))
    return check.problems


# What a translation keeps exactly as the English has it: only the texts a reader reads change.
KEPT_QUIZ_FIELDS = ("kind", "difficulty", "source")
KEPT_PROMPT_FIELDS = ("stage", "function", "private", "source")
_DEFAULTS: dict[str, Any] = {"function": None, "private": False}


def check_locale(value: Any, file: str) -> tuple[str, list[ContentProblem]]:
    """The language a bank file declares with `locale = "..."` at its top ("en" if none), and any problem."""
    if value is None:
        return "en", []
    # Discord's code ("en-US") and the bank folder's name ("en") both name a language.
    accepted = {name: catalogue_name(code) for code in LANGUAGES for name in (code, catalogue_name(code))}
    if isinstance(value, str) and value.strip() in accepted:
        return accepted[value.strip()], []
    message = _("{value} is not a language of this bot; write one of {languages}, or leave it out for English").format(
        value=repr(value), languages=", ".join(LANGUAGES)
    )
    return "en", [ContentProblem(file, "-", "locale", message)]


def _key(raw: Mapping[str, Any]) -> int | None:
    options = raw.get("options")
    if not isinstance(options, list):
        return None
    return next((i for i, o in enumerate(options) if isinstance(o, Mapping) and o.get("correct") is True), None)


def check_translation(
    raw: Any, english: Mapping[str, Any] | None, file: str, kept: tuple[str, ...]
) -> list[ContentProblem]:
    """Compare a translated item or prompt with the English it translates: same id, same fixed fields and key."""
    if not isinstance(raw, Mapping):
        return []
    check = _Checker(file, str(raw.get("id", "?")))
    if english is None:
        check.add(
            "id",
            _("{id}: no English item has this id, and a translation keeps the English id").format(
                id=repr(raw.get("id"))
            ),
        )
        return check.problems
    for field in kept:
        mine, theirs = raw.get(field, _DEFAULTS.get(field)), english.get(field, _DEFAULTS.get(field))
        if (mine.strip() if isinstance(mine, str) else mine) != (theirs.strip() if isinstance(theirs, str) else theirs):
            check.add(
                field,
                _("{mine}; the English has {theirs}, and a translation keeps it").format(
                    mine=repr(mine), theirs=repr(theirs)
                ),
            )
    if "options" in english:
        mine_options, theirs_options = raw.get("options"), english["options"]
        count = len(mine_options) if isinstance(mine_options, list) else 0
        if count != len(theirs_options):
            check.add(
                "options",
                _("{count} options; the English has {english}, in the same order").format(
                    count=count, english=len(theirs_options)
                ),
            )
        elif _key(raw) != _key(english):
            where = _("none") if _key(raw) is None else _("option {n}").format(n=(_key(raw) or 0) + 1)
            check.add(
                "options",
                _("the key is {where}; the English key is option {n}").format(where=where, n=(_key(english) or 0) + 1),
            )
    return check.problems
