"""Each feature stands alone: any subset of `[bot] cogs` loads, registers its own commands, and answers them.

A feature that quietly needed another (an import, a shared table it created, a button it expected)
would fail here in the subsets that leave the other out.
"""

from __future__ import annotations

from itertools import combinations

import pytest

from bot.config import KNOWN_COGS
from discord_sandbox import Sandbox
from tests.support.command_fuzz import fuzz_commands

# The top-level commands a server sees for each feature.
FEATURE_COMMANDS = {
    "about": {"about", "help"},
    "admin": {"setup", "schedule", "status", "privacy"},
    "quiz": {"quiz"},
    "checkin": {"checkin"},
    "reflect": {"reflect"},
    "meeting": {"meeting", "hours", "feedback"},
}
SUBSETS = [subset for size in range(1, len(KNOWN_COGS) + 1) for subset in combinations(KNOWN_COGS, size)]


def test_every_feature_is_listed() -> None:
    assert set(FEATURE_COMMANDS) == set(KNOWN_COGS)


@pytest.mark.parametrize("cogs", SUBSETS, ids="+".join)
async def test_a_subset_of_features_registers_and_answers_its_own_commands(  # type: ignore[no-untyped-def]
    make_harness, sandbox: Sandbox, cogs: tuple[str, ...]
) -> None:
    # Every command once, by a random member with random options: no silence, no unexpected error.
    available = await fuzz_commands(make_harness, sandbox, seed=len(cogs), invocations=0, cogs=cogs)
    registered = {leaf.path.split()[0] for leaf in available}
    assert registered == set().union(*(FEATURE_COMMANDS[c] for c in cogs))
