"""Anonymous check-ins, kept in the anonymous store: no user id, no time finer than a day, no order."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from bot.db.anonymous import AnonymousStore


@dataclass(frozen=True)
class CheckIn:
    """One anonymous check-in."""

    id: str
    guild_id: int
    period: str
    day: date
    dimensions: tuple[str, ...]
    intensity: int
    body: str | None
    share_text: bool
    raise_it: bool
    released: bool
    content_warning: str | None = None


# The released column: waiting for a digest, set aside by a digest being posted, or shared.
WAITING, HELD, SHARED = 0, 2, 1

_COLUMNS = "id, period, day, dimensions, intensity, body, share_text, raise_it, released, content_warning"


_INSERT = (
    "INSERT INTO checkins"
    " (id, period, day, dimensions, intensity, body, share_text, raise_it, code_hash, released, content_warning)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _params(checkin: CheckIn, code_hash: str) -> tuple[object, ...]:
    return (
        checkin.id,
        checkin.period,
        checkin.day.isoformat(),
        ",".join(checkin.dimensions),
        checkin.intensity,
        checkin.body,
        int(checkin.share_text),
        int(checkin.raise_it),
        code_hash,
        int(checkin.released),
        checkin.content_warning,
    )


def checkin_from_row(guild_id: int, row: sqlite3.Row) -> CheckIn:
    """Map a check-in row (by column name) to a CheckIn of the given server."""
    return CheckIn(
        id=row["id"],
        guild_id=guild_id,
        period=row["period"],
        day=date.fromisoformat(row["day"]),
        dimensions=tuple(row["dimensions"].split(",")),
        intensity=row["intensity"],
        body=row["body"],
        share_text=bool(row["share_text"]),
        raise_it=bool(row["raise_it"]),
        released=row["released"] == SHARED,
        # Rows moved from the layout before content warnings have no such column.
        content_warning=row["content_warning"] if "content_warning" in row.keys() else None,  # noqa: SIM118
    )


def _select(conn: sqlite3.Connection, guild_id: int, where: str, params: tuple[object, ...] = ()) -> list[CheckIn]:
    conn.row_factory = sqlite3.Row
    rows = conn.execute(f"SELECT {_COLUMNS} FROM checkins WHERE {where}", params).fetchall()
    return [checkin_from_row(guild_id, row) for row in rows]


class CheckInRepository:
    """Store, release, withdraw and expire check-ins; nothing here can name a member."""

    retention_key = "checkin_days"

    def __init__(self, store: AnonymousStore) -> None:
        self._store = store

    async def save(self, checkin: CheckIn, code_hash: str) -> None:
        """Store a check-in; when this returns it is on disk."""
        await self._store.write(checkin.guild_id, lambda conn: conn.execute(_INSERT, _params(checkin, code_hash)))

    async def add_existing(self, guild_id: int, rows: list[tuple[CheckIn, str]]) -> None:
        """Store check-ins moved from an older layout, skipping any already here (safe to repeat)."""
        params = [_params(checkin, code_hash) for checkin, code_hash in rows]
        await self._store.write(guild_id, lambda conn: conn.executemany(f"{_INSERT} ON CONFLICT DO NOTHING", params))

    async def withdraw(self, guild_id: int, code_hash: str) -> CheckIn | None:
        """Delete the check-in with this code in this server; return it, or None if no such code."""
        # Look first, so a wrong code rewrites nothing: a write would be visible as a changed file.
        found = await self._store.read(guild_id, lambda conn: _select(conn, guild_id, "code_hash = ?", (code_hash,)))
        if not found:
            return None

        def delete(conn: sqlite3.Connection) -> list[CheckIn]:
            gone = _select(conn, guild_id, "code_hash = ?", (code_hash,))
            conn.execute("DELETE FROM checkins WHERE code_hash = ?", (code_hash,))
            return gone

        removed = await self._store.write(guild_id, delete)
        return removed[0] if removed else None

    async def unreleased(self, guild_id: int) -> list[CheckIn]:
        """Return the server's check-ins not yet shared in a digest (in key order, not submission order)."""
        return await self._store.read(guild_id, lambda conn: _select(conn, guild_id, f"released = {WAITING}"))

    async def hold_for_digest(self, guild_id: int) -> list[CheckIn]:
        """Set aside every waiting check-in for the digest now being posted, and return them.

        A digest posted in several messages may fail half-way; what it set aside is what its retry
        posts, so a check-in sent in the meantime waits for the next digest instead of joining late.
        """

        def hold(conn: sqlite3.Connection) -> list[CheckIn]:
            conn.execute(f"UPDATE checkins SET released = {HELD} WHERE released = {WAITING}")
            return _select(conn, guild_id, f"released = {HELD}")

        return await self._store.write(guild_id, hold)

    async def held(self, guild_id: int) -> list[CheckIn]:
        """Return the check-ins set aside for a digest and not yet posted."""
        return await self._store.read(guild_id, lambda conn: _select(conn, guild_id, f"released = {HELD}"))

    async def release_holds(self, guild_id: int) -> int:
        """Return check-ins set aside by a digest that gave up to waiting; return how many."""
        count = await self._store.read(
            guild_id,
            lambda conn: conn.execute(f"SELECT COUNT(*) FROM checkins WHERE released = {HELD}").fetchone()[0],
        )
        if not count:
            return 0  # nothing to change: leave the file as it is
        return await self._store.write(
            guild_id,
            lambda conn: conn.execute(f"UPDATE checkins SET released = {WAITING} WHERE released = {HELD}").rowcount,
        )

    async def mark_released(self, guild_id: int, ids: list[str]) -> None:
        """Mark check-ins as shared."""

        def mark(conn: sqlite3.Connection) -> None:
            conn.executemany(f"UPDATE checkins SET released = {SHARED} WHERE id = ?", [(i,) for i in ids])

        await self._store.write(guild_id, mark)

    async def released_in(self, guild_id: int, periods: list[str]) -> list[CheckIn]:
        """Return the server's check-ins in the given periods that a digest has already shared."""
        marks = ",".join("?" * len(periods))
        return await self._store.read(
            guild_id, lambda conn: _select(conn, guild_id, f"released = 1 AND period IN ({marks})", tuple(periods))
        )

    async def released_since(self, guild_id: int, day: date) -> list[CheckIn]:
        """Return the server's check-ins from a local day on that a digest has already shared."""
        return await self._store.read(
            guild_id, lambda conn: _select(conn, guild_id, f"released = {SHARED} AND day >= ?", (day.isoformat(),))
        )

    async def close_periods_before(self, guild_id: int, current: str, roll_over: bool) -> int:
        """Roll over (or drop) unshared check-ins of weeks before `current`; return how many moved or went."""
        waiting = await self._store.read(
            guild_id,
            lambda conn: conn.execute(
                "SELECT COUNT(*) FROM checkins WHERE period < ? AND released = 0", (current,)
            ).fetchone()[0],
        )
        if not waiting:
            return 0

        def close(conn: sqlite3.Connection) -> int:
            args: tuple[str, ...]
            if roll_over:
                sql, args = "UPDATE checkins SET period = ? WHERE period < ? AND released = 0", (current, current)
            else:
                sql, args = "DELETE FROM checkins WHERE period < ? AND released = 0", (current,)
            return conn.execute(sql, args).rowcount

        return await self._store.write(guild_id, close)

    async def guilds(self) -> list[int]:
        """Return the servers that hold check-ins."""
        return await self._store.guilds()

    async def purge_before(self, cutoff: datetime) -> int:
        """Delete check-ins older than the cutoff day, in every server."""
        day = cutoff.date().isoformat()
        removed = 0
        for guild_id in await self._store.guilds():
            old = await self._store.read(
                guild_id, lambda conn: conn.execute("SELECT COUNT(*) FROM checkins WHERE day < ?", (day,)).fetchone()[0]
            )
            if old:
                removed += await self._store.write(
                    guild_id, lambda conn: conn.execute("DELETE FROM checkins WHERE day < ?", (day,)).rowcount
                )
        return removed
