"""Registered application commands, per scope (global or one guild), as Discord stores them."""

from __future__ import annotations

import copy
from typing import Any

from .snowflakes import SnowflakeFactory

# A scope's stored commands. An alias, because inside CommandRegistry `list` names its method.
CommandList = list[dict[str, Any]]


class CommandRegistry:
    """Commands the bot registered; ids stay stable when a bulk overwrite keeps the same name and type."""

    def __init__(self, application_id: int, ids: SnowflakeFactory) -> None:
        self.application_id = application_id
        self.ids = ids
        self.scopes: dict[int | None, CommandList] = {None: []}
        self.overwrites = 0

    def list(self, guild_id: int | None = None) -> CommandList:
        return copy.deepcopy(self.scopes.get(guild_id, []))

    def overwrite(self, guild_id: int | None, commands: CommandList) -> CommandList:
        """PUT semantics: the scope's commands become exactly `commands`."""
        old = {(c["type"], c["name"]): c for c in self.scopes.get(guild_id, [])}
        stored = []
        for cmd in commands:
            ctype = cmd.get("type") or 1
            previous = old.get((ctype, cmd.get("name")))
            stored.append(self._stored(guild_id, cmd, previous))
        self.scopes[guild_id] = stored
        self.overwrites += 1
        return copy.deepcopy(stored)

    def upsert(self, guild_id: int | None, cmd: dict[str, Any]) -> dict[str, Any]:
        """POST semantics: create, or replace the command with the same name and type."""
        scope = self.scopes.setdefault(guild_id, [])
        ctype = cmd.get("type") or 1
        previous = next((c for c in scope if (c["type"], c["name"]) == (ctype, cmd.get("name"))), None)
        stored = self._stored(guild_id, cmd, previous)
        if previous is not None:
            scope[scope.index(previous)] = stored
        else:
            scope.append(stored)
        return copy.deepcopy(stored)

    def get(self, guild_id: int | None, command_id: int) -> dict[str, Any] | None:
        return next((c for c in self.scopes.get(guild_id, []) if int(c["id"]) == command_id), None)

    def delete(self, guild_id: int | None, command_id: int) -> bool:
        scope = self.scopes.get(guild_id, [])
        found = self.get(guild_id, command_id)
        if found is not None:
            scope.remove(found)
        return found is not None

    def find(self, guild_id: int | None, name: str, type: int = 1) -> dict[str, Any] | None:
        """The command a user would pick: the guild's own first, then global."""
        for scope in ([guild_id] if guild_id is not None else []) + [None]:
            for cmd in self.scopes.get(scope, []):
                if cmd["name"] == name and cmd["type"] == type:
                    return cmd
        return None

    def _stored(self, guild_id: int | None, cmd: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any]:
        ctype = cmd.get("type") or 1
        out: dict[str, Any] = {
            "id": previous["id"] if previous else str(self.ids.next()),
            "application_id": str(self.application_id),
            "version": str(self.ids.next()),
            "default_member_permissions": cmd.get("default_member_permissions"),
            "type": ctype,
            "name": cmd.get("name"),
            "name_localizations": cmd.get("name_localizations"),
            "description": cmd.get("description") or "",
            "description_localizations": cmd.get("description_localizations"),
            "nsfw": bool(cmd.get("nsfw")),
            "integration_types": cmd.get("integration_types") or [0],
            "contexts": cmd.get("contexts"),
        }
        if cmd.get("default_member_permissions") is not None:
            out["default_member_permissions"] = str(cmd["default_member_permissions"])
        if guild_id is not None:
            out["guild_id"] = str(guild_id)
        else:
            out["dm_permission"] = cmd.get("dm_permission", True)
        if cmd.get("options"):
            out["options"] = copy.deepcopy(cmd["options"])
        return out
