"""Pure rules for confidence: when an answered item comes back in a member's own practice, and calibration.

The review schedule, after a counted answer (or a practice answer to an item that was due):

| Answer | Guessing | Fairly sure | Certain | Not said |
|---|---|---|---|---|
| wrong | 7 days | 3 days | 1 day | 7 days |
| right | 7 days | not scheduled | not scheduled | not scheduled |

A confident wrong answer comes back soonest: it marks a belief worth revisiting. A lucky guess comes back too.
A due item that is then answered right in practice leaves the schedule; answered wrong, it is due again in a day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from bot.i18n import N_, _, percent

GUESSING, FAIRLY_SURE, CERTAIN = 1, 2, 3
# Button labels, translated where shown (level_name), and the same inside a sentence (level_in_sentence).
LEVELS: dict[int, str] = {GUESSING: N_("Guessing"), FAIRLY_SURE: N_("Fairly sure"), CERTAIN: N_("Certain")}
_IN_SENTENCE: dict[int, str] = {GUESSING: N_("guessing"), FAIRLY_SURE: N_("fairly sure"), CERTAIN: N_("certain")}
_WRONG = {CERTAIN: timedelta(days=1), FAIRLY_SURE: timedelta(days=3), GUESSING: timedelta(days=7)}
AGAIN_AFTER_A_MISS = timedelta(days=1)


def level_name(level: int) -> str:
    """A confidence level's name in the reader's language ("Fairly sure")."""
    return _(LEVELS[level])


def level_in_sentence(level: int) -> str:
    """A confidence level as it reads inside a sentence ("Noted: fairly sure")."""
    return _(_IN_SENTENCE[level])


def review_delay(correct: bool, confidence: int | None) -> timedelta | None:
    """How long until an answered item comes back in the member's practice; None if it need not."""
    if not correct:
        return _WRONG.get(confidence or 0, timedelta(days=7))
    return timedelta(days=7) if confidence == GUESSING else None


def calibration(rated: Iterable[tuple[int, bool]]) -> dict[int, tuple[int, int]]:
    """Return level -> (right, answered) over (confidence, correct) pairs, for levels with any answers."""
    tally: dict[int, list[int]] = {}
    for level, correct in rated:
        if level not in LEVELS:
            raise ValueError(f"unknown confidence level {level}")
        counts = tally.setdefault(level, [0, 0])
        counts[0] += bool(correct)
        counts[1] += 1
    return {level: (right, total) for level, (right, total) in sorted(tally.items())}


def calibration_lines(rated: Iterable[tuple[int, bool]]) -> list[str]:
    """The calibration a member sees in /quiz stats: how often each level was right."""
    table = calibration(rated)
    if not table:
        return [_("After answering, tap how sure you were; your calibration then shows here.")]
    lines = [
        # Translators: {level} is how sure the member was ("Fairly sure"); {share} is a percentage.
        _("- {level}: right {right} of {total} ({share})").format(
            level=level_name(level), right=right, total=total, share=percent(right / total)
        )
        for level, (right, total) in table.items()
    ]
    if CERTAIN in table and table[CERTAIN][0] < table[CERTAIN][1]:
        lines.append(_("Confident misses come back first in `/quiz practice`."))
    return lines
