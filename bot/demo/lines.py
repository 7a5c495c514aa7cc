"""What the people in the demo type, in the demo's language (the narration stays English)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lines:
    """Every text a person types in the demo week."""

    support_line: str
    friday: str  # the day two members want their prompt DMs on
    journal: str
    # A check-in draft with a phone number in it (a fictional one, from the range kept for drama), and its fix.
    flagged_draft: str
    fixed_draft: str
    fixed_words: str  # words of the fixed draft, to find its check-in in the digest
    reply: str
    feedback: tuple[str, str]  # Trainee A's and Trainee C's words on the meeting


LINES: dict[str, Lines] = {
    "en-US": Lines(
        support_line="Samaritans 116 123 (UK and Ireland, free, any time)",
        friday="Fri",
        journal="I noticed a pull to reassure rather than stay with the client's doubt. Next time: slow down. 🌱",
        flagged_draft="Felt flat and distant all session; my mind drifted. Call me on 07700 900123 to talk it over.",
        fixed_draft="Felt flat and distant all session; my mind drifted. I wonder what the distance protects.",
        fixed_words="I wonder what the distance protects",
        reply="Thank you for naming the distance. What happens in you just before your mind drifts? Let's look at it.",
        feedback=(
            "The role-play on endings helped; more of that, please.",
            "I'd have liked a little more time for the case I brought.",
        ),
    ),
    "de": Lines(
        support_line="TelefonSeelsorge 0800 111 0 111 (Deutschland, kostenfrei, rund um die Uhr)",
        friday="Fr",
        journal=(
            "Ich habe einen Sog gespürt, zu beruhigen, statt beim Zweifel der Klientin zu bleiben. "
            "Nächstes Mal: langsamer werden. 🌱"
        ),
        flagged_draft=(
            "Die ganze Sitzung über war ich flach und weit weg, meine Gedanken schweiften ab. "
            "Ruf mich unter 07700 900123 an, dann reden wir darüber."
        ),
        fixed_draft=(
            "Die ganze Sitzung über war ich flach und weit weg, meine Gedanken schweiften ab. "
            "Ich frage mich, wovor die Distanz schützt."
        ),
        fixed_words="wovor die Distanz schützt",
        reply=(
            "Danke, dass du die Distanz benennst. Was passiert in dir, kurz bevor deine Gedanken abschweifen? "
            "Lass uns gemeinsam darauf schauen."
        ),
        feedback=(
            "Das Rollenspiel zum Therapieende hat geholfen, gern mehr davon.",
            "Ich hätte mir etwas mehr Zeit für den Fall gewünscht, den ich mitgebracht habe.",
        ),
    ),
}
# The languages the demo can be played in: those whose members' texts are written above.
DEMO_LANGUAGES = tuple(LINES)
