"""Spot details in check-in text that could identify a client or the member.

The identifying-detail check is a nudge for a well-meaning member, not a filter against a determined one.
It looks at the text as it will be stored (hidden characters removed) and flags, in text order, without
overlaps:

- email: ``name@domain.tld``.
- url: ``http(s)://`` or ``ftp://`` links, ``www.`` addresses, bare domains on a common top-level domain
  (``example.org``, ``nhs.uk``, ``bit.ly``) and any ``domain.tld/path``.
- date: day, month and year as numbers (``12/03/2024``, ``12.03.24``, ``2024-03-12``), or a day with a month
  name, with or without a year (``12 March 2024``, ``3rd of May``, ``March 12th, 2024``).
- phone: a ``+`` international number, a number with a bracketed area code, a grouped number starting with a
  trunk ``0`` (``07700 900123``, ``06 12 34 56 78``), three or four groups of 3+ digits (``555-123-4567``) or
  ``555-1234``.
- number: any run of six or more digits (record numbers, unformatted phone numbers).
- name: two or more adjacent capitalised words (``Jane Smith``, ``Siobhan O'Brien``), or a title and a name
  (``Dr Patel``, ``Frau Müller``, ``Mme Dupont``), unless the first word starts a sentence or a word is a common
  non-name word.

German and French month names and titles count too, since members write in the bot's languages. German
capitalises every noun; the common ones of a supervision check-in (days, times of day, family roles, feelings,
clinical words) are non-name words, but a German text still draws more "possible name" flags than an English one.

Deliberately not caught, to keep ordinary reflective prose quiet: single names ("Sarah"), names at the start of
a sentence without a title, names in lower case or ALL CAPS, month and year alone ("March 2024"), numeric
day/month without a year ("12/03", which reads like a score), times, ages, money, postcodes, street addresses,
workplaces, and obfuscated forms ("jane at example dot org").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from bot.i18n import N_, _, ngettext
from bot.text_hygiene import is_hidden, neutralise_mentions

FlagKind = Literal["email", "phone", "date", "url", "number", "name"]
# When two matches overlap, the more specific kind wins: an email contains a domain, a date looks like digits.
_PRIORITY: tuple[FlagKind, ...] = ("email", "url", "date", "phone", "number", "name")
# English; `describe_flags` says them in the member's language.
_NOUNS: dict[str, str] = {
    "email": N_("an email address"),
    "phone": N_("a phone number"),
    "date": N_("a date"),
    "url": N_("a web address"),
    "number": N_("a long number"),
    "name": N_("a possible name"),
}
EXCERPT_LIMIT = 40
DESCRIBE_LIMIT = 5


@dataclass(frozen=True)
class Flag:
    """One detail that might identify someone: its kind, the visible text and its span in the original."""

    kind: FlagKind
    excerpt: str
    start: int
    end: int


_EMAIL = re.compile(r"(?<![\w.%+-])[\w%+-][\w.%+-]*@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")
_URL_CHARS = r"[^\s<>\"'`]"
_URL = re.compile(rf"(?i)(?<![\w.@/-])(?:(?:https?|ftp)://|www\.){_URL_CHARS}+")
# Top-level domains that are not also English words, so "so.it" or "do.me" typos are not flagged on their own.
_COMMON_TLDS = (
    "com|org|net|edu|gov|mil|info|biz|io|co|app|dev|xyz|online|site|health|uk|ie|nz|au|ca|eu|de|fr|nl|es|ch|se|dk|"
    "fi|za|jp|cn|ru|br|mx|gg|ly|tv"
)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
# The top-level domain must be lower case: "week.Then" is a missing space, not a web address.
_BARE_DOMAIN = re.compile(
    rf"(?<![\w@./-])(?:{_LABEL}\.)+(?:(?:{_COMMON_TLDS})(?![\w-])(?:/{_URL_CHARS}*)?|[a-z]{{2,6}}/{_URL_CHARS}+)"
)
_URL_TRAILING = ".,;:!?)]}*_~'\""
_DATE_NUMERIC = re.compile(r"(?<![\w/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\w/-]|\.\d)")
_DATE_ISO = re.compile(r"(?<![\w/.-])((?:19|20)\d{2})([/.-])(\d{1,2})\2(\d{1,2})(?![\w/-]|\.\d)")
_MONTHS = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|" + (
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
    # German and French, the bot's other languages: "3. Mai 2024", "12 mars".
    r"januar|jänner|februar|märz|mai|juni|juli|oktober|dezember|"
    r"janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre"
)
_GAP = r"[^\S\n]+"
_DAY = r"(\d{1,2})(?!\d)(?:st|nd|rd|th|er)?\b\.?"  # 3rd; 1er (French); "3." (German)
_YEAR = rf"(?:,?{_GAP}\d{{4}}(?!\d))?"
_DATE_DAY_MONTH = re.compile(rf"(?i)(?<![\w/.-]){_DAY}(?:{_GAP}of)?{_GAP}({_MONTHS})\b\.?{_YEAR}")
_DATE_MONTH_DAY = re.compile(rf"(?i)\b({_MONTHS})\b\.?{_GAP}{_DAY}{_YEAR}")
# Month names that are also everyday words count only when capitalised: "May" the month, not "may" the verb.
_WORDLIKE_MONTHS = frozenset({"may", "mar", "march"})
# Digit groups joined by single separators; which of them form a phone number is decided in `_phone_spans`.
_DIGIT_RUN = re.compile(r"(?<![\w+.-])(?:\+[ ]?)?(?:\(\d{1,5}\)\d*|\d+)(?:[ .-](?:\(\d{1,5}\)\d*|\d+))*")
_DIGIT_GROUP = re.compile(r"\(\d+\)\d*|\d+")
_MAX_PHONE_GROUPS = 6
_LONG_NUMBER = re.compile(r"(?<!\d)\d{6,}(?!\d)")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_NAME_GAP = re.compile(r"[^\S\n]{1,2}")
_TITLE_GAP = re.compile(r"\.?[^\S\n]{1,2}")
_TITLES = frozenset(
    {"dr", "mr", "mrs", "ms", "mx", "miss", "prof", "professor", "sir", "dame"}
    | {"herr", "frau", "hr", "fr"}  # German
    | {"m", "mme", "mlle"}  # French
)
_SENTENCE_ENDS = ".!?…:;\n"
# Quotes, brackets, bullets and Markdown that may sit between a sentence end and its first word.
_SENTENCE_OPENERS = " \t\u00a0\"'“‘«([{*_~>#-•"
# Capitalised words that are rarely part of a person's name: function words and sentence openers, days and
# months, family roles, holidays, and the clinical and service words people capitalise in headings.
NOT_NAME_WORDS = """
    a about after again all also although an and another any anyway are as at because before being both but by
    can could did do does during each either even every finally first for from had has have having he her here
    hers him his how however i'd i'll i'm i've if in instead into is it it's its just last later lately least
    let like maybe me meanwhile more most much my never next no nor not now of often oh ok okay on once only or
    other our out over overall perhaps please really second she should since so some sometimes still such than
    thank thanks that the their them then there therefore these they this those though through thus to today
    tomorrow tonight too under until up upon very was we well were what whatever when where whether which while
    who whom whose why will with within without would yes yesterday yet you your
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    mum mom mummy mommy dad daddy mother father parent parents grandma grandad grandpa granny gran nan nana
    auntie aunt uncle brother sister son daughter baby partner husband wife
    god christmas easter ramadan eid diwali hanukkah passover new year years day eve good holy
    client clients patient patients therapist therapists therapy supervisor supervision supervisee session
    sessions group team service services health mental care clinical clinic hospital ward unit centre center
    trust board act theory model approach assessment formulation risk safeguarding trauma anxiety depression
    disorder personality attachment transference countertransference psychodynamic cognitive behavioural
    behavioral therapeutic relationship alliance rupture repair notes note reflection reflections theme themes
    key summary plan goals week weekly british english national royal society association institute council
    university college school department practice primary secondary community child children adolescent adult
    adults family families social work worker workers internal systems person centred centered focused
    dialectical schema compassion mindfulness acceptance commitment solution brief short long term
    motivational interviewing narrative exposure analytic emotion humanistic integrative systemic existential
    gestalt psychoanalytic psychoanalysis psychotherapy counselling counseling interpersonal relational somatic
    drama triangle inventory scale questionnaire test paper book chapter lives matter
    north south east west central greater upper lower great little saint st
    zoom teams google microsoft whatsapp discord
    der die das dem den des ein eine einem einen einer eines und oder aber doch denn weil dass als wie wenn ob
    ich du er sie es wir ihr mein meine dein deine sein seine unser unsere im am beim zum zur vom mit nach bei
    seit von zu aus für über unter vor hinter neben zwischen durch gegen ohne um auch noch schon nur dann da
    heute gestern morgen abend abends mittag nachmittag vormittag nacht anfang mitte ende woche wochen stunde
    montag dienstag mittwoch donnerstag freitag samstag sonntag
    januar jänner februar märz mai juni juli oktober dezember
    klient klientin klienten klientinnen patientin patienten therapeut therapeutin therapeuten sitzung sitzungen
    gruppe stunde supervisorin gefühl gefühle wut angst scham trauer ärger schuld ohnmacht hilflosigkeit
    gegenübertragung übertragung beziehung arbeitsbündnis empathie kongruenz wertschätzung ruptur reparatur
    mutter vater eltern bruder schwester sohn tochter oma opa partnerin mann ehemann ehefrau kind kinder
    le la les un une des et ou mais je tu il elle nous vous ils elles mon ma mes ton ta son sa dans sur avec
    pour par lundi mardi mercredi jeudi vendredi samedi dimanche séance séances cliente thérapeute
