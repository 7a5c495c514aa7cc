"""The flows the meeting's controls start, gathered for the views' FlowBinding (bound in the feature's setup)."""

from __future__ import annotations

from cogs.meeting.attendance import add_people, confirm_everyone, mark_present, remove_meeting, remove_people
from cogs.meeting.feedback import answerable_meeting, clean_words, feedback_intro, save_answer
from cogs.meeting.snooze import later, skip

__all__ = [
    "add_people",
    "answerable_meeting",
    "clean_words",
    "confirm_everyone",
    "feedback_intro",
    "later",
    "mark_present",
    "remove_meeting",
    "remove_people",
    "save_answer",
    "skip",
]
