"""Journal entries a member shared privately with the group's supervisors, and where the copies went."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.db.connection import Database
from bot.db.models import ExportRow, from_unix, to_unix


@dataclass(frozen=True)
class JournalShare:
    """One shared entry: when, and the supervisor's one reply if any."""

    entry_id: int
    guild_id: int
    user_id: int
    shared_at: datetime
    reply: str | None
    reply_from: str | None


_SELECT = "SELECT entry_id, guild_id, user_id, shared_at, reply, reply_from FROM journal_shares"


@dataclass(frozen=True)
class ShareCopy:
    """Where one supervisor's copy of a shared entry was posted."""

    channel_id: int
    message_id: int


def _share(row: sqlite3.Row) -> JournalShare:
    shared_at = from_unix(row["shared_at"])
    assert shared_at is not None  # shared_at is NOT NULL
    return JournalShare(row["entry_id"], row["guild_id"], row["user_id"], shared_at, row["reply"], row["reply_from"])


class JournalShareRepository:
    """Shares are the member's data; the supervisors who take shares by DM are recorded here too."""

    member_data_label = "Journal entries shared with supervisors"

    def __init__(self, db: Database) -> None:
        self._db = db

    async def share(self, guild_id: int, user_id: int, entry_id: int, now: datetime) -> bool:
        """Record the member's own entry as shared; False if it was already, or is not theirs."""
        return (
            await self._db.execute(
                "INSERT INTO journal_shares (entry_id, guild_id, user_id, shared_at)"
                " SELECT id, guild_id, user_id, ? FROM journal_entries WHERE id = ? AND guild_id = ? AND user_id = ?"
                " ON CONFLICT (entry_id) DO NOTHING",
                (to_unix(now), entry_id, guild_id, user_id),
            )
            == 1
        )

    async def add_copy(self, entry_id: int, channel_id: int, message_id: int) -> None:
        """Remember one message that carries a supervisor's copy."""
        await self._db.write(
            "INSERT INTO journal_share_copies (entry_id, channel_id, message_id) VALUES (?, ?, ?)",
            (entry_id, channel_id, message_id),
        )

    async def copies(self, entry_id: int) -> list[ShareCopy]:
        """Return where each supervisor's copy was posted."""
        rows = await self._db.fetchall(
            "SELECT channel_id, message_id FROM journal_share_copies WHERE entry_id = ?", (entry_id,)
        )
        return [ShareCopy(r["channel_id"], r["message_id"]) for r in rows]

    async def get(self, entry_id: int) -> JournalShare | None:
        """Return a share by its entry id."""
        row = await self._db.fetchone(f"{_SELECT} WHERE entry_id = ?", (entry_id,))
        return None if row is None else _share(row)

    async def for_member(self, guild_id: int, user_id: int) -> dict[int, JournalShare]:
        """Return the member's shares by entry id."""
        rows = await self._db.fetchall(f"{_SELECT} WHERE guild_id = ? AND user_id = ?", (guild_id, user_id))
        return {row["entry_id"]: _share(row) for row in rows}

    async def unshare(self, guild_id: int, user_id: int, entry_id: int) -> bool:
        """Forget the member's share (its copies' records go with it)."""
        return (
            await self._db.execute(
                "DELETE FROM journal_shares WHERE entry_id = ? AND guild_id = ? AND user_id = ?",
                (entry_id, guild_id, user_id),
            )
            == 1
        )

    async def set_reply(self, entry_id: int, text: str, reply_from: str, now: datetime) -> bool:
        """Store the supervisors' one reply; False if there already is one or the share is gone."""
        return (
            await self._db.execute(
                "UPDATE journal_shares SET reply = ?, reply_from = ?, replied_at = ?"
                " WHERE entry_id = ? AND reply IS NULL",
                (text, reply_from, to_unix(now), entry_id),
            )
            == 1
        )

    async def shared_before(self, cutoff: datetime) -> list[JournalShare]:
        """Return every share older than the cutoff (for the retention job)."""
        rows = await self._db.fetchall(f"{_SELECT} WHERE shared_at < ?", (to_unix(cutoff),))
        return [_share(r) for r in rows]

    async def expire(self, entry_id: int) -> None:
        """Forget a share whose copies are gone."""
        await self._db.write("DELETE FROM journal_shares WHERE entry_id = ?", (entry_id,))

    # Supervisors who take shares by DM --------------------------------------------------------------------

    async def set_recipient(self, guild_id: int, user_id: int, wanted: bool) -> None:
        """Add or remove a supervisor from those who get shared entries by DM."""
        if wanted:
            sql = "INSERT INTO share_dm_recipients (guild_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING"
        else:
            sql = "DELETE FROM share_dm_recipients WHERE guild_id = ? AND user_id = ?"
        await self._db.write(sql, (guild_id, user_id))

    async def recipients(self, guild_id: int) -> list[int]:
        """Return the supervisors who get shared entries by DM."""
        rows = await self._db.fetchall("SELECT user_id FROM share_dm_recipients WHERE guild_id = ?", (guild_id,))
        return [r["user_id"] for r in rows]

    async def export_member(self, guild_id: int, user_id: int) -> list[ExportRow]:
        """Return the member's shares and whether they take shares by DM."""
        shares = [
            ExportRow.of(
                {
                    "entry": s.entry_id,
                    "shared_at": s.shared_at.isoformat(),
                    "supervisor_reply": s.reply,
                    "reply_from": s.reply_from,
                }
            )
            for s in sorted((await self.for_member(guild_id, user_id)).values(), key=lambda s: s.shared_at)
        ]
        if user_id in await self.recipients(guild_id):
            shares.append(ExportRow.of({"you_receive_shared_entries_by_dm": True}))
        return shares

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """Erase the member's shares (callers delete the copies on Discord first) and their DM setting."""
        async with self._db.transaction() as conn:
            async with conn.execute(
                "DELETE FROM journal_shares WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
            ) as cur:
                removed = cur.rowcount
            async with conn.execute(
                "DELETE FROM share_dm_recipients WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
            ) as cur:
                removed += cur.rowcount
        return removed
