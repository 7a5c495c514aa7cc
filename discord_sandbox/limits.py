"""Discord's documented size limits, checked on everything the bot sends."""

# Each check returns (dotted path, Discord error code, message) triples: the raw material of a
# 400 "Invalid Form Body" answer and of the sandbox's readable violations.

from __future__ import annotations

import re
from typing import Any

Problem = tuple[str, str, str]

CONTENT = 2000
EMBEDS = 10
EMBED_TOTAL = 6000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER_TEXT = 2048
AUTHOR_NAME = 256
ACTION_ROWS = 5
ROW_BUTTONS = 5
SELECT_OPTIONS = 25
CUSTOM_ID = 100
BUTTON_LABEL = 80
SELECT_PLACEHOLDER = 150
OPTION_TEXT = 100
MODAL_TITLE = 45
MODAL_COMPONENTS = 5
TEXT_INPUT_LABEL = 45
TEXT_INPUT_VALUE = 4000
LABEL_DESCRIPTION = 100
COMPONENTS_V2_TOTAL = 40
ATTACHMENTS = 10
COMMAND_OPTIONS = 25
COMMAND_CHOICES = 25
CHAT_INPUT_COMMANDS = 100
AUTOCOMPLETE_CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100
# The locales Discord accepts as keys of name_localizations and description_localizations.
LOCALES = frozenset(
    {
        "ar", "bg", "cs", "da", "de", "el", "en-GB", "en-US", "es-419", "es-ES", "fi", "fr", "he", "hi", "hr", "hu",
        "id", "it", "ja", "ko", "lt", "nl", "no", "pl", "pt-BR", "ro", "ru", "sv-SE", "th", "tr", "uk", "vi", "zh-CN",
        "zh-TW",
    }
)  # fmt: skip
COMMAND_NAME = re.compile(r"^[-_'\w]{1,32}$")
IS_COMPONENTS_V2 = 1 << 15
SELECT_TYPES = (3, 5, 6, 7, 8)


