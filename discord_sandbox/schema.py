"""Request-body validation against Discord's OpenAPI spec (optional: needs the spec file and jsonschema)."""

from __future__ import annotations

import functools
import json
import logging
import os
import re
from pathlib import Path
from typing import Any

log = logging.getLogger("discord_sandbox")

SPEC_ENV = "SUPERVISION_BOT_DISCORD_SPEC"
REQUIRE_SPEC_ENV = "SUPERVISION_BOT_REQUIRE_SPEC"


def default_spec_path() -> Path | None:
    """The spec named by the env var, else shared/discord-api-spec/openapi.json beside the repo, if present."""
    configured = os.environ.get(SPEC_ENV)
    if configured:
        path = Path(configured)
    else:
        path = Path(__file__).resolve().parents[2].parent / "shared" / "discord-api-spec" / "openapi.json"
    return path if path.is_file() else None


class SpecValidator:
    """Finds the operation for a method + API path and validates a JSON body against its requestBody."""

    def __init__(self, document: dict[str, Any]) -> None:
        from jsonschema import Draft202012Validator

        # The whole document is the root resource, so "#/components/..." refs resolve inside it.
        self._root = Draft202012Validator(document)
        self._document = document
        self._routes: list[tuple[re.Pattern[str], int, str]] = []
        for template in document.get("paths", {}):
            literal = sum(1 for seg in template.split("/") if seg and not seg.startswith("{"))
            pattern = "^" + re.sub(r"\{[^/]+\}", "[^/]+", re.escape(template).replace(r"\{", "{").replace(r"\}", "}"))
            self._routes.append((re.compile(pattern + "$"), literal, template))
        # Prefer the most literal template: /users/@me over /users/{user_id}.
        self._routes.sort(key=lambda r: -r[1])
        self._validators: dict[tuple[str, str], Any] = {}

    def template_for(self, path: str) -> str | None:
        for pattern, _, template in self._routes:
            if pattern.match(path):
                return template
        return None

    def validate(self, method: str, path: str, body: Any) -> list[str]:
        """Readable schema errors for `body` sent as `method path` (empty if valid or no schema)."""
        template = self.template_for(path)
        if template is None:
            return []
        key = (method.lower(), template)
        if key not in self._validators:
            self._validators[key] = self._validator_for(*key)
        validator = self._validators[key]
        if validator is None:
            return []
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        return [_describe(e) for e in errors]

    def _validator_for(self, method: str, template: str) -> Any:
        operation = self._document["paths"][template].get(method)
        if not operation:
            return None
        content = (operation.get("requestBody") or {}).get("content") or {}
        schema = (content.get("application/json") or {}).get("schema")
        return None if schema is None else self._root.evolve(schema=schema)


def _describe(error: Any) -> str:
    leaf = _leaf(error)
    where = ".".join(str(p) for p in leaf.absolute_path) or "<body>"
    message = leaf.message
    if len(message) > 200:
        # Keep both ends: the offending value's start and jsonschema's verdict ("is too long").
        message = f"{message[:80]}...{message[-80:]}"
    return f"{where}: {message}"


def _leaf(error: Any) -> Any:
    """Walk into anyOf/oneOf branches, skipping those ruled out by a `type` discriminator mismatch."""
    if not error.context:
        return error
    branches: dict[Any, list[Any]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    plausible = [
        subs
        for subs in branches.values()
        if not any(list(s.relative_path) == ["type"] and s.validator in ("enum", "const") for s in subs)
    ]
    if not plausible:
        return error
    leaves = [_leaf(max(subs, key=lambda s: len(s.absolute_path))) for subs in plausible]
    deepest = max(len(leaf.absolute_path) for leaf in leaves)
    leaves = [leaf for leaf in leaves if len(leaf.absolute_path) == deepest]
    if len(leaves) > 1 and all(leaf.validator == "type" for leaf in leaves):
        # Every alternative wants another type: say so once ("is not of type 'null', 'string'").
        return _TypeMismatch(leaves)
    # The branch whose errors reach deepest into the body is the one the sender meant.
    return leaves[0]


class _TypeMismatch:
    """A merged 'wrong type' error over several schema alternatives."""

    def __init__(self, leaves: list[Any]) -> None:
        self.absolute_path = leaves[0].absolute_path
        wanted: list[str] = []
        for leaf in leaves:
            types = leaf.validator_value if isinstance(leaf.validator_value, list) else [leaf.validator_value]
            wanted += [t for t in types if t not in wanted]
        self.message = f"{leaves[0].instance!r} is not of type {', '.join(map(repr, wanted))}"


def _relax(document: dict[str, Any]) -> dict[str, Any]:
    """Narrow allowances where the spec is stricter than Discord in practice."""
    # SnowflakeType is a numeric *string* in the spec, but Discord accepts JSON integers for snowflakes
    # and discord.py sends them that way (recipient_id, role ids, message_reference ids...).
    schemas = document.get("components", {}).get("schemas", {})
    snowflake = schemas.get("SnowflakeType")
    if snowflake is not None:
        schemas["SnowflakeType"] = {"anyOf": [snowflake, {"type": "integer", "minimum": 0}]}
    return document


@functools.cache
def load_validator(path: str) -> SpecValidator | None:
    """Parse and index the spec once per process; None when jsonschema is missing."""
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        log.info("jsonschema not installed: Discord schema validation is off")
        return None
    with open(path, encoding="utf-8") as fh:
        document = json.load(fh)
    return SpecValidator(_relax(document))


def validator_for(spec_path: str | Path | None) -> SpecValidator | None:
    """The cached validator for `spec_path` (or the default spec), or None when unavailable."""
    path = Path(spec_path) if spec_path else default_spec_path()
    if path is None or not path.is_file():
        return None
    return load_validator(str(path.resolve()))
