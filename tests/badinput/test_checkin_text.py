"""Check-in text helpers on whatever members paste: never an exception, never a live mention.

The properties follow bot/text_hygiene.py's and cogs/checkin's own contract: clean_text drops hidden and control
characters (keeping newlines and tabs), NFC-normalises and strips; neutralise_mentions breaks every
mention; find_identifying_details ignores hidden characters and returns flags in text order without
overlaps, each excerpt within the detector's EXCERPT_LIMIT. The helpers are looked up in the
detector first, then in the rest of the check-in logic.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot import text_hygiene
from cogs.checkin import detector, logic
from tests.badinput.strategies import any_text, nasty_text

# What Discord turns into a ping, or a link that names someone: user, role and channel mentions, @everyone/@here.
LIVE_MENTION = re.compile(r"<@[!&]?\d+>|<#\d+>|@everyone|@here")
IDENTIFYING = st.sampled_from(
    [
        "jane.smith@example.org",
        "07700 900123",
        "+44 20 7946 0958",
        "12/03/2024",
        "3rd of May",
        "https://example.com/x",
        "nhs.uk",
        "1234567",
        "Dr Patel",
        "Jane Smith",
    ]
)
prose = st.lists(st.one_of(IDENTIFYING, nasty_text(3), st.sampled_from([" ", ". ", "\n", " and "])), max_size=10)


def function(name: str) -> Callable[..., Any]:
    """A check-in text helper, from the detector, the shared text hygiene or the rest of the check-in logic."""
    return getattr(detector, name, None) or getattr(text_hygiene, name, None) or getattr(logic, name)


def hidden(char: str) -> bool:
    return char not in "\n\t" and unicodedata.category(char) in ("Cc", "Cf", "Cs")


@settings(max_examples=300, deadline=None)
@given(st.one_of(any_text(), prose.map("".join)))
def test_find_identifying_details_gives_ordered_spans_without_overlaps(text: str) -> None:
    flags = function("find_identifying_details")(text)
    previous_end = 0
    for flag in flags:
        assert previous_end <= flag.start < flag.end <= len(text), (flag, text)
        assert "\n" not in flag.excerpt and len(flag.excerpt) <= detector.EXCERPT_LIMIT
        previous_end = flag.end
    described = function("describe_flags")(flags)
    assert isinstance(described, str)
    assert LIVE_MENTION.search(described) is None, described


@settings(max_examples=200, deadline=None)
@given(prose.map("".join), st.sampled_from(["\u200b", "\u200d", "\u2060", "\ufeff", "\u202e", "\x00"]))
@example("Call 07700 900123", "\u200b")
def test_hidden_characters_do_not_hide_identifying_details(text: str, filler: str) -> None:
    find = function("find_identifying_details")
    sprinkled = filler.join(text)
    plain = [(f.kind, f.excerpt) for f in find(text.replace(filler, ""))]
    assert [(f.kind, f.excerpt) for f in find(sprinkled)] == plain


@settings(max_examples=300, deadline=None)
@given(any_text())
@example("<@\u200b123> @\u200beveryone")  # already broken mentions stay broken
@example("@@everyone <@!1>> <<#2>")
def test_neutralise_mentions_leaves_nothing_that_pings(text: str) -> None:
    neutralise = function("neutralise_mentions")
    out = neutralise(text)
    assert LIVE_MENTION.search(out) is None, out
    assert neutralise(out) == out


@settings(max_examples=300, deadline=None)
@given(any_text())
@example("a\r\nb\rc\u2028d")
@example("e\u200b\u0301")  # removing the hidden character joins the accent to its letter
@example("\u3164\u115f")
def test_clean_text_keeps_only_visible_text(text: str) -> None:
    clean = function("clean_text")
    once = clean(text)
    assert not any(hidden(c) for c in once), ascii(once)
    assert "\r" not in once and "\u2028" not in once and "\u2029" not in once
    assert once == once.strip() and unicodedata.is_normalized("NFC", once)
    assert clean(once) == once


@settings(max_examples=200, deadline=None)
@given(any_text())
def test_a_cleaned_then_neutralised_text_never_pings(text: str) -> None:
    out = function("neutralise_mentions")(function("clean_text")(text))
    assert LIVE_MENTION.search(out) is None, out
