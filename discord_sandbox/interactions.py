"""Interaction lifecycle: INTERACTION_CREATE, the initial callback, followups, @original edits, deadlines."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import errors, limits, messages, payloads
from .bodies import Body
from .gateway import GatewayHub
from .models import EPHEMERAL, LOADING, Channel, Guild, Member, Message, User
from .permissions import channel_permissions
from .state import World

APPLICATION_COMMAND, COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
PONG, MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, AUTOCOMPLETE_RESULT, MODAL = 1, 4, 5, 6, 7, 8, 9
# Which callback types Discord accepts for each interaction type.
_ALLOWED = {
    APPLICATION_COMMAND: {MESSAGE, DEFERRED_MESSAGE, MODAL},
    COMPONENT: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, MODAL},
    AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
    MODAL_SUBMIT: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE},
}
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
TOKEN_TTL = 15 * 60

Violation = Callable[[str], None]
Precheck = Callable[[], None] | None


@dataclass
class Callback:
    """The initial response the bot gave to an interaction."""

    type: int
    data: dict[str, Any]
    message: Message | None = None

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.data.get("flags") or 0) & EPHEMERAL)

    @property
    def content(self) -> str:
        return self.data.get("content") or ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.data.get("embeds") or []

    @property
    def components(self) -> list[dict[str, Any]]:
        return self.data.get("components") or []

    @property
    def choices(self) -> list[dict[str, Any]]:
        return self.data.get("choices") or []


@dataclass(eq=False)
class Interaction:
    """Test-side handle on one interaction: await its response, original message and followups."""

    id: int
    token: str
    type: int
    payload: dict[str, Any]
    guild: Guild | None
    channel: Channel
    user: User
    member: Member | None
    world: World
    name: str = ""
    message: Message | None = None  # the message a component sits on
    opened_by: Interaction | None = None
    sent_at: float | None = None
    created_at: float = field(default_factory=time.monotonic)
    initial: Callback | None = None
    original_id: int | None = None
    followups: list[Message] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (http status, reason) of refused calls
    _cursor: int = 0

    @property
    def deferred(self) -> bool:
        return self.initial is not None and self.initial.type in (DEFERRED_MESSAGE, DEFERRED_UPDATE)

    async def response(self, timeout: float = 5) -> Callback:
        """The initial callback (waits for it)."""
        return await self.world.notifier.wait_for(lambda: self.initial, timeout, f"a response to {self.name}")

    async def modal(self, timeout: float = 5) -> dict[str, Any]:
        """The modal the bot opened (callback type 9 data)."""
        cb = await self.response(timeout)
        if cb.type != MODAL:
            raise AssertionError(f"{self.name} answered with callback type {cb.type}, not a modal")
        return cb.data

    async def original_message(self, timeout: float = 5, predicate: Callable[[Message], bool] | None = None) -> Message:
        """The original response message once it is no longer "thinking" (and matches `predicate`)."""

        def probe() -> Message | None:
            msg = self.world.messages.get(self.original_id or 0)
            if msg is None or msg.loading or (predicate is not None and not predicate(msg)):
                return None
            return msg

        return await self.world.notifier.wait_for(probe, timeout, f"the original response of {self.name}")

    async def next_followup(self, timeout: float = 5) -> Message:
        """The next followup message not returned before."""

        def probe() -> Message | None:
            if self._cursor < len(self.followups):
                self._cursor += 1
                return self.followups[self._cursor - 1]
            return None

        return await self.world.notifier.wait_for(probe, timeout, f"a followup of {self.name}")


class InteractionManager:
    """Creates interactions, sends them over the gateway and serves the bot's callback/webhook calls."""

    def __init__(self, world: World, hub: GatewayHub, violation: Violation, *, deadline: float = 3.0) -> None:
        self.world = world
        self.hub = hub
        self.violation = violation
        self.deadline = deadline
        self.by_id: dict[int, Interaction] = {}
        self.by_token: dict[str, Interaction] = {}
        # Called the moment an initial response is accepted, before anyone sees it: what the world looked
        # like when the member was told something (a test reads the bot's database file right then).
        self.response_observers: list[Callable[[Interaction, Callback], None]] = []

    # --- creation ------------------------------------------------------------------------------
    def create(
        self,
        type: int,
        invoker: Member | User,
        channel: Channel,
        data: dict[str, Any],
        *,
        name: str,
        message: Message | None = None,
        opened_by: Interaction | None = None,
    ) -> Interaction:
        guild = self.world.guild_of(channel)
        member = invoker if isinstance(invoker, Member) else (guild.members.get(invoker.id) if guild else None)
        user = member.user if member is not None else invoker
        assert isinstance(user, User)
        if guild is not None and member is None:
            raise ValueError(f"{user.name} is not a member of {guild.name}")
        ix = Interaction(
            id=self.world.ids.next(),
            token=f"aW50ZXJhY3Rpb24{secrets.token_urlsafe(96)}",
            type=type,
            payload={},
            guild=guild,
            channel=channel,
            user=user,
            member=member,
            world=self.world,
            name=name,
            message=message,
            opened_by=opened_by,
        )
        ix.payload = self._payload(ix, data)
        self.by_id[ix.id] = ix
        self.by_token[ix.token] = ix

        def sent() -> None:
            if ix.sent_at is None:  # replays after a RESUME keep the first send time
                ix.sent_at = time.monotonic()

        if self.hub.dispatch("INTERACTION_CREATE", ix.payload, sent) == 0:
            raise RuntimeError("sandbox: no bot session is connected to receive the interaction")
        return ix

    def _payload(self, ix: Interaction, data: dict[str, Any]) -> dict[str, Any]:
        world, channel, guild = self.world, ix.channel, ix.guild
        out: dict[str, Any] = {
            "id": str(ix.id),
            "application_id": str(world.application_id),
            "type": ix.type,
            "data": data,
            "token": ix.token,
            "version": 1,
            "channel_id": str(channel.id),
            "app_permissions": str(world.bot_permissions_in(channel)),
            "locale": ix.user.locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if guild is not None and ix.member is not None:
            perms = channel_permissions(guild, channel, ix.member)
            out |= {
                "guild_id": str(guild.id),
                "guild": {"id": str(guild.id), "locale": guild.locale, "features": []},
                "guild_locale": guild.locale,
                "channel": payloads.partial_channel(channel, perms),
                "member": payloads.member(ix.member, permissions=perms),
                "authorizing_integration_owners": {"0": str(guild.id)},
                "context": 0,
            }
        else:
            out |= {
                "channel": payloads.channel(channel, world.users),
                "user": payloads.user(ix.user),
                "authorizing_integration_owners": {"0": "0"},
                "context": 1,
            }
        if ix.message is not None:
            out["message"] = payloads.message(ix.message, world.users)
        return out

    # --- the bot's calls -----------------------------------------------------------------------
    def lookup(self, interaction_id: int, token: str) -> Interaction:
        ix = self.by_id.get(interaction_id)
        if ix is None or ix.token != token:
            raise errors.unknown_interaction()
        return ix

    def webhook(self, application_id: int, token: str) -> Interaction:
        ix = self.by_token.get(token)
        if ix is None or application_id != self.world.application_id:
            raise errors.unknown_webhook()
        if time.monotonic() - ix.created_at > TOKEN_TTL:
            raise errors.DiscordError(401, 50027, "Invalid Webhook Token")
        return ix

    def _refuse(self, ix: Interaction, err: errors.DiscordError, why: str) -> errors.DiscordError:
        ix.rejected.append((err.status, why))
        self.violation(f"interaction {ix.id} ({ix.name}): {why}")
        return err

    def _run_precheck(self, ix: Interaction, precheck: Precheck) -> None:
        """Schema validation, after the interaction-specific checks (it records its own violations)."""
        if precheck is None:
            return
        try:
            precheck()
        except errors.DiscordError as err:
            ix.rejected.append((err.status, "schema validation failed"))
            raise

    def callback(self, ix: Interaction, body: Body, precheck: Precheck = None) -> dict[str, Any]:
        """Handle POST /interactions/{id}/{token}/callback; returns the with_response body."""
        payload = body.json or {}
        ctype = payload.get("type")
        data = payload.get("data") or {}
        if ix.initial is not None:
            raise self._refuse(ix, errors.already_acknowledged(), "second initial response (40060)")
        elapsed = time.monotonic() - (ix.sent_at or time.monotonic())
        if elapsed > self.deadline:
            why = f"initial response after {elapsed:.2f}s (limit {self.deadline:g}s): 10062 Unknown interaction"
            raise self._refuse(ix, errors.unknown_interaction(), why)
        if ctype not in _ALLOWED.get(ix.type, set()) or (
            ctype in (DEFERRED_UPDATE, UPDATE_MESSAGE) and ix.message is None
        ):
            problem = ("type", "INTERACTION_RESPONSE_TYPE_INVALID", f"Invalid response type {ctype}")
            why = f"callback type {ctype} is not valid for interaction type {ix.type}"
            raise self._refuse(ix, errors.invalid_form_body([problem]), why)
        problems = self._limits(ctype, data)
        if problems:
            why = "; ".join(f"{p}: {m}" for p, _, m in problems)
            raise self._refuse(ix, errors.invalid_form_body(problems), f"invalid response: {why}")
        self._run_precheck(ix, precheck)
        cb = Callback(type=ctype, data=data)
        # The callback's message fields live under "data"; uploaded files stay with the request.
        inner = Body(json=data, files=body.files, multipart=body.multipart)
        resource: dict[str, Any] = {"type": ctype}
        info: dict[str, Any] = {"id": str(ix.id), "type": ix.type}
        if ctype in (MESSAGE, DEFERRED_MESSAGE):
            loading = LOADING if ctype == DEFERRED_MESSAGE else 0
            msg_body = inner if ctype == MESSAGE else Body(json={"flags": data.get("flags") or 0})
            cb.message = self._new_message(ix, msg_body, extra_flags=loading)
            ix.original_id = cb.message.id
        elif ctype in (DEFERRED_UPDATE, UPDATE_MESSAGE) and ix.message is not None:
            ix.original_id = ix.message.id
            if ctype == UPDATE_MESSAGE:
                cb.message = self._edit(ix.message, inner)
        if cb.message is not None:
            resource["message"] = payloads.message(cb.message, self.world.users)
            info |= {
                "response_message_id": str(cb.message.id),
                "response_message_loading": cb.message.loading,
                "response_message_ephemeral": cb.message.ephemeral,
            }
        for observe in self.response_observers:
            observe(ix, cb)
        ix.initial = cb
        self.world.notifier.changed()
        return {"interaction": info, "resource": resource}

    def _limits(self, ctype: int, data: dict[str, Any]) -> list[limits.Problem]:
        if ctype in (MESSAGE, UPDATE_MESSAGE):
            return limits.check_message(data, "data")
        if ctype == MODAL:
            return limits.check_modal(data)
        if ctype == AUTOCOMPLETE_RESULT:
            return limits.check_autocomplete(data)
        return []

    def followup(self, ix: Interaction, body: Body, precheck: Precheck = None) -> Message:
        """POST /webhooks/{app}/{token}: the first followup after a thinking defer replaces the loading message."""
        if ix.initial is None:
            raise self._refuse(ix, errors.unknown_webhook(), "followup sent before the initial response")
        problems = limits.check_message(body.json or {})
        if problems:
            raise self._refuse(ix, errors.invalid_form_body(problems), "invalid followup: " + _join(problems))
        self._run_precheck(ix, precheck)
        original = self.world.messages.get(ix.original_id or 0)
        if ix.initial.type == DEFERRED_MESSAGE and original is not None and original.loading:
            msg = self._edit(original, body)
        else:
            msg = self._new_message(ix, body, followup=True)
        ix.followups.append(msg)
        self.world.notifier.changed()
        return msg

    def find_message(self, ix: Interaction, message_id: str) -> Message:
        """@original or one of this interaction's own messages."""
        mid = ix.original_id if message_id == "@original" else int(message_id)
        own = {ix.original_id, *(m.id for m in ix.followups)}
        msg = self.world.messages.get(mid or 0)
        if msg is None or msg.deleted or mid not in own:
            raise errors.unknown_message()
        return msg

    def edit_message(self, ix: Interaction, message_id: str, body: Body, precheck: Precheck = None) -> Message:
        msg = self.find_message(ix, message_id)
        problems = limits.check_message(body.json or {})
        if problems:
            raise self._refuse(ix, errors.invalid_form_body(problems), "invalid message edit: " + _join(problems))
        self._run_precheck(ix, precheck)
        return self._edit(msg, body)

    def delete_message(self, ix: Interaction, message_id: str) -> None:
        msg = self.find_message(ix, message_id)
        msg.deleted = True
        if not msg.ephemeral:
            event = {"id": str(msg.id), "channel_id": str(msg.channel_id)}
            if msg.guild_id:
                event["guild_id"] = str(msg.guild_id)
            self.world.dispatch("MESSAGE_DELETE", event)
        self.world.notifier.changed()

    def _new_message(self, ix: Interaction, body: Body, *, extra_flags: int = 0, followup: bool = False) -> Message:
        metadata: dict[str, Any] = {
            "id": str(ix.id),
            "type": ix.type,
            "user": payloads.user(ix.user),
            "authorizing_integration_owners": ix.payload["authorizing_integration_owners"],
        }
        if ix.type == APPLICATION_COMMAND:
            metadata["name"] = ix.name.lstrip("/")
        if ix.message is not None:
            metadata["interacted_message_id"] = str(ix.message.id)
        if followup and ix.original_id:
            metadata["original_response_message_id"] = str(ix.original_id)
        msg = messages.create(
            self.world,
            ix.channel,
            self.world.bot_user,
            body,
            type=20 if ix.type == APPLICATION_COMMAND and not followup else 0,
            allow_ephemeral=True,
            extra_flags=extra_flags,
            webhook_id=self.world.application_id,
            application_id=self.world.application_id,
            interaction_id=ix.id,
            interaction_metadata=metadata,
        )
        if not msg.ephemeral:
            self.world.dispatch("MESSAGE_CREATE", self.world.message_event(msg))
        return msg

    def _edit(self, msg: Message, body: Body) -> Message:
        msg.flags &= ~LOADING
        messages.edit(self.world, msg, body)
        if not msg.ephemeral:
            self.world.dispatch("MESSAGE_UPDATE", self.world.message_event(msg))
        return msg

    def unanswered(self) -> list[Interaction]:
        """Interactions never acknowledged (a user would see "The application did not respond")."""
        return [ix for ix in self.by_id.values() if ix.initial is None]


def _join(problems: list[limits.Problem]) -> str:
    return "; ".join(f"{p}: {m}" for p, _, m in problems)