"""
_NOT_NAMES = frozenset(NOT_NAME_WORDS.split())

_Span = tuple[int, int, FlagKind]


def _visible(text: str) -> tuple[str, list[int]]:
    """Return the text without hidden characters, and each kept character's index in the original."""
    # Whitespace controls are kept, so a stray "\r" still separates words as it will once cleaned.
    kept = [index for index, char in enumerate(text) if not is_hidden(char) or char.isspace()]
    return "".join(text[index] for index in kept), kept


def _email_spans(text: str) -> Iterator[_Span]:
    """Yield email addresses."""
    for match in _EMAIL.finditer(text):
        yield match.start(), match.end(), "email"


def _date_spans(text: str) -> Iterator[_Span]:
    """Yield numeric and written dates with a plausible day and month."""
    for match in _DATE_NUMERIC.finditer(text):
        first, second = int(match[1]), int(match[3])
        if 1 <= first <= 31 and 1 <= second <= 31 and min(first, second) <= 12:
            yield match.start(), match.end(), "date"
    for match in _DATE_ISO.finditer(text):
        if 1 <= int(match[3]) <= 12 and 1 <= int(match[4]) <= 31:
            yield match.start(), match.end(), "date"
    for pattern, day_group, month_group in ((_DATE_DAY_MONTH, 1, 2), (_DATE_MONTH_DAY, 2, 1)):
        for match in pattern.finditer(text):
            month = match[month_group]
            if month.lower() in _WORDLIKE_MONTHS and not month[0].isupper():
                continue
            if 1 <= int(match[day_group]) <= 31:
                yield match.start(), match.end(), "date"


