"""A local Discord emulator (REST v10 + gateway) that the real discord.py client connects to."""

from .command_data import CommandUsageError, Upload
from .discord_target import point_discord_at, use_discovered_gateway
from .interactions import Callback, Interaction
from .models import Channel, Guild, Member, Message, Role, User
from .scenario import Sandbox

__all__ = [
    "Callback",
    "Channel",
    "CommandUsageError",
    "Guild",
    "Interaction",
    "Member",
    "Message",
    "Role",
    "Sandbox",
    "Upload",
    "User",
    "point_discord_at",
    "use_discovered_gateway",
]
