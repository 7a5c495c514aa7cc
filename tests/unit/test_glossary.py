"""German content follows the glossary (bot/locales/glossary.toml): one word for one idea, "du" throughout.

For every German quiz item and prompt (each file under bot/content/<bank>/de/), field by field against the English
it translates: where the English names a glossary term (its `en`, case-insensitively, at the start of a word), the
German names the term's `de` stem (case-insensitively, anywhere: "Rückzugsruptur" names "Ruptur"); no `avoid`
variant appears at the start of a German word; and the German addresses the reader as "du", never "Sie", outside
quoted speech (a vignette may quote a therapist speaking to a client as German practice does). Sources stay as
cited, in English, and are not checked. Every miss is reported with file, id, field and term.

Overlapping terms: English "countertransference" contains "transference", and German "Gegenübertragung" contains
"übertragung". The English match needs a word start (so "countertransference" and "counter-transference" do not
name "transference"), and before the German is searched for a stem, every longer `de` that contains it is taken out
(so "Gegenübertragung" alone does not count as naming "Übertragung"). The same holds for "Inkongruenz".
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY_FILE = ROOT / "bot" / "locales" / "glossary.toml"
CONTENT = ROOT / "bot" / "content"
TERM_FIELDS = {"en": True, "de": True, "avoid": False, "also": False, "note": False}
INTERFACE_FIELDS = {"en": True, "de": True, "fr": True, "note": False}
# Formal address: capitalised Sie/Ihnen/Ihr... anywhere but at the start of a sentence (where "Sie" may be "she").
FORMAL = re.compile(r"\b(Sie|Ihnen|Ihr|Ihre|Ihrem|Ihren|Ihrer|Ihres)\b")
SENTENCE_START = re.compile(r"(^|[.!?:]\s*)$")
QUOTED = re.compile(r"„[^“]*“|\"[^\"]*\"|»[^«]*«|“[^”]*”")


@dataclass(frozen=True)
class Term:
    """A clinical term: how the English names it, the German stem it must become, and German words to avoid."""

    en: str
    de: str
    also: tuple[str, ...]
    avoid: tuple[str, ...]


def glossary() -> dict[str, Any]:
    return tomllib.loads(GLOSSARY_FILE.read_text(encoding="utf-8"))


def terms(data: Mapping[str, Any] | None = None) -> list[Term]:
    data = glossary() if data is None else data
    return [
        Term(t["en"], t["de"], tuple(t.get("also", ())), tuple(t.get("avoid", ())))
        for t in data.get("term", [])
        if isinstance(t.get("en"), str) and isinstance(t.get("de"), str)
    ]


def names_in_english(term: Term, text: str) -> bool:
    # The bank writes "counter-transference" as well as "countertransference": one word either way.
    text = re.sub(r"(?i)\bcounter-(?=transferen)", "counter", text)
    return re.search(rf"(?<![\w-]){re.escape(term.en)}", text, re.IGNORECASE) is not None


def names_in_german(term: Term, text: str, every: list[Term]) -> bool:
    text = text.lower()
    stem = term.de.lower()
    # A longer term's German that contains this one ("gegenübertragung" holds "übertragung") does not count.
    for longer in sorted({t.de.lower() for t in every if stem in t.de.lower() and t.de.lower() != stem}, key=len)[::-1]:
        text = text.replace(longer, " ")
    return any(re.search(_declined(form.lower()), text) for form in (term.de, *term.also))


def _declined(form: str) -> str:
    # A term of several words is declined in a sentence ("entspricht bedingungsloser positiver Wertschätzung"):
    # each word's stem, with any ending. A single word stays a plain stem, found inside compounds too.
    words = form.split()
    if len(words) == 1:
        return re.escape(form)
    return r"\s+".join(re.escape(w[:-1] if w.endswith("e") else w) + r"\w*" for w in words)


def avoided_in(text: str, every: list[Term]) -> list[tuple[Term, str]]:
    return [
        (term, word)
        for term in every
        for word in term.avoid
        if re.search(rf"(?<![\w-]){re.escape(word)}", text, re.IGNORECASE)
    ]


def formal_address(text: str) -> list[str]:
    unquoted = QUOTED.sub(" ", text)
    return [m.group(0) for m in FORMAL.finditer(unquoted) if not SENTENCE_START.search(unquoted[: m.start()])]


def texts(entry: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """The fields a reader reads, by name: a prompt's text; a question's stem, option texts and explanations."""
    for field in ("text", "stem"):
        if isinstance(entry.get(field), str):
            yield field, entry[field]
    for number, option in enumerate(entry.get("options") or [], start=1):
        for field in ("text", "explanation"):
            if isinstance(option, Mapping) and isinstance(option.get(field), str):
                yield f"options[{number}].{field}", option[field]


def entries(path: Path) -> list[Mapping[str, Any]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    found = data.get("items", data.get("prompts", []))
    return [e for e in found if isinstance(e, Mapping)]


def german_files(root: Path) -> list[Path]:
    return sorted(root.glob("*/de/*.toml"))


def misses(german: Path, root: Path, every: list[Term] | None = None) -> list[str]:
    """Every glossary and register miss in one German file, as `file: id: field: what`."""
    every = terms() if every is None else every
    english_file = german.parent.parent / german.name
    english = {e.get("id"): e for e in entries(english_file)} if english_file.is_file() else {}
    label = german.relative_to(root).as_posix()
    found = []
    for entry in entries(german):
        item = entry.get("id")
        original = dict(texts(english.get(item, {})))
        for field, text in texts(entry):
            where = f"{label}: {item}: {field}"
            for term in every:
                if names_in_english(term, original.get(field, "")) and not names_in_german(term, text, every):
                    found.append(f"{where}: the English names {term.en!r}, the German lacks {term.de!r}")
            for term, word in avoided_in(text, every):
                found.append(f"{where}: {word!r} is to be avoided; the glossary's word is {term.de!r}")
            for word in formal_address(text):
                found.append(f"{where}: {word!r} addresses the reader formally; the register is 'du'")
    return found


def test_every_glossary_entry_has_the_fields_it_needs() -> None:
    data = glossary()
    problems = []
    for kind, fields in (("term", TERM_FIELDS), ("interface", INTERFACE_FIELDS)):
        assert data.get(kind), f"no [[{kind}]] entries"
        for number, entry in enumerate(data[kind], start=1):
            name = f"[[{kind}]] {number} ({entry.get('en', '?')})"
            problems += [f"{name}: unknown field {key!r}" for key in sorted(set(entry) - set(fields))]
            for key, required in fields.items():
                value = entry.get(key)
                if value is None:
                    problems += [f"{name}: missing {key!r}"] if required else []
                elif key in ("avoid", "also"):
                    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                        problems.append(f"{name}: {key!r} is not a list of words")
                elif not isinstance(value, str) or not value.strip():
                    problems.append(f"{name}: {key!r} is not text")
            if kind == "term" and isinstance(entry.get("de"), str):
                clash = [w for w in entry.get("avoid", []) if isinstance(w, str) and w.lower() == entry["de"].lower()]
                problems += [f"{name}: its own German {entry['de']!r} is in 'avoid'"] if clash else []
    assert not problems, "\n".join(problems)


def test_there_is_german_content_to_check() -> None:
    assert {p.parent.parent.name for p in german_files(CONTENT)} >= {"prompts"}
    assert len(german_files(CONTENT)) >= 7


@pytest.mark.parametrize("german", german_files(CONTENT), ids=lambda p: p.relative_to(CONTENT).as_posix())
def test_german_content_follows_the_glossary_and_says_du(german: Path) -> None:
    found = misses(german, CONTENT)
    assert not found, f"{len(found)} miss(es):\n" + "\n".join(found)


ENGLISH = """element = "transference"

