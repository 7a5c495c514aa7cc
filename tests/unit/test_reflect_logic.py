"""Reflective prompt rules: group rotation over a simulated term, DM timing across DST, quiet hours, pages, export."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content.banks import ReflectionPrompt, prompt_bank
from bot.content.elements import ELEMENTS
from bot.quiet_hours import defer_past_quiet_hours, in_quiet_hours
from cogs.reflect.logic import (
    choose_prompt,
    due_times,
    extract_bodies,
    journal_markdown,
    next_element,
    page_bounds,
    page_count,
    rotation_choice,
    should_pause_after_failures,
    weakest_element,
)

ORDER = list(ELEMENTS)
EVERY_DAY = range(7)


def simulate(weeks: int, leans: list[str | None], bank=None, seed: int = 7) -> list[ReflectionPrompt]:
    """Run the weekly group prompt like the cog does, forgetting an element's used ids when it restarts."""
    bank = prompt_bank() if bank is None else bank
    rng = random.Random(seed)
    history: list[str] = []
    used: set[str] = set()
    posted: list[ReflectionPrompt] = []
    for week in range(weeks):
        element = next_element(history, leans[week % len(leans)])
        of_element = {p.id for p in bank if p.element == element}
        prompt, restarted = choose_prompt(bank, element, used, rng)
        assert prompt.element == element
        # A restart happens exactly when the element's prompts are all used up.
        assert restarted == of_element.issubset(used)
        if restarted:
            used -= of_element
        assert prompt.id not in used
        used.add(prompt.id)
        history.append(element)
        posted.append(prompt)
    return posted


def is_lean_week(history: list[str], week: int) -> bool:
    """Return whether a week deviated from the plain rotation."""
    return history[week] != rotation_choice(history[:week])


# --- Group rotation ---


def test_plain_rotation_follows_elements_order_and_continues_after_the_last_used():
    assert next_element([], None) == ORDER[0]
    assert next_element(ORDER[:3], None) == ORDER[3]
    assert next_element(ORDER, None) == ORDER[0]
    assert next_element(["transference"], None) == "countertransference"
    assert next_element(["rupture_repair"], None) == "empathy"


def test_a_term_of_forty_weeks_never_repeats_a_prompt_and_covers_every_element():
    posted = simulate(40, [None])
    ids = [p.id for p in posted]
    assert len(set(ids)) == len(ids)
    elements = [p.element for p in posted]
    assert elements[:14] == ORDER * 2
    counts = Counter(elements)
    assert set(counts) == set(ORDER)
    assert max(counts.values()) - min(counts.values()) <= 1


def test_a_long_run_restarts_an_element_only_once_its_prompts_are_used_up():
    bank = prompt_bank()
    posted = simulate(400, [None, "transference"], bank)
    # simulate() asserts no repeat within a cycle; check every prompt of each element came round before any repeat.
    per_element = Counter(p.element for p in bank)
    for element in ORDER:
        ids = [p.id for p in posted if p.element == element]
        first_cycle = ids[: per_element[element]]
        assert len(set(first_cycle)) == per_element[element]


def test_stages_vary_within_an_element_cycle():
    bank = prompt_bank()
    empathy = [p for p in bank if p.element == "empathy"]
    used: set[str] = set()
    stages = []
    for _ in range(len({p.stage for p in empathy})):
        prompt, _restarted = choose_prompt(bank, "empathy", used, random.Random(1))
        used.add(prompt.id)
        stages.append(prompt.stage)
    assert len(set(stages)) == len(stages)


def test_choose_prompt_restarts_an_exhausted_element_and_rejects_an_empty_one():
    bank = prompt_bank()
    all_empathy = {p.id for p in bank if p.element == "empathy"}
    prompt, restarted = choose_prompt(bank, "empathy", all_empathy, random.Random(0))
    assert restarted and prompt.element == "empathy"
    with pytest.raises(ValueError):
        choose_prompt(bank, "no_such_element", set(), random.Random(0))


def test_leaning_shows_the_weak_element_more_often_but_never_in_consecutive_weeks():
    posted = simulate(40, ["transference"])
    elements = [p.element for p in posted]
    counts = Counter(elements)
    assert counts["transference"] > max(n for e, n in counts.items() if e != "transference")
    assert counts["transference"] <= 20
    assert all(a != b for a, b in pairwise(elements))
    assert set(counts) == set(ORDER)


