"""Each member's Discord locale as last seen in a server, so a DM can speak their language."""

from __future__ import annotations

from collections.abc import Collection

from bot.db.connection import Database
from bot.db.models import ExportRow


class MemberLocaleRepository:
    """Remember, read, export and erase members' locales (one row per member and server, no time)."""

    member_data_label = "Language"

    def __init__(self, db: Database) -> None:
        self._db = db
        # What is on disk, as far as this process knows: most interactions repeat the stored locale, and
        # writing only on a change keeps a write transaction off nearly every command.
        self._known: dict[tuple[int, int], str | None] = {}

    async def get(self, guild_id: int, user_id: int) -> str | None:
        """The member's last-seen locale in a server, or None if never seen."""
        key = (guild_id, user_id)
        if key not in self._known:
            row = await self._db.fetchone(
                "SELECT locale FROM member_locales WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
            )
            self._known[key] = row["locale"] if row else None
        return self._known[key]

    async def get_many(self, guild_id: int, user_ids: list[int]) -> dict[int, str]:
        """Last-seen locales of several members of a server (those never seen are left out)."""
        found = await self.of_members([(guild_id, user_id) for user_id in user_ids])
        return {user_id: locale for (_, user_id), locale in found.items()}

    async def of_members(self, members: Collection[tuple[int, int]]) -> dict[tuple[int, int], str]:
        """Last-seen locales of (server, member) pairs, of any servers, a read per 250 (those never seen left out)."""
        pairs = list(members)
        found: dict[tuple[int, int], str] = {}
        for start in range(0, len(pairs), 250):
            chunk = pairs[start : start + 250]
            # A join on VALUES looks each pair up in the primary key; `(guild_id, user_id) IN (VALUES ...)` would
            # read the whole table.
            rows = await self._db.fetchall(
                f"SELECT l.guild_id, l.user_id, l.locale FROM (VALUES {','.join(['(?, ?)'] * len(chunk))}) AS m"
                " JOIN member_locales AS l ON l.guild_id = m.column1 AND l.user_id = m.column2",
                [value for pair in chunk for value in pair],
            )
            found.update({(r["guild_id"], r["user_id"]): r["locale"] for r in rows})
        return found

    async def remember(self, guild_id: int, user_id: int, locale: str) -> None:
        """Store the member's locale if it differs from what is stored."""
        if await self.get(guild_id, user_id) == locale:
            return
        await self._db.write(
            "INSERT INTO member_locales (guild_id, user_id, locale) VALUES (?, ?, ?)"
            " ON CONFLICT (guild_id, user_id) DO UPDATE SET locale = excluded.locale",
            (guild_id, user_id, locale),
        )
        self._known[(guild_id, user_id)] = locale

    async def export_member(self, guild_id: int, user_id: int) -> list[ExportRow]:
        """The member's stored locale, if any."""
        locale = await self.get(guild_id, user_id)
        return [ExportRow.of({"discord_locale_last_seen": locale})] if locale else []

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """Erase the member's stored locale."""
        count = await self._db.execute(
            "DELETE FROM member_locales WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        self._known.pop((guild_id, user_id), None)
        return count