def _url_spans(text: str) -> Iterator[_Span]:
    """Yield links and bare domains, without the punctuation that usually follows them in prose."""
    for pattern in (_URL, _BARE_DOMAIN):
        for match in pattern.finditer(text):
            start, end = match.span()
            while end > start and text[end - 1] in _URL_TRAILING:
                end -= 1
            if end - start > 4:
                yield start, end, "url"


def _is_phone(groups: list[str], separators: list[str], international: bool) -> bool:
    """Return whether digit groups have the shape of a phone number rather than years, scores or times."""
    digits = "".join(char for group in groups for char in group if char.isdigit())
    if not 7 <= len(digits) <= 15:
        return False
    if all(len(group) == 4 and group[:2] in ("19", "20") for group in groups):
        return False  # "2019 2020 2021" is a list of years
    if international:
        return len(digits) >= 8
    if any("(" in group for group in groups):
        return 10 <= len(digits) <= 11
    sizes = [sum(char.isdigit() for char in group) for group in groups]
    if len(groups) == 1:
        return False  # an unbroken run is reported as a long number instead
    if digits[0] == "0" and min(sizes) >= 2 and 9 <= len(digits) <= 12:
        return True  # national formats with a trunk prefix: 07700 900123, 020 7946 0958, 06 12 34 56 78
    if len(groups) <= 4 and min(sizes) >= 3 and 10 <= len(digits) <= 11:
        return True  # 555-123-4567, 555 123 4567, 0161 496 0000
    return sizes == [3, 4] and separators == ["-"]  # 555-1234


def _phone_spans(text: str) -> Iterator[_Span]:
    """Yield phone numbers found inside runs of separated digit groups."""
    for run in _DIGIT_RUN.finditer(text):
        groups = list(_DIGIT_GROUP.finditer(text, run.start(), run.end()))
        international = text[run.start()] == "+"
        index = 0
        # A run may join a phone number to a neighbouring number ("aged 35 07700 900123"), so the longest
        # phone-shaped window is taken from each position; windows are capped, so this stays linear.
        while index < len(groups):
            found = None
            for stop in range(min(len(groups), index + _MAX_PHONE_GROUPS), index, -1):
                window = groups[index:stop]
                separators = [text[left.end() : right.start()] for left, right in pairwise(window)]
                if _is_phone([group[0] for group in window], separators, international and index == 0):
                    found = stop
                    break
            if found is None:
                index += 1
                continue
            start = run.start() if international and index == 0 else groups[index].start()
            yield start, groups[found - 1].end(), "phone"
            index = found


