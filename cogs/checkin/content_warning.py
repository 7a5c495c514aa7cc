"""Content warnings on shared check-in text: a named topic, and the words behind a Discord spoiler."""

from __future__ import annotations

from bot.i18n import N_, _
from bot.text_hygiene import clean_text, neutralise_mentions

CW_TEXT_LIMIT = 40
# A short list of the topics most often warned for in mental-health spaces; anything else in the member's words.
# Stored in English inside the warning; `topic_label` and `warned_text` show them in the reader's language.
CW_TOPICS: dict[str, str] = {
    "suicide": N_("Suicide or self-harm"),
    "abuse": N_("Abuse or violence"),
    "sexual": N_("Sexual content"),
    "death": N_("Death or loss"),
    "eating": N_("Eating difficulties"),
    "substances": N_("Substance use"),
}
SEPARATOR = " · "


def topic_label(topic: str) -> str:
    """A listed topic's name in the current language."""
    return _(CW_TOPICS[topic])


def compose_warning(topic: str | None, own_words: str) -> str | None:
    """Join a listed topic and the member's own words into one warning, or None when neither was given.

    The topic is kept in English, so the warning reads in the group's language wherever it is shown.
    """
    words = clean_text(own_words).replace("\n", " ")
    if len(words) > CW_TEXT_LIMIT:
        raise ValueError(len(words))
    parts = [CW_TOPICS[topic]] if topic in CW_TOPICS else []
    if words:
        parts.append(words)
    return SEPARATOR.join(parts) or None


def shown_warning(warning: str) -> str:
    """A stored warning in the current language: its listed topic translated, the member's own words as written."""
    for label in CW_TOPICS.values():
        if warning == label or warning.startswith(label + SEPARATOR):
            return _(label) + warning[len(label) :]
    return warning


def spoiler(text: str) -> str:
    """Put text behind a Discord spoiler, neutralising mentions and any '||' that would end it early."""
    # A zero-width space between the bars keeps the member's own '||' from closing the spoiler.
    return "||" + neutralise_mentions(text).replace("||", "|\u200b|") + "||"


def warned_text(warning: str, text: str) -> str:
    """The digest's rendering of warned text: the named warning, then the words behind a spoiler."""
    # Translators: "CW" is "content warning"; {warning} is a topic and/or the member's own words.
    return _("**CW: {warning}**").format(warning=neutralise_mentions(shown_warning(warning))) + f"\n{spoiler(text)}"
