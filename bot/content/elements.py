"""The elements of the therapeutic relationship that prompts and quizzes are tagged with."""

from __future__ import annotations

from bot.i18n import N_, _

# English display names, marked for the catalogue: the values are msgids (and the slash commands' choice names,
# translated by the command translator); `element_name` gives the reader's language.
ELEMENTS: dict[str, str] = {
    "empathy": N_("Empathy"),
    "congruence": N_("Congruence"),
    "unconditional_positive_regard": N_("Unconditional positive regard"),
    "working_alliance": N_("Working alliance"),
    "transference": N_("Transference"),
    "countertransference": N_("Countertransference"),
    "rupture_repair": N_("Rupture and repair"),
}

# Quiz topics beyond the seven elements; a group gets them only by naming them in its quiz rotation.
TOPICS: dict[str, str] = {
    "supervision": N_("Supervision and reflective practice"),
}
QUIZ_TOPICS: dict[str, str] = {**ELEMENTS, **TOPICS}

# Gibbs (1988): the stages of the reflective cycle a prompt can invite.
REFLECTIVE_STAGES = ("describe", "feel", "evaluate", "analyse", "conclude", "plan")
# Proctor (1986): the functions of supervision.
SUPERVISION_FUNCTIONS = ("normative", "formative", "restorative")


def element_name(element: str) -> str:
    """Return the display name of an element or topic id, in the current language."""
    name = QUIZ_TOPICS.get(element)
    return _(name) if name is not None else element.replace("_", " ").capitalize()
