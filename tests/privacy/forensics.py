"""The file-reading attacker of the threat model: what someone holding copies of the bot's files can work out.

The attacker knows every member's id and reads raw bytes, as a person with a copy of the files would. It
does not use the bot's code: it finds check-ins as rows of any table that has `id` and `dimensions` columns,
in any SQLite file it was given, so the same attacks run against any storage layout.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import itertools
import logging
import shutil
import sqlite3
import struct
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.logging_setup import setup_logging

SQLITE_MAGIC = b"SQLite format 3\x00"
WAL_MAGICS = (0x377F0682, 0x377F0683)


@dataclass(frozen=True)
class Snapshot:
    """Byte copies of every file under the bot's data folder at one moment, by relative path."""

    label: str
    files: dict[str, bytes]

    def blob(self) -> bytes:
        return b"".join(self.files.values())


def take_snapshot(folder: Path, label: str) -> Snapshot:
    """Copy every file below folder, as `cp -r` while the bot runs would."""
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            try:
                files[str(path.relative_to(folder))] = path.read_bytes()
            except FileNotFoundError:  # replaced between listing and reading: the copy just misses it
                continue
    return Snapshot(label, files)


# --- reading SQLite files as an attacker ---------------------------------------------------------------


def _databases(snapshot: Snapshot) -> Iterable[tuple[str, sqlite3.Connection, Path]]:
    """Open each SQLite database of the snapshot (with its WAL, if copied) from a private scratch copy."""
    for name, data in snapshot.files.items():
        if not data.startswith(SQLITE_MAGIC):
            continue
        scratch = Path(tempfile.mkdtemp(prefix="attacker-"))
        target = scratch / "db"
        target.write_bytes(data)
        for suffix in ("-wal", "-journal"):
            if name + suffix in snapshot.files:
                (scratch / f"db{suffix}").write_bytes(snapshot.files[name + suffix])
        try:
            conn = sqlite3.connect(target)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError:
            shutil.rmtree(scratch, ignore_errors=True)
            continue  # a torn copy; the raw-byte attacks still read it
        yield name, conn, scratch


def _tables(conn: sqlite3.Connection) -> list[tuple[str, list[str]]]:
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return [(n, [c[1] for c in conn.execute(f'PRAGMA table_info("{n}")')]) for n in names]


def read_checkins(snapshot: Snapshot) -> dict[str, dict[str, object]]:
    """Every check-in row the attacker can find in the snapshot, by id."""
    found: dict[str, dict[str, object]] = {}
    for _, conn, scratch in _databases(snapshot):
        try:
            for table, columns in _tables(conn):
                if "id" in columns and "dimensions" in columns:
                    for row in conn.execute(f'SELECT * FROM "{table}"'):
                        found[str(row[columns.index("id")])] = dict(zip(columns, row, strict=True))
        finally:
            conn.close()
            shutil.rmtree(scratch, ignore_errors=True)
    return found


def _values(snapshot: Snapshot) -> tuple[set[bytes], set[str]]:
    """Every blob and text value in every table of every readable database: candidate secrets, candidate keys."""
    blobs, texts = set(), set()
    for _, conn, scratch in _databases(snapshot):
        try:
            for table, _ in _tables(conn):
                for row in conn.execute(f'SELECT * FROM "{table}"'):
                    for value in row:
                        if isinstance(value, bytes) and len(value) >= 16:
                            blobs.add(value)
                        elif isinstance(value, str) and len(value) >= 16:
                            texts.add(value)
        finally:
            conn.close()
            shutil.rmtree(scratch, ignore_errors=True)
    return blobs, texts


def id_markers(user_id: int) -> list[bytes]:
    """The ways a user id can sit in a file: decimal text, or SQLite's 6- and 8-byte big-endian integers."""
    return [str(user_id).encode(), user_id.to_bytes(8, "big"), (user_id & (2**48 - 1)).to_bytes(6, "big")]


