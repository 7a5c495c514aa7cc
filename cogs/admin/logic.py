"""Pure rules for schedules: the kinds there are and sensible default timings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.i18n import N_, _

# Each kind's name, as a label (translate with `_()` where it is shown). The same names are the choices of
# /schedule's `kind` option, which the command translator translates from the catalogue.
SCHEDULE_KINDS = {
    "reflective_prompt": N_("Reflective prompt"),
    "quiz_opens": N_("Quiz opens"),
    "quiz_closes": N_("Quiz closes"),
    "checkin_digest": N_("Check-in digest"),
    "meeting_brief": N_("Pre-meeting brief (DM)"),
    "meeting_attendance": N_("Meeting attendance"),
    "meeting_feedback": N_("Meeting feedback"),
}
# The same names inside a sentence, where English writes them in lower case and German does not.
SCHEDULE_KINDS_IN_TEXT = {
    "reflective_prompt": N_("reflective prompt"),
    "quiz_opens": N_("quiz opens"),
    "quiz_closes": N_("quiz closes"),
    "checkin_digest": N_("check-in digest"),
    "meeting_brief": N_("pre-meeting brief (DM)"),
    "meeting_attendance": N_("meeting attendance"),
    "meeting_feedback": N_("meeting feedback"),
}


@dataclass(frozen=True)
class Timing:
    """When a schedule runs: weekdays and a local time."""

    weekdays: tuple[int, ...]
    local_time: str


# Without a meeting: quiz Monday to Friday, a prompt on Tuesday, the digest on Thursday afternoon.
_FIXED_DEFAULTS = {
    "quiz_opens": Timing((0,), "09:00"),
    "quiz_closes": Timing((4,), "17:00"),
    "reflective_prompt": Timing((1,), "10:00"),
    "checkin_digest": Timing((3,), "16:00"),
    # As if the group met on Thursday at 18:00, two hours after the digest.
    "meeting_brief": Timing((3,), "16:10"),
    "meeting_attendance": Timing((3,), "18:00"),
    "meeting_feedback": Timing((3,), "21:00"),
}


def default_timing(kind: str, meeting_weekday: int | None, meeting_time: str | None) -> Timing:
    """Return a sensible timing for a kind, relative to the group's meeting when one is set.

    The digest lands 2 hours before the meeting and the quiz closes 1 hour before it, so both can
    be discussed; the quiz opens and the prompt arrives the morning after the meeting. The brief comes
    10 minutes after the digest, so it counts what the digest shared; attendance opens at the meeting,
    and the feedback questions 3 hours after it starts, when attendance closes.
    """
    if meeting_weekday is None or meeting_time is None:
        return _FIXED_DEFAULTS[kind]
    hour, minute = map(int, meeting_time.split(":"))
    meeting = datetime(2024, 1, 1 + meeting_weekday, hour, minute)  # 2024-01-01 was a Monday
    offset = {
        "checkin_digest": -timedelta(hours=2),
        "quiz_closes": -timedelta(hours=1),
        "meeting_brief": -timedelta(hours=1, minutes=50),
        "meeting_attendance": timedelta(0),
        "meeting_feedback": timedelta(hours=3),
    }
    if kind in offset:
        moment = meeting + offset[kind]
        return Timing((moment.weekday(),), f"{moment:%H:%M}")
    after = {"quiz_opens": "09:00", "reflective_prompt": "10:00"}[kind]
    return Timing(((meeting_weekday + 1) % 7,), after)


def kind_label(kind: str) -> str:
    """A schedule kind's name in the current language (an unknown kind as it is stored)."""
    return _(SCHEDULE_KINDS[kind]) if kind in SCHEDULE_KINDS else kind
