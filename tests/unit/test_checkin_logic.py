"""Check-in rules: the identifying-detail check, text hygiene, periods, keys, codes, digest order and summaries."""

from __future__ import annotations

import random
import re
import string
import time
import unicodedata
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.period_limit import PeriodLimit
from bot.text_hygiene import clean_text, neutralise_mentions
from cogs.checkin.detector import EXCERPT_LIMIT, Flag, describe_flags, find_identifying_details
from cogs.checkin.logic import (
    CODE_ALPHABET,
    DIMENSION_HINTS,
    DIMENSIONS,
    TEXT_LIMIT,
    WEEKLY_LIMIT,
    day_of_period,
    digest_order,
    hash_code,
    meets_threshold,
    new_checkin_id,
    new_withdrawal_code,
    normalise_code,
    period_bounds,
    period_for,
    render_count,
    summarise,
    weekday_label,
)

KINDS = {"email", "phone", "date", "url", "number", "name"}
RAW_MENTION = re.compile(r"@everyone|@here|<@[!&]?\d+>|<#\d+>")
HIDDEN = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u2060\ufeff\u200e\u200f"


def kinds(text: str) -> list[str]:
    return [flag.kind for flag in find_identifying_details(text)]


# ---------------------------------------------------------------------------------------------------------------
# Dimensions and limits


def test_dimensions_are_the_eight_factors_in_order_with_short_hints() -> None:
    assert list(DIMENSIONS) == [
        "overwhelmed",
        "helpless",
        "positive",
        "special",
        "sexualised",
        "disengaged",
        "parental",
        "criticised",
    ]
    assert DIMENSIONS["overwhelmed"] == "Overwhelmed / disorganised"
    assert DIMENSIONS["criticised"] == "Criticised / mistreated"
    assert list(DIMENSION_HINTS) == list(DIMENSIONS)
    assert all(0 < len(hint) <= 100 and "\n" not in hint for hint in DIMENSION_HINTS.values())
    assert TEXT_LIMIT == 1000
    assert WEEKLY_LIMIT == 3


# ---------------------------------------------------------------------------------------------------------------
# Identifying details: examples

POSITIVE = [
    ("email", "You can reach her at jane.doe@example.org if needed.", "jane.doe@example.org"),
    ("email", "Her address was J_Smith+work@mail.nhs.uk.", "J_Smith+work@mail.nhs.uk"),
    ("phone", "He gave me his number, 07700 900123, in the session.", "07700 900123"),
    ("phone", "the mobile was +44 7700 900123 apparently", "+44 7700 900123"),
    ("phone", "a line on +44 (0)20 7946 0958 for the team", "+44 (0)20 7946 0958"),
    ("phone", "the number (555) 123-4567 was on the letter", "(555) 123-4567"),
    ("phone", "she called from 555-123-4567 twice", "555-123-4567"),
    ("phone", "a landline, 020 7946 0958, came up", "020 7946 0958"),
    ("phone", "son numéro 06 12 34 56 78 était là", "06 12 34 56 78"),
    ("phone", "extension 555-1234 rang", "555-1234"),
    ("phone", "written as +447700900123 on the form", "+447700900123"),
    ("date", "We first met on 12/03/2024 at the clinic.", "12/03/2024"),
    ("date", "her birthday, 2024-03-12, came up", "2024-03-12"),
    ("date", "since 12 March 2024 things changed", "12 March 2024"),
    ("date", "on March 12th, 2024 she cried", "March 12th, 2024"),
    ("date", "it was the 3rd of May when it happened", "3rd of May"),
    ("date", "the anniversary on 14 Feb is hard", "14 Feb"),
    ("date", "dated 1.2.23 in the notes", "1.2.23"),
    ("url", "she sent me https://example.com/her-blog.", "https://example.com/her-blog"),
    ("url", "her page (www.example.co.uk) was open", "www.example.co.uk"),
    ("url", "the post at example.org/path/to/post was about me", "example.org/path/to/post"),
    ("url", "he runs smithcounselling.com now", "smithcounselling.com"),
    ("url", "a link to bit.ly/3xYz9 in the chat", "bit.ly/3xYz9"),
    ("url", "see <http://foo.example/bar> for it", "http://foo.example/bar"),
    ("number", "the referral number 12345678 was on screen", "12345678"),
    ("number", "NHS number 9434765919 on the form", "9434765919"),
    ("number", "record no. 004512 today", "004512"),
    ("name", "I noticed that Jane Smith reminded me of someone.", "Jane Smith"),
    ("name", "the letter from Siobhan O'Brien-Kelly arrived", "Siobhan O'Brien-Kelly"),
    ("name", "when Mateo García talked about work", "Mateo García"),
    ("name", "Then Amira Okafor arrived late.", "Amira Okafor"),
    ("name", "Dr Patel had referred him.", "Dr Patel"),
    ("name", "a note from Mrs. Kowalski about it", "Mrs. Kowalski"),
]


