"""Supervisors' replies to anonymous check-ins and the author's answers, kept in the anonymous store.

A reply is keyed by a random id and points at the check-in's random id; neither names anyone. The author
reaches their check-in's replies only through the hash of the one-time code they already hold, so nothing new
links a member to a check-in, and reading replies writes nothing.
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from datetime import date
from enum import Enum

from bot.db.anonymous import AnonymousStore
from bot.db.repositories.checkins import CheckIn, checkin_from_row

MAX_REPLIES = 5


@dataclass(frozen=True)
class Reply:
    """A supervisor's reply to one check-in, with the author's answer if they gave one."""

    id: str
    checkin_id: str
    number: int
    day: date
    body: str
    answer: str | None
    answer_day: date | None
    posted: bool


class AnswerOutcome(Enum):
    """What happened to a member's answer to a reply."""

    SAVED = "saved"
    ALREADY_ANSWERED = "already answered"
    GONE = "gone"


_REPLY_COLUMNS = "id, checkin_id, number, day, body, answer, answer_day, posted"
_CHECKIN_COLUMNS = "id, period, day, dimensions, intensity, body, share_text, raise_it, released, content_warning"


def _reply(row: sqlite3.Row) -> Reply:
    return Reply(
        id=row["id"],
        checkin_id=row["checkin_id"],
        number=row["number"],
        day=date.fromisoformat(row["day"]),
        body=row["body"],
        answer=row["answer"],
        answer_day=date.fromisoformat(row["answer_day"]) if row["answer_day"] else None,
        posted=bool(row["posted"]),
    )


def _replies(conn: sqlite3.Connection, checkin_id: str) -> list[Reply]:
    conn.row_factory = sqlite3.Row
    rows = conn.execute(f"SELECT {_REPLY_COLUMNS} FROM replies WHERE checkin_id = ? ORDER BY number", (checkin_id,))
    return [_reply(r) for r in rows.fetchall()]


def _checkin(conn: sqlite3.Connection, guild_id: int, where: str, value: str) -> CheckIn | None:
    conn.row_factory = sqlite3.Row
    row = conn.execute(f"SELECT {_CHECKIN_COLUMNS} FROM checkins WHERE {where} = ?", (value,)).fetchone()
    return None if row is None else checkin_from_row(guild_id, row)


class CheckInReplyRepository:
    """Replies and answers; reads never write, and a failed lookup changes no byte of the store."""

    def __init__(self, store: AnonymousStore) -> None:
        self._store = store

    async def thread(self, guild_id: int, checkin_id: str) -> tuple[CheckIn, list[Reply]] | None:
        """Return a released check-in and its replies, for supervisors; None if it is gone or unshared."""

        def read(conn: sqlite3.Connection) -> tuple[CheckIn, list[Reply]] | None:
            checkin = _checkin(conn, guild_id, "id", checkin_id)
            if checkin is None or not checkin.released:
                return None
            return checkin, _replies(conn, checkin_id)

        return await self._store.read(guild_id, read)

    async def by_code(self, guild_id: int, code_hash: str) -> tuple[CheckIn, list[Reply]] | None:
        """Return the check-in with this code and its replies, for its author; None for a wrong code."""

        def read(conn: sqlite3.Connection) -> tuple[CheckIn, list[Reply]] | None:
            checkin = _checkin(conn, guild_id, "code_hash", code_hash)
            return None if checkin is None else (checkin, _replies(conn, checkin.id))

        return await self._store.read(guild_id, read)

    async def add(self, guild_id: int, checkin_id: str, body: str, day: date) -> Reply | None:
        """Store a reply to a released check-in; None if the check-in is gone, unshared or has MAX_REPLIES."""
        if (found := await self.thread(guild_id, checkin_id)) is None or len(found[1]) >= MAX_REPLIES:
            return None  # looked first: a refused reply rewrites nothing

        def insert(conn: sqlite3.Connection) -> Reply | None:
            current = self._thread_in(conn, guild_id, checkin_id)
            if current is None or len(current) >= MAX_REPLIES:
                return None
            reply = Reply(secrets.token_hex(16), checkin_id, len(current) + 1, day, body, None, None, False)
            conn.execute(
                "INSERT INTO replies (id, checkin_id, number, day, body) VALUES (?, ?, ?, ?, ?)",
                (reply.id, checkin_id, reply.number, day.isoformat(), body),
            )
            return reply

        return await self._store.write(guild_id, insert)

    @staticmethod
    def _thread_in(conn: sqlite3.Connection, guild_id: int, checkin_id: str) -> list[Reply] | None:
        checkin = _checkin(conn, guild_id, "id", checkin_id)
        return None if checkin is None or not checkin.released else _replies(conn, checkin_id)

    async def answer(self, guild_id: int, code_hash: str, reply_id: str, text: str, day: date) -> AnswerOutcome:
        """Store the author's one answer to a reply of the check-in this code belongs to."""

        def state(conn: sqlite3.Connection) -> AnswerOutcome | None:
            checkin = _checkin(conn, guild_id, "code_hash", code_hash)
            reply = next((r for r in _replies(conn, checkin.id) if r.id == reply_id), None) if checkin else None
            if reply is None:
                return AnswerOutcome.GONE
            return AnswerOutcome.ALREADY_ANSWERED if reply.answer is not None else None

        if (refused := await self._store.read(guild_id, state)) is not None:
            return refused

        def write(conn: sqlite3.Connection) -> AnswerOutcome:
            if (refused := state(conn)) is not None:
                return refused
            conn.execute(
                "UPDATE replies SET answer = ?, answer_day = ? WHERE id = ? AND answer IS NULL",
                (text, day.isoformat(), reply_id),
            )
            return AnswerOutcome.SAVED

        return await self._store.write(guild_id, write)

    async def mark_posted(self, guild_id: int, reply_id: str) -> tuple[CheckIn, Reply] | None:
        """Mark a reply as posted to the group; None if it is gone or was posted already."""

        def find(conn: sqlite3.Connection) -> tuple[CheckIn, Reply] | None:
            conn.row_factory = sqlite3.Row
            row = conn.execute(f"SELECT {_REPLY_COLUMNS} FROM replies WHERE id = ?", (reply_id,)).fetchone()
            if row is None or row["posted"]:
                return None
            checkin = _checkin(conn, guild_id, "id", row["checkin_id"])
            return None if checkin is None else (checkin, _reply(row))

        if await self._store.read(guild_id, find) is None:
            return None

        def mark(conn: sqlite3.Connection) -> tuple[CheckIn, Reply] | None:
            found = find(conn)
            if found is not None:
                conn.execute("UPDATE replies SET posted = 1 WHERE id = ?", (reply_id,))
            return found

        return await self._store.write(guild_id, mark)

    async def unmark_posted(self, guild_id: int, reply_id: str) -> None:
        """Undo mark_posted when the post itself failed."""
        await self._store.write(
            guild_id, lambda conn: conn.execute("UPDATE replies SET posted = 0 WHERE id = ?", (reply_id,))
        )
