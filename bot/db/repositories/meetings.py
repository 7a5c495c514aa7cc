"""Supervision meetings and attendance: the record from which a trainee's supervised hours are counted."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from zoneinfo import ZoneInfo

from bot.db.connection import Database
from bot.db.models import ExportRow, from_unix, to_unix

FORMATS = {"group": "Group", "individual": "Individual"}
MODES = {"in_person": "In person", "online": "Online"}

_MEETING = (
    "SELECT id, guild_id, starts_at, minutes, format, mode, topic, timezone, attendance_until, feedback_until"
    " FROM meetings"
)
_ATTENDANCE = (
    "SELECT meeting_id, user_id, source, recorded_at, confirmer_user_id, confirmed_by_name, confirmed_at"
    " FROM meeting_attendance"
)


@dataclass(frozen=True)
class MeetingSettings:
    """A server's meeting defaults."""

    guild_id: int
    minutes: int = 90
    mode: str = "in_person"
    attendance_hours: int = 3


@dataclass(frozen=True)
class Meeting:
    """One supervision meeting: group, or an individual session with one member."""

    id: int
    guild_id: int
    starts_at: datetime
    minutes: int
    format: str
    mode: str
    topic: str | None
    timezone: str
    attendance_until: datetime | None
    feedback_until: datetime | None

    @property
    def local_start(self) -> datetime:
        """The start in the group's zone, as the record reads."""
        return self.starts_at.astimezone(ZoneInfo(self.timezone))

    @property
    def hours(self) -> float:
        """The meeting's length in hours."""
        return self.minutes / 60


@dataclass(frozen=True)
class Attendance:
    """A member at a meeting, and the supervisor's confirmation if given."""

    meeting_id: int
    user_id: int
    source: str
    recorded_at: datetime
    confirmed_by: int | None
    confirmed_by_name: str | None
    confirmed_at: datetime | None

    @property
    def confirmed(self) -> bool:
        """Whether a supervisor confirmed it."""
        return self.confirmed_at is not None


@dataclass(frozen=True)
class AttendedMeeting:
    """A meeting with one member's attendance at it."""

    meeting: Meeting
    attendance: Attendance


class MarkOutcome(Enum):
    """What happened to a click on "Mark me present"."""

    MARKED = "marked"
    ALREADY = "already marked"
    CLOSED = "closed"
    GONE = "no such meeting"


def _meeting(row: sqlite3.Row, prefix: str = "") -> Meeting:
    return Meeting(
        id=row[f"{prefix}id"],
        guild_id=row[f"{prefix}guild_id"],
        starts_at=from_unix(row[f"{prefix}starts_at"]),
        minutes=row[f"{prefix}minutes"],
        format=row[f"{prefix}format"],
        mode=row[f"{prefix}mode"],
        topic=row[f"{prefix}topic"],
        timezone=row[f"{prefix}timezone"],
        attendance_until=from_unix(row[f"{prefix}attendance_until"]),
        feedback_until=from_unix(row[f"{prefix}feedback_until"]),
    )


def _attendance(row: sqlite3.Row) -> Attendance:
    return Attendance(
        meeting_id=row["meeting_id"],
        user_id=row["user_id"],
        source=row["source"],
        recorded_at=from_unix(row["recorded_at"]),
        confirmed_by=row["confirmer_user_id"],
        confirmed_by_name=row["confirmed_by_name"],
        confirmed_at=from_unix(row["confirmed_at"]),
    )


_JOINED = (
    "SELECT m.id AS m_id, m.guild_id AS m_guild_id, m.starts_at AS m_starts_at, m.minutes AS m_minutes,"
    " m.format AS m_format, m.mode AS m_mode, m.topic AS m_topic, m.timezone AS m_timezone,"
    " m.attendance_until AS m_attendance_until, m.feedback_until AS m_feedback_until,"
    " a.meeting_id, a.user_id, a.source, a.recorded_at, a.confirmer_user_id, a.confirmed_by_name, a.confirmed_at"
    " FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id"
)


def _attended(row: sqlite3.Row) -> AttendedMeeting:
    return AttendedMeeting(_meeting(row, "m_"), _attendance(row))


