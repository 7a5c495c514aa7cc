"""parse_config on random text and random values for every key: a Config, or one ConfigError line.

`supervision-bot check` prints the error as one line naming the file and key; any other exception
would be a traceback in the operator's terminal instead.
"""

from __future__ import annotations

import dataclasses
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.config import KNOWN_COGS, SECTIONS, Config, ConfigError, parse_config
from tests.badinput.strategies import nasty_text
from tests.badinput.toml_values import toml_document, toml_key, toml_value, toml_values

PATH = "conf/supervision.toml"
KEYS = [(section, f.name) for section, cls in SECTIONS.items() for f in dataclasses.fields(cls)]
TOMLISH_LINES = st.one_of(
    st.sampled_from(
        ["[bot]", "[discord]", "[scheduler]", "[[bot]]", "[bot.x]", "cogs = [", "]", '"', "'''", "= 1", "a.b.c = 1"]
    ),
    st.builds(lambda k, v: f"{k} = {v}", st.sampled_from([k for _, k in KEYS]), st.text(max_size=15)),
    st.text(max_size=25),
)


def parse(text: str) -> Config | None:
    """Run the parser; fail on anything but a Config or a one-line ConfigError naming the file."""
    try:
        return parse_config(text, PATH)
    except ConfigError as error:
        message = str(error)
        assert message.startswith(f"{PATH}: "), message
        assert "\n" not in message and "\r" not in message, f"not one line: {message!r}"
        return None


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), nasty_text(), st.lists(TOMLISH_LINES, max_size=12).map("\n".join)))
@example("a = " + "[" * 3000)  # nested deeper than the TOML parser can recurse
@example("a = " + "{b = " * 3000)
def test_random_text_gives_a_config_or_one_error_line(text: str) -> None:
    parse(text)


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(KEYS), toml_values)
@example(("bot", "default_timezone"), "America")  # a folder of zones in tzdata
@example(("bot", "default_timezone"), "x" * 300)  # too long for a file name
@example(("bot", "default_timezone"), "Europe/London\x00")
@example(("bot", "default_timezone"), "00/" * 1500 + "00")
@example(("scheduler", "grace_hours"), 2**70)
@example(("discord", "dev_guilds"), [True, 1])
@example(("bot", "cogs"), ["about", 1])
def test_every_key_with_any_value_gives_a_config_or_an_error_naming_it(key: tuple[str, str], value: Any) -> None:
    section, name = key
    config = parse(toml_document({section: {name: value}}))
    if config is None:
        return
    stored = getattr(getattr(config, section), name)
    assert stored == (tuple(value) if isinstance(value, list) else value)
    if name == "default_timezone":
        ZoneInfo(stored)  # the bot builds every group's default zone from it


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.sampled_from(list(SECTIONS)), nasty_text(4), st.text(min_size=1, max_size=10)),
    st.one_of(st.sampled_from([k for _, k in KEYS]), nasty_text(4), st.text(min_size=1, max_size=10)),
    toml_values,
)
@example("bot", "log\nlevel", "INFO")  # a quoted key may hold a line break
@example("bot\r\nx", "cogs", [])
@example("scheduler", "grace_hours\u2028", 1)
def test_unknown_sections_and_keys_are_named_on_one_line(section: str, key: str, value: Any) -> None:
    if not key:
        return
    parse(toml_document({section: {key: value}}))


@settings(deadline=None)
@given(st.sampled_from(list(SECTIONS)), toml_values)
def test_a_section_that_is_not_a_table_is_named(section: str, value: Any) -> None:
    if isinstance(value, dict):
        return
    text = f"{toml_key(section)} = {toml_value(value)}\n"
    assert parse(text) is None


@settings(deadline=None)
@given(st.lists(st.sampled_from(KNOWN_COGS), max_size=8))
@example(["quiz", "quiz"])
def test_an_accepted_feature_list_names_each_feature_once(cogs: list[str]) -> None:
    # The bot loads each listed feature as an extension; loading one twice stops it at start-up
    # (ExtensionAlreadyLoaded), so `supervision-bot check` must not accept such a list.
    config = parse(toml_document({"bot": {"cogs": cogs}}))
    if config is not None:
        assert len(set(config.bot.cogs)) == len(config.bot.cogs), config.bot.cogs