def test_a_lean_is_ignored_when_unknown_or_already_last_week():
    assert next_element(["empathy"], "empathy") == "congruence"
    assert next_element(["empathy"], "not_an_element") == "congruence"
    # Week two leaned to rupture_repair; a different weak element still cannot lean straight after it.
    assert next_element(["empathy", "rupture_repair"], "transference") == "congruence"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([*ORDER, None]), min_size=1, max_size=8), st.integers(20, 60))
def test_any_lean_sequence_keeps_the_rotation_fair(leans, weeks):
    history: list[str] = []
    for week in range(weeks):
        history.append(next_element(history, leans[week % len(leans)]))
    assert all(a != b for a, b in pairwise(history))
    assert not any(is_lean_week(history, w) and is_lean_week(history, w + 1) for w in range(weeks - 1))
    # At least every other week is a rotation week, so any 14 weeks show all seven elements.
    for start in range(weeks - 13):
        assert set(history[start : start + 14]) == set(ORDER)


def test_weakest_element_respects_the_answer_threshold():
    accuracy = {"empathy": 0.2, "congruence": 0.5, "transference": 0.4}
    answers = {"empathy": 4, "congruence": 9, "transference": 5}
    assert weakest_element(accuracy, answers) == "transference"
    assert weakest_element(accuracy, answers, threshold=4) == "empathy"
    assert weakest_element(accuracy, answers, threshold=10) is None
    assert weakest_element({}, {}) is None
    # Ties go to ELEMENTS order, whatever the mapping order.
    assert weakest_element({"transference": 0.3, "empathy": 0.3}, {"transference": 5, "empathy": 5}) == "empathy"


# --- DM timing across DST ---

DST_2026 = [
    ("Europe/London", date(2026, 3, 29), date(2026, 10, 25)),
    ("America/New_York", date(2026, 3, 8), date(2026, 11, 1)),
    ("Australia/Sydney", date(2026, 10, 4), date(2026, 4, 5)),
]


def span(zone: str, day: date, days_each_side: int = 3) -> tuple[datetime, datetime]:
    """Return a UTC window around a local day."""
    local = datetime.combine(day, time(12), tzinfo=ZoneInfo(zone))
    return local - timedelta(days=days_each_side), local + timedelta(days=days_each_side)


@pytest.mark.parametrize(("zone", "spring", "autumn"), DST_2026)
@pytest.mark.parametrize("local_time", ["09:00", "18:45"])
def test_dm_fires_at_the_local_wall_time_on_both_sides_of_each_change(zone, spring, autumn, local_time):
    for change in (spring, autumn):
        after, until = span(zone, change)
        fires = due_times(EVERY_DAY, local_time, zone, after, until)
        local = [f.astimezone(ZoneInfo(zone)) for f in fires]
        assert [f"{t:%H:%M}" for t in local] == [local_time] * len(fires)
        assert len({t.date() for t in local}) == len(fires) == 6
        assert all(f.tzinfo is UTC and after < f <= until for f in fires)
        # The UTC time moves by an hour across the change, which is the point.
        assert len({f.astimezone(UTC).time() for f in fires}) == 2


def test_dm_weekdays_pick_only_those_days():
    after, until = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)
    fires = due_times([0, 3], "09:00", "Europe/London", after, until)
    local = [f.astimezone(ZoneInfo("Europe/London")) for f in fires]
    assert {t.weekday() for t in local} == {0, 3} and len(fires) == 9
    assert local[-1].utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize(
    ("zone", "day", "wall", "expected_local"),
    [
        ("America/New_York", date(2026, 3, 8), "02:30", "03:00"),
        ("Australia/Sydney", date(2026, 10, 4), "02:30", "03:00"),
        ("Europe/London", date(2026, 3, 29), "01:30", "02:00"),
    ],
)
def test_a_time_skipped_in_spring_fires_once_at_the_end_of_the_gap(zone, day, wall, expected_local):
    after, until = span(zone, day, 2)
    fires = [f.astimezone(ZoneInfo(zone)) for f in due_times(EVERY_DAY, wall, zone, after, until)]
    assert [f.date() for f in fires] == [day + timedelta(days=n) for n in (-1, 0, 1, 2)]
    assert [f"{f:%H:%M}" for f in fires] == [wall, expected_local, wall, wall]