class MeetingRepository:
    """Record meetings and attendance; a member's hours log; export and erase a member's rows."""

    member_data_label = "Supervision meetings attended (hours log)"
    retention_key = "meeting_record_days"

    def __init__(self, db: Database) -> None:
        self._db = db

    # --- settings ---------------------------------------------------------------------------------
    async def settings(self, guild_id: int) -> MeetingSettings:
        """Return the server's meeting defaults."""
        row = await self._db.fetchone(
            "SELECT minutes, mode, attendance_hours FROM meeting_settings WHERE guild_id = ?", (guild_id,)
        )
        if row is None:
            return MeetingSettings(guild_id)
        return MeetingSettings(guild_id, row["minutes"], row["mode"], row["attendance_hours"])

    async def save_settings(self, settings: MeetingSettings) -> None:
        """Store the server's meeting defaults."""
        await self._db.write(
            "INSERT INTO meeting_settings (guild_id, minutes, mode, attendance_hours) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (guild_id) DO UPDATE SET minutes = excluded.minutes, mode = excluded.mode,"
            " attendance_hours = excluded.attendance_hours",
            (settings.guild_id, settings.minutes, settings.mode, settings.attendance_hours),
        )

    # --- meetings ---------------------------------------------------------------------------------
    async def get(self, meeting_id: int) -> Meeting | None:
        """Return one meeting by id."""
        row = await self._db.fetchone(f"{_MEETING} WHERE id = ?", (meeting_id,))
        return None if row is None else _meeting(row)

    async def open_group_meeting(
        self,
        guild_id: int,
        starts_at: datetime,
        minutes: int,
        mode: str,
        timezone: str,
        attendance_until: datetime | None,
        now: datetime,
    ) -> Meeting:
        """Create the group meeting starting then, or return the one already there (a retry finds its own)."""
        await self._db.write(
            "INSERT INTO meetings (guild_id, starts_at, minutes, format, mode, timezone, attendance_until, created_at)"
            " VALUES (?, ?, ?, 'group', ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (guild_id, to_unix(starts_at), minutes, mode, timezone, to_unix(attendance_until), to_unix(now)),
        )
        row = await self._db.fetchone(
            f"{_MEETING} WHERE guild_id = ? AND starts_at = ? AND format = 'group'", (guild_id, to_unix(starts_at))
        )
        assert row is not None
        return _meeting(row)

    async def record(
        self,
        guild_id: int,
        starts_at: datetime,
        minutes: int,
        format: str,
        mode: str,
        topic: str | None,
        timezone: str,
        now: datetime,
    ) -> Meeting | None:
        """Record a meeting a supervisor names; None if a group meeting already starts then."""
        async with (
            self._db.transaction() as conn,
            conn.execute(
                "INSERT INTO meetings (guild_id, starts_at, minutes, format, mode, topic, timezone, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (guild_id, to_unix(starts_at), minutes, format, mode, topic, timezone, to_unix(now)),
            ) as cur,
        ):
            if cur.rowcount != 1 or cur.lastrowid is None:
                return None
            meeting_id = cur.lastrowid
        return await self.get(meeting_id)

    async def log_individual(
        self,
        guild_id: int,
        user_id: int,
        starts_at: datetime,
        minutes: int,
        mode: str,
        topic: str | None,
        timezone: str,
        supervisor: tuple[int, str],
        now: datetime,
    ) -> Meeting:
        """Record an individual session and the member's attendance, confirmed by the supervisor, together."""
        supervisor_id, supervisor_name = supervisor
        async with self._db.transaction() as conn:
            async with conn.execute(
                "INSERT INTO meetings (guild_id, starts_at, minutes, format, mode, topic, timezone, created_at)"
                " VALUES (?, ?, ?, 'individual', ?, ?, ?, ?)",
                (guild_id, to_unix(starts_at), minutes, mode, topic, timezone, to_unix(now)),
            ) as cur:
                meeting_id = cur.lastrowid
            await conn.execute(
                "INSERT INTO meeting_attendance (meeting_id, guild_id, user_id, source, recorded_at, confirmer_user_id,"
                " confirmed_by_name, confirmed_at) VALUES (?, ?, ?, 'supervisor', ?, ?, ?, ?)",
                (meeting_id, guild_id, user_id, to_unix(now), supervisor_id, supervisor_name, to_unix(now)),
            )
        assert meeting_id is not None
        meeting = await self.get(meeting_id)
        assert meeting is not None
        return meeting

    async def correct(
        self, meeting_id: int, starts_at: datetime, minutes: int, mode: str, topic: str | None
    ) -> Meeting | None:
        """Change a meeting's time, length, mode or topic; None if it is gone or clashes with another."""
        try:
            changed = await self._db.execute(
                "UPDATE meetings SET starts_at = ?, minutes = ?, mode = ?, topic = ? WHERE id = ?",
                (to_unix(starts_at), minutes, mode, topic, meeting_id),
            )
        except sqlite3.IntegrityError:
            return None  # another group meeting already starts then
        return await self.get(meeting_id) if changed else None

    async def set_feedback_until(self, meeting_id: int, until: datetime) -> None:
        """Open the meeting's feedback until a moment (kept if it was opened already)."""
        await self._db.write(
            "UPDATE meetings SET feedback_until = COALESCE(feedback_until, ?) WHERE id = ?",
            (to_unix(until), meeting_id),
        )

    async def remove(self, meeting_id: int) -> bool:
        """Delete a meeting and its attendance."""
        return await self._db.execute("DELETE FROM meetings WHERE id = ?", (meeting_id,)) > 0

    async def recent(self, guild_id: int, limit: int = 25, format: str | None = None) -> list[Meeting]:
        """Return the server's meetings, newest first, of one format or any."""
        rows = await self._db.fetchall(
            f"{_MEETING} WHERE guild_id = ? AND (? IS NULL OR format = ?) ORDER BY starts_at DESC, id DESC LIMIT ?",
            (guild_id, format, format, limit),
        )
        return [_meeting(r) for r in rows]

    async def between(self, guild_id: int, start: datetime, end: datetime) -> list[Meeting]:
        """Return the server's meetings starting in [start, end), oldest first."""
        rows = await self._db.fetchall(
            f"{_MEETING} WHERE guild_id = ? AND starts_at >= ? AND starts_at < ? ORDER BY starts_at, id",
            (guild_id, to_unix(start), to_unix(end)),
        )
        return [_meeting(r) for r in rows]

    async def latest_group_before(self, guild_id: int, moment: datetime) -> Meeting | None:
        """Return the last group meeting that started at or before a moment."""
        row = await self._db.fetchone(
            f"{_MEETING} WHERE guild_id = ? AND format = 'group' AND starts_at <= ? ORDER BY starts_at DESC LIMIT 1",
            (guild_id, to_unix(moment)),
        )
        return None if row is None else _meeting(row)

    async def with_feedback_closed(self, guild_id: int, now: datetime, limit: int) -> list[Meeting]:
        """Return the latest group meetings whose feedback has closed, oldest first."""
        rows = await self._db.fetchall(
            f"{_MEETING} WHERE guild_id = ? AND format = 'group' AND feedback_until IS NOT NULL AND feedback_until <= ?"
            " ORDER BY starts_at DESC LIMIT ?",
            (guild_id, to_unix(now), limit),
        )
        return [_meeting(r) for r in reversed(rows)]

    # --- attendance -------------------------------------------------------------------------------
    async def mark_present(self, meeting_id: int, user_id: int, now: datetime) -> MarkOutcome:
        """Record a member's own click while attendance is open."""
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT guild_id, attendance_until FROM meetings WHERE id = ?", (meeting_id,)
            ) as cur:
                row = await cur.fetchone()
            if row is None:
                return MarkOutcome.GONE
            if row["attendance_until"] is None or row["attendance_until"] <= to_unix(now):
                return MarkOutcome.CLOSED
            async with conn.execute(
                "INSERT INTO meeting_attendance (meeting_id, guild_id, user_id, source, recorded_at)"
                " VALUES (?, ?, ?, 'button', ?) ON CONFLICT DO NOTHING",
                (meeting_id, row["guild_id"], user_id, to_unix(now)),
            ) as cur:
                return MarkOutcome.MARKED if cur.rowcount == 1 else MarkOutcome.ALREADY

    async def add_attendees(self, meeting: Meeting, user_ids: list[int], now: datetime) -> int:
        """Add members a supervisor says were there; return how many were new."""
        async with self._db.transaction() as conn:
            added = 0
            for user_id in user_ids:
                async with conn.execute(
                    "INSERT INTO meeting_attendance (meeting_id, guild_id, user_id, source, recorded_at)"
                    " VALUES (?, ?, ?, 'supervisor', ?) ON CONFLICT DO NOTHING",
                    (meeting.id, meeting.guild_id, user_id, to_unix(now)),
                ) as cur:
                    added += cur.rowcount
        return added

    async def remove_attendees(self, meeting_id: int, user_ids: list[int]) -> int:
        """Remove members from a meeting's attendance; return how many went."""
        marks = ",".join("?" * len(user_ids))
        return await self._db.execute(
            f"DELETE FROM meeting_attendance WHERE meeting_id = ? AND user_id IN ({marks})", (meeting_id, *user_ids)
        )

    async def attendance(self, meeting_id: int) -> list[Attendance]:
        """Return everyone recorded at a meeting, in the order they were recorded."""
        rows = await self._db.fetchall(
            f"{_ATTENDANCE} WHERE meeting_id = ? ORDER BY recorded_at, user_id", (meeting_id,)
        )
        return [_attendance(r) for r in rows]

    async def confirm_all(self, meeting_id: int, supervisor_id: int, supervisor_name: str, now: datetime) -> int:
        """Confirm everyone at a meeting not yet confirmed; return how many were confirmed now."""
        return await self._db.execute(
            "UPDATE meeting_attendance SET confirmer_user_id = ?, confirmed_by_name = ?, confirmed_at = ?"
            " WHERE meeting_id = ? AND confirmed_at IS NULL",
            (supervisor_id, supervisor_name, to_unix(now), meeting_id),
        )

    async def member_record(self, guild_id: int, user_id: int) -> list[AttendedMeeting]:
        """Return every meeting the member is recorded at, oldest first: their hours log."""
        rows = await self._db.fetchall(
            f"{_JOINED} WHERE a.guild_id = ? AND a.user_id = ? ORDER BY m.starts_at, m.id", (guild_id, user_id)
        )
        return [_attended(r) for r in rows]

    async def attendance_between(self, guild_id: int, start: datetime, end: datetime) -> list[AttendedMeeting]:
        """Return every attendance at meetings starting in [start, end), oldest first."""
        rows = await self._db.fetchall(
            f"{_JOINED} WHERE m.guild_id = ? AND m.starts_at >= ? AND m.starts_at < ? ORDER BY m.starts_at, a.user_id",
            (guild_id, to_unix(start), to_unix(end)),
        )
        return [_attended(r) for r in rows]

    # --- member data and retention ----------------------------------------------------------------
    async def export_member(self, guild_id: int, user_id: int) -> list[ExportRow]:
        """Return the member's attendance with each meeting, and the confirmations they gave as a supervisor."""
        out = [
            ExportRow.of(
                {
                    "meeting": f"{FORMATS[r.meeting.format].lower()}, {MODES[r.meeting.mode].lower()}",
                    "started_at": r.meeting.local_start.isoformat(),
                    "minutes": r.meeting.minutes,
                    "topic": r.meeting.topic,
                    "recorded_by": "you (Mark me present)" if r.attendance.source == "button" else "a supervisor",
                    "recorded_at": r.attendance.recorded_at.isoformat(),
                    "confirmed_by": r.attendance.confirmed_by_name,
                    "confirmed_at": r.attendance.confirmed_at.isoformat() if r.attendance.confirmed_at else None,
                }
            )
            for r in await self.member_record(guild_id, user_id)
        ]
        given = await self._db.fetchall(
            "SELECT m.starts_at, m.format, COUNT(*) AS members, MAX(a.confirmed_at) AS confirmed_at"
            " FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id"
            " WHERE a.guild_id = ? AND a.confirmer_user_id = ? GROUP BY m.id ORDER BY m.starts_at",
            (guild_id, user_id),
        )
        out += [
            ExportRow.of(
                {
                    "attendance_you_confirmed": f"{r['format']} meeting of {from_unix(r['starts_at']).isoformat()}",
                    "members_confirmed": r["members"],
                    "confirmed_at": from_unix(r["confirmed_at"]).isoformat(),
                }
            )
            for r in given
        ]
        return out

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """Erase the member's attendance (and individual sessions left with no one); unlink confirmations they gave.

        A confirmation is part of the trainee's record, so a supervisor who erases their data leaves the name
        it was given under and its date, but no longer their user id.
        """
        async with self._db.transaction() as conn:
            async with conn.execute(
                "DELETE FROM meeting_attendance WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
            ) as cur:
                total = cur.rowcount
            await conn.execute(
                "DELETE FROM meetings WHERE guild_id = ? AND format = 'individual'"
                " AND NOT EXISTS (SELECT 1 FROM meeting_attendance a WHERE a.meeting_id = meetings.id)",
                (guild_id,),
            )
            async with conn.execute(
                "UPDATE meeting_attendance SET confirmer_user_id = NULL WHERE guild_id = ? AND confirmer_user_id = ?",
                (guild_id, user_id),
            ) as cur:
                total += cur.rowcount
        return total

    async def purge_before(self, cutoff: datetime) -> int:
        """Delete meetings (and their attendance) that started before the cutoff."""
        return await self._db.execute("DELETE FROM meetings WHERE starts_at < ?", (to_unix(cutoff),))
