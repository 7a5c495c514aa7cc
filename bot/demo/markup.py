"""Turn Discord message text into what a reader sees: mentions as names, timestamps as times, markdown as HTML."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from babel.dates import format_date, format_time

# Looks a snowflake up as "channel", "role" or "user"; None when the reader's client would not know it.
Lookup = Callable[[str, int], str | None]

_TOKEN = re.compile(
    r"(?P<code>`+)(?P<code_text>.+?)(?P=code)"
    r"|<(?P<mention>#|@&|@!?)(?P<id>\d{1,20})>"
    r"|<t:(?P<unix>-?\d{1,13})(?::(?P<style>[tTdDfFR]))?>"
    r"|\[(?P<label>[^\]\n]+)\]\((?P<url>https?://[^\s)]+)\)"
    r"|(?P<bare>https?://[^\s<]+[^\s<.,;:!?)\]'\"])"
    r"|\\(?P<escaped>[\\*_~`|>#\-\[\]()<:])",
)
_INLINE = (
    (re.compile(r"\*\*(.+?)\*\*", re.S), r"<strong>\1</strong>"),
    (re.compile(r"__(.+?)__", re.S), r"<u>\1</u>"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", re.S), r"<em>\1</em>"),
    (re.compile(r"(?<![\w_])_(?!\s)(.+?)(?<!\s)_(?![\w_])", re.S), r"<em>\1</em>"),
    (re.compile(r"~~(.+?)~~", re.S), r"<s>\1</s>"),
    (re.compile(r"\|\|(.+?)\|\|", re.S), r"<span class='spoiler'>\1</span>"),
)
# Private-use characters mark where finished HTML goes back in, so markdown rules never touch it.
_HOLD = "\ue000{}\ue001"
_HELD = re.compile("\ue000(\\d+)\ue001")


@dataclass(frozen=True)
class Reader:
    """Who is reading and when: names for mentions, a time zone, 'now' for relative times, and their language."""

    lookup: Lookup
    zone: tzinfo
    now: datetime
    locale: str = "en-GB"

    def mention(self, kind: str, snowflake: int) -> str:
        """Return a mention as Discord shows it: #channel, @role, @user, or a placeholder it cannot resolve."""
        if kind == "#":
            return "#" + (self.lookup("channel", snowflake) or "unknown-channel")
        if kind == "@&":
            return "@" + (self.lookup("role", snowflake) or "unknown-role")
        return "@" + (self.lookup("user", snowflake) or "unknown-user")

    def stamp(self, moment: datetime) -> str:
        """When a message was sent, as its header shows it: 'Wed 11 Mar 2026 17:01' ('Mi., 11.03.2026 17:01')."""
        local = moment.astimezone(self.zone)
        if self.locale.startswith("en"):
            return f"{local:%a %d %b %Y %H:%M}"
        weekday = format_date(local, "EEE", locale=self.locale.replace("-", "_"))
        return f"{weekday}, {format_date(local, 'medium', locale=self.locale.replace('-', '_'))} {local:%H:%M}"

    def time(self, unix: int, style: str) -> str:
        """Return a Discord timestamp as a reader in this zone and language sees it (British English by default)."""
        moment = datetime.fromtimestamp(unix, UTC).astimezone(self.zone)
        language = self.locale.split("-")[0]
        if style == "R" or style not in "tTdDfF":
            return relative(moment - self.now.astimezone(self.zone), language)
        if language == "en":
            day = f"{moment.day} {moment:%B %Y}"
            formats = {
                "t": f"{moment:%H:%M}",
                "T": f"{moment:%H:%M:%S}",
                "d": f"{moment:%d/%m/%Y}",
                "D": day,
                "f": f"{day} {moment:%H:%M}",
                "F": f"{moment:%A}, {day} {moment:%H:%M}",
            }
            return formats[style]
        # Discord's client formats the other languages as CLDR does: 11.03.2026, 11. März 2026, Mittwoch, ...
        patterns = {"t": "HH:mm", "T": "HH:mm:ss", "d": "medium", "D": "long", "f": "long", "F": "full"}
        if style in "tT":
            return format_time(moment, patterns[style], locale=self.locale.replace("-", "_"))
        shown = format_date(moment, patterns[style], locale=self.locale.replace("-", "_"))
        return shown if style in "dD" else f"{shown} {moment:%H:%M}"


