"""The test-facing Sandbox: build a Discord world, drive a bot through it, observe what it did."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from . import command_data, payloads
from .command_data import CommandUsageError, Upload
from .core import SandboxCore
from .discord_target import point_discord_at
from .interactions import APPLICATION_COMMAND, AUTOCOMPLETE, COMPONENT, MODAL_SUBMIT, Callback, Interaction
from .models import GUILD_TEXT, Channel, Guild, Member, Message, Role, User
from .permissions import channel_permissions
from .state import OverwriteTarget, PermissionsLike

__all__ = ["CommandUsageError", "Sandbox", "Upload"]

Target = Member | User
_SELECT_TYPES = (3, 5, 6, 7, 8)


class Sandbox(SandboxCore):
    """A local Discord: `await start()`, point a bot at `api_base`, then script users against it."""

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- identity ------------------------------------------------------------------------------
    @property
    def token(self) -> str:
        return self.world.token

    @property
    def application_id(self) -> int:
        return self.world.application_id

    @property
    def bot_user(self) -> User:
        return self.world.bot_user

    def configure_discord(self) -> Callable[[], None]:
        """Point discord.py's REST base and gateway at this sandbox; returns the restore function."""
        return point_discord_at(self.api_base, self.gateway_url)

    # --- world building ------------------------------------------------------------------------
    def create_user(self, name: str) -> User:
        return self.world.create_user(name)

    def create_guild(
        self, name: str, *, owner: User | None = None, bot_permissions: PermissionsLike | None = None
    ) -> Guild:
        """A guild with the bot in it (managed role with `bot_permissions`) and a #general channel."""
        guild = self.world.create_guild(name, owner=owner, bot_permissions=bot_permissions)
        self.world.create_channel(guild, "general")
        return guild

    def join_guild(
        self,
        name: str,
        *,
        channels: Iterable[str] = ("general",),
        bot_permissions: PermissionsLike | None = None,
        locale: str = "en-US",
    ) -> Guild:
        """A server the bot is added to while connected: built whole, then announced in one GUILD_CREATE.

        `locale` is the server's preferred locale (Community servers set it in their settings).
        """
        dispatch = self.world.dispatch
        self.world.dispatch = lambda event, data: None
        try:
            guild = self.world.create_guild(name, bot_permissions=bot_permissions)
            guild.locale = locale
            for channel in channels:
                self.world.create_channel(guild, channel)
        finally:
            self.world.dispatch = dispatch
        dispatch("GUILD_CREATE", {"id": str(guild.id)})
        return guild

    def create_role(self, guild: Guild, name: str, *, permissions: PermissionsLike = 0) -> Role:
        return self.world.create_role(guild, name, permissions=permissions)

    def create_text_channel(
        self,
        guild: Guild,
        name: str,
        *,
        overwrites: Mapping[OverwriteTarget, Any] | None = None,
        category: Channel | None = None,
        topic: str | None = None,
    ) -> Channel:
        """Overwrites map a Role/Member/User/"everyone"/"bot" to discord.PermissionOverwrite or (allow, deny)."""
        return self.world.create_channel(guild, name, overwrites=overwrites, category=category, topic=topic)

    def create_category(self, guild: Guild, name: str) -> Channel:
        return self.world.create_category(guild, name)

    def create_member(self, guild: Guild, name: str, *, roles: Iterable[Role] = (), user: User | None = None) -> Member:
        return self.world.create_member(guild, name, roles=roles, user=user)

    def add_roles(self, member: Member, *roles: Role) -> None:
        self.world.add_roles(member, *roles)

    def remove_roles(self, member: Member, *roles: Role) -> None:
        self.world.remove_roles(member, *roles)

    def set_overwrite(
        self, channel: Channel, target: OverwriteTarget, *, allow: PermissionsLike = 0, deny: PermissionsLike = 0
    ) -> None:
        self.world.set_overwrite(channel, target, allow=allow, deny=deny)

    def deny_bot(self, channel: Channel, *permission_names: str) -> None:
        """E.g. deny_bot(ch, "send_messages") or deny_bot(ch, "create_public_threads")."""
        self.world.deny_bot(channel, *permission_names)

    def set_bot_permissions(self, guild: Guild, permissions: PermissionsLike) -> None:
        self.world.set_bot_permissions(guild, permissions)

    def bot_permissions(self, channel: Channel) -> int:
        return self.world.bot_permissions_in(channel)

    def permissions_of(self, member: Member, channel: Channel) -> int:
        guild = self.world.guilds[member.guild_id]
        return channel_permissions(guild, channel, member)

    def post_message(self, channel: Channel, author: Target, content: str) -> Message:
        """A user posts a message (MESSAGE_CREATE for bots with the message intents)."""
        user = author.user if isinstance(author, Member) else author
        msg = Message(
            id=self.world.ids.next(), channel_id=channel.id, guild_id=channel.guild_id, author=user, content=content
        )
        self.world.store_message(msg)
        self.world.dispatch("MESSAGE_CREATE", self.world.message_event(msg))
        return msg

    # --- observation ---------------------------------------------------------------------------
    def messages(self, channel: Channel | int) -> list[Message]:
        """Visible (non-ephemeral, not deleted) messages of a channel, oldest first."""
        return self.world.visible_messages(channel)

    def dms(self, user: Target) -> list[Message]:
        """Messages the bot sent to `user` by DM, oldest first."""
        ch = self.world.dm_channels.get(user.id)
        return [] if ch is None else self.world.visible_messages(ch)

    def message(self, message_id: int) -> Message:
        return self.world.messages[message_id]

    def channel(self, channel_id: int) -> Channel:
        return self.world.channels[channel_id]

    def registered_commands(self, guild: Guild | None = None) -> list[dict[str, Any]]:
        return self.commands.list(guild.id if guild else None)

    async def wait_for_message(
        self, channel: Channel | int, predicate: Callable[[Message], bool] | None = None, *, timeout: float = 5
    ) -> Message:
        """The first visible message in `channel` (already there or yet to come) matching `predicate`."""
        cid = channel if isinstance(channel, int) else channel.id
        return await self.world.notifier.wait_for(
            lambda: next((m for m in self.messages(cid) if predicate is None or predicate(m)), None),
            timeout,
            f"a message in channel {cid}",
        )

    async def wait_for_dm(
        self, user: Target, predicate: Callable[[Message], bool] | None = None, *, timeout: float = 5
    ) -> Message:
        """The first DM to `user` matching `predicate`."""
        return await self.world.notifier.wait_for(
            lambda: next((m for m in self.dms(user) if predicate is None or predicate(m)), None),
            timeout,
            f"a DM to {user.id}",
        )

    async def wait_for(self, probe: Callable[[], Any], *, timeout: float = 5, what: str = "condition") -> Any:
        """Wait until probe() returns something other than None/False (re-checked on every state change)."""
        return await self.world.notifier.wait_for(lambda: probe() or None, timeout, what)

    # --- gateway -------------------------------------------------------------------------------
    @property
    def connected(self) -> bool:
        return bool(self.hub.connected_sessions())

    async def wait_for_bot(self, *, identifies: int = 1, timeout: float = 10) -> None:
        """Wait until at least `identifies` IDENTIFYs happened and a session is live."""
        await self.world.notifier.wait_for(
            lambda: (self.hub.identifies >= identifies and bool(self.hub.live_sessions())) or None,
            timeout,
            "the bot to connect to the gateway",
        )

    async def drop_gateway(self, code: int = 4000, *, pause: bool = False) -> int:
        """Close the bot's gateway connection(s); it must RESUME and gets missed events replayed."""
        # pause=True holds reconnections until release_gateway(), making "missed" events deterministic.
        return await self.hub.drop(code, pause=pause)

    async def sync_gateway(self, *, timeout: float = 5) -> None:
        """Return once the connected bot has processed every gateway event sent so far."""
        await self.hub.sync(timeout)

    def release_gateway(self) -> None:
        """Let connections held by drop_gateway(pause=True) proceed."""
        self.hub.resume_accepting()

    async def wait_for_resume(self, *, resumes: int = 1, timeout: float = 10) -> None:
        await self.world.notifier.wait_for(
            lambda: (self.hub.resumes >= resumes and self.connected) or None, timeout, "the bot to RESUME"
        )

    # --- interactions --------------------------------------------------------------------------
    async def invoke(
        self,
        guild: Guild | None,
        member: Target,
        command: str,
        *,
        channel: Channel | None = None,
        options: Mapping[str, Any] | None = None,
        timeout: float = 5,
    ) -> Interaction:
        """Run a slash command ("name", "name sub" or "name group sub") as `member` typed it."""
        return await self._command(guild, member, command, channel, dict(options or {}), None, timeout)

    async def autocomplete(
        self,
        guild: Guild | None,
        member: Target,
        command: str,
        *,
        focused: str,
        value: str = "",
        options: Mapping[str, Any] | None = None,
        channel: Channel | None = None,
        timeout: float = 5,
    ) -> list[dict[str, Any]]:
        """Type `value` into option `focused`; returns the choices the bot offered."""
        given = dict(options or {}) | {focused: value}
        ix = await self._command(guild, member, command, channel, given, focused, timeout)
        return (await ix.response(timeout)).choices

    async def _command(
        self,
        guild: Guild | None,
        member: Target,
        command: str,
        channel: Channel | None,
        options: dict[str, Any],
        focused: str | None,
        timeout: float,
    ) -> Interaction:
        await self.wait_for_bot(timeout=timeout)
        name, *path = command.lstrip("/").split()
        channel = channel or self._default_channel(guild, member)
        gid = guild.id if guild else None
        registered = await self.world.notifier.wait_for(
            lambda: self.commands.find(gid, name), timeout, f"the bot to register /{name}"
        )
        data = command_data.build(
            self.world, registered, path, options, guild=guild, invoker=member, channel=channel, focused=focused
        )
        itype = AUTOCOMPLETE if focused is not None else APPLICATION_COMMAND
        return self.interactions.create(itype, member, channel, data, name="/" + " ".join([name, *path]))

    async def invoke_context_menu(
        self,
        guild: Guild | None,
        member: Target,
        name: str,
        target: Member | User | Message,
        *,
        channel: Channel | None = None,
        timeout: float = 5,
    ) -> Interaction:
        """Run a user (target Member/User) or message (target Message) context-menu command."""
        await self.wait_for_bot(timeout=timeout)
        ctype = 3 if isinstance(target, Message) else 2
        if isinstance(target, Message):
            channel = channel or self.world.channels[target.channel_id]
        channel = channel or self._default_channel(guild, member)
        gid = guild.id if guild else None
        registered = await self.world.notifier.wait_for(
            lambda: self.commands.find(gid, name, ctype), timeout, f"the bot to register context menu {name!r}"
        )
        resolver = command_data.Resolver(self.world, guild, member, channel)
        data: dict[str, Any] = {"id": registered["id"], "name": name, "type": ctype, "target_id": str(target.id)}
        if isinstance(target, Message):
            resolver.data["messages"] = {str(target.id): payloads.message(target, self.world.users)}
        else:
            resolver.user(target)
        data["resolved"] = resolver.data
        if registered.get("guild_id"):
            data["guild_id"] = registered["guild_id"]
        return self.interactions.create(APPLICATION_COMMAND, member, channel, data, name=name)

    def _default_channel(self, guild: Guild | None, member: Target) -> Channel:
        if guild is None:
            return self.world.dm_channel(member)
        return next(c for c in guild.channels.values() if c.type == GUILD_TEXT)

    async def click(self, member: Target, message: Message | int, custom_id: str, *, timeout: float = 5) -> Interaction:
        """Press the button `custom_id` on `message`."""
        await self.wait_for_bot(timeout=timeout)
        msg, comp = self._component(member, message, custom_id)
        if comp.get("type") != 2 or comp.get("style") in (5, 6):
            raise CommandUsageError(f"{custom_id!r} is not a clickable button")
        data = {"custom_id": custom_id, "component_type": 2, "id": comp.get("id")}
        return self._component_interaction(member, msg, data, custom_id)

    async def select(
        self, member: Target, message: Message | int, custom_id: str, values: Iterable[Any], *, timeout: float = 5
    ) -> Interaction:
        """Pick `values` in the select menu `custom_id` (strings, or Members/Roles/Channels for those selects)."""
        await self.wait_for_bot(timeout=timeout)
        msg, comp = self._component(member, message, custom_id)
        ctype = comp.get("type")
        if ctype not in _SELECT_TYPES:
            raise CommandUsageError(f"{custom_id!r} is not a select menu")
        chosen = list(values)
        lo, hi = comp.get("min_values", 1), comp.get("max_values", 1)
        if not lo <= len(chosen) <= hi:
            raise CommandUsageError(f"{custom_id!r} takes {lo}..{hi} values, got {len(chosen)}")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": ctype, "id": comp.get("id")}
        data |= self._select_values(msg, member, comp, chosen)
        return self._component_interaction(member, msg, data, custom_id)

    def _select_values(self, msg: Message, member: Target, comp: dict[str, Any], chosen: list[Any]) -> dict[str, Any]:
        if comp["type"] == 3:
            allowed = [o["value"] for o in comp.get("options") or []]
            bad = [v for v in chosen if v not in allowed]
            if bad:
                raise CommandUsageError(f"{bad} not among the options {allowed}")
            return {"values": chosen}
        channel = self.world.channels[msg.channel_id]
        guild = self.world.guild_of(channel)
        resolver = command_data.Resolver(self.world, guild, member, channel)
        ids = []
        for value in chosen:
            if isinstance(value, Role):
                ids.append(resolver.role(value))
            elif isinstance(value, Channel):
                ids.append(resolver.channel_value(value, comp.get("channel_types")))
            else:
                ids.append(resolver.user(value))
        return {"values": ids, "resolved": resolver.data}

    def _component(self, member: Target, message: Message | int, custom_id: str) -> tuple[Message, dict[str, Any]]:
        msg = message if isinstance(message, Message) else self.world.messages[message]
        msg = self.world.messages.get(msg.id, msg)
        if msg.deleted:
            raise CommandUsageError("the message was deleted")
        if msg.ephemeral and msg.interaction_metadata and msg.interaction_metadata["user"]["id"] != str(member.id):
            raise CommandUsageError("only the user who received an ephemeral message can use its components")
        comp = msg.find_component(custom_id)
        if comp is None:
            ids = [c.get("custom_id") for c in msg.walk_components() if c.get("custom_id")]
            raise CommandUsageError(f"no component {custom_id!r} on message {msg.id} (has {ids})")
        if comp.get("disabled"):
            raise CommandUsageError(f"component {custom_id!r} is disabled")
        return msg, comp

    def _component_interaction(self, member: Target, msg: Message, data: dict[str, Any], custom_id: str) -> Interaction:
        channel = self.world.channels[msg.channel_id]
        return self.interactions.create(COMPONENT, member, channel, data, name=f"component {custom_id}", message=msg)

    async def submit_modal(
        self, member: Target, opened_by: Interaction, values: Mapping[str, Any], *, timeout: float = 5
    ) -> Interaction:
        """Fill in and submit the modal the bot opened in answer to `opened_by`."""
        modal = await opened_by.modal(timeout)
        await self.wait_for_bot(timeout=timeout)
        resolver = command_data.Resolver(self.world, opened_by.guild, member, opened_by.channel)
        unknown = set(values)
        components = []
        for comp in modal.get("components") or []:
            if comp.get("type") == 1:
                inner = [self._submitted(c, values, resolver) for c in comp.get("components") or []]
                components.append({"type": 1, "id": comp.get("id"), "components": [i for i in inner if i]})
                unknown -= {c.get("custom_id") for c in comp.get("components") or []}
            elif comp.get("type") == 18:
                inner_comp = comp.get("component") or {}
                item = self._submitted(inner_comp, values, resolver)
                if item:
                    components.append({"type": 18, "id": comp.get("id"), "component": item})
                unknown.discard(inner_comp.get("custom_id"))
            elif comp.get("type") == 10:
                components.append({"type": 10, "id": comp.get("id"), "content": comp.get("content", "")})
        if unknown:
            raise CommandUsageError(f"the modal has no inputs {sorted(unknown)}")
        data: dict[str, Any] = {"custom_id": modal["custom_id"], "components": components}
        if resolver.data:
            data["resolved"] = resolver.data
        return self.interactions.create(
            MODAL_SUBMIT,
            member,
            opened_by.channel,
            data,
            name=f"modal {modal['custom_id']}",
            message=opened_by.message,
            opened_by=opened_by,
        )

    def _submitted(
        self, comp: dict[str, Any], values: Mapping[str, Any], resolver: command_data.Resolver
    ) -> dict[str, Any] | None:
        custom_id, ctype = comp.get("custom_id"), comp.get("type")
        if custom_id is None:
            return None
        out: dict[str, Any] = {"type": ctype, "id": comp.get("id"), "custom_id": custom_id}
        given = values.get(custom_id)
        if ctype == 4:
            text = "" if given is None else str(given)
            if comp.get("required", True) and not text:
                raise CommandUsageError(f"text input {custom_id!r} is required")
            lo, hi = comp.get("min_length"), comp.get("max_length")
            if text and ((lo is not None and len(text) < lo) or (hi is not None and len(text) > hi)):
                raise CommandUsageError(f"text input {custom_id!r} must be {lo}..{hi} characters")
            out["value"] = text
        elif ctype == 3:
            out["values"] = list(given or [])
        elif ctype in (5, 6, 7, 8):
            picked = list(given or [])
            out["values"] = [
                resolver.role(v)
                if isinstance(v, Role)
                else resolver.channel_value(v, None)
                if isinstance(v, Channel)
                else resolver.user(v)
                for v in picked
            ]
        elif ctype == 19:
            out["values"] = [resolver.attachment(v) for v in list(given or [])]
        elif ctype in (21, 23):
            out["value"] = given if ctype == 21 else bool(given)
        elif ctype == 22:
            out["values"] = list(given or [])
        return out

    def unanswered(self) -> list[Interaction]:
        """Interactions the bot never acknowledged."""
        return self.interactions.unanswered()

    def on_response(self, observe: Callable[[Interaction, Callback], None]) -> None:
        """Call `observe` synchronously as each initial response arrives, before it is recorded or answered."""
        self.interactions.response_observers.append(observe)

    def channel_payload(self, channel: Channel) -> dict[str, Any]:
        return payloads.channel(channel, self.world.users)

    def dm_channel(self, user: Target) -> Channel:
        return self.world.dm_channel(user)
