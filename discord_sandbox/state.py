"""The emulated Discord world: users, guilds, roles, channels, members, messages and attachments."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import discord

from . import payloads
from .models import DM, GUILD_CATEGORY, GUILD_TEXT, Attachment, Channel, Guild, Member, Message, Overwrite, Role, User
from .notify import Notifier
from .permissions import DEFAULT_EVERYONE, channel_permissions
from .snowflakes import SnowflakeFactory

Dispatch = Callable[[str, dict[str, Any]], object]  # whatever it returns is ignored
PermissionsLike = int | discord.Permissions
OverwriteTarget = Role | Member | User | int | str

# What the sandbox bot's managed role grants unless the test says otherwise (a typical invite link).
DEFAULT_BOT_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    add_reactions=True,
    create_public_threads=True,
    create_private_threads=True,
    use_application_commands=True,
).value


def perm_value(value: PermissionsLike) -> int:
    return value.value if isinstance(value, discord.Permissions) else int(value)


class World:
    """All sandbox state; scenario creators mutate it and announce changes over `dispatch`."""

    def __init__(self) -> None:
        self.ids = SnowflakeFactory()
        self.notifier = Notifier()
        self.dispatch: Dispatch = lambda event, data: None
        self.base_url = ""  # set once the server listens; attachment URLs are built from it
        self.application_id = self.ids.next()
        self.token = f"sandbox.{secrets.token_urlsafe(24)}"
        self.bot_user = User(id=self.application_id, name="Sandbox Bot", bot=True)
        self.users: dict[int, User] = {self.bot_user.id: self.bot_user}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self.channel_messages: dict[int, list[Message]] = {}
        self.attachments: dict[int, Attachment] = {}
        self.dm_channels: dict[int, Channel] = {}
        self.bot_roles: dict[int, Role] = {}
        # (author, nonce) -> (monotonic time, message id), for messages sent with enforce_nonce.
        self.nonces: dict[tuple[int, str], tuple[float, int]] = {}

    # --- lookups -------------------------------------------------------------------------------
    def guild_of(self, channel: Channel) -> Guild | None:
        return self.guilds.get(channel.guild_id) if channel.guild_id else None

    def bot_member(self, guild: Guild) -> Member:
        return guild.members[self.bot_user.id]

    def bot_permissions_in(self, channel: Channel) -> int:
        guild = self.guild_of(channel)
        if guild is None:
            return discord.Permissions.text().value  # DMs: the bot can do text things
        return channel_permissions(guild, channel, self.bot_member(guild))

    def member_of(self, guild: Guild, user: User | Member | int) -> Member | None:
        return guild.members.get(_id(user))

    # --- creation ------------------------------------------------------------------------------
    def create_user(self, name: str, *, bot: bool = False) -> User:
        u = User(id=self.ids.next(), name=_username(name), bot=bot, global_name=name)
        self.users[u.id] = u
        return u

    def create_guild(
        self, name: str, *, owner: User | None = None, bot_permissions: PermissionsLike | None = None
    ) -> Guild:
        owner = owner or self.create_user(f"{name} owner")
        g = Guild(id=self.ids.next(), name=name, owner_id=owner.id)
        g.roles[g.id] = Role(id=g.id, guild_id=g.id, name="@everyone", permissions=DEFAULT_EVERYONE)
        bot_perms = DEFAULT_BOT_PERMISSIONS if bot_permissions is None else perm_value(bot_permissions)
        bot_role = Role(
            id=self.ids.next(), guild_id=g.id, name=self.bot_user.name, permissions=bot_perms, position=1, managed=True
        )
        g.roles[bot_role.id] = bot_role
        self.bot_roles[g.id] = bot_role
        g.members[owner.id] = Member(user=owner, guild_id=g.id)
        g.members[self.bot_user.id] = Member(user=self.bot_user, guild_id=g.id, role_ids=[bot_role.id])
        self.guilds[g.id] = g
        self.dispatch("GUILD_CREATE", {"id": str(g.id)})
        self.notifier.changed()
        return g

    def create_role(self, guild: Guild, name: str, *, permissions: PermissionsLike = 0) -> Role:
        r = Role(
            id=self.ids.next(),
            guild_id=guild.id,
            name=name,
            permissions=perm_value(permissions),
            position=len(guild.roles),
        )
        guild.roles[r.id] = r
        self.dispatch("GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": payloads.role(r)})
        return r

    def set_bot_permissions(self, guild: Guild, permissions: PermissionsLike) -> None:
        """Replace the permissions of the bot's managed role in `guild`."""
        r = self.bot_roles[guild.id]
        r.permissions = perm_value(permissions)
        self.dispatch("GUILD_ROLE_UPDATE", {"guild_id": str(guild.id), "role": payloads.role(r)})

    def create_member(self, guild: Guild, name: str, *, roles: Iterable[Role] = (), user: User | None = None) -> Member:
        u = user or self.create_user(name)
        m = Member(user=u, guild_id=guild.id, role_ids=[r.id for r in roles])
        guild.members[u.id] = m
        self.dispatch("GUILD_MEMBER_ADD", payloads.member(m) | {"guild_id": str(guild.id)})
        return m

    def add_roles(self, member: Member, *roles: Role) -> None:
        for r in roles:
            if r.id not in member.role_ids:
                member.role_ids.append(r.id)
        self._member_update(member)

    def remove_roles(self, member: Member, *roles: Role) -> None:
        member.role_ids = [rid for rid in member.role_ids if rid not in {r.id for r in roles}]
        self._member_update(member)

    def _member_update(self, member: Member) -> None:
        self.dispatch("GUILD_MEMBER_UPDATE", payloads.member(member) | {"guild_id": str(member.guild_id)})

    def create_channel(
        self,
        guild: Guild,
        name: str,
        *,
        type: int = GUILD_TEXT,
        category: Channel | None = None,
        topic: str | None = None,
        overwrites: Mapping[OverwriteTarget, Any] | Iterable[Overwrite] | None = None,
    ) -> Channel:
        ch = Channel(
            id=self.ids.next(),
            type=type,
            name=name,
            guild_id=guild.id,
            parent_id=category.id if category else None,
            position=len(guild.channels),
            topic=topic,
        )
        ch.overwrites = self._overwrites(guild, overwrites)
        guild.channels[ch.id] = ch
        self.channels[ch.id] = ch
        self.dispatch("CHANNEL_CREATE", payloads.channel(ch))
        return ch

    def create_category(self, guild: Guild, name: str, **kwargs: Any) -> Channel:
        return self.create_channel(guild, name, type=GUILD_CATEGORY, **kwargs)

    def set_overwrite(
        self, channel: Channel, target: OverwriteTarget, *, allow: PermissionsLike = 0, deny: PermissionsLike = 0
    ) -> None:
        """Set (replace) one permission overwrite on a channel and announce CHANNEL_UPDATE."""
        guild = self.guilds[channel.guild_id or 0]
        new = self._overwrites(guild, {target: (allow, deny)})[0]
        channel.overwrites = [o for o in channel.overwrites if o.id != new.id] + [new]
        self.dispatch("CHANNEL_UPDATE", payloads.channel(channel))

    def deny_bot(self, channel: Channel, *permission_names: str) -> None:
        """Deny the bot the named permissions (discord.Permissions attribute names) in `channel`."""
        deny = discord.Permissions(**dict.fromkeys(permission_names, True)).value
        self.set_overwrite(channel, self.bot_user, deny=deny)

    def _overwrites(
        self, guild: Guild, spec: Mapping[OverwriteTarget, Any] | Iterable[Overwrite] | None
    ) -> list[Overwrite]:
        if spec is None:
            return []
        if not isinstance(spec, Mapping):
            return list(spec)
        out = []
        for target, value in spec.items():
            if isinstance(value, discord.PermissionOverwrite):
                allow_p, deny_p = value.pair()
                allow, deny = allow_p.value, deny_p.value
            else:
                allow, deny = perm_value(value[0]), perm_value(value[1])
            if target == "everyone":
                oid, otype = guild.id, 0
            elif target == "bot":
                oid, otype = self.bot_user.id, 1
            elif isinstance(target, Role):
                oid, otype = target.id, 0
            else:
                oid = _id(target)
                otype = 0 if oid in guild.roles else 1
            out.append(Overwrite(id=oid, type=otype, allow=allow, deny=deny))
        return out

    def dm_channel(self, user: User | Member | int) -> Channel:
        """The (lazily created) DM channel between the bot and `user`."""
        uid = _id(user)
        ch = self.dm_channels.get(uid)
        if ch is None:
            ch = Channel(id=self.ids.next(), type=DM, recipient_id=uid)
            self.dm_channels[uid] = ch
            self.channels[ch.id] = ch
        return ch

    # --- messages ------------------------------------------------------------------------------
    def store_message(self, msg: Message) -> Message:
        self.messages[msg.id] = msg
        self.channel_messages.setdefault(msg.channel_id, []).append(msg)
        ch = self.channels.get(msg.channel_id)
        if ch is not None and not msg.ephemeral:
            ch.last_message_id = msg.id
            ch.message_count += 1
        self.notifier.changed()
        return msg

    def message_event(self, msg: Message) -> dict[str, Any]:
        """MESSAGE_CREATE/UPDATE payload: the message plus guild_id and the author's member."""
        data = payloads.message(msg, self.users)
        if msg.guild_id is not None:
            data["guild_id"] = str(msg.guild_id)
            guild = self.guilds.get(msg.guild_id)
            author = guild.members.get(msg.author.id) if guild else None
            if author is not None and msg.webhook_id is None:
                data["member"] = payloads.member(author, with_user=False)
        return data

    def visible_messages(self, channel: Channel | int) -> list[Message]:
        return [m for m in self.channel_messages.get(_id(channel), []) if not m.deleted and not m.ephemeral]

    def new_attachment(
        self, channel_id: int, filename: str, data: bytes, content_type: str | None, **extra: Any
    ) -> Attachment:
        aid = self.ids.next()
        url = f"{self.base_url}/attachments/{channel_id}/{aid}/{filename}"
        att = Attachment(id=aid, filename=filename, content_type=content_type, data=data, url=url, **extra)
        self.attachments[aid] = att
        return att


def _id(obj: Any) -> int:
    return obj if isinstance(obj, int) else int(obj.id)


def _username(name: str) -> str:
    """Discord usernames are lowercase without spaces."""
    return "".join(c for c in name.lower().replace(" ", "_") if c.isalnum() or c in "._")[:32] or "user"
