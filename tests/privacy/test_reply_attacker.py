"""The threat model's file and log attackers, extended to replies: supervisors reply to every check-in and
each author reads the replies with their code and answers, in a known order, in several servers (rounds).

The attacker holds a copy of every file after each answer and after a clean stop, and knows every member id.
It must find no member id or member key beside a reply, must see no byte change when an author reads replies
by code (reading leaves no trace), and must rank the answers no better than chance by byte offset, offset
within the page or number of copies (the same statistics as tests/privacy/test_file_attacker.py). DEBUG logs
of the whole round trip must hold no code, reply, answer, interaction token or member id.
"""

from __future__ import annotations

import random
import sqlite3
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

from bot.scheduling import ManualClock
from discord_sandbox import Sandbox
from tests.e2e.conftest import START, Harness, build_group, custom_ids, make_config, running, set_up_group
from tests.privacy.forensics import (
    Snapshot,
    concordant_pairs,
    members_in_anonymous_files,
    order_guesses,
    p_value,
    production_debug_log,
    recompute_member_keys,
    take_snapshot,
)
from tests.support.checkin_actions import check_in, code_of

ROUNDS = 4
MEMBERS = 7
FALSE_ALARM = 1e-4


def answered_replies(snapshot: Snapshot) -> dict[str, str]:
    """Every reply row with an answer the attacker can read in the snapshot: reply id -> answer."""
    found = {}
    for name, data in snapshot.files.items():
        if not name.endswith(".sqlite3") or "-anonymous" not in name:
            continue
        conn = sqlite3.connect(":memory:")
        try:
            conn.deserialize(data)
            found |= dict(conn.execute("SELECT id, answer FROM replies WHERE answer IS NOT NULL").fetchall())
        finally:
            conn.close()
    return found


def generic(name: str) -> str:
    return "".join("#" if ch.isdigit() else ch for ch in name)


async def reply_to_everything(h: Harness, rng: random.Random) -> None:
    """The supervisor replies to every check-in of the group's digest, in a random order."""
    posts = [m for m in h.sandbox.messages(h.group.channels["digest"]) if m.components]
    buttons = [(post, c) for post in posts for c in custom_ids(post) if c.startswith("sv:checkin:reply:")]
    rng.shuffle(buttons)
    for post, custom_id in buttons:
        opened = await h.sandbox.click(h.group.supervisor, post, custom_id)
        field = (await opened.modal())["components"][0]["components"][0]["custom_id"]
        text = "".join(rng.choice("abcdefgh ") for _ in range(60))
        saved = await (await h.sandbox.submit_modal(h.group.supervisor, opened, {field: text})).response()
        assert "Saved as reply 1" in saved.content, saved.content


async def read_and_answer(h: Harness, member, code: str, rng: random.Random, data: Path) -> None:  # type: ignore[no-untyped-def]
    """The author reads the replies by code (nothing may change on disk) and answers the one reply."""
    before = take_snapshot(data, "before reading")
    shown = await h.run(member, "checkin replies", code=code)
    assert take_snapshot(data, "after reading").files == before.files, "reading replies by code wrote something"
    answer = "".join(rng.choice("abcdefgh ") for _ in range(60))
    opened = await h.sandbox.click(member, shown.message, custom_ids(shown)[0])
    field = (await opened.modal())["components"][0]["components"][0]["custom_id"]
    saved = await (await h.sandbox.submit_modal(member, opened, {field: answer})).response()
    assert "Answer saved" in saved.content, saved.content


