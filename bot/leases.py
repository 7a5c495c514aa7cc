"""Claims a batch of work holds while it runs, renewed like a fire's, so no other process takes them over.

A fire is one claim, renewed by the scheduler while its task runs. A batch (one DM tick's prompts) claims many
rows at once; they carry the batch's random token, and one write renews them all. A claim whose batch stopped
renewing for CLAIM_LEASE belongs to a process that stopped mid-way, and may be taken over; a process looking
for such claims passes `held`, so it never takes over a batch of its own, whatever its clock says.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime

from bot.clock import Clock
from bot.scheduling import RENEW_EVERY

log = logging.getLogger(__name__)

# Renews every claim a batch holds and has not settled, given the batch's token and the time now.
Renewal = Callable[[str, datetime], Awaitable[object]]


class BatchLeases:
    """The batches of one kind of work running in this process, each renewing its claims until it ends."""

    def __init__(self, clock: Clock, renew: Renewal, what: str) -> None:
        """`what` names the claims in a log line (the table they are in)."""
        self._clock = clock
        self._renew_claims = renew
        self._what = what
        self._held: set[str] = set()

    @property
    def held(self) -> frozenset[str]:
        """The tokens of the batches running here: their claims are this process's, never to be taken over."""
        return frozenset(self._held)

    @contextlib.asynccontextmanager
    async def batch(self, owner: str) -> AsyncIterator[str]:
        """Run one batch under a fresh token; its claims are renewed every RENEW_EVERY until the block ends.

        The token starts with `owner:` (the fire running the batch), so a process that takes the fire over
        can tell which claims the stopped run held. Whatever the batch has not settled when it ends (cancelled
        at shutdown mid-send) is no longer renewed, and is taken over CLAIM_LEASE after the last renewal.
        """
        token = f"{owner}:{secrets.token_hex(8)}"
        self._held.add(token)
        renewing = asyncio.get_running_loop().create_task(self._renew(token), name=f"lease {self._what}")
        try:
            yield token
        finally:
            renewing.cancel()
            self._held.discard(token)

    async def _renew(self, token: str) -> None:
        wake = asyncio.Event()
        while True:
            deadline = self._clock() + RENEW_EVERY
            while self._clock() < deadline:  # a clock may wake its sleepers early; sleep on until the deadline
                wake.clear()
                await self._clock.sleep_until(deadline, wake)
            try:
                await self._renew_claims(token, self._clock())
            except Exception as error:  # a locked database now and then must not stop the work it guards
                log.warning("could not renew the claims on %s (%s)", self._what, error)
