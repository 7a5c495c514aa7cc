"""The threat model's attackers against meeting feedback: a reader of every file (copied after each answer) and
of the DEBUG logs.

Known members answer about known meetings in a known order. The attacker holds every snapshot and every member id
and tries, as for check-ins (test_file_attacker.py), to:
1. recompute member keys from anything on disk, or find a member id in a file that holds an answer;
2. link an answer to a member-keyed row through a WAL transaction or a journal;
3. recover the order of the answers from byte offsets, in-page offsets and copies, in every file.

Attacks 1 and 2 must find nothing; for 3, no strategy may rank the answers better than chance (exact p-value of
the concordant pairs summed over meetings, against 1e-4 / number of strategies). The logs, at DEBUG, must hold no
member id and none of the words.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import tempfile
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

from tests.e2e.meeting_support import MEETING, WEEK, advance_to, answer_feedback, mark_present, set_up_meetings
from tests.privacy.forensics import (
    SQLITE_MAGIC,
    Snapshot,
    concordant_pairs,
    linked_by_transaction,
    member_keyed_values,
    members_in_anonymous_files,
    order_guesses,
    p_value,
    production_debug_log,
    recompute_member_keys,
    take_snapshot,
)

ROUNDS = 4
FALSE_ALARM = 1e-4


def read_feedback(snapshot: Snapshot) -> set[str]:
    """The ids of every feedback row the attacker finds: any table with `id` and `goals` columns, in any file."""
    found: set[str] = set()
    for data in snapshot.files.values():
        if not data.startswith(SQLITE_MAGIC):
            continue
        scratch = Path(tempfile.mkdtemp(prefix="attacker-"))
        (scratch / "db").write_bytes(data)
        try:
            conn = sqlite3.connect(scratch / "db")
            for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
                columns = [c[1] for c in conn.execute(f'PRAGMA table_info("{table}")')]
                if "id" in columns and "goals" in columns:
                    found |= {str(r[0]) for r in conn.execute(f'SELECT id FROM "{table}"')}
            conn.close()
        except sqlite3.DatabaseError:
            pass  # a torn copy
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return found


def generic(name: str) -> str:
    return "".join("#" if ch.isdigit() else ch for ch in name)


async def test_a_file_and_log_reader_can_neither_link_nor_order_feedback(make_harness, tmp_path: Path) -> None:
    rng = random.Random(20261203)
    words_said: list[str] = []
    with production_debug_log() as written:
        async with make_harness(trainees=7) as h:
            await set_up_meetings(h, "meeting_attendance", "meeting_feedback")
            members = [m.id for m in [*h.group.trainees, h.group.supervisor, h.group.owner]]
            data = h.db_path.parent
            snapshots: list[Snapshot] = []
            truths: list[list[str]] = []
            for number in range(ROUNDS):
                start = MEETING + WEEK * number
                await advance_to(h, start + timedelta(minutes=1))
                for member in h.group.trainees:
                    await mark_present(h, member)
                await advance_to(h, start + timedelta(hours=3, minutes=1))
                order = list(h.group.trainees)
                rng.shuffle(order)
                seen: set[str] = set(read_feedback(take_snapshot(data, "before")))
                truth = []
                for member in order:
                    said = None
                    if rng.random() < 0.5:
                        said = "".join(rng.choice("abcdefgh ") for _ in range(40))
                        words_said.append(said)
                    ratings = (rng.randint(0, 10), rng.randint(0, 10), rng.randint(0, 10))
                    assert "saved" in (await answer_feedback(h, member, ratings, words=said)).content
                    snapshot = take_snapshot(data, f"meeting {number + 1}, after {member.user.name}")
                    new = read_feedback(snapshot) - seen
                    assert len(new) == 1, f"{snapshot.label}: expected one new answer, found {len(new)}"
                    seen |= new
                    truth += list(new)
                    snapshots.append(snapshot)
                truths.append(truth)
            final = take_snapshot(data, "at the end")
    answer_ids = [a for truth in truths for a in truth]
    assert len(answer_ids) == ROUNDS * 7

    # 1 and 2: no member key anywhere, no member id beside an answer, no transaction shared with a member's row.
    for snapshot in [*snapshots, final]:
        assert recompute_member_keys(snapshot, members) == []
        assert members_in_anonymous_files(snapshot, members, answer_ids) == []
        assert linked_by_transaction(snapshot, answer_ids, member_keyed_values(snapshot, members)) == []

    # 3: the final files rank each meeting's answers no better than chance.
    scored: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for truth in truths:
        for strategy, guess in order_guesses(final, truth).items():
            right, pairs = concordant_pairs(guess, truth)
            if pairs:
                scored[generic(strategy)].append((len([g for g in guess if g in truth]), right))
    p_values = {strategy: p_value(observations) for strategy, observations in scored.items()}
    assert len(p_values) >= 8, sorted(p_values)
    threshold = FALSE_ALARM / len(p_values)
    beaten = {s: p for s, p in p_values.items() if p < threshold}
    assert beaten == {}, f"better than chance (threshold {threshold:.2e}): {beaten}"

    # The logs: no member id and none of the words, though DEBUG really logged the interactions.
    log = written.getvalue()
    assert "INTERACTION_CREATE" in log
    for member in members:
        assert str(member) not in log
    for said in words_said:
        assert said not in log
