"""Collect what each member would see, and write it to the terminal and to an HTML page."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_WIDTH = 88


@dataclass
class Entry:
    """One thing that happened: a scene title, an action, or what the bot showed."""

    kind: str  # "scene", "action", "bot", "note"
    who: str
    text: str
    private_to: str | None = None
    images: list[str] = field(default_factory=list)
    buttons: list[str] = field(default_factory=list)


_STAMP = re.compile(r"<t:(\d+):([tTdDfFR])>")


def _stamp(match: re.Match[str]) -> str:
    moment = datetime.fromtimestamp(int(match.group(1)), UTC)
    return f"{moment:%a %d %b %H:%M} UTC" if match.group(2) != "D" else f"{moment:%a %d %b %Y}"


def _plain(text: str) -> str:
    """Render Discord timestamps (UTC here; Discord shows each reader their own zone) and drop bold markers."""
    return _STAMP.sub(_stamp, text).replace("**", "")


def embed_lines(embeds: list[dict[str, Any]]) -> list[str]:
    """Plain-text rendering of embeds, as a reader would scan them."""
    lines: list[str] = []
    for embed in embeds:
        if embed.get("title"):
            lines.append(f"▌ {embed['title']}")
        if embed.get("description"):
            lines += [f"▌ {line}" for line in embed["description"].splitlines()]
        for item in embed.get("fields", []):
            lines.append(f"▌ {item['name']}")
            lines += [f"▌   {line}" for line in item["value"].splitlines()]
        footer = (embed.get("footer") or {}).get("text")
        if footer:
            lines.append(f"▌ ({footer})")
    return lines


def button_labels(components: list[dict[str, Any]]) -> list[str]:
    """The labels of buttons and selects in component rows."""
    labels = []
    for row in components or []:
        for comp in row.get("components", []):
            label = comp.get("label") or comp.get("placeholder")
            if label:
                labels.append(label)
    return labels


class Transcript:
    """An ordered record of the demo, printed as it goes."""

    def __init__(self, echo: bool = True) -> None:
        self.entries: list[Entry] = []
        self.echo = echo

    def scene(self, title: str) -> None:
        """Start a new scene."""
        self._add(Entry("scene", "", title))

    def note(self, text: str) -> None:
        """A narrator's note (what time it is, what happens next)."""
        self._add(Entry("note", "", text))

    def action(self, who: str, text: str) -> None:
        """Something a person did."""
        self._add(Entry("action", who, text))

    def bot(
        self,
        text: str,
        *,
        embeds: list[dict[str, Any]] | None = None,
        components: list[dict[str, Any]] | None = None,
        private_to: str | None = None,
        where: str = "",
        images: list[str] | None = None,
    ) -> None:
        """What the bot showed, and to whom."""
        body = _plain("\n".join(filter(None, [text, *embed_lines(embeds or [])])))
        who = f"bot{f' in {where}' if where else ''}"
        self._add(Entry("bot", who, body, private_to, images or [], button_labels(components or [])))

    def _add(self, entry: Entry) -> None:
        self.entries.append(entry)
        if self.echo:
            print(render_terminal(entry), flush=True)

    def write_html(self, folder: Path) -> Path:
        """Write transcript.html (images are already PNG files in the folder)."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "transcript.html"
        path.write_text(render_html(self.entries), encoding="utf-8")
        return path


def render_terminal(entry: Entry) -> str:
    """One entry as terminal text."""
    if entry.kind == "scene":
        return f"\n{'═' * _WIDTH}\n{entry.text}\n{'═' * _WIDTH}"
    if entry.kind == "note":
        return f"  · {entry.text}"
    if entry.kind == "action":
        return f"\n  {entry.who} ▸ {entry.text}"
    seen_by = f" (only {entry.private_to} sees this)" if entry.private_to else ""
    lines = [f"  {entry.who}{seen_by}:"] + [f"    {line}" for line in entry.text.splitlines()]
    if entry.buttons:
        lines.append("    " + "  ".join(f"[{b}]" for b in entry.buttons))
    lines += [f"    [image: {name}]" for name in entry.images]
    return "\n".join(lines)


_STYLE = """
body{font-family:system-ui,sans-serif;background:#313338;color:#dbdee1;max-width:900px;margin:2rem auto;
  line-height:1.45}
h2{color:#fff;border-bottom:1px solid #4e5058;padding-bottom:.3rem;margin-top:2.5rem}
.note{color:#949ba4;font-style:italic;margin:.4rem 0}
.action{margin:1rem 0 .2rem;color:#f2f3f5}.action b{color:#c9cdfb}
.bot{background:#2b2d31;border-left:4px solid #5865f2;padding:.5rem .8rem;margin:.2rem 0 .6rem;
  white-space:pre-wrap}
.private{font-size:.85em;color:#949ba4}
.btn{display:inline-block;background:#4e5058;border-radius:4px;padding:.1rem .5rem;margin:.2rem .3rem 0 0;
  font-size:.9em}
img{max-width:100%;margin-top:.5rem;border-radius:4px}
"""


def render_html(entries: list[Entry]) -> str:
    """The whole transcript as a self-contained HTML page."""
    parts = [
        "<!doctype html><html lang='en'><meta charset='utf-8'><title>supervision-bot demo</title>",
        f"<style>{_STYLE}</style><h1>supervision-bot: a supervision week</h1>",
    ]
    for e in entries:
        text = html.escape(e.text)
        if e.kind == "scene":
            parts.append(f"<h2>{text}</h2>")
        elif e.kind == "note":
            parts.append(f"<p class='note'>{text}</p>")
        elif e.kind == "action":
            parts.append(f"<p class='action'><b>{html.escape(e.who)}</b> ▸ {text}</p>")
        else:
            private = f"<div class='private'>Only {html.escape(e.private_to)} sees this</div>" if e.private_to else ""
            buttons = "".join(f"<span class='btn'>{html.escape(b)}</span>" for b in e.buttons)
            images = "".join(f"<img src='{html.escape(name)}' alt='{html.escape(name)}'>" for name in e.images)
            parts.append(f"<div class='bot'>{private}{text}<div>{buttons}</div>{images}</div>")
    return "\n".join(parts) + "\n</html>\n"
