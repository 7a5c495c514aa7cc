"""Hypothesis strategies for the text members and supervisors actually type or paste, and worse."""

from __future__ import annotations

from hypothesis import strategies as st

# Pieces that have broken text handling somewhere: controls, bidi overrides, zero-width characters,
# combining marks, look-alike digits, mentions, Markdown, TOML and HTML-comment syntax.
NASTY_PIECES = (
    "\x00",
    "\x07",
    "\x1b[31m",
    "\r\n",
    "\r",
    "\t",
    "\x0b",
    "\x0c",
    "\x85",
    "\u2028",
    "\u2029",
    "\u202e",  # right-to-left override
    "\u202d",
    "\u2066",
    "\u2069",
    "\u200b",  # zero-width space
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "e\u0301",
    "\u0130",  # İ, whose lower() grows
    "ß",
    "ﬃ",
    "９",  # fullwidth digit
    "٣",  # Arabic-Indic digit
    "²",
    "🫂",
    "👩🏽‍⚕️",
    "<@123456789012345678>",
    "<@!123456789012345678>",
    "<@&123456789012345678>",
    "<#123456789012345678>",
    "@everyone",
    "@here",
    "**bold**",
    "__u__",
    "~~s~~",
    "||spoiler||",
    "`code`",
    "```py\nx\n```",
    "> quote",
    "# heading",
    "[link](https://example.com)",
    "<t:0:F>",
    "<!-- body -->",
    "-->",
    '"""',
    "'''",
    "[[items]]",
    "= ",
    "\\",
    "\\u0000",
    " ",
    "\n",
)

nasty_piece = st.sampled_from(NASTY_PIECES)


def nasty_text(max_pieces: int = 12, min_size: int = 0) -> st.SearchStrategy[str]:
    """Text mixing arbitrary characters with the pieces above."""
    piece = st.one_of(nasty_piece, st.text(max_size=12))
    return st.lists(piece, max_size=max_pieces).map("".join).filter(lambda s: len(s) >= min_size)


def long_text(size: int = 4000) -> st.SearchStrategy[str]:
    """Exactly `size` characters, built by repeating some nasty text (a full modal field)."""
    return nasty_text(min_size=1).map(lambda s: (s * (size // len(s) + 1))[:size])


def any_text(max_pieces: int = 12) -> st.SearchStrategy[str]:
    """Short nasty text, a whole 4,000-character field, or plain arbitrary text."""
    return st.one_of(nasty_text(max_pieces), long_text(), st.text())
