"""Fault knobs: injected 429s, 5xx answers, blocked DMs and a global request-rate cap."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from .models import Member, User

# Requests to these paths are interaction responses, outside the global rate limit.
INTERACTION_PATHS = ("/interactions/", "/webhooks/")


@dataclass
class _Rule:
    method: str
    route: str
    remaining: int
    status: int
    retry_after: float = 0.0
    is_global: bool = False
    after: bool = False  # answer with the error only after the real handler has done its work
    skip: int = 0  # let this many matching requests through first

    def matches(self, method: str, template: str, path: str) -> bool:
        return self.method in ("*", method) and self.route in ("*", template, path)


@dataclass
class Injected:
    """An answer the fault layer substitutes for the real handler."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str]


class Faults:
    """Configured by tests; consulted by the HTTP layer before every API request."""

    def __init__(self) -> None:
        self._rules: list[_Rule] = []
        self.blocked_dm_users: set[int] = set()
        self.global_limit: float | None = None
        self._recent: deque[float] = deque()
        self.injected: list[tuple[str, str, int]] = []  # (method, path, status) of each injected answer
        self._holds: list[tuple[_Rule, asyncio.Event]] = []
        self._drops: list[tuple[_Rule, asyncio.Event]] = []

    def rate_limit(
        self, method: str, route: str, *, times: int = 1, retry_after: float = 0.05, is_global: bool = False
    ) -> None:
        """Answer the next `times` matching requests (template, concrete path or "*") with 429."""
        self._rules.append(_Rule(method.upper(), route, times, 429, retry_after, is_global))

    def server_error(self, method: str, route: str, *, status: int = 500, times: int = 1, skip: int = 0) -> None:
        """Answer the next `times` matching requests with `status` (500, 502...), after letting `skip` through."""
        self._rules.append(_Rule(method.upper(), route, times, status, skip=skip))

    def lose_reply(self, method: str, route: str, *, status: int = 503, times: int = 1) -> None:
        """Do the next `times` matching requests, then answer `status` as if the reply were lost on the way."""
        self._rules.append(_Rule(method.upper(), route, times, status, after=True))

    def hold_reply(self, method: str, route: str, *, times: int = 1) -> asyncio.Event:
        """Do the next `times` matching requests, but keep their answers until the returned event is set.

        A slow network: the world has changed (the message exists, members see it) while the bot
        is still waiting to hear so.
        """
        release = asyncio.Event()
        self._holds.append((_Rule(method.upper(), route, times, 200), release))
        return release

    def drop_after(self, method: str, route: str, *, skip: int) -> asyncio.Event:
        """Let `skip` matching requests through; every later one never reaches Discord.

        The request is held, unapplied, until the returned event is set (or clear() runs), then
        answered 503 as a dropped connection would be. Nothing it asked for happens.
        """
        release = asyncio.Event()
        self._drops.append((_Rule(method.upper(), route, 1 << 30, 503, skip=skip), release))
        return release

    def dropped_until(self, method: str, template: str, path: str) -> asyncio.Event | None:
        """The event a request must wait for before failing unapplied, if a drop_after knob takes it."""
        for rule, release in self._drops:
            if rule.matches(method, template, path):
                if rule.skip > 0:
                    rule.skip -= 1
                    return None
                return release
        return None

    def held_until(self, method: str, template: str, path: str) -> asyncio.Event | None:
        """The event a handled request's answer must wait for, if a hold_reply knob matches it."""
        for rule, release in self._holds:
            if rule.remaining > 0 and rule.matches(method, template, path):
                rule.remaining -= 1
                return release
        return None

    def block_dms(self, *users: User | Member) -> None:
        """DMs to these users fail with 403 code 50007 like a member with DMs closed."""
        self.blocked_dm_users.update(u.id for u in users)

    def unblock_dms(self, *users: User | Member) -> None:
        self.blocked_dm_users.difference_update(u.id for u in users)

    def limit_global_rate(self, per_second: float | None) -> None:
        """Cap API requests at `per_second` (sliding one-second window); None removes the cap.

        As on Discord, interaction responses and followups are neither limited nor counted.
        """
        self.global_limit = per_second
        self._recent.clear()

    def clear(self) -> None:
        self._rules.clear()
        for _, release in [*self._holds, *self._drops]:
            release.set()
        self._holds.clear()
        self._drops.clear()
        self.blocked_dm_users.clear()
        self.limit_global_rate(None)

    def check(self, method: str, template: str, path: str) -> Injected | None:
        """The injected answer for this request, if a knob fires."""
        # Discord: interaction endpoints (the callback, and followups on the interaction's webhook) are not
        # bound to the bot's global rate limit, and are not counted against it.
        bound = not path.startswith(INTERACTION_PATHS)
        injected = (self._check_global_rate() if bound else None) or self._check_rules(method, template, path)
        if injected is not None:
            self.injected.append((method, path, injected.status))
        return injected

    def check_after(self, method: str, template: str, path: str) -> Injected | None:
        """The error that replaces a handled request's real answer, if a lose_reply knob fires."""
        injected = self._check_rules(method, template, path, after=True)
        if injected is not None:
            self.injected.append((method, path, injected.status))
        return injected

    def _check_rules(self, method: str, template: str, path: str, *, after: bool = False) -> Injected | None:
        for rule in self._rules:
            if rule.after == after and rule.remaining > 0 and rule.matches(method, template, path):
                if rule.skip > 0:
                    rule.skip -= 1
                    return None
                rule.remaining -= 1
                if rule.status == 429:
                    return rate_limited(rule.retry_after, is_global=rule.is_global, bucket=template)
                return Injected(rule.status, {"message": f"{rule.status}: Sandbox injected error", "code": 0}, {})
        return None

    def _check_global_rate(self) -> Injected | None:
        if self.global_limit is None:
            return None
        now = time.monotonic()
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        if len(self._recent) >= self.global_limit:
            retry_after = max(0.001, 1.0 - (now - self._recent[0]))
            return rate_limited(round(retry_after, 3), is_global=True, bucket="global")
        self._recent.append(now)
        return None


def rate_limited(retry_after: float, *, is_global: bool, bucket: str) -> Injected:
    """A 429 exactly as Discord sends it: body retry_after/global plus the headers discord.py reads."""
    reset = time.time() + retry_after
    headers = {
        "Retry-After": str(max(1, round(retry_after))),
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": f"{reset:.3f}",
        "X-RateLimit-Reset-After": f"{retry_after:.3f}",
        "X-RateLimit-Scope": "global" if is_global else "user",
        # discord.py treats a 429 without Via as a Cloudflare ban and raises instead of retrying.
        "Via": "1.1 google",
    }
    if is_global:
        headers["X-RateLimit-Global"] = "true"
    else:
        headers["X-RateLimit-Bucket"] = f"sandbox-{abs(hash(bucket)) % 10**8:08d}"
    body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": is_global, "code": 0}
    return Injected(429, body, headers)
