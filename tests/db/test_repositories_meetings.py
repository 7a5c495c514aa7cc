"""Meetings, attendance, meeting DMs and anonymous feedback on a real SQLite file, including export and delete."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.db.models import CLAIM_LEASE
from bot.db.repositories import Repositories
from bot.db.repositories.meeting_dms import SnoozeOutcome
from bot.db.repositories.meeting_feedback import FeedbackAnswer
from bot.db.repositories.meetings import MarkOutcome

NOW = datetime(2026, 3, 4, 14, 0, tzinfo=UTC)
GUILD, TRAINEE, OTHER, SUPERVISOR = 1, 101, 102, 900


async def group_meeting(repos: Repositories, start: datetime = NOW):  # type: ignore[no-untyped-def]
    return await repos.meetings.open_group_meeting(
        GUILD, start, 90, "in_person", "Europe/London", start + timedelta(hours=3), start
    )


async def test_a_retried_attendance_post_finds_its_meeting_and_marks_count_once(repos: Repositories) -> None:
    first = await group_meeting(repos)
    assert (await group_meeting(repos)).id == first.id  # a retry of the same fire
    assert await repos.meetings.mark_present(first.id, TRAINEE, NOW) is MarkOutcome.MARKED
    assert await repos.meetings.mark_present(first.id, TRAINEE, NOW) is MarkOutcome.ALREADY
    assert await repos.meetings.mark_present(first.id, OTHER, NOW + timedelta(hours=3)) is MarkOutcome.CLOSED
    assert await repos.meetings.mark_present(9999, OTHER, NOW) is MarkOutcome.GONE
    assert await repos.meetings.confirm_all(first.id, SUPERVISOR, "Dr S", NOW) == 1
    assert await repos.meetings.confirm_all(first.id, SUPERVISOR, "Dr S", NOW) == 0
    [row] = await repos.meetings.attendance(first.id)
    assert row.confirmed and row.confirmed_by == SUPERVISOR and row.confirmed_by_name == "Dr S"


async def test_export_and_delete_cover_attendance_and_unlink_a_supervisors_confirmations(
    repos: Repositories, tmp_path: Path
) -> None:
    meeting = await group_meeting(repos)
    await repos.meetings.add_attendees(meeting, [TRAINEE, OTHER], NOW)
    await repos.meetings.confirm_all(meeting.id, SUPERVISOR, "Dr S", NOW)
    await repos.meetings.log_individual(
        GUILD, TRAINEE, NOW - timedelta(days=2), 50, "online", "Endings", "Europe/London", (SUPERVISOR, "Dr S"), NOW
    )
    exported = [row.as_dict() for row in await repos.meetings.export_member(GUILD, TRAINEE)]
    assert [(r["meeting"], r["minutes"], r["confirmed_by"]) for r in exported] == [
        ("individual, online", 50, "Dr S"),
        ("group, in person", 90, "Dr S"),
    ]
    given = [row.as_dict() for row in await repos.meetings.export_member(GUILD, SUPERVISOR)]
    assert sorted(r["members_confirmed"] for r in given) == [1, 2]

    assert await repos.meetings.delete_member(GUILD, TRAINEE) == 2
    assert await repos.meetings.export_member(GUILD, TRAINEE) == []
    # The individual session had nobody else, so it went with the member; the group meeting stays.
    assert [m.format for m in await repos.meetings.recent(GUILD)] == ["group"]
    assert await repos.meetings.delete_member(GUILD, SUPERVISOR) == 1  # one confirmation unlinked
    [other] = await repos.meetings.attendance(meeting.id)
    assert other.user_id == OTHER and other.confirmed and other.confirmed_by is None
    assert other.confirmed_by_name == "Dr S"  # part of the other member's record
    with sqlite3.connect(tmp_path / "bot.sqlite3") as conn:
        assert conn.execute(
            "SELECT COUNT(*) FROM meeting_attendance WHERE user_id = ? OR confirmer_user_id = ?", (TRAINEE, SUPERVISOR)
        ).fetchone() == (0,)


async def test_retention_removes_old_meetings_with_their_attendance(repos: Repositories) -> None:
    old = await group_meeting(repos, NOW - timedelta(days=800))
    new = await group_meeting(repos)
    for meeting in (old, new):
        await repos.meetings.add_attendees(meeting, [TRAINEE], NOW)
    assert await repos.meetings.purge_before(NOW - timedelta(days=365)) == 1
    assert [e.meeting.id for e in await repos.meetings.member_record(GUILD, TRAINEE)] == [new.id]


async def test_meeting_dms_are_claimed_once_snoozed_once_and_erased(repos: Repositories) -> None:
    dms = repos.meeting_dms
    await dms.set_opt_in(GUILD, TRAINEE, "feedback", True)
    assert await dms.opted_in(GUILD, "feedback") == [TRAINEE]
    assert await dms.claim(GUILD, TRAINEE, "feedback", 7, NOW)
    assert not await dms.claim(GUILD, TRAINEE, "feedback", 7, NOW)
    assert await dms.snooze(GUILD, TRAINEE, "feedback", 7, NOW) is SnoozeOutcome.ALREADY  # not sent yet
    await dms.settle(GUILD, TRAINEE, "feedback", 7, "sent")
    assert await dms.snooze(GUILD, TRAINEE, "feedback", 7, NOW + timedelta(hours=1)) is SnoozeOutcome.DONE
    assert await dms.snooze(GUILD, TRAINEE, "feedback", 7, NOW + timedelta(hours=2)) is SnoozeOutcome.ALREADY
    assert await dms.due_resends(NOW) == []
    resend = NOW + timedelta(hours=1)
    [due] = await dms.due_resends(resend)
    assert await dms.claim_resend(due, resend) and not await dms.claim_resend(due, resend)
    assert await dms.skip(GUILD, TRAINEE, "feedback", 8) is SnoozeOutcome.GONE
    exported = [row.as_dict() for row in await dms.export_member(GUILD, TRAINEE)]
    assert {"asked_for_dms": "questions after each meeting"} in exported and len(exported) == 2
    assert await dms.delete_member(GUILD, TRAINEE) == 2
    assert await dms.export_member(GUILD, TRAINEE) == []


async def test_a_dm_claim_left_by_a_stopped_process_is_taken_over_once_the_lease_is_up(repos: Repositories) -> None:
    dms = repos.meeting_dms
    assert await dms.claim(GUILD, TRAINEE, "feedback", 7, NOW)  # then the process stops before sending
    assert not await dms.claim(GUILD, TRAINEE, "feedback", 7, NOW + CLAIM_LEASE)  # still within its lease
    assert await dms.claim(GUILD, TRAINEE, "feedback", 7, NOW + CLAIM_LEASE + timedelta(seconds=1))
    await dms.settle(GUILD, TRAINEE, "feedback", 7, "sent")
    assert not await dms.claim(GUILD, TRAINEE, "feedback", 7, NOW + timedelta(days=1))  # sent is sent

    await dms.snooze(GUILD, TRAINEE, "feedback", 7, NOW + timedelta(hours=1))
    resend = NOW + timedelta(hours=1)
    [due] = await dms.due_resends(resend)
    assert await dms.claim_resend(due, resend)  # then the process stops mid re-send
    assert await dms.due_resends(resend + CLAIM_LEASE) == []
    [stuck] = await dms.due_resends(resend + CLAIM_LEASE + timedelta(seconds=1))
    assert stuck.status == "resending"
    assert await dms.claim_resend(stuck, resend + CLAIM_LEASE + timedelta(seconds=1))
    await dms.settle(GUILD, TRAINEE, "feedback", 7, "sent")
    assert await dms.due_resends(NOW + timedelta(days=1)) == []


async def test_feedback_rows_carry_no_member_and_go_with_their_meeting(repos: Repositories) -> None:
    feedback = repos.meeting_feedback
    for n in range(3):
        await feedback.save(GUILD, 7, date(2026, 3, 4), FeedbackAnswer(n, 5, 10, "words" if n else None))
    await feedback.save(GUILD, 8, date(2025, 1, 1), FeedbackAnswer(1, 1, 1))
    found = await feedback.for_meetings(GUILD, [7, 8, 9])
    assert sorted(a.goals for a in found[7]) == [0, 1, 2] and found[9] == []
    path = repos.anonymous.path_for(GUILD)
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
        columns = [c[1] for c in conn.execute("PRAGMA table_info(meeting_feedback)")]
    assert not any("user" in c or "time" in c or c.endswith("_at") for c in columns)
    assert await feedback.purge_before(datetime(2026, 1, 1, tzinfo=UTC)) == 1
    assert await feedback.delete_meeting(GUILD, 7) == 3
    assert await feedback.for_meetings(GUILD, [7, 8]) == {7: [], 8: []}
