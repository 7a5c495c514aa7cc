"""Members' private reflection journals: readable by their author only."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.db.connection import Database
from bot.db.models import ExportRow, from_unix, to_unix

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JournalEntry:
    """One reflection."""

    id: int
    guild_id: int
    user_id: int
    prompt_id: str | None
    prompt_text: str | None
    element: str | None
    body: str
    written_at: datetime
    shared_message_id: int | None


_SELECT = (
    "SELECT id, guild_id, user_id, prompt_id, prompt_text, element, body, written_at, shared_message_id"
    " FROM journal_entries"
)


def _entry(row: sqlite3.Row) -> JournalEntry:
    return JournalEntry(
        id=row["id"],
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        prompt_id=row["prompt_id"],
        prompt_text=row["prompt_text"],
        element=row["element"],
        body=row["body"],
        written_at=from_unix(row["written_at"]),
        shared_message_id=row["shared_message_id"],
    )


class JournalRepository:
    """Every query is scoped to the author: no method reads another member's entries."""

    member_data_label = "Reflection journal"

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self,
        guild_id: int,
        user_id: int,
        body: str,
        now: datetime,
        prompt_id: str | None = None,
        prompt_text: str | None = None,
        element: str | None = None,
    ) -> int:
        """Save an entry and return its id."""
        async with (
            self._db.transaction() as conn,
            conn.execute(
                "INSERT INTO journal_entries (guild_id, user_id, prompt_id, prompt_text, element, body, written_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (guild_id, user_id, prompt_id, prompt_text, element, body, to_unix(now)),
            ) as cur,
        ):
            assert cur.lastrowid is not None  # an INSERT without ON CONFLICT always sets it
            return cur.lastrowid

    async def count(self, guild_id: int, user_id: int) -> int:
        """Count the member's entries."""
        return int(
            await self._db.scalar(
                "SELECT COUNT(*) FROM journal_entries WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
            )
        )

    async def page(self, guild_id: int, user_id: int, offset: int, limit: int) -> list[JournalEntry]:
        """Return a page of the member's entries, newest first."""
        rows = await self._db.fetchall(
            f"{_SELECT} WHERE guild_id = ? AND user_id = ? ORDER BY written_at DESC, id DESC LIMIT ? OFFSET ?",
            (guild_id, user_id, limit, offset),
        )
        return [_entry(r) for r in rows]

    async def all_for(self, guild_id: int, user_id: int) -> list[JournalEntry]:
        """Return all the member's entries, newest first."""
        rows = await self._db.fetchall(
            f"{_SELECT} WHERE guild_id = ? AND user_id = ? ORDER BY written_at DESC, id DESC", (guild_id, user_id)
        )
        return [_entry(r) for r in rows]

    async def get(self, guild_id: int, user_id: int, entry_id: int) -> JournalEntry | None:
        """Return one of the member's own entries (None for anyone else's)."""
        row = await self._db.fetchone(
            f"{_SELECT} WHERE id = ? AND guild_id = ? AND user_id = ?", (entry_id, guild_id, user_id)
        )
        return None if row is None else _entry(row)

    async def delete(self, guild_id: int, user_id: int, entry_id: int) -> bool:
        """Delete one of the member's own entries, so that its words are in no file the bot keeps.

        `secure_delete` zeroes the row in the page the delete writes, but the write-ahead log still holds the
        page as it was; it is copied into the database and emptied (`Database.forget_deleted`), as after
        `/privacy delete`. False if there was no such entry of theirs.
        """
        deleted = await self._db.execute(
            "DELETE FROM journal_entries WHERE id = ? AND guild_id = ? AND user_id = ?", (entry_id, guild_id, user_id)
        )
        if deleted and not await self._db.forget_deleted():
            log.warning("journal delete: the WAL was busy; the deleted entry leaves it at the next checkpoint")
        return deleted == 1

    async def mark_shared(self, guild_id: int, user_id: int, entry_id: int, message_id: int) -> None:
        """Remember that the member shared an entry into the group thread."""
        await self._db.write(
            "UPDATE journal_entries SET shared_message_id = ? WHERE id = ? AND guild_id = ? AND user_id = ?",
            (message_id, entry_id, guild_id, user_id),
        )

    async def export_member(self, guild_id: int, user_id: int) -> list[ExportRow]:
        """Return every entry of the member."""
        return [
            ExportRow.of(
                {
                    "written_at": e.written_at.isoformat(),
                    "prompt": e.prompt_text,
                    "element": e.element,
                    "entry": e.body,
                    "shared_in_group_thread": e.shared_message_id is not None,
                }
            )
            for e in reversed(await self.all_for(guild_id, user_id))
        ]

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """Erase the member's journal."""
        return await self._db.execute(
            "DELETE FROM journal_entries WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
