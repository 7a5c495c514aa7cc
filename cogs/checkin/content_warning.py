"""Content warnings on shared check-in text: a named topic, and the words behind a Discord spoiler."""

from __future__ import annotations

from bot.text_hygiene import clean_text, neutralise_mentions

CW_TEXT_LIMIT = 40
# A short list of the topics most often warned for in mental-health spaces; anything else in the member's words.
CW_TOPICS: dict[str, str] = {
    "suicide": "Suicide or self-harm",
    "abuse": "Abuse or violence",
    "sexual": "Sexual content",
    "death": "Death or loss",
    "eating": "Eating difficulties",
    "substances": "Substance use",
}


def compose_warning(topic: str | None, own_words: str) -> str | None:
    """Join a listed topic and the member's own words into one warning, or None when neither was given."""
    words = clean_text(own_words).replace("\n", " ")
    if len(words) > CW_TEXT_LIMIT:
        raise ValueError(len(words))
    parts = [CW_TOPICS[topic]] if topic in CW_TOPICS else []
    if words:
        parts.append(words)
    return " · ".join(parts) or None


def spoiler(text: str) -> str:
    """Put text behind a Discord spoiler, neutralising mentions and any '||' that would end it early."""
    # A zero-width space between the bars keeps the member's own '||' from closing the spoiler.
    return "||" + neutralise_mentions(text).replace("||", "|\u200b|") + "||"


def warned_text(warning: str, text: str) -> str:
    """The digest's rendering of warned text: the named warning, then the words behind a spoiler."""
    return f"**CW: {neutralise_mentions(warning)}**\n{spoiler(text)}"
