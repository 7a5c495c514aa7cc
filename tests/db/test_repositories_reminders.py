"""Quiz reminder choices and reminder DMs on a real SQLite file: claimed once, put off once, exported, erased."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.db.models import CLAIM_LEASE
from bot.db.repositories import Repositories
from bot.db.repositories.meeting_dms import SnoozeOutcome
from bot.db.repositories.reminders import QuizReminderChoice

NOW = datetime(2026, 3, 11, 7, 0, tzinfo=UTC)
GUILD, TRAINEE, OTHER = 1, 101, 102
QUIZ = (GUILD, TRAINEE, "quiz", 7)
PROMPT_DUE = int(datetime(2026, 3, 6, 8, 0, tzinfo=UTC).timestamp())
PROMPT = (GUILD, TRAINEE, "prompt", PROMPT_DUE)


def choice(user_id: int = TRAINEE, hours: int = 6) -> QuizReminderChoice:
    return QuizReminderChoice(GUILD, user_id, hours, "Europe/London", "22:00", "07:00")


async def test_a_choice_is_saved_changed_and_stopped(repos: Repositories) -> None:
    reminders = repos.reminders
    await reminders.set_quiz_reminder(choice(), NOW)
    await reminders.set_quiz_reminder(choice(hours=12), NOW)  # changing it keeps one row
    await reminders.set_quiz_reminder(choice(OTHER), NOW)
    assert [(c.user_id, c.hours_before) for c in await reminders.quiz_reminder_choices()] == [(TRAINEE, 12), (OTHER, 6)]
    assert await reminders.stop_quiz_reminder(GUILD, TRAINEE) is True
    assert await reminders.stop_quiz_reminder(GUILD, TRAINEE) is False
    assert await reminders.quiz_reminder(GUILD, TRAINEE) is None


async def test_hours_outside_the_sane_range_are_refused_by_the_table(repos: Repositories) -> None:
    with pytest.raises(sqlite3.IntegrityError):  # 49 hours before is not stored
        await repos.reminders.set_quiz_reminder(choice(hours=49), NOW)
    assert await repos.reminders.quiz_reminder_choices() == []


async def test_a_reminder_is_claimed_once_and_a_stale_claim_is_taken_over(repos: Repositories) -> None:
    reminders = repos.reminders
    assert await reminders.claim(*QUIZ, NOW) is True
    assert await reminders.claim(*QUIZ, NOW + timedelta(minutes=1)) is False  # held by a live process
    # A process that stopped between claiming and sending: after the lease, the claim is taken over once.
    later = NOW + CLAIM_LEASE + timedelta(minutes=2)
    assert await reminders.claim(*QUIZ, later) is True
    assert await reminders.claim(*QUIZ, later) is False
    await reminders.settle(QUIZ, "sent", later)
    assert await reminders.claim(*QUIZ, later + timedelta(days=1)) is False  # sent is final
    await reminders.release(QUIZ)  # only a claim is released, never a sent reminder
    assert (await reminders.get(QUIZ)).status == "sent"  # type: ignore[union-attr]


async def test_a_sent_reminder_is_put_off_once_and_re_sent_once(repos: Repositories) -> None:
    reminders = repos.reminders
    await reminders.claim(*QUIZ, NOW)
    assert await reminders.snooze(QUIZ, NOW + timedelta(hours=1), NOW) is SnoozeOutcome.ALREADY  # not sent yet
    await reminders.settle(QUIZ, "sent", NOW)
    assert await reminders.snooze(QUIZ, NOW + timedelta(hours=1), NOW) is SnoozeOutcome.DONE
    assert await reminders.snooze(QUIZ, NOW + timedelta(hours=1), NOW) is SnoozeOutcome.ALREADY
    assert await reminders.due_resends("quiz", NOW + timedelta(minutes=59)) == []
    [due] = await reminders.due_resends("quiz", NOW + timedelta(hours=1))
    assert await reminders.claim_resend(due, NOW + timedelta(hours=1)) is True
    assert await reminders.claim_resend(due, NOW + timedelta(hours=1)) is False
    await reminders.settle(QUIZ, "resent", NOW + timedelta(hours=1))
    assert await reminders.due_resends("quiz", NOW + timedelta(days=1)) == []
    assert await reminders.snooze(QUIZ, NOW + timedelta(hours=3), NOW) is SnoozeOutcome.ALREADY  # once only
    assert await reminders.snooze((GUILD, OTHER, "quiz", 7), NOW, NOW) is SnoozeOutcome.GONE


async def test_a_prompt_is_put_off_or_skipped_once(repos: Repositories) -> None:
    reminders = repos.reminders
    until = NOW + timedelta(hours=1)
    assert await reminders.put_off_prompt(PROMPT, "empathy-p001", until, NOW) is SnoozeOutcome.DONE
    assert await reminders.put_off_prompt(PROMPT, "empathy-p001", until, NOW) is SnoozeOutcome.ALREADY
    # Skipping a put-off prompt cancels its re-send.
    assert await reminders.skip(PROMPT, NOW) is SnoozeOutcome.DONE
    assert await reminders.due_resends("prompt", until) == []
    assert await reminders.skip(PROMPT, NOW) is SnoozeOutcome.ALREADY
    other = (GUILD, OTHER, "prompt", PROMPT_DUE)
    assert await reminders.skip(other, NOW) is SnoozeOutcome.DONE  # a prompt DM not acted on before
    assert await reminders.put_off_prompt(other, "empathy-p001", until, NOW) is SnoozeOutcome.ALREADY


async def test_a_re_send_left_half_way_is_taken_over_after_the_lease(repos: Repositories) -> None:
    reminders = repos.reminders
    await reminders.put_off_prompt(PROMPT, "empathy-p001", NOW, NOW)
    [due] = await reminders.due_resends("prompt", NOW)
    assert await reminders.claim_resend(due, NOW) is True
    assert await reminders.due_resends("prompt", NOW + timedelta(minutes=1)) == []
    [stale] = await reminders.due_resends("prompt", NOW + CLAIM_LEASE + timedelta(seconds=1))
    assert await reminders.claim_resend(stale, NOW + CLAIM_LEASE + timedelta(seconds=1)) is True


async def test_retention_keeps_pending_re_sends_and_choices(repos: Repositories) -> None:
    reminders = repos.reminders
    await reminders.set_quiz_reminder(choice(), NOW)
    await reminders.claim(*QUIZ, NOW)
    await reminders.settle(QUIZ, "sent", NOW)
    await reminders.put_off_prompt(PROMPT, "empathy-p001", NOW + timedelta(days=40), NOW)
    assert await reminders.purge_before(NOW + timedelta(days=31)) == 1
    assert await reminders.get(QUIZ) is None and await reminders.get(PROMPT) is not None
    assert await reminders.quiz_reminder(GUILD, TRAINEE) is not None


async def test_export_and_delete_cover_choices_and_reminder_dms(repos: Repositories) -> None:
    reminders = repos.reminders
    assert reminders in repos.member_data() and reminders in repos.with_retention()
    await reminders.set_quiz_reminder(choice(), NOW)
    await reminders.set_quiz_reminder(choice(OTHER), NOW)
    await reminders.claim(*QUIZ, NOW)
    await reminders.settle(QUIZ, "sent", NOW)
    await reminders.put_off_prompt(PROMPT, "empathy-p001", NOW + timedelta(hours=1), NOW)
    exported = [row.as_dict() for row in await reminders.export_member(GUILD, TRAINEE)]
    assert exported[0] == {
        "asked_for": "reminder before the quiz closes",
        "hours_before": 6,
        "timezone": "Europe/London",
        "quiet_hours": "22:00-07:00",
    }
    assert [(r["dm"], r["status"]) for r in exported[1:]] == [
        ("reflective prompt DM put off or skipped", "snoozed"),
        ("reminder before the quiz closes", "sent"),
    ]
    assert exported[1]["prompt"] == "empathy-p001" and exported[1]["send_again_at"] == "2026-03-11T08:00:00+00:00"
    assert await reminders.delete_member(GUILD, TRAINEE) == 3
    assert await reminders.export_member(GUILD, TRAINEE) == []
    assert await reminders.quiz_reminder(GUILD, OTHER) is not None  # nobody else's rows go
