"""Find a control by its English label whatever language the demo's members see it in.

A card's controls carry random custom ids, so the script finds them by label. In another language the label is
the catalogue's translation of that English text (under whatever context the feature gave it), or, when the
English label holds a value (`Share my words: {answer}`), the translation's words before the value.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from babel.messages.mofile import read_mo

from bot import i18n

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
MIN_HEAD = 4


@functools.cache
def _pairs(locale: str) -> tuple[tuple[str, str], ...]:
    """(English, translation) for every translated single message of a language, whatever its context."""
    path = i18n.LOCALES_DIR / i18n.catalogue_name(locale) / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    if i18n.catalogue_name(locale) == "en" or not path.is_file():
        return ()
    with path.open("rb") as f:
        catalog = read_mo(f)
    return tuple((m.id, m.string) for m in catalog if isinstance(m.id, str) and m.id and isinstance(m.string, str))


def spellings(english: str, locale: str) -> tuple[str, ...]:
    """How a label starting `english` may read in `locale`: the English itself, and each translation's beginning."""
    found = [english]
    for source, translated in _pairs(locale):
        before_value = _PLACEHOLDER.split(translated)[0].strip()
        if source.startswith(english):  # the label itself, or a longer message that begins with it
            start = before_value if _PLACEHOLDER.search(source) else translated
        else:
            # The label shows a value: the message's words before its placeholder must start the label, and be
            # long enough to say something ("Q{number}" must not make every label starting with Q match).
            head = _PLACEHOLDER.split(source)[0]
            if head == source or len(head.strip()) < MIN_HEAD or not english.startswith(head):
                continue
            start = before_value if len(before_value) >= MIN_HEAD else ""
        if start and start not in found:
            found.append(start)
    return tuple(found)


def has_label(comp: dict[str, Any], english: str, locale: str) -> bool:
    """Whether a component's label is `english` (or starts so), as a member in `locale` sees it."""
    label = str(comp.get("label", ""))
    return any(label.startswith(spelling) for spelling in spellings(english, locale))
