"""The threat model's file attacker against a real bot process: copies while it runs, after kill -9, from a
backup, after a withdrawal and after a clean stop.

Known members check in, in a known order, one of them twice, in several servers (rounds). The attacker holds
every snapshot and every member id and tries to:
1. recompute member keys from anything on disk (keyed and plain hashes under every stored value);
2. link a check-in to a member-keyed row through a WAL transaction or a journal;
3. recover the submission order from byte offsets, in-page offsets and copies, in every file.

Attacks 1 and 2 must find nothing at all. For 3 the test is statistical: each strategy's ranking is scored by
its concordant pairs with the true order, summed over rounds; under chance each round's count follows the
Mahonian distribution, and the exact p-value of the sum is compared with 1e-4 divided by the number of
strategies tried (Bonferroni), so the chance of a false alarm over the whole test stays below 1 in 10,000.

A limit the test does not claim to beat, stated in docs/privacy.md: the *set* of check-ins differs between
two copies taken either side of a submission, so whoever copies between every submission and also knows who
submitted in between learns which row is whose.
"""

from __future__ import annotations

import asyncio
import random
import sys
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

from discord_sandbox import Sandbox
from tests.e2e.conftest import Group, build_group
from tests.faults.support import ROOT, start_bot_process, write_config
from tests.privacy.forensics import (
    Snapshot,
    concordant_pairs,
    linked_by_transaction,
    member_keyed_values,
    members_in_anonymous_files,
    order_guesses,
    p_value,
    read_checkins,
    recompute_member_keys,
    take_snapshot,
)
from tests.support.checkin_actions import check_in, code_of

ROUNDS = 4
FALSE_ALARM = 1e-4
DIMENSIONS = ("overwhelmed", "helpless", "positive", "special", "disengaged", "parental", "criticised")


async def submit_round(sb: Sandbox, group: Group, rng: random.Random, data: Path) -> tuple[list[Snapshot], list[str]]:
    """Eight check-ins by seven members (one twice), a snapshot after each; returns them and the codes."""
    order = list(group.trainees)
    rng.shuffle(order)
    order.insert(rng.randrange(1, len(order)), order[0])  # the first member checks in a second time
    h = SimpleNamespace(sandbox=sb, group=group)
    snapshots, codes = [], []
    for number, member in enumerate(order):
        # Content carries no order: random dimensions and intensity, same-length text or none.
        text = "".join(rng.choice("abcdefgh ") for _ in range(60)) if rng.random() < 0.5 else None
        answer = await check_in(
            h, member, dimensions=(rng.choice(DIMENSIONS),), intensity=str(rng.randint(1, 5)), text=text, share=True
        )
        assert "Saved anonymously" in answer.content, answer.content
        codes.append(code_of(answer))
        snapshots.append(take_snapshot(data, f"{group.guild.name}, after submission {number + 1}"))
    return snapshots, codes


def submission_order(snapshots: list[Snapshot]) -> list[str]:
    """The oracle's truth: the check-in id that first appears in each successive snapshot."""
    seen: list[str] = []
    for snapshot in snapshots:
        new = [c for c in read_checkins(snapshot) if c not in seen]
        assert len(new) == 1, f"{snapshot.label}: expected one new check-in, found {len(new)}"
        seen += new
    return seen


def generic(name: str) -> str:
    """A strategy's name without the server id in per-server file names, so rounds can be combined."""
    return "".join("#" if ch.isdigit() else ch for ch in name)


async def run_cli(*args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode or 0, out.decode()


async def test_a_file_reader_can_neither_link_nor_order_checkins(sandbox: Sandbox, tmp_path: Path) -> None:
    rng = random.Random(20261202)
    groups = [build_group(sandbox, trainees=7, name=f"Group {n}") for n in range(ROUNDS)]
    members = [m.id for g in groups for m in [*g.trainees, g.supervisor, g.owner]]
    data = tmp_path / "data"
    data.mkdir()
    config = write_config(data, sandbox, ["about", "admin", "checkin"])

    running: list[Snapshot] = []
    codes: dict[str, list[str]] = {}
    first = await start_bot_process(sandbox, config, "first")
    try:
        for group in groups:
            snaps, codes[group.guild.name] = await submit_round(sandbox, group, rng, data)
            running += snaps
    finally:
        await first.kill()  # SIGKILL: whatever is on disk now is what a crash leaves
    families: dict[str, Snapshot] = {
        "while running": running[-1],
        "after kill -9": take_snapshot(data, "after kill -9"),
    }

    second = await start_bot_process(sandbox, config, "second")
    try:
        code, out = await run_cli("backup", str(tmp_path / "backup"), "--config", str(config))
        assert code == 0 and f"{ROUNDS} anonymous store file(s)" in out, out
        families["backup"] = take_snapshot(tmp_path / "backup", "backup")
        for group in groups:  # each round's last member withdraws: a write that must not reintroduce order
            withdrawn = await (
                await sandbox.invoke(
                    group.guild, group.trainees[0], "checkin withdraw", options={"code": codes[group.guild.name][-1]}
                )
            ).response()
            assert "Withdrawn" in withdrawn.content, withdrawn.content
        families["after withdrawal"] = take_snapshot(data, "after withdrawal")
    finally:
        assert await second.stop() == 0
    families["after a clean stop"] = take_snapshot(data, "after a clean stop")

    order = submission_order(running)
    truths = {g.guild.name: order[8 * n : 8 * (n + 1)] for n, g in enumerate(groups)}
    everything = [*running, *families.values()]
    checkin_ids = [c for truth in truths.values() for c in truth]
    assert len(checkin_ids) == ROUNDS * 8

    # 1. Member keys: nothing stored hashes to any member's id, under any stored value as the key.
    for snapshot in everything:
        assert recompute_member_keys(snapshot, members) == []
        assert members_in_anonymous_files(snapshot, members, checkin_ids) == []

    # 2. Transactions: no WAL commit or journal holds a check-in beside anything keyed to a member.
    for snapshot in everything:
        keys = member_keyed_values(snapshot, members)
        assert linked_by_transaction(snapshot, checkin_ids, keys) == []

    # 3. Order: no strategy ranks the check-ins better than chance.
    p_values = {}
    for family, snapshot in families.items():
        scored: dict[str, list[tuple[int, int]]] = defaultdict(list)
        readable = read_checkins(snapshot)
        for truth in truths.values():
            present = [c for c in truth if c in readable]
            for strategy, guess in order_guesses(snapshot, present).items():
                right, pairs = concordant_pairs(guess, present)
                if pairs:
                    ranked = len([g for g in guess if g in present])
                    scored[f"{family} · {generic(strategy)}"].append((ranked, right))
        p_values |= {strategy: p_value(observations) for strategy, observations in scored.items()}
    assert len(p_values) >= 8 * len(families), sorted(p_values)  # every family had files to attack
    threshold = FALSE_ALARM / len(p_values)
    beaten = {s: p for s, p in p_values.items() if p < threshold}
    assert beaten == {}, f"better than chance (threshold {threshold:.2e}): {beaten}"
