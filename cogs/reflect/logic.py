"""Pure rules for reflective prompts: group rotation, prompt choice, DM timing, journal pages and export.

Group rotation (one prompt per server per week):

- The rotation picks the element used least recently, so in a plain history it simply continues with the element
  after the last one in ELEMENTS order. Elements never used count as oldest; ties between them go to the first
  one after the last element used, in ELEMENTS order (from the start when there is no history).
- A week "leans" when it uses the group's weakest element instead of the rotation's choice. A lean week is allowed
  only if the previous week was not one (it matches what the rotation would have picked then) and the weakest
  element is not last week's element. So lean weeks are never consecutive, the weakest element never runs twice
  in a row, and at least every other week is a rotation week: every element appears in any 14 consecutive weeks.

Prompt choice: a prompt of the element not yet used in this server's current cycle for that element; when all are
used the element starts afresh (the caller forgets that element's used ids). Among the candidates, the Gibbs stage
used least in the element's cycle wins, then the stage used least in the whole server's cycle, so stages vary.

DM timing: a subscription fires at its local wall time. A time skipped by a spring-forward gap fires at the first
valid moment after the gap (02:30 on a 02:00→03:00 day fires at 03:00); a time repeated in autumn fires once, at
its first occurrence (fold=0). Quiet hours, shared with quiz reminders, are in bot/quiet_hours.py.

Journal export: newest first, plain Markdown a person reads without debris, in the member's language. Each body
follows a line that says how many characters it has, so `extract_bodies` reads the document from the top and takes
exactly that many characters: whatever a body contains, even text that looks like the export's own structure, comes
back exactly as written. It reads the document in the current language, the one it was written in.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import i18n
from bot.content.banks import ReflectionPrompt
from bot.content.elements import ELEMENTS, element_name
from bot.i18n import _, ngettext
from bot.quiet_hours import defer_past_quiet_hours as defer_past_quiet_hours  # shared with quiz reminders
from bot.quiet_hours import local_instant, parse_hhmm, require_aware

# (written_at, prompt text, element, body) for one journal entry.
JournalRow = tuple[datetime, str | None, str | None, str]


# --- Group rotation ---------------------------------------------------------------------------------------------


def rotation_choice(used_elements_in_order: Sequence[str], elements: Sequence[str] | None = None) -> str:
    """Return the rotation's next element: the least recently used, never-used ones first."""
    rotation = list(ELEMENTS) if elements is None else list(dict.fromkeys(elements))
    if not rotation:
        raise ValueError("the rotation has no elements")
    last_use = {element: index for index, element in enumerate(used_elements_in_order)}
    last = used_elements_in_order[-1] if used_elements_in_order else None
    # Never-used elements tie at "oldest"; counting from just after the last one used continues the cycle.
    start = rotation.index(last) + 1 if last in rotation else 0
    cyclic = rotation[start:] + rotation[:start]
    return min(cyclic, key=lambda element: last_use.get(element, -1))


def next_element(
    used_elements_in_order: Sequence[str], lean_toward: str | None, elements: Sequence[str] | None = None
) -> str:
    """Return this week's element: the rotation's, or the lean element when the module's lean rule allows it."""
    rotation = list(ELEMENTS) if elements is None else list(elements)
    choice = rotation_choice(used_elements_in_order, rotation)
    if lean_toward is None or lean_toward not in rotation or lean_toward == choice:
        return choice
    if used_elements_in_order:
        *before, last = used_elements_in_order
        # Last week leaned if it differs from what the rotation would have picked then.
        if last == lean_toward or last != rotation_choice(before, rotation):
            return choice
    return lean_toward


def group_rotation_prompts(bank: Sequence[ReflectionPrompt]) -> list[ReflectionPrompt]:
    """Return the prompts a group thread may carry: private ones stay in DMs and the journal."""
    return [prompt for prompt in bank if not prompt.private]