@pytest.mark.parametrize(
    ("zone", "day", "wall", "first_offset"),
    [
        ("America/New_York", date(2026, 11, 1), "01:30", timedelta(hours=-4)),
        ("Australia/Sydney", date(2026, 4, 5), "02:30", timedelta(hours=11)),
        ("Europe/London", date(2026, 10, 25), "01:30", timedelta(hours=1)),
    ],
)
def test_a_repeated_autumn_time_fires_once_at_its_first_occurrence(zone, day, wall, first_offset):
    after, until = span(zone, day, 1)
    fires = [f.astimezone(ZoneInfo(zone)) for f in due_times(EVERY_DAY, wall, zone, after, until)]
    on_day = [f for f in fires if f.date() == day]
    assert len(on_day) == 1
    assert f"{on_day[0]:%H:%M}" == wall and on_day[0].utcoffset() == first_offset and on_day[0].fold == 0


def test_due_times_window_is_open_at_after_and_closed_at_until():
    fire = datetime(2026, 6, 1, 8, tzinfo=UTC)  # 09:00 BST on a Monday
    assert due_times([0], "09:00", "Europe/London", fire - timedelta(minutes=1), fire) == [fire]
    assert due_times([0], "09:00", "Europe/London", fire, fire + timedelta(days=1)) == []
    assert due_times([0], "09:00", "Europe/London", fire, fire) == []


def test_due_times_rejects_bad_input():
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(ValueError):
        due_times([7], "09:00", "Europe/London", now, now + timedelta(days=1))
    with pytest.raises(ValueError):
        due_times([0], "25:00", "Europe/London", now, now + timedelta(days=1))
    with pytest.raises(ValueError):
        due_times([0], "09:00", "Europe/London", now.replace(tzinfo=None), now + timedelta(days=1))


# --- Quiet hours ---


def london(day: int, hour: int, minute: int = 0) -> datetime:
    """Return a London wall time in June 2026."""
    return datetime(2026, 6, day, hour, minute, tzinfo=ZoneInfo("Europe/London"))


@pytest.mark.parametrize(
    ("hour", "minute", "quiet"),
    [(21, 59, False), (22, 0, True), (23, 30, True), (0, 0, True), (6, 59, True), (7, 0, False), (12, 0, False)],
)
def test_quiet_hours_wrapping_midnight(hour, minute, quiet):
    assert in_quiet_hours(london(10, hour, minute), "Europe/London", "22:00", "07:00") is quiet


def test_quiet_hours_within_one_day_and_when_unset():
    assert in_quiet_hours(london(10, 13), "Europe/London", "12:00", "14:00")
    assert not in_quiet_hours(london(10, 14), "Europe/London", "12:00", "14:00")
    assert not in_quiet_hours(london(10, 13), "Europe/London", None, "14:00")
    assert not in_quiet_hours(london(10, 13), "Europe/London", "13:00", "13:00")
    # The member's zone decides: 14:00 in London (summer) is 22:00 in Tokyo.
    assert in_quiet_hours(london(10, 14), "Asia/Tokyo", "22:00", "07:00")


def test_deferral_lands_at_the_quiet_end():
    zone = "Europe/London"
    before_midnight = defer_past_quiet_hours(london(10, 23), zone, "22:00", "07:00")
    after_midnight = defer_past_quiet_hours(london(11, 3), zone, "22:00", "07:00")
    assert before_midnight == after_midnight == london(11, 7)
    assert before_midnight.tzinfo is UTC
    assert not in_quiet_hours(before_midnight, zone, "22:00", "07:00")
    outside = london(10, 12)
    assert defer_past_quiet_hours(outside, zone, "22:00", "07:00") is outside


def test_deferral_across_a_dst_change_uses_the_new_offset():
    zone = ZoneInfo("America/New_York")
    moment = datetime(2026, 3, 7, 23, tzinfo=zone)
    end = defer_past_quiet_hours(moment, "America/New_York", "22:00", "07:00")
    assert end == datetime(2026, 3, 8, 7, tzinfo=zone) and end.astimezone(zone).utcoffset() == timedelta(hours=-4)


def test_deferral_in_the_repeated_hour_never_goes_backwards():
    zone = ZoneInfo("Europe/London")
    second_pass = datetime(2026, 10, 25, 1, 10, fold=1, tzinfo=zone)
    end = defer_past_quiet_hours(second_pass, "Europe/London", "01:00", "01:30")
    # 01:10 GMT is the second 01:10; the quiet end is the second 01:30 (GMT, so 01:30 UTC), not the earlier BST one.
    assert end > second_pass and end == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_pause_after_repeated_failures():
    assert not should_pause_after_failures(2)
    assert should_pause_after_failures(3)
    assert should_pause_after_failures(5, limit=5) and not should_pause_after_failures(4, limit=5)
    assert not should_pause_after_failures(10, limit=0)


# --- Journal pages ---


