"""The countertransference dimensions a check-in names, shared by the check-ins and the pre-meeting brief."""

from __future__ import annotations

# Betan, Heim, Zittel Conklin & Westen (2005): the eight countertransference questionnaire factors.
DIMENSIONS: dict[str, str] = {
    "overwhelmed": "Overwhelmed / disorganised",
    "helpless": "Helpless / inadequate",
    "positive": "Positive / close",
    "special": "Special / overinvolved",
    "sexualised": "Sexualised",
    "disengaged": "Disengaged / bored",
    "parental": "Parental / protective",
    "criticised": "Criticised / mistreated",
}