def choose_prompt(
    bank: Sequence[ReflectionPrompt], element: str, used_ids: set[str], rng: random.Random
) -> tuple[ReflectionPrompt, bool]:
    """Return an unused prompt of the element and whether the element's cycle had to restart."""
    of_element = sorted((p for p in bank if p.element == element), key=lambda p: p.id)
    if not of_element:
        raise ValueError(f"no prompts for element {element!r}")
    fresh = [p for p in of_element if p.id not in used_ids]
    restarted = not fresh
    candidates = of_element if restarted else fresh
    # After a restart the element's earlier uses no longer count, so they must not steer the stage either.
    used_here = Counter[str]() if restarted else Counter(p.stage for p in of_element if p.id in used_ids)
    used_anywhere = Counter(p.stage for p in bank if p.id in used_ids and p.element != element) + used_here

    def stage_load(prompt: ReflectionPrompt) -> tuple[int, int]:
        return used_here[prompt.stage], used_anywhere[prompt.stage]

    best = min(map(stage_load, candidates))
    return rng.choice([p for p in candidates if stage_load(p) == best]), restarted


def weakest_element(
    accuracy_by_element: Mapping[str, float], min_answers: Mapping[str, int], threshold: int = 5
) -> str | None:
    """Return the element with the lowest accuracy among those with at least `threshold` answers, else None."""
    order = {element: index for index, element in enumerate(ELEMENTS)}
    qualified = [
        element
        for element, accuracy in accuracy_by_element.items()
        if min_answers.get(element, 0) >= threshold and math.isfinite(accuracy)
    ]
    if not qualified:
        return None
    # Ties go to ELEMENTS order, then id, so the answer never depends on mapping order.
    return min(qualified, key=lambda e: (accuracy_by_element[e], order.get(e, len(order)), e))


# --- DM timing --------------------------------------------------------------------------------------------------


def _days(start: date, end: date) -> Iterable[date]:
    """Yield each date from start to end inclusive."""
    for offset in range((end - start).days + 1):
        yield start + timedelta(days=offset)


def due_times(
    weekdays: Collection[int], local_time: str, timezone: str, after: datetime, until: datetime
) -> list[datetime]:
    """Return every UTC instant in (after, until] at which the subscription is due, oldest first."""
    require_aware(after, until)
    if any(not 0 <= day <= 6 for day in weekdays):
        raise ValueError(f"weekdays must be 0 (Monday) to 6 (Sunday): {sorted(weekdays)}")
    at, zone = parse_hhmm(local_time), ZoneInfo(timezone)
    if until <= after:
        return []
    # A day either side, because a gap's end can move an instant across the edge of the local day.
    first = after.astimezone(zone).date() - timedelta(days=1)
    last = until.astimezone(zone).date() + timedelta(days=1)
    instants = {local_instant(day, at, zone) for day in _days(first, last) if day.weekday() in weekdays}
    return sorted(moment for moment in instants if after < moment <= until)


def should_pause_after_failures(consecutive_failures: int, limit: int = 3) -> bool:
    """Return whether repeated failed DMs should pause a subscription (a limit below 1 never pauses)."""
    return limit >= 1 and consecutive_failures >= limit


# --- Journal pages ----------------------------------------------------------------------------------------------