def _too_long(path: str, limit: int) -> Problem:
    return (path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _check_len(problems: list[Problem], path: str, value: Any, limit: int) -> None:
    if isinstance(value, str | list) and len(value) > limit:
        problems.append(_too_long(path, limit))


def _join(prefix: str, key: str | int) -> str:
    return f"{prefix}.{key}" if prefix else str(key)


def check_message(body: dict[str, Any], prefix: str = "") -> list[Problem]:
    """Content, embeds, components and attachments of a message create/edit body."""
    problems: list[Problem] = []
    _check_len(problems, _join(prefix, "content"), body.get("content"), CONTENT)
    embeds = body.get("embeds") or []
    _check_len(problems, _join(prefix, "embeds"), embeds, EMBEDS)
    total = 0
    for i, embed in enumerate(embeds):
        total += _check_embed(problems, _join(prefix, f"embeds.{i}"), embed or {})
    if total > EMBED_TOTAL:
        problems.append(
            (_join(prefix, "embeds"), "MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of {EMBED_TOTAL}")
        )
    _check_len(problems, _join(prefix, "attachments"), body.get("attachments") or [], ATTACHMENTS)
    flags = body.get("flags") or 0
    problems += check_components(body.get("components") or [], _join(prefix, "components"), v2=bool(flags & 1 << 15))
    return problems


def _check_embed(problems: list[Problem], path: str, embed: dict[str, Any]) -> int:
    """Check one embed and return its character count towards the 6000 total."""
    title = embed.get("title") or ""
    description = embed.get("description") or ""
    footer = (embed.get("footer") or {}).get("text") or ""
    author = (embed.get("author") or {}).get("name") or ""
    fields = embed.get("fields") or []
    _check_len(problems, f"{path}.title", title, EMBED_TITLE)
    _check_len(problems, f"{path}.description", description, EMBED_DESCRIPTION)
    _check_len(problems, f"{path}.footer.text", footer, FOOTER_TEXT)
    _check_len(problems, f"{path}.author.name", author, AUTHOR_NAME)
    _check_len(problems, f"{path}.fields", fields, EMBED_FIELDS)
    size = len(title) + len(description) + len(footer) + len(author)
    for j, field in enumerate(fields):
        name, value = field.get("name") or "", field.get("value") or ""
        _check_len(problems, f"{path}.fields.{j}.name", name, FIELD_NAME)
        _check_len(problems, f"{path}.fields.{j}.value", value, FIELD_VALUE)
        size += len(name) + len(value)
    return size


def check_components(components: list[dict[str, Any]], path: str, *, v2: bool = False) -> list[Problem]:
    """Message components: row/button/select limits and unique custom_ids."""
    problems: list[Problem] = []
    if v2:
        count = _count(components)
        if count > COMPONENTS_V2_TOTAL:
            problems.append(_too_long(path, COMPONENTS_V2_TOTAL))
    elif len(components) > ACTION_ROWS:
        problems.append(_too_long(path, ACTION_ROWS))
    seen: set[str] = set()
    for i, comp in enumerate(components):
        _check_component(problems, f"{path}.{i}", comp, seen)
    return problems


def _count(components: list[dict[str, Any]]) -> int:
    total = 0
    for comp in components:
        total += 1 + _count(comp.get("components") or [])
        total += 1 if comp.get("accessory") else 0
    return total


def _check_component(problems: list[Problem], path: str, comp: dict[str, Any], seen: set[str]) -> None:
    ctype = comp.get("type")
    custom_id = comp.get("custom_id")
    if custom_id is not None:
        _check_len(problems, f"{path}.custom_id", custom_id, CUSTOM_ID)
        if custom_id in seen:
            problems.append(
                (f"{path}.custom_id", "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated")
            )
        seen.add(custom_id)
    children = comp.get("components") or []
    if ctype == 1:
        buttons = [c for c in children if c.get("type") == 2]
        selects = [c for c in children if c.get("type") in SELECT_TYPES]
        _check_len(problems, f"{path}.components", buttons, ROW_BUTTONS)
        if selects and len(children) > 1:
            problems.append(
                (
                    f"{path}.components",
                    "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                    "The specified component exceeds the maximum width",
                )
            )
    elif ctype == 2:
        _check_len(problems, f"{path}.label", comp.get("label"), BUTTON_LABEL)
        if comp.get("style") == 5 and not comp.get("url"):
            problems.append((f"{path}.url", "BASE_TYPE_REQUIRED", "This field is required"))
        if comp.get("style") not in (5, 6) and not custom_id:
            problems.append((f"{path}.custom_id", "BASE_TYPE_REQUIRED", "This field is required"))
    elif ctype in SELECT_TYPES:
        _check_select(problems, path, comp)
    for i, child in enumerate(children):
        _check_component(problems, f"{path}.components.{i}", child, seen)
    for key in ("accessory", "component"):
        if comp.get(key):
            _check_component(problems, f"{path}.{key}", comp[key], seen)


def _check_select(problems: list[Problem], path: str, comp: dict[str, Any]) -> None:
    _check_len(problems, f"{path}.placeholder", comp.get("placeholder"), SELECT_PLACEHOLDER)
    options = comp.get("options") or []
    if comp.get("type") == 3:
        _check_len(problems, f"{path}.options", options, SELECT_OPTIONS)
        if not options:
            problems.append((f"{path}.options", "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length."))
    for j, opt in enumerate(options):
        for key in ("label", "value", "description"):
            _check_len(problems, f"{path}.options.{j}.{key}", opt.get(key), OPTION_TEXT)
    max_values = comp.get("max_values", 1)
    limit = len(options) if comp.get("type") == 3 else SELECT_OPTIONS
    if isinstance(max_values, int) and max_values > max(limit, 1):
        problems.append((f"{path}.max_values", "BASE_TYPE_MAX", f"int value should be less than or equal to {limit}."))


def check_modal(data: dict[str, Any], prefix: str = "data") -> list[Problem]:
    """A modal (callback type 9): title, custom_id, at most 5 top-level components, text inputs."""
    problems: list[Problem] = []
    _check_len(problems, f"{prefix}.title", data.get("title"), MODAL_TITLE)
    _check_len(problems, f"{prefix}.custom_id", data.get("custom_id"), CUSTOM_ID)
    components = data.get("components") or []
    _check_len(problems, f"{prefix}.components", components, MODAL_COMPONENTS)
    if not components:
        problems.append((f"{prefix}.components", "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length."))
    for i, comp in enumerate(components):
        path = f"{prefix}.components.{i}"
        if comp.get("type") == 18:
            _check_len(problems, f"{path}.label", comp.get("label"), TEXT_INPUT_LABEL)
            _check_len(problems, f"{path}.description", comp.get("description"), LABEL_DESCRIPTION)
            inner = [comp.get("component") or {}]
        else:
            inner = comp.get("components") or []
        for j, item in enumerate(inner):
            ipath = f"{path}.component" if comp.get("type") == 18 else f"{path}.components.{j}"
            _check_len(problems, f"{ipath}.custom_id", item.get("custom_id"), CUSTOM_ID)
            if item.get("type") == 4:
                _check_len(problems, f"{ipath}.label", item.get("label"), TEXT_INPUT_LABEL)
                _check_len(problems, f"{ipath}.placeholder", item.get("placeholder"), OPTION_TEXT)
                _check_len(problems, f"{ipath}.value", item.get("value"), TEXT_INPUT_VALUE)
            elif item.get("type") in SELECT_TYPES:
                _check_select(problems, ipath, item)
    return problems


def check_autocomplete(data: dict[str, Any], prefix: str = "data") -> list[Problem]:
    """Autocomplete results (callback type 8): at most 25 choices, names 1-100, string values <= 100."""
    choices = data.get("choices") or []
    problems: list[Problem] = []
    _check_len(problems, f"{prefix}.choices", choices, AUTOCOMPLETE_CHOICES)
    problems += _check_choices(choices, f"{prefix}.choices")
    return problems


def _check_choices(choices: list[dict[str, Any]], path: str) -> list[Problem]:
    problems: list[Problem] = []
    for i, choice in enumerate(choices):
        name = choice.get("name") or ""
        if not 1 <= len(name) <= CHOICE_NAME:
            problems.append((f"{path}.{i}.name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."))
        for locale, localized in _localized(choice, "name_localizations").items():
            lpath = f"{path}.{i}.name_localizations.{locale}"
            if _check_locale(problems, lpath, locale) and not (
                isinstance(localized, str) and 1 <= len(localized) <= CHOICE_NAME
            ):
                problems.append((lpath, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."))
        _check_len(problems, f"{path}.{i}.value", choice.get("value"), CHOICE_VALUE)
    return problems


def check_commands(commands: list[dict[str, Any]]) -> list[Problem]:
    """A bulk-overwrite command list: names, descriptions, option and choice counts, ordering."""
    problems: list[Problem] = []
    chat = [c for c in commands if c.get("type", 1) == 1]
    if len(chat) > CHAT_INPUT_COMMANDS:
        problems.append(("", "BASE_TYPE_MAX_LENGTH", f"Must be {CHAT_INPUT_COMMANDS} or fewer in length."))
    names: set[tuple[int, str]] = set()
    for i, cmd in enumerate(commands):
        key = (cmd.get("type", 1), cmd.get("name", ""))
        if key in names:
            problems.append((f"{i}.name", "APPLICATION_COMMANDS_DUPLICATE_NAME", f"Duplicate command name {key[1]!r}"))
        names.add(key)
        problems += _check_command(cmd, str(i))
    _check_unique_localized(problems, "", chat, "APPLICATION_COMMANDS_DUPLICATE_NAME")
    return problems


def _check_command(cmd: dict[str, Any], path: str) -> list[Problem]:
    problems: list[Problem] = []
    name = cmd.get("name") or ""
    ctype = cmd.get("type", 1)
    if ctype == 1:
        _check_name(problems, f"{path}.name", name)
        _check_description(problems, f"{path}.description", cmd.get("description"))
        _check_localizations(problems, path, cmd)
        problems += _check_options(cmd.get("options") or [], f"{path}.options", depth=0)
    else:
        if not 1 <= len(name) <= 32:
            problems.append((f"{path}.name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length."))
        if cmd.get("description"):
            problems.append((f"{path}.description", "APPLICATION_COMMAND_INVALID_DESCRIPTION", "Must be empty."))
    return problems


def _check_name(problems: list[Problem], path: str, name: str) -> None:
    if not COMMAND_NAME.match(name) or name != name.lower():
        problems.append((path, "APPLICATION_COMMAND_INVALID_NAME", f"Command name is invalid: {name!r}"))


def _check_description(problems: list[Problem], path: str, description: Any) -> None:
    if not isinstance(description, str) or not 1 <= len(description) <= 100:
        problems.append((path, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."))


def _localized(item: dict[str, Any], field: str) -> dict[str, Any]:
    value = item.get(field)
    return value if isinstance(value, dict) else {}


def _check_locale(problems: list[Problem], path: str, locale: str) -> bool:
    if locale in LOCALES:
        return True
    problems.append((path, "BASE_TYPE_CHOICES", f"Value must be one of Discord's locales, not {locale!r}."))
    return False


def _check_localizations(problems: list[Problem], path: str, item: dict[str, Any]) -> None:
    """A command's or option's names and descriptions per locale: each as valid as the default one."""
    for locale, name in _localized(item, "name_localizations").items():
        lpath = f"{path}.name_localizations.{locale}"
        if _check_locale(problems, lpath, locale):
            _check_name(problems, lpath, name if isinstance(name, str) else "")
    for locale, description in _localized(item, "description_localizations").items():
        lpath = f"{path}.description_localizations.{locale}"
        if _check_locale(problems, lpath, locale):
            _check_description(problems, lpath, description)


def _check_unique_localized(problems: list[Problem], path: str, siblings: list[dict[str, Any]], code: str) -> None:
    """Names shown in each locale (the localised one, else the default) must differ among siblings too."""
    locales = {locale for item in siblings for locale in _localized(item, "name_localizations")}
    for locale in sorted(locales & LOCALES):
        seen: set[str] = set()
        for i, item in enumerate(siblings):
            shown = str(_localized(item, "name_localizations").get(locale, item.get("name", "")))
            if shown in seen:
                where = f"{path}.{i}.name_localizations.{locale}" if path else f"{i}.name_localizations.{locale}"
                problems.append((where, code, f"Duplicate name {shown!r} in locale {locale}"))
            seen.add(shown)


def _check_options(options: list[dict[str, Any]], path: str, depth: int) -> list[Problem]:
    problems: list[Problem] = []
    _check_len(problems, path, options, COMMAND_OPTIONS)
    seen_optional = False
    names: set[str] = set()
    _check_unique_localized(problems, path, options, "APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME")
    for i, opt in enumerate(options):
        opath = f"{path}.{i}"
        otype = opt.get("type")
        _check_name(problems, f"{opath}.name", opt.get("name") or "")
        _check_description(problems, f"{opath}.description", opt.get("description"))
        _check_localizations(problems, opath, opt)
        if opt.get("name") in names:
            problems.append((f"{opath}.name", "APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME", "Duplicate option name"))
        names.add(opt.get("name") or "")
        if otype in (1, 2):
            if depth >= (1 if otype == 2 else 2):
                problems.append((f"{opath}.type", "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Nesting too deep"))
            problems += _check_options(opt.get("options") or [], f"{opath}.options", depth + 1)
            continue
        if opt.get("required"):
            if seen_optional:
                problems.append(
                    (
                        f"{opath}.required",
                        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                        "Required options must be placed before non-required options",
                    )
                )
        else:
            seen_optional = True
        choices = opt.get("choices") or []
        _check_len(problems, f"{opath}.choices", choices, COMMAND_CHOICES)
        problems += _check_choices(choices, f"{opath}.choices")
        if choices and opt.get("autocomplete"):
            problems.append(
                (
                    f"{opath}.autocomplete",
                    "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
                    "Autocomplete cannot be used with choices",
                )
            )
    return problems
