"""Weekly schedules of a server."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import datetime

from bot.db.connection import Database
from bot.db.models import Schedule, from_unix, to_unix

_SELECT = (
    "SELECT id, guild_id, kind, weekdays, local_time, timezone, channel_id, enabled, paused_until, active_from"
    " FROM schedules"
)
# Schedules read at once by the timer: its memory is a page of them, whatever the number of servers.
PAGE = 250


def _schedule(row: sqlite3.Row) -> Schedule:
    return Schedule(
        id=row["id"],
        guild_id=row["guild_id"],
        kind=row["kind"],
        weekdays=tuple(int(d) for d in row["weekdays"].split(",")),
        local_time=row["local_time"],
        timezone=row["timezone"],
        channel_id=row["channel_id"],
        enabled=bool(row["enabled"]),
        paused_until=from_unix(row["paused_until"]),
        active_from=from_unix(row["active_from"]),
    )


class ScheduleRepository:
    """Create, change and list schedules."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def upsert(
        self,
        guild_id: int,
        kind: str,
        weekdays: tuple[int, ...],
        local_time: str,
        timezone: str,
        channel_id: int | None,
        now: datetime,
    ) -> Schedule:
        """Create the server's schedule of this kind, or replace its timing; return it."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO schedules (guild_id, kind, weekdays, local_time, timezone, channel_id, active_from)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (guild_id, kind) DO UPDATE SET weekdays = excluded.weekdays,"
                " local_time = excluded.local_time, timezone = excluded.timezone,"
                " channel_id = excluded.channel_id, enabled = 1, paused_until = NULL,"
                # Re-timing starts the schedule afresh, so catch-up never replays the old timing.
                " active_from = excluded.active_from",
                (
                    guild_id,
                    kind,
                    ",".join(map(str, sorted(set(weekdays)))),
                    local_time,
                    timezone,
                    channel_id,
                    to_unix(now),
                ),
            )
        schedule = await self.get_kind(guild_id, kind)
        assert schedule is not None
        return schedule

    async def get(self, schedule_id: int) -> Schedule | None:
        """Return one schedule by id."""
        row = await self._db.fetchone(f"{_SELECT} WHERE id = ?", (schedule_id,))
        return None if row is None else _schedule(row)

    async def get_many(self, schedule_ids: list[int]) -> list[Schedule]:
        """Return the schedules with these ids (those that still exist), in one read per 5,000."""
        found: list[Schedule] = []
        for start in range(0, len(schedule_ids), 5000):
            chunk = schedule_ids[start : start + 5000]
            rows = await self._db.fetchall(f"{_SELECT} WHERE id IN ({', '.join('?' * len(chunk))}) ORDER BY id", chunk)
            found += [_schedule(r) for r in rows]
        return found

    async def get_kind(self, guild_id: int, kind: str) -> Schedule | None:
        """Return the server's schedule of a kind, if any."""
        row = await self._db.fetchone(f"{_SELECT} WHERE guild_id = ? AND kind = ?", (guild_id, kind))
        return None if row is None else _schedule(row)

    async def for_guild(self, guild_id: int) -> list[Schedule]:
        """Return the server's schedules."""
        rows = await self._db.fetchall(f"{_SELECT} WHERE guild_id = ? ORDER BY kind", (guild_id,))
        return [_schedule(r) for r in rows]

    async def all_enabled(self) -> list[Schedule]:
        """Return every enabled schedule of every server."""
        return [schedule async for page in self.enabled_pages() for schedule in page]

    async def enabled_pages(self, size: int = PAGE) -> AsyncIterator[list[Schedule]]:
        """Every enabled schedule of every server, in id order, `size` at a time.

        In pages, so the event loop gets a turn between them (turning 25,000 rows into schedules in one go
        held it for 160 ms), and so a caller that needs each schedule only briefly never holds them all:
        the timer's start read 7,500 at once, and the process kept the 5 MiB they took.
        """
        last = 0
        while True:
            rows = await self._db.fetchall(f"{_SELECT} WHERE enabled = 1 AND id > ? ORDER BY id LIMIT ?", (last, size))
            if rows:
                yield [_schedule(r) for r in rows]
                last = rows[-1]["id"]
            if len(rows) < size:
                return

    async def pause(self, schedule_id: int, until: datetime | None) -> None:
        """Pause a schedule until a moment, or indefinitely when until is None."""
        await self._db.write(
            "UPDATE schedules SET enabled = ?, paused_until = ? WHERE id = ?",
            (int(until is not None), to_unix(until), schedule_id),
        )

    async def resume(self, schedule_id: int, now: datetime) -> None:
        """Resume a schedule from now on; fires that fell in the pause are not caught up."""
        await self._db.write(
            "UPDATE schedules SET enabled = 1, paused_until = NULL, active_from = MAX(active_from, ?) WHERE id = ?",
            (to_unix(now), schedule_id),
        )

    async def remove(self, schedule_id: int) -> bool:
        """Delete a schedule (its fire history goes with it)."""
        return await self._db.execute("DELETE FROM schedules WHERE id = ?", (schedule_id,)) > 0

    async def set_timezone(self, schedule_id: int, timezone: str) -> None:
        """Move a schedule to another zone, keeping its local weekday and time."""
        await self._db.write("UPDATE schedules SET timezone = ? WHERE id = ?", (timezone, schedule_id))
