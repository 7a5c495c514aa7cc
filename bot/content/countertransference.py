"""The countertransference dimensions a check-in names, shared by the check-ins and the pre-meeting brief."""

from __future__ import annotations

from bot.i18n import N_

# Betan, Heim, Zittel Conklin & Westen (2005): the eight countertransference questionnaire factors. The labels are
# English; show them through `_()` so each reader sees them in their language.
DIMENSIONS: dict[str, str] = {
    "overwhelmed": N_("Overwhelmed / disorganised"),
    "helpless": N_("Helpless / inadequate"),
    "positive": N_("Positive / close"),
    "special": N_("Special / overinvolved"),
    "sexualised": N_("Sexualised"),
    "disengaged": N_("Disengaged / bored"),
    "parental": N_("Parental / protective"),
    "criticised": N_("Criticised / mistreated"),
}