@pytest.mark.parametrize(("kind", "text", "excerpt"), POSITIVE)
def test_each_kind_of_detail_is_flagged(kind: str, text: str, excerpt: str) -> None:
    flags = find_identifying_details(text)
    assert [flag.kind for flag in flags] == [kind], flags
    (flag,) = flags
    assert flag.excerpt == excerpt
    assert text[flag.start : flag.end] == excerpt


def test_name_after_a_colon_and_quote_starts_a_sentence_but_mid_sentence_is_flagged() -> None:
    assert kinds("I said: “Wei Chen, you matter.”") == []
    assert kinds("I said to Wei Chen that he mattered.") == ["name"]


NEGATIVE = [
    "I noticed I felt protective and a bit helpless when the client talked about their week.",
    "In session I became aware of boredom. Then I wondered why.",
    "CBT and DBT both emphasise skills, but the ACT model felt closer to what happened.",
    "On Monday I felt tired and distracted. By Friday I felt guilty about it.",
    "In March I felt more hopeful. In May I may feel differently.",
    "I'm not sure. I've been thinking about it since Tuesday.",
    "The client said the PHQ-9 score went from 18 to 12, and GAD-7 is 9.",
    "Scores were 12 14 15 18 20 over five weeks; she rated it 7/10.",
    "Between 2019-2021 she worked abroad, then again in 2019 2020 2021 perhaps.",
    "We met from 10.30-11.30 and again at 14:00. She is aged 35-40.",
    "Mum and Dad came up again. Christmas Day is hard for her.",
    "Jane Smith arrived late.",  # first word starts the sentence: deliberately not flagged
    "Then Sarah said she was tired.",
    "It reminded me of Winnicott and the holding environment.",
    "We talked about the Mental Health Act and the Crisis Team.",
    "She left at the end.Then I sat with it, i.e. the silence, e.g. the pause.",
    "I said so.it was strange, and the notes.txt file was empty; version 1.2.3.",
    "The dose was 0.5mg/kg and the cost £1,000,000.",
    "I felt it on Tuesday 12th.",
    "Working with Internal Family Systems in Zoom sessions.",
    "## Session Reflection\n- Key Themes\n- Felt Helpless",
    "@everyone <@123> <#456> **bold** `code` > quoted",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_ordinary_reflective_prose_is_not_flagged(text: str) -> None:
    assert find_identifying_details(text) == []


def test_flags_are_in_text_order_and_do_not_overlap() -> None:
    text = "Jane Smith? No: met Jane Smith on 12/03/2024, call 07700 900123 or mail js@example.org (example.org)."
    flags = find_identifying_details(text)
    assert [flag.kind for flag in flags] == ["name", "date", "phone", "email", "url"]
    assert all(left.end <= right.start for left, right in pairwise(flags))


def test_more_specific_kinds_win_overlaps() -> None:
    # The email's domain and the date's digits are not reported again as a web address or a number.
    assert kinds("write to someone@example.com today") == ["email"]
    assert kinds("on 2024-03-12 then") == ["date"]
    assert kinds("call 07700 900123 now") == ["phone"]


def test_hidden_characters_do_not_hide_details_and_spans_point_into_the_original() -> None:
    text = "call 0770\u200b0 900123 or ask Jane\u202e Smith"
    flags = find_identifying_details(text)
    assert [(flag.kind, flag.excerpt) for flag in flags] == [("phone", "07700 900123"), ("name", "Jane Smith")]
    assert text[flags[0].start : flags[0].end] == "0770\u200b0 900123"
    assert text[flags[1].start : flags[1].end] == "Jane\u202e Smith"


def test_long_excerpts_are_shortened() -> None:
    url = "https://example.com/" + "a" * 100
    (flag,) = find_identifying_details(f"see {url} please")
    assert flag.kind == "url"
    assert len(flag.excerpt) == EXCERPT_LIMIT
    assert flag.excerpt.endswith("…")
    assert flag.end - flag.start == len(url)


def test_describe_flags_is_a_short_readable_list() -> None:
    flags = find_identifying_details("call 07700 900123 about Jane Smith")
    assert describe_flags(flags) == "a phone number (07700 900123), a possible name (Jane Smith)"
    many = find_identifying_details(" ".join(f"ref {n}{n}{n}{n}{n}{n}" for n in range(1, 9)))
    assert len(many) == 8
    assert describe_flags(many).endswith("a long number (555555) and 3 more")
    assert describe_flags([]) == ""


def test_describe_flags_never_lets_an_excerpt_ping() -> None:
    flags = find_identifying_details("mail a@everyone.org now")
    assert [flag.kind for flag in flags] == ["email"]
    assert "@everyone" not in describe_flags(flags)


# ---------------------------------------------------------------------------------------------------------------
# Identifying details: properties

LOWER_WORD = st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=10)
FILLER = st.lists(LOWER_WORD, min_size=1, max_size=8).map(" ".join)


def digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=string.digits, min_size=n, max_size=n)


LABEL = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
TLD = st.sampled_from(["com", "org", "net", "io", "co.uk", "nhs.uk", "ie", "com.au"])
PATH = st.from_regex(r"[a-z0-9]{1,8}(?:/[a-z0-9_-]{0,6}[a-z0-9])?", fullmatch=True)
FIRST_NAMES = ["Jane", "Amira", "Tom", "Oluwaseun", "Siobhan", "Wei", "Priya", "Mateo", "Zofia", "Kwame"]
LAST_NAMES = ["Smith", "Okafor", "Nguyen", "O'Brien", "Kowalski", "Patel", "García", "Haddad", "Jones", "Lindqvist"]

DETAILS = {
    "email": st.builds(
        "{}@{}.{}".format, st.from_regex(r"[a-z0-9][a-z0-9._+-]{0,10}[a-z0-9]", fullmatch=True), LABEL, TLD
    ),
    "phone": st.one_of(
        st.builds("07{} {}".format, digits(3), digits(6)),
        st.builds("+44 7{} {}".format, digits(3), digits(6)),
        st.builds("+1 {} {} {}".format, digits(3), digits(3), digits(4)),
        st.builds("({}) {}-{}".format, digits(3), digits(3), digits(4)),
        st.builds("{}-{}-{}".format, digits(3), digits(3), digits(4)),
        st.builds("{}.{}.{}".format, digits(3), digits(3), digits(4)),
        st.builds("0{} {} {} {} {}".format, digits(1), digits(2), digits(2), digits(2), digits(2)),
    ),
    "url": st.one_of(
        st.builds("https://{}.{}/{}".format, LABEL, TLD, PATH),
        st.builds("http://{}.{}".format, LABEL, TLD),
        st.builds("www.{}.{}".format, LABEL, TLD),
        st.builds("{}.{}/{}".format, LABEL, TLD, PATH),
    ),
    "date": st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)).map(date.isoformat),
    "number": st.text(alphabet=string.digits, min_size=6, max_size=16),
    "name": st.builds("{} {}".format, st.sampled_from(FIRST_NAMES), st.sampled_from(LAST_NAMES)),
}