@pytest.mark.parametrize(
    ("total", "page", "per_page", "expected"),
    [
        (0, 0, 3, (0, 0, 0)),
        (0, 5, 3, (0, 0, 0)),
        (3, 0, 3, (0, 0, 3)),
        (3, 1, 3, (0, 0, 3)),
        (7, 2, 3, (2, 6, 7)),
        (7, 9, 3, (2, 6, 7)),
        (7, -1, 3, (0, 0, 3)),
        (6, 1, 3, (1, 3, 6)),
    ],
)
def test_page_bounds_at_the_edges(total, page, per_page, expected):
    assert page_bounds(total, page, per_page) == expected


def test_page_count():
    assert [page_count(n, 3) for n in (0, 1, 3, 4, 6, 7)] == [1, 1, 1, 2, 2, 3]
    with pytest.raises(ValueError):
        page_count(5, 0)


# --- Markdown export ---

TRICKY = st.sampled_from(
    [
        "---",
        "\n---\n",
        "```",
        "````python\nx = 1\n````",
        "*Your reflection, exactly as written (",
        "3 characters):*\n\n",
        "## Mon 2 Mar 2026, 00:00 UTC\n\n",
        "_Free reflection, no prompt._\n\n",
        "# Reflection journal · ",
        "# Heading",
        "> quoted",
        "**bold** _it_",
        "🙂",
        "👩🏽‍⚕️",
        "\r\n",
        "\n",
        "\n\n",
        " ",
        "\t",
        "`",
        "[link](https://example.org)",
    ]
)
BODY = st.lists(st.one_of(TRICKY, st.text(max_size=20)), max_size=12).map("".join)


def entries_from(bodies: list[str]) -> list[tuple[datetime, str | None, str | None, str]]:
    """Return journal rows written an hour apart, newest first, with mixed prompts and elements."""
    start = datetime(2026, 3, 28, 23, tzinfo=UTC)
    return [
        (start - timedelta(hours=i), "What did you notice?\nAnd then?" if i % 2 else None, ORDER[i % 7], body)
        for i, body in enumerate(bodies)
    ]


@settings(max_examples=80, deadline=None)
@given(st.lists(BODY, max_size=6), st.text(max_size=20))
def test_markdown_export_round_trips_bodies_exactly(bodies, label):
    entries = entries_from(bodies)
    # Shuffled input still comes out newest first.
    document = journal_markdown(list(reversed(entries)), label, "Europe/London")
    assert extract_bodies(document) == bodies


def test_a_body_that_imitates_the_export_cannot_split_or_hide_entries():
    forged = "\n---\n\n## Sat 28 Mar 2026, 23:00 GMT\n\n_Free reflection, no prompt._\n\n"
    forged += "*Your reflection, exactly as written (4 characters):*\n\nfake"
    tricky = [forged, "(99 characters):*\n\n", "real"]
    document = journal_markdown(entries_from(tricky), "Sam", "UTC")
    assert extract_bodies(document) == tricky


def test_a_damaged_export_is_refused_rather_than_misread():
    document = journal_markdown(entries_from(["first", "second"]), "Sam", "UTC")
    for damaged in (document.replace("first", "firs", 1), document.replace("second", "secondly", 1)):
        with pytest.raises(ValueError, match="journal export"):
            extract_bodies(damaged)
    with pytest.raises(ValueError, match="not a supervision-bot journal export"):
        extract_bodies("# Something else\n")


def test_markdown_export_is_readable():
    entries = [
        (datetime(2026, 3, 29, 8, 5, tzinfo=UTC), "What stayed with you?", "empathy", "A *good* week 🙂"),
        (datetime(2026, 3, 20, 9, 0, tzinfo=UTC), None, None, "Free writing"),
    ]
    document = journal_markdown(list(reversed(entries)), "Dr\nAlex", "Europe/London")
    assert "# Reflection journal · Dr Alex" in document
    assert "2 entries, newest first" in document
    assert "## Sun 29 Mar 2026, 09:05 BST · Empathy" in document
    assert "> What stayed with you?" in document
    assert "## Fri 20 Mar 2026, 09:00 GMT" in document
    assert document.index("A *good* week") < document.index("Free writing")
    # Nothing in it is for a machine only: no comments, no tokens, it starts with its title.
    assert document.startswith("# Reflection journal")
    assert "<!--" not in document and "marker" not in document
    assert "*Your reflection, exactly as written (15 characters):*" in document
    empty = journal_markdown([], "Alex", "UTC")
    assert "0 entries" in empty and extract_bodies(empty) == []
