"""Record what each member would see during the demo, echo it to the terminal, and write it as an HTML page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from bot.demo.markup import Lookup, Reader
from bot.demo.page import render_html
from bot.demo.terminal import render_terminal


@dataclass
class Entry:
    """One thing that happened: a scene, a narrator's note, a person's action, a form, or a bot message."""

    kind: str  # "scene", "note", "action", "form", "message"
    text: str = ""
    who: str = ""
    place: str = ""  # the channel or DM it happened in, as Discord names it: "#quiz", "Direct messages · Trainee B"
    at: datetime | None = None
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    ephemeral_to: str | None = None  # who alone sees an ephemeral message
    images: dict[str, str] = field(default_factory=dict)  # attachment filename -> file saved beside the page
    fields: list[tuple[str, str]] = field(default_factory=list)  # a form's labels and what was typed
    message_id: int | None = None


class Transcript:
    """An ordered record of the demo, printed as it goes."""

    def __init__(self, lookup: Lookup, zone: tzinfo, echo: bool = True, locale: str = "en-GB") -> None:
        self.entries: list[Entry] = []
        self.lookup = lookup
        self.zone = zone
        self.echo = echo
        self.locale = locale  # the members' Discord language, in which their client shows timestamps

    def reader(self, at: datetime) -> Reader:
        """A reader in the demo's stated zone and language at a moment of the demo."""
        return Reader(self.lookup, self.zone, at, self.locale)

    def scene(self, title: str) -> None:
        """Start a new scene."""
        self.add(Entry("scene", title))

    def note(self, text: str) -> None:
        """A narrator's note (what time it is, what happens next)."""
        self.add(Entry("note", text))

    def add(self, entry: Entry) -> None:
        """Record an entry and echo it."""
        self.entries.append(entry)
        if self.echo:
            print(render_terminal(entry, self.reader(entry.at) if entry.at else None), flush=True)

    def write_html(self, folder: Path) -> Path:
        """Write transcript.html (images are already PNG files in the folder)."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "transcript.html"
        zone = getattr(self.zone, "key", str(self.zone))
        language = self.locale.split("-")[0]
        path.write_text(render_html(self.entries, self.reader, zone, language), encoding="utf-8")
        return path