def _number_spans(text: str) -> Iterator[_Span]:
    """Yield runs of six or more digits."""
    for match in _LONG_NUMBER.finditer(text):
        yield match.start(), match.end(), "number"


def _is_name_word(word: str) -> bool:
    """Return whether a word is capitalised like a name: not an acronym, not "I", not a common word."""
    return (
        len(word) >= 2
        and word[0].isupper()
        and not word[1].isupper()
        and any(char.islower() for char in word)
        and word.lower().replace("’", "'") not in _NOT_NAMES
    )


def _starts_sentence(text: str, index: int) -> bool:
    """Return whether the word at `index` is the first of its text, line or sentence."""
    before = index - 1
    while before >= 0 and text[before] in _SENTENCE_OPENERS:
        before -= 1
    return before < 0 or text[before] in _SENTENCE_ENDS


def _name_run_span(text: str, run: list[re.Match[str]]) -> _Span | None:
    """Return the span of a run of capitalised words if it reads as a name."""
    # A capitalised first word may just start the sentence ("Then Sarah"), so it counts only after a title.
    if run and run[0][0].lower() not in _TITLES and _starts_sentence(text, run[0].start()):
        run = run[1:]
    if len(run) < 2:
        return None
    return run[0].start(), run[-1].end(), "name"


def _name_spans(text: str) -> Iterator[_Span]:
    """Yield runs of two or more adjacent capitalised name-like words."""
    run: list[re.Match[str]] = []
    for match in _WORD.finditer(text):
        word = match[0]
        if run and _is_name_word(word):
            previous = run[-1]
            gap = text[previous.end() : match.start()]
            title = previous[0].lower() in _TITLES
            if _NAME_GAP.fullmatch(gap) or (title and _TITLE_GAP.fullmatch(gap)):
                run.append(match)
                continue
        if (span := _name_run_span(text, run)) is not None:
            yield span
        run = [match] if _is_name_word(word) else []
    if (span := _name_run_span(text, run)) is not None:
        yield span


def _excerpt(text: str) -> str:
    """Return matched text on one line, shortened to EXCERPT_LIMIT characters."""
    line = " ".join(text.split())
    return line if len(line) <= EXCERPT_LIMIT else line[: EXCERPT_LIMIT - 1] + "…"


def find_identifying_details(text: str) -> list[Flag]:
    """Find emails, phone numbers, dates, links, long numbers and names, in text order, without overlaps."""
    # Matching ignores hidden characters, so "07700\u200b900123" is still a phone number.
    visible, positions = _visible(text)
    spans = [
        *_date_spans(visible),
        *_phone_spans(visible),
        *_number_spans(visible),
        *_url_spans(visible),
        *_email_spans(visible),
        *_name_spans(visible),
    ]
    spans.sort(key=lambda span: (_PRIORITY.index(span[2]), span[0] - span[1], span[0]))
    starts: list[int] = []
    chosen: dict[int, _Span] = {}
    for span in spans:
        start, end, _ = span
        slot = bisect_right(starts, start)
        if slot > 0 and chosen[starts[slot - 1]][1] > start:
            continue
        if slot < len(starts) and starts[slot] < end:
            continue
        starts.insert(slot, start)
        chosen[start] = span
    return [
        Flag(kind, _excerpt(visible[start:end]), positions[start], positions[end - 1] + 1)
        for start, end, kind in (chosen[start] for start in starts)
    ]


def describe_flags(flags: Sequence[Flag]) -> str:
    """Describe flags as a short list, e.g. "a phone number (07700 900123), a possible name (Jane Smith)"."""
    shown = [f"{_(_NOUNS[flag.kind])} ({neutralise_mentions(flag.excerpt)})" for flag in flags[:DESCRIBE_LIMIT]]
    text = ", ".join(shown)
    more = len(flags) - DESCRIBE_LIMIT
    if more > 0:
        # Translators: {details} is a list of found details; {n} how many more were found.
        text = ngettext("{details} and {n} more", "{details} and {n} more", more).format(details=text, n=more)
    return text


# ---------------------------------------------------------------------------------------------------------------
# Periods
