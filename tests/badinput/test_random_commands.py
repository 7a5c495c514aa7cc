"""Every registered slash command, invoked over and over with random option values by random members.

The commands come from what the bot registered with the sandbox (walking subcommand groups), so a new
command is covered without touching this file. Option values follow each option's declared type,
choices and ranges, mixed with realistic and hostile text. Members are plain trainees, holders of
the supervisor role, members with Manage Server, and the server owner.

For every invocation:

- it gets an initial response (the sandbox fixture also fails the test on any Discord rule the bot
  broke, such as answering after the 3-second deadline),
- no reply anywhere contains "Traceback" or "Something went wrong on our side" (an unexpected error),
- a supervisor-only command run by a plain trainee is refused with "Only supervisors can do this"
  and leaves the database exactly as it was.

Modals the bot opens are submitted with random text. Problems are collected, not raised at the
first one, so one run reports every kind of failure with the invocation that caused it.
"""

from __future__ import annotations

import pytest

from discord_sandbox import Sandbox
from tests.support.command_fuzz import fuzz_commands


async def test_every_command_with_random_options_and_members(make_harness, sandbox: Sandbox) -> None:
    available = await fuzz_commands(make_harness, sandbox, seed=20260302, invocations=600)
    assert len(available) >= 20, [leaf.path for leaf in available]


@pytest.mark.slow
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
async def test_many_more_random_invocations(make_harness, sandbox: Sandbox, seed: int) -> None:
    await fuzz_commands(make_harness, sandbox, seed=seed, invocations=3000)
