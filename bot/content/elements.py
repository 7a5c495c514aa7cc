"""The elements of the therapeutic relationship that prompts and quizzes are tagged with."""

from __future__ import annotations

ELEMENTS: dict[str, str] = {
    "empathy": "Empathy",
    "congruence": "Congruence",
    "unconditional_positive_regard": "Unconditional positive regard",
    "working_alliance": "Working alliance",
    "transference": "Transference",
    "countertransference": "Countertransference",
    "rupture_repair": "Rupture and repair",
}

# Quiz topics beyond the seven elements; a group gets them only by naming them in its quiz rotation.
TOPICS: dict[str, str] = {
    "supervision": "Supervision and reflective practice",
}
QUIZ_TOPICS: dict[str, str] = {**ELEMENTS, **TOPICS}

# Gibbs (1988): the stages of the reflective cycle a prompt can invite.
REFLECTIVE_STAGES = ("describe", "feel", "evaluate", "analyse", "conclude", "plan")
# Proctor (1986): the functions of supervision.
SUPERVISION_FUNCTIONS = ("normative", "formative", "restorative")


def element_name(element: str) -> str:
    """Return the display name of an element or topic id."""
    return QUIZ_TOPICS.get(element, element.replace("_", " ").capitalize())