@settings(max_examples=40, deadline=None)
@given(kind=st.sampled_from(sorted(DETAILS)), data=st.data(), before=FILLER, after=FILLER)
def test_any_inserted_detail_is_flagged_with_its_kind(kind: str, data: st.DataObject, before: str, after: str) -> None:
    detail = data.draw(DETAILS[kind], label="detail")
    text = f"{before} {detail} {after}."
    start = len(before) + 1
    flags = find_identifying_details(text)
    assert any(flag.kind == kind and flag.start == start and flag.end == start + len(detail) for flag in flags), flags


PUNCTUATION = st.sampled_from(["", "", "", ",", ".", "!", "?", ";", ":", "…", " -", "'s", ")", '"'])
TRICKY_WORDS = st.sampled_from(["may", "march", "com", "org", "www", "http", "i", "dr", "mr", "jan", "sept", "uk"])
WORD = st.one_of(LOWER_WORD, st.text(alphabet="abcdeéüßøñçłžα", min_size=1, max_size=8), TRICKY_WORDS)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(WORD, PUNCTUATION), min_size=1, max_size=40))
def test_lowercase_words_and_punctuation_are_never_flagged(tokens: list[tuple[str, str]]) -> None:
    text = " ".join(word + mark for word, mark in tokens)
    assert find_identifying_details(text) == []


FRAGMENTS = st.sampled_from(
    [
        "\u202e",
        "\u2066",
        "\u200b",
        "\u200d",
        "\ufeff",
        "\x00",
        "\x1b[31m",
        "\r\n",
        "\t",
        "@everyone",
        "@here",
        "<@123456789012345678>",
        "<@!1>",
        "<@&2>",
        "<#3>",
        "**",
        "`",
        "> ",
        "[x](https://e.com)",
        "Jane Smith",
        "Dr. ",
        "07700 900123",
        "+44 ",
        "12/03/2024",
        "2024-03-12",
        "12 March",
        "a@b.org",
        "www.",
        "...",
        "١٢٣٤٥٦٧",
        "(555) ",
        "123456",
    ]
)
ANY_TEXT = st.lists(st.one_of(st.text(max_size=30), FRAGMENTS), max_size=150).map(lambda parts: "".join(parts)[:4000])


@settings(max_examples=60, deadline=None)
@given(ANY_TEXT)
def test_detector_handles_any_text_with_ordered_in_bounds_flags(text: str) -> None:
    flags = find_identifying_details(text)
    for flag in flags:
        assert isinstance(flag, Flag)
        assert flag.kind in KINDS
        assert 0 <= flag.start < flag.end <= len(text)
        assert 0 < len(flag.excerpt) <= EXCERPT_LIMIT
    assert all(left.end <= right.start for left, right in pairwise(flags))
    describe_flags(flags)


def test_detector_is_fast_on_adversarial_text() -> None:
    began = time.perf_counter()
    for text in ("1 " * 2000, "0 12 " * 800, "a." * 2000, "Aa " * 1300, "1/1/11 " * 570, "a@" * 2000, "+1-" * 1300):
        find_identifying_details(text)
    # Each takes milliseconds; the generous bound only catches catastrophic regex backtracking.
    assert time.perf_counter() - began < 2


# ---------------------------------------------------------------------------------------------------------------
# Mentions and text hygiene


@pytest.mark.parametrize("mention", ["@everyone", "@here", "<@1>", "<@!1>", "<@&1>", "<#1>", "<@123456789012345678>"])
def test_mentions_are_neutralised(mention: str) -> None:
    out = neutralise_mentions(f"hello {mention} there")
    assert mention not in out
    assert not RAW_MENTION.search(out)
    assert out.replace("\u200b", "") == f"hello {mention} there"


