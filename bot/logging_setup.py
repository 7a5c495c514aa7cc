"""Configure logging: one readable format, the configured level, and no private text or credential in any record.

The redaction sits on the handlers, not on particular loggers, so a record from any logger (discord.py's
webhook and HTTP loggers, aiohttp, aiosqlite, APScheduler, ours, or one nobody thought of) passes through it
before it is written anywhere.
"""

from __future__ import annotations

import logging
import re
from typing import TextIO

import discord

# Interaction and webhook tokens sit in URLs; an interaction token fetches and edits the ephemeral reply,
# which names the member, for 15 minutes.
_TOKEN_IN_URL = re.compile(r"(/(?:webhooks|interactions)/\d+/)[^/?#\s'\"]+")
# A bot token (three dot-separated base64 parts) or any long opaque credential-like run.
_BOT_TOKEN = re.compile(r"[\w-]{20,}\.[\w-]{5,}\.[\w-]{20,}")
_OPAQUE = re.compile(r"(?<![\w-])[A-Za-z0-9_-]{64,}(?![\w-])")
_STRUCTURE = {"{": "}", "[": "]"}


def redact(text: str) -> str:
    """Remove tokens, credentials and structured payloads (dicts, lists, JSON bodies) from a log line."""
    text = _TOKEN_IN_URL.sub(r"\1<token>", text)
    text = _BOT_TOKEN.sub("<token>", text)
    text = _OPAQUE.sub("<redacted>", text)
    return _drop_payloads(text)


def _drop_payloads(text: str) -> str:
    """Replace every bracketed span that holds quoted text ({...} or [...]) with <payload>.

    Request and response bodies, gateway events and SQL parameters all reach logs as dicts, lists or JSON;
    each carries members' words or ids. Brackets without quotes (such as "[3 items]") are left alone.
    """
    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char in _STRUCTURE:
            end = _closing(text, i)
            if end is not None and any(q in text[i:end] for q in "'\""):
                out.append("<payload>")
                i = end + 1
                continue
        out.append(char)
        i += 1
    return "".join(out)


def _closing(text: str, start: int) -> int | None:
    """Return the index of the bracket that closes the one at start, or None if it never closes."""
    stack = [_STRUCTURE[text[start]]]
    quote, escaped = None, False
    for index in range(start + 1, len(text)):
        char = text[index]
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char in _STRUCTURE:
            stack.append(_STRUCTURE[char])
        elif char == stack[-1]:
            stack.pop()
            if not stack:
                return index
    # An unbalanced opening (a body cut short) still must not leak: treat the rest of the line as payload.
    return len(text) - 1 if stack and any(q in text[start:] for q in "'\"") else None


def _outline(event: dict[str, object]) -> str:
    return f"op={event.get('op')} t={event.get('t')} s={event.get('s')}"


class RedactingFilter(logging.Filter):
    """On a handler: rewrite each record to its redacted text, and drop SQL echoes below INFO."""

    def filter(self, record: logging.LogRecord) -> bool:
        # aiosqlite's debug records echo every statement with its parameters (check-in text included).
        if record.name.startswith("aiosqlite") and record.levelno < logging.INFO:
            return False
        if getattr(record, "_redacted", False):
            return True
        if isinstance(record.args, tuple) and any(isinstance(a, dict) and "op" in a for a in record.args):
            # Gateway events keep their outline, which is what a person debugging a connection needs.
            record.args = tuple(_outline(a) if isinstance(a, dict) and "op" in a else a for a in record.args)
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: keep its template, never its arguments
            message = str(record.msg)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            # Folded into the message: some formatters (discord.py's coloured one) re-render exc_info
            # themselves and would print the unredacted traceback.
            message = f"{message}\n{record.exc_text}"
        record.msg, record.args = redact(message), ()
        record.exc_info, record.exc_text = None, None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        record._redacted = True  # several handlers may share the record; redact it once
        return True


_REDACTING = RedactingFilter()


def protect_handlers(logger: logging.Logger | None = None) -> None:
    """Put the redacting filter on every handler of a logger (the root by default), once each."""
    for handler in (logger or logging.getLogger()).handlers:
        if _REDACTING not in handler.filters:
            handler.addFilter(_REDACTING)


class _QuietStreamHandler(logging.StreamHandler):
    """A stream handler whose own failures print nothing.

    The standard handler reports a failed write with the traceback of whatever was being handled at the
    time, which would print an exception's text (a URL with a token, say) past the filter.
    """

    def handleError(self, record: logging.LogRecord) -> None:
        pass


def setup_logging(level: str, stream: TextIO | None = None) -> None:
    """Send logs to stderr (or stream) at the given level, through the redacting filter."""
    discord.utils.setup_logging(handler=_QuietStreamHandler(stream), level=getattr(logging, level), root=True)
    protect_handlers()