def recompute_member_keys(snapshot: Snapshot, member_ids: Sequence[int]) -> list[str]:
    """Try to tie members to stored keys: keyed and plain hashes of each id under every stored value."""
    blobs, texts = _values(snapshot)
    raw = snapshot.blob()
    hits = []
    for user_id in member_ids:
        message = str(user_id).encode()
        guesses = {hashlib.sha256(message).hexdigest(): "sha256(id)"}
        for secret in blobs | {t.encode() for t in texts}:
            digest = hmac.new(secret, message, hashlib.sha256)
            guesses[digest.hexdigest()] = "hmac(stored value, id)"
            guesses[digest.digest().hex()] = "hmac(stored value, id)"
        for guess, how in guesses.items():
            if guess in texts or guess.encode() in raw:
                hits.append(f"{snapshot.label}: member {user_id} found as {how}")
    return hits


def members_in_anonymous_files(snapshot: Snapshot, member_ids: Sequence[int], checkin_ids: Iterable[str]) -> list[str]:
    """Any file holding a check-in id must hold no member id in any encoding."""
    ids = [c.encode() for c in checkin_ids]
    hits = []
    for name, data in snapshot.files.items():
        if any(c in data for c in ids):
            hits += [
                f"{snapshot.label}: {name} holds member {u}"
                for u in member_ids
                if any(m in data for m in id_markers(u))
            ]
    return hits


# --- transactions in journals and WALs -------------------------------------------------------------------


def wal_transactions(data: bytes) -> list[list[bytes]]:
    """Split a WAL into its transactions (frames up to each commit frame), pages only; trailing frames too."""
    if len(data) < 32 or struct.unpack(">I", data[:4])[0] not in WAL_MAGICS:
        return []
    page_size = struct.unpack(">I", data[8:12])[0]
    transactions, current = [], []
    offset = 32
    while offset + 24 + page_size <= len(data):
        commit_size = struct.unpack(">I", data[offset + 4 : offset + 8])[0]
        current.append(data[offset + 24 : offset + 24 + page_size])
        offset += 24 + page_size
        if commit_size:
            transactions.append(current)
            current = []
    if current:
        transactions.append(current)
    return transactions


def linked_by_transaction(snapshot: Snapshot, checkin_ids: Iterable[str], member_keys: Iterable[bytes]) -> list[str]:
    """Transactions (a WAL commit, or a whole rollback journal) that hold a check-in id and a member key."""
    ids = [c.encode() for c in checkin_ids]
    keys = [k for k in member_keys if k]
    hits = []
    for name, data in snapshot.files.items():
        if name.endswith("-wal"):
            groups = [b"".join(pages) for pages in wal_transactions(data)]
        elif name.endswith("-journal"):
            groups = [data]
        else:
            continue
        for number, pages in enumerate(groups):
            if any(c in pages for c in ids) and any(k in pages for k in keys):
                hits.append(f"{snapshot.label}: {name} transaction {number} holds a check-in and a member key")
    return hits


def member_keyed_values(snapshot: Snapshot, member_ids: Sequence[int]) -> list[bytes]:
    """What marks a row as a member's: their id in any encoding, and any value in a member-key column."""
    keys = [m for u in member_ids for m in id_markers(u)]
    for _, conn, scratch in _databases(snapshot):
        try:
            for table, columns in _tables(conn):
                for column in columns:
                    if "member" in column or "user" in column:
                        keys += [str(v).encode() for (v,) in conn.execute(f'SELECT "{column}" FROM "{table}"')]
        finally:
            conn.close()
            shutil.rmtree(scratch, ignore_errors=True)
    return keys


# --- submission order --------------------------------------------------------------------------------------