def test_neutralising_is_minimal_and_idempotent() -> None:
    text = "mail jane@example.org or j@123.example; cost @ 5; <@abc> and <#general>"
    assert neutralise_mentions(text) == text
    once = neutralise_mentions("@everyone <@!5>")
    assert once == "@\u200beveryone <@\u200b!5>"
    assert neutralise_mentions(once) == once


@settings(max_examples=80, deadline=None)
@given(ANY_TEXT)
def test_neutralised_text_never_contains_a_raw_mention(text: str) -> None:
    assert not RAW_MENTION.search(neutralise_mentions(text))
    assert not RAW_MENTION.search(neutralise_mentions(clean_text(text)))


def test_clean_text_removes_hidden_and_control_characters_but_keeps_newlines_and_tabs() -> None:
    dirty = f"  \u202eevil{HIDDEN}\x00\x07\x1b text\r\nnext\tline\rlast\u2028end\ud800  "
    assert clean_text(dirty) == "evil text\nnext\tline\nlast\nend"


def test_clean_text_normalises_to_nfc() -> None:
    assert clean_text("Cafe\u0301") == "Café"
    # An accent separated from its letter by a zero-width space joins the letter once the space is gone.
    assert clean_text("Cafe\u200b\u0301") == "Café"


@settings(max_examples=80, deadline=None)
@given(ANY_TEXT)
def test_clean_text_leaves_nothing_hidden_and_is_idempotent(text: str) -> None:
    cleaned = clean_text(text)
    assert all(char in "\n\t" or unicodedata.category(char) not in ("Cc", "Cf", "Cs") for char in cleaned)
    assert cleaned == cleaned.strip()
    assert clean_text(cleaned) == cleaned


# ---------------------------------------------------------------------------------------------------------------
# Periods


def test_period_follows_the_groups_zone_across_a_year_boundary() -> None:
    moment = datetime(2027, 1, 3, 12, tzinfo=UTC)  # Monday 01:00 in Auckland, Sunday 04:00 in Los Angeles
    assert period_for(moment, "Pacific/Auckland") == "2027-W01"
    assert period_for(moment, "America/Los_Angeles") == "2026-W53"
    new_year = datetime(2026, 12, 31, 20, tzinfo=UTC)
    assert day_of_period(new_year, "Pacific/Auckland") == date(2027, 1, 1)
    assert day_of_period(new_year, "America/Los_Angeles") == date(2026, 12, 31)
    assert period_for(new_year, "Pacific/Auckland") == period_for(new_year, "America/Los_Angeles") == "2026-W53"
    # 31 December 2024 belongs to the first ISO week of 2025.
    assert period_for(datetime(2024, 12, 31, 12, tzinfo=UTC), "Europe/London") == "2025-W01"


@pytest.mark.parametrize(
    ("period", "zone", "start", "hours"),
    [
        ("2026-W13", "Europe/London", datetime(2026, 3, 23, 0, tzinfo=UTC), 167),  # clocks go forward
        ("2026-W43", "Europe/London", datetime(2026, 10, 18, 23, tzinfo=UTC), 169),  # clocks go back
        ("2026-W14", "Pacific/Auckland", datetime(2026, 3, 29, 11, tzinfo=UTC), 169),
        ("2026-W10", "America/Los_Angeles", datetime(2026, 3, 2, 8, tzinfo=UTC), 167),
        ("2026-W53", "UTC", datetime(2026, 12, 28, 0, tzinfo=UTC), 168),
    ],
)
def test_period_bounds_span_a_local_week_through_dst_changes(
    period: str, zone: str, start: datetime, hours: int
) -> None:
    begin, end = period_bounds(period, zone)
    assert begin == start
    assert end - begin == timedelta(hours=hours)
    assert begin.tzinfo is UTC and end.tzinfo is UTC
    assert period_for(begin, zone) == period
    assert period_for(end - timedelta(microseconds=1), zone) == period
    assert period_for(end, zone) != period


ZONES = [
    "UTC",
    "Europe/London",
    "America/Los_Angeles",
    "Pacific/Auckland",
    "Pacific/Chatham",
    "Asia/Kolkata",
    "America/Santiago",
    "Australia/Lord_Howe",
    "America/St_Johns",
]