[[prompts]]
id = "transference-p901"
stage = "feel"
text = "What does transference stir in you, and how does your countertransference answer it?"
source = "Freud, S. (1912). The dynamics of transference."

[[prompts]]
id = "transference-p902"
stage = "feel"
text = "Which counter-transference reactions, and which ruptures, did you notice this week?"
source = "Racker, H. (1957). The meanings and uses of countertransference."

[[prompts]]
id = "transference-p903"
stage = "plan"
text = "How will you repair it, and what does your empathy tell you?"
source = "Safran, J.D. & Muran, J.C. (2000). Negotiating the Therapeutic Alliance."
"""

BROKEN = """element = "transference"
locale = "de"

[[prompts]]
id = "transference-p901"
stage = "feel"
text = "Was löst die Gegenübertragung in Ihnen aus? Sie antworten darauf mit einer Transferenz."
source = "Freud, S. (1912). The dynamics of transference."

[[prompts]]
id = "transference-p902"
stage = "feel"
text = "Welche Gegenübertragungsreaktionen und welche Risse hast du diese Woche bemerkt? Sie sagte: „Haben Sie Zeit?“"
source = "Racker, H. (1957). The meanings and uses of countertransference."

[[prompts]]
id = "transference-p903"
stage = "plan"
text = "Wie wirst du sie reparieren, und was sagt dir dein Einfühlungsvermögen?"
source = "Safran, J.D. & Muran, J.C. (2000). Negotiating the Therapeutic Alliance."
"""


def test_a_broken_german_file_has_every_miss_reported(tmp_path: Path) -> None:
    (tmp_path / "prompts" / "de").mkdir(parents=True)
    (tmp_path / "prompts" / "transference.toml").write_text(ENGLISH, encoding="utf-8")
    broken = tmp_path / "prompts" / "de" / "transference.toml"
    broken.write_text(BROKEN, encoding="utf-8")
    file = "prompts/de/transference.toml"
    assert misses(broken, tmp_path) == [
        # Only "Gegenübertragung" is there: it does not name transference as well.
        f"{file}: transference-p901: text: the English names 'transference', the German lacks 'Übertragung'",
        f"{file}: transference-p901: text: 'Transferenz' is to be avoided; the glossary's word is 'Übertragung'",
        f"{file}: transference-p901: text: 'Ihnen' addresses the reader formally; the register is 'du'",
        # "counter-transference" is countertransference, and "Gegenübertragungsreaktionen" names it; "Risse" does not
        # name rupture, and the "Sie" at a sentence's start and inside quoted speech are not the reader.
        f"{file}: transference-p902: text: the English names 'rupture', the German lacks 'Ruptur'",
        f"{file}: transference-p902: text: 'Riss' is to be avoided; the glossary's word is 'Ruptur'",
        # "reparieren" is the glossary's other form of repair; "Einfühlungsvermögen" is not "Empathie".
        f"{file}: transference-p903: text: the English names 'empath', the German lacks 'Empath'",
    ]


def test_the_glossary_accepts_reparieren_for_repair_as_its_note_says() -> None:
    repair = next(t for t in terms() if t.en == "repair")
    assert names_in_german(repair, "Wie wirst du die Ruptur reparieren?", terms())
    assert names_in_german(repair, "Ein Reparaturversuch.", terms())
    assert not names_in_german(repair, "Wie wirst du die Ruptur beheben?", terms())