async def test_a_file_reader_can_neither_link_nor_order_answers_to_replies(sandbox: Sandbox, tmp_path: Path) -> None:
    rng = random.Random(20260304)
    groups = [build_group(sandbox, trainees=MEMBERS, name=f"Group {n}") for n in range(ROUNDS)]
    members = [m.id for g in groups for m in [*g.trainees, g.supervisor, g.owner]]
    data = tmp_path / "data"
    data.mkdir()
    config = make_config(data, sandbox, cogs=("about", "admin", "checkin"))
    clock = ManualClock(START)
    snapshots: list[Snapshot] = []
    truths: dict[str, list[str]] = {}
    reply_ids_so_far: set[str] = set()
    async with running(sandbox, config, clock) as bot:
        harnesses = [Harness(sandbox, bot, clock, g, config.database_path) for g in groups]
        codes: dict[str, dict[int, str]] = defaultdict(dict)
        for h in harnesses:
            await set_up_group(h)
            await h.run(h.group.supervisor, "schedule set", kind="checkin_digest", days="Wed", time="12:00")
            for member in h.group.trainees:
                text = "".join(rng.choice("abcdefgh ") for _ in range(60))
                codes[h.group.guild.name][member.id] = code_of(await check_in(h, member, text=text, share=True))
        await harnesses[0].advance(timedelta(days=2, hours=4, minutes=5))  # every group's digest is released
        for h in harnesses:
            await reply_to_everything(h, rng)
        for h in harnesses:
            order = list(h.group.trainees)
            rng.shuffle(order)
            seen: list[str] = []
            for member in order:
                await read_and_answer(h, member, codes[h.group.guild.name][member.id], rng, data)
                snapshot = take_snapshot(data, f"{h.group.guild.name}, after an answer")
                new = [r for r in answered_replies(snapshot) if r not in seen and r not in reply_ids_so_far]
                assert len(new) == 1
                seen += new
                snapshots.append(snapshot)
            truths[h.group.guild.name] = seen
            reply_ids_so_far.update(seen)
    families = {"while running": snapshots[-1], "after a clean stop": take_snapshot(data, "after a clean stop")}
    reply_ids = [r for truth in truths.values() for r in truth]
    assert len(reply_ids) == ROUNDS * MEMBERS

    # No member id or member key sits in a file with a reply, in any copy.
    for snapshot in [*snapshots, *families.values()]:
        assert recompute_member_keys(snapshot, members) == []
        assert members_in_anonymous_files(snapshot, members, reply_ids) == []

    # No strategy ranks the answers in the order they were given better than chance.
    p_values = {}
    for family, snapshot in families.items():
        scored: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for truth in truths.values():
            for strategy, guess in order_guesses(snapshot, truth).items():
                right, pairs = concordant_pairs(guess, truth)
                if pairs:
                    scored[f"{family} · {generic(strategy)}"].append((len([g for g in guess if g in truth]), right))
        p_values |= {strategy: p_value(observations) for strategy, observations in scored.items()}
    assert len(p_values) >= 8 * len(families), sorted(p_values)
    threshold = FALSE_ALARM / len(p_values)
    beaten = {s: p for s, p in p_values.items() if p < threshold}
    assert beaten == {}, f"better than chance (threshold {threshold:.2e}): {beaten}"


async def test_debug_logs_hold_no_code_reply_answer_token_or_member_id(make_harness) -> None:
    secrets_said = ["my-unique-reply-words", "my-unique-answer-words", "my-unique-checkin-words"]
    with production_debug_log() as written:
        async with make_harness() as h:
            await set_up_group(h)
            await h.run(h.group.supervisor, "schedule set", kind="checkin_digest", days="Wed", time="12:00")
            t = h.group.trainees
            code = code_of(await check_in(h, t[0], text=secrets_said[2], share=True))
            for member in t[1:3]:
                await check_in(h, member)
            await h.advance(timedelta(days=2, hours=4, minutes=5))
            post = next(m for m in h.sandbox.messages(h.group.channels["digest"]) if m.components)
            reply_ids = [c for c in custom_ids(post) if c.startswith("sv:checkin:reply:")]
            for custom_id in reply_ids:
                opened = await h.sandbox.click(h.group.supervisor, post, custom_id)
                field = (await opened.modal())["components"][0]["components"][0]["custom_id"]
                await (await h.sandbox.submit_modal(h.group.supervisor, opened, {field: secrets_said[0]})).response()
            assert "No check-in" in (await h.run(t[1], "checkin replies", code="AAAA-BBBB-CCCC")).content
            shown = await h.run(t[0], "checkin replies", code=code)
            opened = await h.sandbox.click(t[0], shown.message, custom_ids(shown)[0])
            field = (await opened.modal())["components"][0]["components"][0]["custom_id"]
            saved = await (await h.sandbox.submit_modal(t[0], opened, {field: secrets_said[1]})).response()
            assert "Answer saved" in saved.content
            tokens = list(h.sandbox.interactions.by_token)
            members = [str(m.id) for m in [*t, h.group.supervisor, h.group.owner]]
    log = written.getvalue()
    assert "INTERACTION_CREATE" in log  # DEBUG really logged the interactions
    for token in tokens:
        assert token not in log and token[15:47] not in log
    for secret in [*members, *secrets_said, code, code.replace("-", "")]:
        assert secret not in log