@settings(max_examples=80, deadline=None)
@given(
    moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)),
    zone=st.sampled_from(ZONES),
)
def test_every_moment_lies_within_its_periods_bounds(moment: datetime, zone: str) -> None:
    period = period_for(moment, zone)
    begin, end = period_bounds(period, zone)
    assert begin <= moment < end
    assert period_for(begin, zone) == period
    assert re.fullmatch(r"\d{4}-W\d{2}", period)
    assert day_of_period(moment, zone).isocalendar()[:2] == (int(period[:4]), int(period[6:]))


def test_periods_reject_naive_moments_and_malformed_names() -> None:
    with pytest.raises(ValueError):
        period_for(datetime(2026, 1, 1), "UTC")
    with pytest.raises(ValueError):
        day_of_period(datetime(2026, 1, 1), "UTC")
    for bad in ("2026-48", "2026-W5", "2025-W53", "week 3"):
        with pytest.raises(ValueError):
            period_bounds(bad, "UTC")


def test_weekday_label() -> None:
    assert weekday_label(date(2026, 12, 1)) == "Tuesday"
    assert [weekday_label(date(2026, 11, 30) + timedelta(days=n)) for n in (0, 6)] == ["Monday", "Sunday"]


# ---------------------------------------------------------------------------------------------------------------
# Keys, codes and ids


async def test_weekly_limit_counts_each_member_per_server_and_week_and_gives_back() -> None:
    limit = PeriodLimit(2)
    assert await limit.take(1, "2026-W10", 42) and await limit.take(1, "2026-W10", 42)
    assert not await limit.take(1, "2026-W10", 42)
    assert await limit.take(1, "2026-W10", 43)  # another member
    assert await limit.take(2, "2026-W10", 42)  # another server
    assert await limit.take(1, "2026-W11", 42)  # another week
    await limit.give_back(1, "2026-W10", 42)
    assert limit.used(1, "2026-W10", 42) == 1 and await limit.take(1, "2026-W10", 42)
    limit.forget_before(1, "2026-W11")
    assert limit.used(1, "2026-W10", 42) == 0 and limit.used(1, "2026-W11", 42) == 1
    assert limit.used(2, "2026-W10", 42) == 1


def test_weekly_limit_keys_are_keyed_hashes_under_a_key_of_this_process_only() -> None:
    first, second = PeriodLimit(3), PeriodLimit(3)
    key = first._member(123456789012345678)
    assert re.fullmatch(r"[0-9a-f]{64}", key) and "123456789012345678" not in key
    assert first._member(123456789012345678) == key
    assert second._member(123456789012345678) != key  # a new process cannot recompute the old keys
    assert first._member(123456789012345679) != key