def _page_size(data: bytes) -> int:
    if data.startswith(SQLITE_MAGIC):
        size = struct.unpack(">H", data[16:18])[0]
        return 65536 if size == 1 else size
    if len(data) >= 12 and struct.unpack(">I", data[:4])[0] in WAL_MAGICS:
        return struct.unpack(">I", data[8:12])[0] + 24
    return 4096


def _occurrences(data: bytes, needle: bytes) -> list[int]:
    found, start = [], data.find(needle)
    while start != -1:
        found.append(start)
        start = data.find(needle, start + 1)
    return found


def order_guesses(snapshot: Snapshot, checkin_ids: Sequence[str]) -> dict[str, list[str]]:
    """Every ranking of the check-ins the attacker can read off the bytes, by strategy name.

    Per file: by first and last byte offset, by offset within the page (new cells are written at the low end
    of a page's content area), by how many copies exist (stale copies in WAL frames or free pages), each
    ascending and descending. Ties go to the id's own order, which is as good as a coin.
    """
    strategies: dict[str, list[str]] = {}
    for name, data in snapshot.files.items():
        page = _page_size(data)
        where = {c: _occurrences(data, c.encode()) for c in checkin_ids}
        present = [c for c in checkin_ids if where[c]]
        if len(present) < 2:
            continue
        features = {
            "first offset": lambda c, w=where: w[c][0],
            "last offset": lambda c, w=where: w[c][-1],
            "offset in page": lambda c, w=where, p=page: w[c][0] % p,
            "copies": lambda c, w=where: len(w[c]),
        }
        for feature, key in features.items():
            ascending = sorted(present, key=lambda c, k=key: (k(c), c))
            strategies[f"{name}: {feature}, ascending"] = ascending
            strategies[f"{name}: {feature}, descending"] = ascending[::-1]
    return strategies


def concordant_pairs(guess: Sequence[str], truth: Sequence[str]) -> tuple[int, int]:
    """(pairs the guess puts in true order, pairs compared), over the items both contain."""
    rank = {item: i for i, item in enumerate(truth)}
    items = [g for g in guess if g in rank]
    right = sum(1 for a, b in itertools.combinations(items, 2) if rank[a] < rank[b])
    return right, len(items) * (len(items) - 1) // 2


@cache
def mahonian(n: int) -> tuple[int, ...]:
    """How many permutations of n items put exactly c pairs in order, for c = 0 .. n(n-1)/2."""
    counts = [1]
    for size in range(2, n + 1):
        grown = [0] * (len(counts) + size - 1)
        for c, ways in enumerate(counts):
            for extra in range(size):
                grown[c + extra] += ways
        counts = grown
    return tuple(counts)


def p_value(observations: Sequence[tuple[int, int]]) -> float:
    """Exact one-sided p-value of the total concordant pairs over independent rankings, under chance.

    Each observation is (items ranked, concordant pairs). Under the null hypothesis each ranking is a uniformly
    random order of its items, so its concordant count follows the Mahonian distribution; independent rounds
    add, so the total's distribution is their convolution.
    """
    total = [1.0]
    observed = 0
    for n, right in observations:
        weights = mahonian(n)
        scale = sum(weights)
        combined = [0.0] * (len(total) + len(weights) - 1)
        for i, a in enumerate(total):
            for j, b in enumerate(weights):
                combined[i + j] += a * b / scale
        total = combined
        observed += right
    return sum(total[observed:])


# The emulator runs in this process too; its own records are not the bot's logs.
EMULATOR_LOGGERS = ("discord_sandbox", "aiohttp.access", "aiohttp.server", "aiohttp.web")


@contextlib.contextmanager
def production_debug_log() -> Iterator[io.StringIO]:
    """Log at DEBUG through the production handler (emulator records left out); restore the root logger after."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    written = io.StringIO()
    setup_logging("DEBUG", written)
    ours = next(h for h in root.handlers if h not in before)
    ours.addFilter(lambda record: not record.name.startswith(EMULATOR_LOGGERS))
    try:
        yield written
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
        root.setLevel(level)