# Discord's relative timestamps follow dayjs's thresholds: (below this many seconds, words for the span).
# Babel's format_timedelta rounds differently ("in 1 week" where Discord says "in 6 days"), hence a table per
# language, with dayjs's words (German takes the dative after "in" and "vor").
_THRESHOLDS = (45, 90, 45 * 60, 90 * 60, 22 * 3600, 36 * 3600, 26 * 86400, 45 * 86400, 320 * 86400, 548 * 86400)
_UNITS = (1, 60, 60, 3600, 3600, 86400, 86400, 86400 * 30.4, 86400 * 30.4, 86400 * 365, 86400 * 365)
_WORDS = {
    "en": (
        ("a few seconds", "a minute", "{} minutes", "an hour", "{} hours", "a day", "{} days", "a month", "{} months",
         "a year", "{} years"),
        "in {}",
        "{} ago",
    ),
    "de": (
        ("ein paar Sekunden", "einer Minute", "{} Minuten", "einer Stunde", "{} Stunden", "einem Tag", "{} Tagen",
         "einem Monat", "{} Monaten", "einem Jahr", "{} Jahren"),
        "in {}",
        "vor {}",
    ),
}  # fmt: skip


def relative(delta: timedelta, language: str = "en") -> str:
    """Describe a time difference the way Discord's relative timestamps do ('in 2 hours', '3 days ago')."""
    seconds = abs(delta.total_seconds())
    words, future, past = _WORDS.get(language, _WORDS["en"])
    step = next((i for i, limit in enumerate(_THRESHOLDS) if seconds < limit), len(_THRESHOLDS))
    span = words[step].format(round(seconds / _UNITS[step]))
    return (future if delta.total_seconds() >= 0 else past).format(span)


def inline_html(text: str, reader: Reader) -> str:
    """Render one run of Discord markdown (no block structure) as HTML."""
    held: list[str] = []

    def hold(fragment: str) -> str:
        held.append(fragment)
        return _HOLD.format(len(held) - 1)

    def token(match: re.Match[str]) -> str:
        if match["code"]:
            return hold(f"<code>{html.escape(match['code_text'])}</code>")
        if match["mention"]:
            name = reader.mention(match["mention"], int(match["id"]))
            return hold(f"<span class='mention'>{html.escape(name)}</span>")
        if match["unix"]:
            shown = reader.time(int(match["unix"]), match["style"] or "f")
            exact = reader.time(int(match["unix"]), "F")
            return hold(f"<span class='time' title='{html.escape(exact)}'>{html.escape(shown)}</span>")
        if match["url"]:
            label = inline_html(match["label"], reader)
            return hold(f"<a href='{html.escape(match['url'])}'>{label}</a>")
        if match["bare"]:
            return hold(f"<a href='{html.escape(match['bare'])}'>{html.escape(match['bare'])}</a>")
        return hold(html.escape(match["escaped"]))

    text = html.escape(_TOKEN.sub(token, text), quote=False)
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    while _HELD.search(text):
        text = _HELD.sub(lambda m: held[int(m.group(1))], text)
    return text


def block_html(text: str, reader: Reader) -> str:
    """Render Discord markdown with its block structure: code blocks, quotes, lists, headings, subtext."""
    out: list[str] = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("```"):
            body, index = _code_block(lines, index)
            out.append(f"<pre>{html.escape(body)}</pre>")
            continue
        if line.startswith(("- ", "* ")):
            items = []
            while index < len(lines) and lines[index].startswith(("- ", "* ")):
                items.append(f"<li>{inline_html(lines[index][2:], reader)}</li>")
                index += 1
            out.append("<ul>" + "".join(items) + "</ul>")
            continue
        heading = re.match(r"(#{1,3}) (.+)", line)
        if heading:
            level = len(heading.group(1))
            out.append(f"<div class='h{level}'>{inline_html(heading.group(2), reader)}</div>")
        elif line.startswith("-# "):
            out.append(f"<div class='subtext'>{inline_html(line[3:], reader)}</div>")
        elif line.startswith(">"):
            out.append(f"<blockquote>{inline_html(line[1:].removeprefix(' '), reader)}</blockquote>")
        else:
            out.append(f"<div class='line'>{inline_html(line, reader) or '&nbsp;'}</div>")
        index += 1
    return "".join(out)


def _code_block(lines: list[str], index: int) -> tuple[str, int]:
    """Return a fenced code block's text (without a language tag) and the index of the line after it."""
    rest = lines[index][3:]
    if len(rest) >= 3 and rest.endswith("```"):
        return rest[:-3], index + 1
    body = [] if not rest or " " not in rest.strip() else [rest]
    index += 1
    while index < len(lines) and not lines[index].rstrip().endswith("```"):
        body.append(lines[index])
        index += 1
    if index < len(lines):
        body.append(lines[index].rstrip()[:-3])
    return "\n".join(body).strip("\n"), index + 1


def plain(text: str, reader: Reader) -> str:
    """Render Discord text for a terminal: mentions and timestamps resolved, markdown markers dropped."""

    def token(match: re.Match[str]) -> str:
        if match["code"]:
            return match["code_text"]
        if match["mention"]:
            return reader.mention(match["mention"], int(match["id"]))
        if match["unix"]:
            return reader.time(int(match["unix"]), match["style"] or "f")
        if match["url"]:
            return f"{match['label']} ({match['url']})"
        if match["bare"]:
            return match["bare"]
        return match["escaped"]

    return _TOKEN.sub(token, text.replace("**", "").replace("__", ""))