def test_withdrawal_codes_are_readable_random_and_hash_consistently() -> None:
    codes = {new_withdrawal_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(rf"[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}", code)
    assert len(CODE_ALPHABET) ** 12 >= 2**60
    assert not set("ILOU") & set(CODE_ALPHABET)


def test_codes_normalise_case_spaces_dashes_and_lookalikes() -> None:
    code = "K7QF-2MZP-9TXR"
    for typed in ("k7qf-2mzp-9txr", " K7QF 2MZP 9TXR ", "k7qf2mzp9txr", "`K7QF–2MZP–9TXR`", "Ｋ７ＱＦ２ＭＺＰ９ＴＸＲ"):
        assert normalise_code(typed) == "K7QF2MZP9TXR"
        assert hash_code(typed) == hash_code(code)
    assert normalise_code("o0-il1") == "00111"
    assert hash_code(normalise_code(code)) == hash_code(code)
    assert re.fullmatch(r"[0-9a-f]{64}", hash_code(code))
    assert hash_code("K7QF-2MZP-9TXS") != hash_code(code)
    assert hash_code(new_withdrawal_code()) != hash_code(new_withdrawal_code())


def test_checkin_ids_are_random_hex() -> None:
    ids = {new_checkin_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(re.fullmatch(r"[0-9a-f]{32}", checkin_id) for checkin_id in ids)


# ---------------------------------------------------------------------------------------------------------------
# Digest and summary


def test_digest_order_is_a_seeded_permutation() -> None:
    rows = list(range(10))
    assert sorted(digest_order(rows, random.Random(7))) == rows
    assert digest_order(rows, random.Random(7)) == digest_order(rows, random.Random(7))
    assert rows == list(range(10))  # the input is not shuffled in place
    assert digest_order([]) == []


def test_digest_order_is_uniform_and_unrelated_to_submission_order() -> None:
    rows = list(range(10))
    orders = [digest_order(rows) for _ in range(200)]
    # Each order has chance 1/10! of being the identity; bounds are loose enough never to flake in practice.
    assert sum(order == rows for order in orders) <= 2
    firsts = Counter(order[0] for order in orders)
    assert set(firsts) == set(rows)
    assert all(4 <= firsts[row] <= 40 for row in rows), firsts  # expected 20 each
    fixed_points = sum(order[i] == i for order in orders for i in rows)
    assert 120 <= fixed_points <= 290  # expected 200: one item in place per shuffle on average


def test_threshold() -> None:
    assert not meets_threshold(2, 3)
    assert meets_threshold(3, 3)
    assert not meets_threshold(0, 1)
    with pytest.raises(ValueError):
        meets_threshold(5, 0)


def test_summary_suppresses_counts_below_k() -> None:
    rows = [
        (("helpless", "parental"), 4, True),
        (("helpless",), 2, False),
        (("helpless", "helpless"), 3, True),
        (("helpless", "positive"), 5, False),
        (("disengaged",), 1, False),
    ]
    summary = summarise(rows, 3)
    assert summary.total == 5
    assert summary.mean_intensity == pytest.approx(3.0)
    assert summary.raise_it is None  # two asked
    assert list(summary.counts) == list(DIMENSIONS)
    assert summary.counts["helpless"] == 4  # listed twice in one row, counted once
    assert summary.counts["parental"] is None
    assert summary.counts["positive"] is None
    assert summary.counts["disengaged"] is None
    assert summary.counts["sexualised"] == 0
    assert summarise(rows, 2).raise_it == 2


def test_summary_hides_total_and_mean_below_k() -> None:
    summary = summarise([(("positive",), 5, True), (("positive",), 4, True)], 3)
    assert summary.total is None
    assert summary.mean_intensity is None
    assert summary.raise_it is None
    assert summary.counts["positive"] is None
    empty = summarise([], 3)
    assert (empty.total, empty.mean_intensity, empty.raise_it) == (0, None, 0)
    with pytest.raises(ValueError):
        summarise([], 0)


def test_summary_keeps_unknown_dimensions_after_known_ones() -> None:
    summary = summarise([(("retired",), 3, False)] * 4, 3)
    assert list(summary.counts)[-1] == "retired"
    assert summary.counts["retired"] == 4


def test_render_count() -> None:
    assert render_count(7, 3) == "7"
    assert render_count(0, 3) == "0"
    assert render_count(None, 3) == "fewer than 3"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # German capitalises every noun: days, times of day and clinical words are not names.
        (
            "Am Montag Abend sprach die Klientin über ihren Ärger. Danach kam Frau Müller am 3. Mai 2024.",
            [("name", "Frau Müller"), ("date", "3. Mai 2024")],
        ),
        ("Ende Januar kam die Gegenübertragung zurück.", []),
        ("Die Klientin Sabine Hoffmann rief an.", [("name", "Sabine Hoffmann")]),
        ("Le 12 mars, Mme Dupont est arrivée en retard.", [("date", "12 mars"), ("name", "Mme Dupont")]),
    ],
)
def test_detector_reads_german_and_french_check_ins(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(flag.kind, flag.excerpt) for flag in find_identifying_details(text)] == expected
