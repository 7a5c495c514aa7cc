"""Discord-shaped HTTP errors raised by sandbox handlers."""

from __future__ import annotations

from typing import Any


class DiscordError(Exception):
    """An error answered to the bot exactly as Discord would (status, JSON code and message)."""

    def __init__(self, status: int, code: int, message: str, errors: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def body(self) -> dict[str, Any]:
        """JSON body Discord sends for this error."""
        out: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors:
            out["errors"] = self.errors
        return out


def not_found(what: str = "", code: int = 0) -> DiscordError:
    """404 with Discord's "Unknown X" message (or the generic route 404)."""
    return DiscordError(404, code, f"Unknown {what}" if what else "404: Not Found")


def unknown_channel() -> DiscordError:
    return not_found("Channel", 10003)


def unknown_message() -> DiscordError:
    return not_found("Message", 10008)


def unknown_webhook() -> DiscordError:
    return not_found("Webhook", 10015)


def unknown_interaction() -> DiscordError:
    return not_found("interaction", 10062)


def missing_access() -> DiscordError:
    return DiscordError(403, 50001, "Missing Access")


def missing_permissions() -> DiscordError:
    return DiscordError(403, 50013, "Missing Permissions")


def already_acknowledged() -> DiscordError:
    return DiscordError(400, 40060, "Interaction has already been acknowledged.")


def cannot_dm() -> DiscordError:
    return DiscordError(403, 50007, "Cannot send messages to this user")


def unauthorized() -> DiscordError:
    return DiscordError(401, 0, "401: Unauthorized")


def form_errors(problems: list[tuple[str, str, str]]) -> dict[str, Any]:
    """Nest (dotted path, error code, message) triples the way Discord's 50035 `errors` object does."""
    root: dict[str, Any] = {}
    for path, code, message in problems:
        node = root
        for part in [p for p in path.split(".") if p]:
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append({"code": code, "message": message})
    return root


def invalid_form_body(problems: list[tuple[str, str, str]]) -> DiscordError:
    """400 code 50035 with the nested errors object."""
    return DiscordError(400, 50035, "Invalid Form Body", form_errors(problems))
