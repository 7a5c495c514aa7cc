"""Who asked for meeting DMs (the brief, the feedback questions), and each such DM claimed once."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from bot.db.connection import Database
from bot.db.models import CLAIM_LEASE, ExportRow, from_unix, to_unix

KIND_WORDS = {"brief": "the pre-meeting brief", "feedback": "questions after each meeting"}


@dataclass(frozen=True)
class MeetingDm:
    """One DM about a meeting to one person, and how it went."""

    guild_id: int
    user_id: int
    kind: str
    about: int
    status: str
    resend_at: datetime | None


class SnoozeOutcome(Enum):
    """What happened to a press of "Later (1 h)" or "Skip this one"."""

    DONE = "done"
    ALREADY = "already snoozed or skipped"
    GONE = "no such DM"


def _dm(row: sqlite3.Row) -> MeetingDm:
    return MeetingDm(
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        kind=row["kind"],
        about=row["about"],
        status=row["status"],
        resend_at=from_unix(row["resend_at"]),
    )


class MeetingDmRepository:
    """Opt in and out of meeting DMs; claim each DM once; snooze or skip one; export and erase."""

    member_data_label = "Meeting DMs you asked for"
    retention_key = "dm_delivery_days"

    def __init__(self, db: Database) -> None:
        self._db = db

    async def set_opt_in(self, guild_id: int, user_id: int, kind: str, wanted: bool) -> None:
        """Ask for (or stop) a kind of meeting DM."""
        if wanted:
            sql = "INSERT INTO meeting_dm_optins (guild_id, user_id, kind) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
        else:
            sql = "DELETE FROM meeting_dm_optins WHERE guild_id = ? AND user_id = ? AND kind = ?"
        await self._db.write(sql, (guild_id, user_id, kind))

    async def opted_in(self, guild_id: int, kind: str) -> list[int]:
        """Return who in the server asked for this kind of DM."""
        rows = await self._db.fetchall(
            "SELECT user_id FROM meeting_dm_optins WHERE guild_id = ? AND kind = ? ORDER BY user_id", (guild_id, kind)
        )
        return [r["user_id"] for r in rows]

    async def is_opted_in(self, guild_id: int, user_id: int, kind: str) -> bool:
        """Whether the person asked for this kind of DM."""
        row = await self._db.fetchone(
            "SELECT 1 FROM meeting_dm_optins WHERE guild_id = ? AND user_id = ? AND kind = ?", (guild_id, user_id, kind)
        )
        return row is not None

    async def claim(self, guild_id: int, user_id: int, kind: str, about: int, now: datetime) -> bool:
        """Claim one DM; False if it is claimed and live, or done (so it is never sent twice).

        A claim left unsettled for CLAIM_LEASE belongs to a process that stopped mid-send (its fire is
        taken over too): this one takes it, and the DM's nonce keeps a send that did land from doubling.
        """
        return (
            await self._db.execute(
                "INSERT INTO meeting_dms (guild_id, user_id, kind, about, status, at) VALUES (?, ?, ?, ?, 'claimed', ?)"
                " ON CONFLICT (guild_id, user_id, kind, about) DO UPDATE SET at = excluded.at"
                " WHERE meeting_dms.status = 'claimed' AND meeting_dms.at < ?",
                (guild_id, user_id, kind, about, to_unix(now), to_unix(now - CLAIM_LEASE)),
            )
            == 1
        )

    async def release(self, guild_id: int, user_id: int, kind: str, about: int) -> None:
        """Give up a claim whose DM Discord refused for a passing reason, so a retry sends it."""
        await self._db.write(
            "DELETE FROM meeting_dms WHERE guild_id = ? AND user_id = ? AND kind = ? AND about = ?"
            " AND status = 'claimed'",
            (guild_id, user_id, kind, about),
        )

    async def settle(self, guild_id: int, user_id: int, kind: str, about: int, status: str) -> None:
        """Record how a claimed DM went."""
        await self._db.write(
            "UPDATE meeting_dms SET status = ?, resend_at = NULL WHERE guild_id = ? AND user_id = ? AND kind = ?"
            " AND about = ?",
            (status, guild_id, user_id, kind, about),
        )

    async def snooze(self, guild_id: int, user_id: int, kind: str, about: int, until: datetime) -> SnoozeOutcome:
        """Put a sent DM off until a moment; it is sent once more then."""
        return await self._change(
            "UPDATE meeting_dms SET status = 'snoozed', resend_at = ? WHERE guild_id = ? AND user_id = ? AND kind = ?"
            " AND about = ? AND status = 'sent'",
            (to_unix(until), guild_id, user_id, kind, about),
            (guild_id, user_id, kind, about),
        )

    async def skip(self, guild_id: int, user_id: int, kind: str, about: int) -> SnoozeOutcome:
        """Let a DM go: nothing more is sent about it, even if it was snoozed."""
        return await self._change(
            "UPDATE meeting_dms SET status = 'skipped', resend_at = NULL WHERE guild_id = ? AND user_id = ?"
            " AND kind = ? AND about = ? AND status IN ('sent', 'snoozed')",
            (guild_id, user_id, kind, about),
            (guild_id, user_id, kind, about),
        )

    async def _change(self, sql: str, params: tuple[object, ...], key: tuple[object, ...]) -> SnoozeOutcome:
        if await self._db.execute(sql, params):
            return SnoozeOutcome.DONE
        row = await self._db.fetchone(
            "SELECT 1 FROM meeting_dms WHERE guild_id = ? AND user_id = ? AND kind = ? AND about = ?", key
        )
        return SnoozeOutcome.GONE if row is None else SnoozeOutcome.ALREADY

    async def due_resends(self, now: datetime) -> list[MeetingDm]:
        """Return the snoozed DMs whose time has come, and re-sends a stopped process left unfinished."""
        rows = await self._db.fetchall(
            "SELECT guild_id, user_id, kind, about, status, resend_at FROM meeting_dms"
            " WHERE (status = 'snoozed' AND resend_at <= ?) OR (status = 'resending' AND at < ?) ORDER BY resend_at",
            (to_unix(now), to_unix(now - CLAIM_LEASE)),
        )
        return [_dm(r) for r in rows]

    async def claim_resend(self, dm: MeetingDm, now: datetime) -> bool:
        """Claim a snoozed DM's one re-send; False if another pass or a live process already has it."""
        return (
            await self._db.execute(
                "UPDATE meeting_dms SET status = 'resending', at = ? WHERE guild_id = ? AND user_id = ? AND kind = ?"
                " AND about = ? AND (status = 'snoozed' OR (status = 'resending' AND at < ?))",
                (to_unix(now), dm.guild_id, dm.user_id, dm.kind, dm.about, to_unix(now - CLAIM_LEASE)),
            )
            == 1
        )

    async def unclaim_resend(self, dm: MeetingDm) -> None:
        """Give a re-send back to the queue after Discord refused it for a passing reason."""
        await self._db.write(
            "UPDATE meeting_dms SET status = 'snoozed' WHERE guild_id = ? AND user_id = ? AND kind = ? AND about = ?"
            " AND status = 'resending'",
            (dm.guild_id, dm.user_id, dm.kind, dm.about),
        )

    async def purge_before(self, cutoff: datetime) -> int:
        """Forget DM records older than the cutoff (opt-ins stay)."""
        return await self._db.execute("DELETE FROM meeting_dms WHERE at < ?", (to_unix(cutoff),))

    async def export_member(self, guild_id: int, user_id: int) -> list[ExportRow]:
        """Return the person's meeting DM choices and the DMs sent to them."""
        optins = await self._db.fetchall(
            "SELECT kind FROM meeting_dm_optins WHERE guild_id = ? AND user_id = ? ORDER BY kind", (guild_id, user_id)
        )
        out = [ExportRow.of({"asked_for_dms": KIND_WORDS[r["kind"]]}) for r in optins]
        sent = await self._db.fetchall(
            "SELECT kind, about, status, at FROM meeting_dms WHERE guild_id = ? AND user_id = ? ORDER BY at",
            (guild_id, user_id),
        )
        out += [
            ExportRow.of({"dm": KIND_WORDS[r["kind"]], "status": r["status"], "at": from_unix(r["at"]).isoformat()})
            for r in sent
        ]
        return out

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """Erase the person's meeting DM choices and DM records."""
        async with self._db.transaction() as conn:
            total = 0
            for table in ("meeting_dm_optins", "meeting_dms"):
                async with conn.execute(
                    f"DELETE FROM {table} WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
                ) as cur:
                    total += cur.rowcount
        return total
