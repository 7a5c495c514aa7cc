"""Text hygiene for anything a member types: hidden characters out, mentions broken so they never ping."""

from __future__ import annotations

import re
import unicodedata

# Hangul fillers are letters that render as nothing; they are a known way to make invisible text.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
# Category Cc is control characters, Cf format characters (bidi overrides and isolates, zero-width space,
# joiners, word joiner, BOM, soft hyphen, tag characters) and Cs lone surrogates, which cannot even be sent.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
_LINE_BREAKS = re.compile(r"\r\n?|[\v\f\x1c-\x1f\x85\u2028\u2029]")
_MENTION = re.compile(r"@(?=everyone|here)|<@(?=[!&]?\d+>)|<(?=#\d+>)")
_ZWSP = "\u200b"


def is_hidden(char: str) -> bool:
    """Return whether a character is invisible or a control, other than newline and tab."""
    if char in "\n\t":
        return False
    return unicodedata.category(char) in _HIDDEN_CATEGORIES or char in _INVISIBLE_LETTERS


def clean_text(text: str) -> str:
    """Remove hidden and control characters (keeping newlines and tabs), NFC-normalise and strip the ends."""
    # Line breaks are unified first so that removing "\r" cannot glue two lines together.
    unified = _LINE_BREAKS.sub("\n", text)
    # Removing all format characters also drops emoji joiners and Persian ZWNJ: a small cosmetic cost, taken
    # because sequences of them can carry a hidden watermark that would identify the writer.
    visible = "".join(char for char in unified if not is_hidden(char))
    # Normalise after removal: a removed character may have separated a letter from its combining accent.
    return unicodedata.normalize("NFC", visible).strip()


def neutralise_mentions(text: str) -> str:
    """Break @everyone, @here and user, role and channel mentions so they neither ping nor render."""
    # Like discord.utils.escape_mentions, a zero-width space goes after the '@' (or the '<' of a channel).
    # Only complete mentions are touched, so an email such as jane@123.example stays intact.
    return _MENTION.sub(lambda match: match.group() + _ZWSP, text)
