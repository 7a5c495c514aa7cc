"""Quiz reminder choices, and reminder DMs (before the quiz closes; a prompt put off) each claimed once."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.db.connection import Database
from bot.db.models import CLAIM_LEASE, ExportRow, from_unix, to_unix
from bot.db.repositories.meeting_dms import SnoozeOutcome

KIND_WORDS = {"quiz": "reminder before the quiz closes", "prompt": "reflective prompt DM put off or skipped"}
_DM = "SELECT guild_id, user_id, kind, about, prompt_id, status, resend_at, at FROM reminder_dms"


@dataclass(frozen=True)
class QuizReminderChoice:
    """A member's wish to be reminded before the week's quiz closes."""

    guild_id: int
    user_id: int
    hours_before: int
    timezone: str
    quiet_start: str | None
    quiet_end: str | None


@dataclass(frozen=True)
class ReminderDm:
    """One reminder DM to one member, and how it went."""

    guild_id: int
    user_id: int
    kind: str
    about: int
    prompt_id: str | None
    status: str
    resend_at: datetime | None


def _choice(row: sqlite3.Row) -> QuizReminderChoice:
    return QuizReminderChoice(
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        hours_before=row["hours_before"],
        timezone=row["timezone"],
        quiet_start=row["quiet_start"],
        quiet_end=row["quiet_end"],
    )


def _dm(row: sqlite3.Row) -> ReminderDm:
    return ReminderDm(
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        kind=row["kind"],
        about=row["about"],
        prompt_id=row["prompt_id"],
        status=row["status"],
        resend_at=from_unix(row["resend_at"]),
    )


class ReminderRepository:
    """Ask for quiz reminders; claim each reminder DM once; put one off or skip it; export and erase."""

    member_data_label = "Reminders and DMs you put off"
    retention_key = "dm_delivery_days"

    def __init__(self, db: Database) -> None:
        self._db = db

    # Quiz reminder choices ---------------------------------------------------------------------------

    async def set_quiz_reminder(self, choice: QuizReminderChoice, now: datetime) -> None:
        """Ask for (or change) the reminder before the quiz closes."""
        await self._db.write(
            "INSERT INTO quiz_reminder_optins (guild_id, user_id, hours_before, timezone, quiet_start, quiet_end,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id, user_id) DO UPDATE SET"
            " hours_before = excluded.hours_before, timezone = excluded.timezone,"
            " quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end",
            (
                choice.guild_id,
                choice.user_id,
                choice.hours_before,
                choice.timezone,
                choice.quiet_start,
                choice.quiet_end,
                to_unix(now),
            ),
        )

    async def stop_quiz_reminder(self, guild_id: int, user_id: int) -> bool:
        """Stop the reminder; False if there was none."""
        return bool(
            await self._db.execute(
                "DELETE FROM quiz_reminder_optins WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
            )
        )

    async def quiz_reminder(self, guild_id: int, user_id: int) -> QuizReminderChoice | None:
        """The member's reminder choice, if they asked for one."""
        row = await self._db.fetchone(
            "SELECT * FROM quiz_reminder_optins WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        return None if row is None else _choice(row)

    async def quiz_reminder_choices(self) -> list[QuizReminderChoice]:
        """Every member in every server who asked for a quiz reminder."""
        rows = await self._db.fetchall("SELECT * FROM quiz_reminder_optins ORDER BY guild_id, user_id")
        return [_choice(r) for r in rows]

    # Reminder DMs ------------------------------------------------------------------------------------

    async def claim(self, guild_id: int, user_id: int, kind: str, about: int, now: datetime) -> bool:
        """Claim one reminder DM; False if it is claimed, sent or settled already (so it is never sent twice)."""
        return (
            await self._db.execute(
                "INSERT INTO reminder_dms (guild_id, user_id, kind, about, status, at)"
                " VALUES (?, ?, ?, ?, 'claimed', ?)"
                " ON CONFLICT (guild_id, user_id, kind, about) DO UPDATE SET at = excluded.at"
                " WHERE reminder_dms.status = 'claimed' AND reminder_dms.at < ?",
                (guild_id, user_id, kind, about, to_unix(now), to_unix(now - CLAIM_LEASE)),
            )
            == 1
        )

    async def release(self, dm_key: tuple[int, int, str, int]) -> None:
        """Give up a claim whose DM Discord refused for a passing reason, so a later tick sends it."""
        await self._db.write(
            "DELETE FROM reminder_dms WHERE guild_id = ? AND user_id = ? AND kind = ? AND about = ?"
            " AND status = 'claimed'",
            dm_key,
        )

    async def settle(self, dm_key: tuple[int, int, str, int], status: str, now: datetime) -> None:
        """Record how a claimed DM (or its one re-send) went."""
        await self._db.write(
            "UPDATE reminder_dms SET status = ?, resend_at = NULL, at = ? WHERE guild_id = ? AND user_id = ?"
            " AND kind = ? AND about = ?",
            (status, to_unix(now), *dm_key),
        )

    async def get(self, dm_key: tuple[int, int, str, int]) -> ReminderDm | None:
        """One reminder DM's record."""
        row = await self._db.fetchone(f"{_DM} WHERE guild_id = ? AND user_id = ? AND kind = ? AND about = ?", dm_key)
        return None if row is None else _dm(row)

    async def snooze(self, dm_key: tuple[int, int, str, int], until: datetime, now: datetime) -> SnoozeOutcome:
        """Put a sent quiz reminder off until a moment; it is sent once more then."""
        changed = await self._db.execute(
            "UPDATE reminder_dms SET status = 'snoozed', resend_at = ?, at = ? WHERE guild_id = ? AND user_id = ?"
            " AND kind = ? AND about = ? AND status = 'sent'",
            (to_unix(until), to_unix(now), *dm_key),
        )
        return SnoozeOutcome.DONE if changed else await self._why_not(dm_key)

    async def put_off_prompt(
        self, dm_key: tuple[int, int, str, int], prompt_id: str, until: datetime, now: datetime
    ) -> SnoozeOutcome:
        """Put a delivered prompt DM off until a moment (its delivery is recorded elsewhere): sent once more then."""
        inserted = await self._db.execute(
            "INSERT INTO reminder_dms (guild_id, user_id, kind, about, prompt_id, status, resend_at, at)"
            " VALUES (?, ?, ?, ?, ?, 'snoozed', ?, ?) ON CONFLICT DO NOTHING",
            (*dm_key, prompt_id, to_unix(until), to_unix(now)),
        )
        return SnoozeOutcome.DONE if inserted else SnoozeOutcome.ALREADY

    async def skip(self, dm_key: tuple[int, int, str, int], now: datetime) -> SnoozeOutcome:
        """Let a reminder DM go: nothing more is sent about it, even if it was put off."""
        async with self._db.transaction() as conn:
            async with conn.execute(
                "UPDATE reminder_dms SET status = 'skipped', resend_at = NULL, at = ? WHERE guild_id = ?"
                " AND user_id = ? AND kind = ? AND about = ? AND status IN ('sent', 'snoozed')",
                (to_unix(now), *dm_key),
            ) as cur:
                if cur.rowcount:
                    return SnoozeOutcome.DONE
            if dm_key[2] == "prompt":  # a prompt DM has no row here until its member acts on it
                async with conn.execute(
                    "INSERT INTO reminder_dms (guild_id, user_id, kind, about, status, at) VALUES (?, ?, ?, ?,"
                    " 'skipped', ?) ON CONFLICT DO NOTHING",
                    (*dm_key, to_unix(now)),
                ) as cur:
                    if cur.rowcount:
                        return SnoozeOutcome.DONE
        return await self._why_not(dm_key)

    async def _why_not(self, dm_key: tuple[int, int, str, int]) -> SnoozeOutcome:
        return SnoozeOutcome.GONE if await self.get(dm_key) is None else SnoozeOutcome.ALREADY

    async def due_resends(self, kind: str, now: datetime) -> list[ReminderDm]:
        """The DMs of a kind put off until now or earlier, and re-sends a stopped process left half-way."""
        rows = await self._db.fetchall(
            f"{_DM} WHERE kind = ? AND ((status = 'snoozed' AND resend_at <= ?) OR (status = 'resending' AND at < ?))"
            " ORDER BY resend_at",
            (kind, to_unix(now), to_unix(now - CLAIM_LEASE)),
        )
        return [_dm(r) for r in rows]

    async def claim_resend(self, dm: ReminderDm, now: datetime) -> bool:
        """Claim a put-off DM's one re-send; False if another pass or process has it."""
        return (
            await self._db.execute(
                "UPDATE reminder_dms SET status = 'resending', at = ? WHERE guild_id = ? AND user_id = ? AND kind = ?"
                " AND about = ? AND (status = 'snoozed' OR (status = 'resending' AND at < ?))",
                (to_unix(now), dm.guild_id, dm.user_id, dm.kind, dm.about, to_unix(now - CLAIM_LEASE)),
            )
            == 1
        )

    async def unclaim_resend(self, dm: ReminderDm) -> None:
        """Give a re-send back, to be tried on a later tick (Discord busy, or the member's quiet hours)."""
        await self._db.write(
            "UPDATE reminder_dms SET status = 'snoozed' WHERE guild_id = ? AND user_id = ? AND kind = ? AND about = ?"
            " AND status = 'resending'",
            (dm.guild_id, dm.user_id, dm.kind, dm.about),
        )

    # Retention, export, erasure ----------------------------------------------------------------------

    async def purge_before(self, cutoff: datetime) -> int:
        """Forget reminder DM records older than the cutoff (choices stay); pending re-sends are kept."""
        return await self._db.execute(
            "DELETE FROM reminder_dms WHERE at < ? AND status NOT IN ('snoozed', 'resending')", (to_unix(cutoff),)
        )

    async def export_member(self, guild_id: int, user_id: int) -> list[ExportRow]:
        """The member's quiz reminder choice and the reminder DMs sent to them or put off by them."""
        out: list[ExportRow] = []
        choice = await self.quiz_reminder(guild_id, user_id)
        if choice is not None:
            out.append(
                ExportRow.of(
                    {
                        "asked_for": KIND_WORDS["quiz"],
                        "hours_before": choice.hours_before,
                        "timezone": choice.timezone,
                        "quiet_hours": f"{choice.quiet_start}-{choice.quiet_end}" if choice.quiet_start else "none",
                    }
                )
            )
        rows = await self._db.fetchall(
            f"{_DM} WHERE guild_id = ? AND user_id = ? ORDER BY at, kind, about", (guild_id, user_id)
        )
        for row in rows:
            dm = _dm(row)
            entry: dict[str, object] = {"dm": KIND_WORDS[dm.kind], "status": dm.status}
            if dm.kind == "prompt":
                entry |= {"prompt_due": from_unix(dm.about).isoformat(), "prompt": dm.prompt_id or ""}
            entry["at"] = from_unix(row["at"]).isoformat()
            if dm.resend_at is not None:
                entry["send_again_at"] = dm.resend_at.isoformat()
            out.append(ExportRow.of(entry))
        return out

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """Erase the member's reminder choice and reminder DM records."""
        async with self._db.transaction() as conn:
            total = 0
            for table in ("quiz_reminder_optins", "reminder_dms"):
                async with conn.execute(
                    f"DELETE FROM {table} WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
                ) as cur:
                    total += cur.rowcount
        return total