def page_count(total: int, per_page: int) -> int:
    """Return how many pages the journal has; an empty journal still has one."""
    if per_page < 1:
        raise ValueError("per_page must be at least 1")
    return max(1, -(-max(total, 0) // per_page))


def page_bounds(total: int, page: int, per_page: int) -> tuple[int, int, int]:
    """Return (page clamped into range, start, end) for a page numbered from 0."""
    page = min(max(page, 0), page_count(total, per_page) - 1)
    start = page * per_page
    return page, start, min(start + per_page, max(total, 0))


# --- Journal export ---------------------------------------------------------------------------------------------

_SEPARATOR = "\n---\n\n"
# Enough counts to meet every plural form of the languages the bot speaks (and of most others).
_PLURAL_SAMPLES = (0, 1, 2, 3, 5, 11, 21, 101, 1_000_000)
_PLACEHOLDER = re.compile(r"\\\{(\w+)\\\}")


def _title() -> str:
    return _("Reflection journal")


def _free_reflection() -> str:
    return _("Free reflection, no prompt.")


def _count_template(count: int) -> str:
    return ngettext(
        "{count} entry, newest first. Times are in {zone}.",
        "{count} entries, newest first. Times are in {zone}.",
        count,
    )


def _length_template(size: int) -> str:
    return ngettext(
        "Your reflection, exactly as written ({count} character):",
        "Your reflection, exactly as written ({count} characters):",
        size,
    )


def _forms(template: Callable[[int], str]) -> str:
    """A regex for every plural form of a message in the current language; {count} is captured, {zone} any line."""
    patterns = [
        _PLACEHOLDER.sub(lambda m: r"(\d+)" if m[1] == "count" else r"[^\n]*", re.escape(form))
        for form in sorted({template(n) for n in _PLURAL_SAMPLES})
    ]
    return "(?:" + "|".join(patterns) + ")"


def _captured(match: re.Match[str]) -> int:
    """The one count an alternation of plural forms captured."""
    return int(next(group for group in match.groups() if group is not None))


def _export_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The header and entry-head patterns of an export written in the current language."""
    header = re.compile("# " + re.escape(_title()) + r" · [^\n]*\n\n" + _forms(_count_template) + r"\n\n")
    entry = re.compile(
        r"## [^\n]*\n\n(?:(?:>[^\n]*\n)+|_"
        + re.escape(_free_reflection())
        + r"_\n)\n\*"
        + _forms(_length_template)
        + r"\*\n\n"
    )
    return header, entry


def _one_line(text: str) -> str:
    """Collapse all whitespace, line breaks included, so a label or name stays on its line."""
    return " ".join(text.split())


def _aware(moment: datetime) -> datetime:
    """Return the moment, reading a naive one as UTC (stored times are UTC) rather than refusing the export."""
    return moment if moment.utcoffset() is not None else moment.replace(tzinfo=UTC)


def _local_stamp(moment: datetime, zone: ZoneInfo) -> str:
    """Return a local date and time in the current language, such as "Sat 14 Mar 2026, 09:05 GMT"."""
    local = _aware(moment).astimezone(zone)
    # Translators: a CLDR date pattern for the entry headings of the journal export ("Sat 14 Mar 2026"). Keep its
    # letters (EEE weekday, d day, MMM month, y year); reorder them and add punctuation as your language writes dates.
    pattern = _("EEE d MMM y")
    return f"{i18n.day(local.date(), pattern)}, {local:%H:%M} {local.tzname()}"


def _entry_markdown(entry: JournalRow, zone: ZoneInfo) -> str:
    """Return one entry: heading, prompt as a blockquote, its length, then the body exactly as written."""
    written_at, prompt_text, element, body = entry
    heading = f"## {_local_stamp(written_at, zone)}" + (f" · {_one_line(element_name(element))}" if element else "")
    if prompt_text and prompt_text.strip():
        prompt = "\n".join(f"> {line}".rstrip() for line in prompt_text.strip().splitlines())
    else:
        prompt = f"_{_free_reflection()}_"
    return f"{heading}\n\n{prompt}\n\n*{_length_template(len(body)).format(count=len(body))}*\n\n{body}\n"


def journal_markdown(entries: Sequence[JournalRow], member_label: str, timezone: str) -> str:
    """Return the journal as a Markdown document, newest entry first, bodies exactly as written."""
    # sorted() stays stable with reverse=True, so entries written at the same moment keep the caller's order.
    ordered = sorted(entries, key=lambda entry: _aware(entry[0]), reverse=True)
    zone = ZoneInfo(timezone)
    count = len(ordered)
    counted = _count_template(count).format(count=count, zone=timezone)
    header = f"# {_title()} · {_one_line(member_label)}\n\n{counted}\n\n"
    return header + _SEPARATOR.join(_entry_markdown(entry, zone) for entry in ordered)


def extract_bodies(markdown: str) -> list[str]:
    """Return the entry bodies of a `journal_markdown` document, in document order, exactly as written."""
    header_pattern, entry_pattern = _export_patterns()
    header = header_pattern.match(markdown)
    if header is None:
        raise ValueError("not a supervision-bot journal export")
    bodies: list[str] = []
    position = header.end()
    for index in range(_captured(header)):
        if index:
            if not markdown.startswith(_SEPARATOR, position):
                raise ValueError(f"entry {index + 1} of the journal export is not where its length says")
            position += len(_SEPARATOR)
        entry = entry_pattern.match(markdown, position)
        if entry is None:
            raise ValueError(f"entry {index + 1} of the journal export has lost its heading or length line")
        start = entry.end()
        end = start + _captured(entry)
        if markdown[end : end + 1] != "\n":
            raise ValueError(f"entry {index + 1} of the journal export is shorter than its length says")
        bodies.append(markdown[start:end])
        position = end + 1
    if markdown[position:].strip():
        raise ValueError("the journal export goes on after its last entry; its lengths do not match its text")
    return bodies
