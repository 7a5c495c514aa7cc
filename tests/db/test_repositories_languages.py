"""Languages on a real SQLite file: members' last-seen locales (written only on a change, read in bulk, exported
and erased) and the group's language, and which of them a DM or a group post speaks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.db.connection import Database
from bot.db.models import ExportRow
from bot.db.repositories import Repositories
from bot.db.repositories.member_locales import MemberLocaleRepository
from bot.languages import dm_locale, group_locale
from tests.support.db import db_rows

GUILD, OTHER_GUILD = 111, 222
ALICE, BOB, CARO = 1001, 1002, 1003


def commits_seen(reader: sqlite3.Connection) -> int:
    """PRAGMA data_version of a second connection: it changes whenever another connection commits a write."""
    return reader.execute("PRAGMA data_version").fetchone()[0]


async def test_a_locale_is_written_once_and_again_only_when_it_changes(db: Database, tmp_path: Path) -> None:
    repo = MemberLocaleRepository(db)
    reader = sqlite3.connect(tmp_path / "bot.sqlite3")
    try:
        start = commits_seen(reader)
        await repo.remember(GUILD, ALICE, "de")
        after_first = commits_seen(reader)
        assert after_first != start
        for _ in range(3):
            await repo.remember(GUILD, ALICE, "de")
        assert commits_seen(reader) == after_first  # the same locale again: no write at all
        # A new process knows nothing yet: it reads the stored locale first, and still does not write.
        fresh = MemberLocaleRepository(db)
        await fresh.remember(GUILD, ALICE, "de")
        assert commits_seen(reader) == after_first
        await fresh.remember(GUILD, ALICE, "fr")
        assert commits_seen(reader) != after_first
    finally:
        reader.close()
    assert db_rows(tmp_path / "bot.sqlite3", "SELECT guild_id, user_id, locale FROM member_locales") == [
        (GUILD, ALICE, "fr")
    ]
    # Per server: the same member elsewhere is another row, and the first is untouched.
    await repo.remember(OTHER_GUILD, ALICE, "en-US")
    assert await MemberLocaleRepository(db).get(GUILD, ALICE) == "fr"
    assert await MemberLocaleRepository(db).get(OTHER_GUILD, ALICE) == "en-US"


async def test_get_many_reads_the_members_seen_in_one_server(repos: Repositories, db: Database) -> None:
    seen = {user: ("de" if user % 3 else "fr") for user in range(5000, 6200, 2)}  # 600 members: two chunks
    for user, locale in seen.items():
        await repos.member_locales.remember(GUILD, user, locale)
    await repos.member_locales.remember(OTHER_GUILD, 5000, "en-GB")
    asked = list(range(5000, 6200))  # the 600 seen and 600 never seen
    found = await MemberLocaleRepository(db).get_many(GUILD, asked)  # from the file, not this process's memory
    assert found == seen
    assert await repos.member_locales.get_many(GUILD, []) == {}
    assert await repos.member_locales.get_many(OTHER_GUILD, [5000, 5002]) == {5000: "en-GB"}


async def test_of_members_reads_pairs_of_many_servers(repos: Repositories, db: Database) -> None:
    # A DM batch spans servers: one member in two servers is two pairs, each with its own language.
    await repos.member_locales.remember(GUILD, 7000, "de")
    await repos.member_locales.remember(OTHER_GUILD, 7000, "fr")
    await repos.member_locales.remember(OTHER_GUILD, 7001, "en-GB")
    asked = [(GUILD, 7000), (OTHER_GUILD, 7000), (GUILD, 7001), *((OTHER_GUILD, u) for u in range(8000, 8300))]
    found = await MemberLocaleRepository(db).of_members(asked)  # 303 pairs: two reads; never-seen pairs left out
    assert found == {(GUILD, 7000): "de", (OTHER_GUILD, 7000): "fr"}
    assert await repos.member_locales.of_members([]) == {}


async def test_export_and_delete_cover_the_members_locale(repos: Repositories, tmp_path: Path) -> None:
    await repos.member_locales.remember(GUILD, ALICE, "de")
    await repos.member_locales.remember(GUILD, BOB, "fr")
    await repos.member_locales.remember(OTHER_GUILD, ALICE, "de")
    assert repos.member_locales in repos.member_data()
    assert await repos.member_locales.export_member(GUILD, ALICE) == [ExportRow.of({"discord_locale_last_seen": "de"})]
    assert await repos.member_locales.export_member(GUILD, CARO) == []
    assert await repos.member_locales.delete_member(GUILD, ALICE) == 1
    assert await repos.member_locales.delete_member(GUILD, ALICE) == 0
    assert await repos.member_locales.get(GUILD, ALICE) is None
    assert await repos.member_locales.export_member(GUILD, ALICE) == []
    rows = db_rows(tmp_path / "bot.sqlite3", "SELECT guild_id, user_id, locale FROM member_locales ORDER BY 1, 2")
    assert rows == [(GUILD, BOB, "fr"), (OTHER_GUILD, ALICE, "de")]  # only that member, only that server
    # Seen again after the erasure: remembered again (the cache forgot the erased row too).
    await repos.member_locales.remember(GUILD, ALICE, "de")
    assert db_rows(tmp_path / "bot.sqlite3", "SELECT locale FROM member_locales WHERE user_id = ?", ALICE) == [
        ("de",),
        ("de",),
    ]


async def test_a_dm_speaks_the_members_last_seen_locale_else_the_groups(repos: Repositories) -> None:
    assert await group_locale(repos, GUILD, None) == "en-US"  # nothing chosen, no server to ask
    await repos.settings.update(GUILD, locale="de")
    group = await group_locale(repos, GUILD, None)
    assert group == "de"
    assert await dm_locale(repos, GUILD, ALICE, group) == "de"  # never seen: the group's
    await repos.member_locales.remember(GUILD, ALICE, "en-US")
    assert await dm_locale(repos, GUILD, ALICE, group) == "en-US"
    assert await dm_locale(repos, OTHER_GUILD, ALICE, "fr") == "fr"  # seen in another server only
