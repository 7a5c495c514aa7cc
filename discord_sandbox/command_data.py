"""Building an INTERACTION_CREATE `data` object from the commands the bot actually registered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import payloads
from .models import Attachment, Channel, Guild, Member, Role, User
from .permissions import channel_permissions
from .state import World

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = 3, 4, 5, 6, 7, 8, 9, 10, 11


@dataclass
class Upload:
    """A file a user attaches to an attachment option."""

    filename: str
    data: bytes
    content_type: str | None = None


class CommandUsageError(ValueError):
    """The test asked for something a Discord user could not send (unknown option, bad choice...)."""


class Resolver:
    """Collects the `resolved` object for user/member/role/channel/attachment option values."""

    def __init__(self, world: World, guild: Guild | None, invoker: Member | User, channel: Channel) -> None:
        self.world, self.guild, self.invoker, self.channel = world, guild, invoker, channel
        self.data: dict[str, dict[str, Any]] = {}

    def user(self, target: Member | User | int) -> str:
        uid = target if isinstance(target, int) else target.id
        user = self.world.users.get(uid)
        if user is None:
            raise CommandUsageError(f"unknown user {uid}")
        self.data.setdefault("users", {})[str(uid)] = payloads.user(user)
        member = self.guild.members.get(uid) if self.guild else None
        if member is not None:
            perms = channel_permissions(self.guild, self.channel, member) if self.guild else 0
            entry = payloads.member(member, with_user=False, permissions=perms)
            self.data.setdefault("members", {})[str(uid)] = entry
        return str(uid)

    def role(self, role: Role | int) -> str:
        rid = role if isinstance(role, int) else role.id
        if self.guild is None or rid not in self.guild.roles:
            raise CommandUsageError(f"unknown role {rid}")
        self.data.setdefault("roles", {})[str(rid)] = payloads.role(self.guild.roles[rid])
        return str(rid)

    def channel_value(self, channel: Channel | int, allowed_types: list[int] | None) -> str:
        cid = channel if isinstance(channel, int) else channel.id
        ch = self.world.channels.get(cid)
        if ch is None or self.guild is None or ch.guild_id != self.guild.id:
            raise CommandUsageError(f"unknown channel {cid}")
        if allowed_types and ch.type not in allowed_types:
            raise CommandUsageError(f"channel type {ch.type} not allowed (allowed: {allowed_types})")
        perms = channel_permissions(self.guild, ch, self.invoker) if isinstance(self.invoker, Member) else 0
        self.data.setdefault("channels", {})[str(cid)] = payloads.partial_channel(ch, perms)
        return str(cid)

    def attachment(self, value: Upload | Attachment | tuple[Any, ...]) -> str:
        if isinstance(value, tuple):
            value = Upload(*value)
        if isinstance(value, Upload):
            value = self.world.new_attachment(
                self.channel.id, value.filename, value.data, value.content_type, ephemeral=True
            )
        self.data.setdefault("attachments", {})[str(value.id)] = payloads.attachment(value)
        return str(value.id)


def build(
    world: World,
    command: dict[str, Any],
    path: list[str],
    options: dict[str, Any],
    *,
    guild: Guild | None,
    invoker: Member | User,
    channel: Channel,
    focused: str | None = None,
) -> dict[str, Any]:
    """`data` for a chat-input (or, with `focused`, autocomplete) interaction."""
    resolver = Resolver(world, guild, invoker, channel)
    registered = command.get("options") or []
    top: list[dict[str, Any]] = []
    container = top
    for name in path:
        sub = next((o for o in registered if o["name"] == name and o["type"] in (1, 2)), None)
        if sub is None:
            raise CommandUsageError(f"/{command['name']} has no subcommand or group {name!r}")
        entry: dict[str, Any] = {"type": sub["type"], "name": name, "options": []}
        container.append(entry)
        container = entry["options"]
        registered = sub.get("options") or []
    if any(o["type"] in (1, 2) for o in registered):
        raise CommandUsageError(f"/{command['name']} needs a subcommand (one of {[o['name'] for o in registered]})")
    container.extend(_values(registered, options, resolver, focused))
    data: dict[str, Any] = {"id": command["id"], "name": command["name"], "type": 1}
    if top:
        data["options"] = top
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    if resolver.data:
        data["resolved"] = resolver.data
    return data


def _values(
    registered: list[dict[str, Any]], given: dict[str, Any], resolver: Resolver, focused: str | None
) -> list[dict[str, Any]]:
    known = {o["name"]: o for o in registered}
    unknown = set(given) - set(known)
    if unknown:
        raise CommandUsageError(f"unknown option(s) {sorted(unknown)}; registered: {sorted(known)}")
    if focused is not None and focused not in known:
        raise CommandUsageError(f"focused option {focused!r} is not registered")
    out = []
    for opt in registered:
        name = opt["name"]
        if name == focused:
            if not opt.get("autocomplete"):
                raise CommandUsageError(f"option {name!r} was not registered with autocomplete")
            # While typing, Discord sends the raw text of the focused option whatever its type.
            out.append({"type": opt["type"], "name": name, "value": str(given.get(name, "")), "focused": True})
            continue
        if name not in given:
            if opt.get("required") and focused is None:
                raise CommandUsageError(f"missing required option {name!r}")
            continue
        out.append({"type": opt["type"], "name": name, "value": _typed(opt, given[name], resolver)})
    return out


def _typed(opt: dict[str, Any], value: Any, resolver: Resolver) -> Any:
    otype = opt["type"]
    if otype == STRING:
        value = str(value)
        _check_range(opt, len(value), "min_length", "max_length")
    elif otype == INTEGER:
        if isinstance(value, bool) or int(value) != value:
            raise CommandUsageError(f"option {opt['name']!r} needs an integer, got {value!r}")
        value = int(value)
        _check_range(opt, value, "min_value", "max_value")
    elif otype == NUMBER:
        value = float(value)
        _check_range(opt, value, "min_value", "max_value")
    elif otype == BOOLEAN:
        if not isinstance(value, bool):
            raise CommandUsageError(f"option {opt['name']!r} needs a bool, got {value!r}")
    elif otype == USER:
        value = resolver.user(value)
    elif otype == ROLE:
        value = resolver.role(value)
    elif otype == MENTIONABLE:
        value = resolver.role(value) if isinstance(value, Role) else resolver.user(value)
    elif otype == CHANNEL:
        value = resolver.channel_value(value, opt.get("channel_types"))
    elif otype == ATTACHMENT:
        value = resolver.attachment(value)
    choices = opt.get("choices")
    if choices and value not in [c["value"] for c in choices]:
        raise CommandUsageError(f"{value!r} is not a choice of {opt['name']!r}: {[c['value'] for c in choices]}")
    return value


def _check_range(opt: dict[str, Any], value: float, low_key: str, high_key: str) -> None:
    low, high = opt.get(low_key), opt.get(high_key)
    if (low is not None and value < low) or (high is not None and value > high):
        raise CommandUsageError(f"option {opt['name']!r}: {value} outside [{low}, {high}]")
