"""Print demo entries as plain terminal text, with mentions and timestamps resolved like the HTML page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.demo.markup import Reader, plain

if TYPE_CHECKING:
    from bot.demo.transcript import Entry

_WIDTH = 88


def render_terminal(entry: Entry, reader: Reader | None) -> str:
    """One entry as terminal text."""
    if entry.kind == "scene":
        return f"\n{'═' * _WIDTH}\n{entry.text}\n{'═' * _WIDTH}"
    if entry.kind == "note":
        return "\n".join(f"  · {line}" if n == 0 else f"    {line}" for n, line in enumerate(entry.text.splitlines()))
    assert reader is not None, "actions and messages carry the time they happened"
    where = f" [{entry.place}]" if entry.place else ""
    if entry.kind == "action":
        return f"\n  {entry.who}{where} ▸ {plain(entry.text, reader)}"
    if entry.kind == "form":
        lines = [f"  form “{entry.text}”{where}:"] + [f"    {label}: {value}" for label, value in entry.fields]
        return "\n".join(lines)
    seen_by = f" (only {entry.ephemeral_to} can see this)" if entry.ephemeral_to else ""
    lines = [f"  bot{where}{seen_by}:"]
    lines += [f"    {line}" for line in plain(entry.text, reader).splitlines()]
    for embed in entry.embeds:
        lines += [f"    │ {line}" for line in embed_lines(embed, reader)]
    controls = control_labels(entry.components)
    if controls:
        lines.append("    " + "  ".join(f"[{label}]" for label in controls))
    lines += [f"    [image: {name}]" for name in entry.images.values()]
    return "\n".join(lines)


def embed_lines(embed: dict[str, Any], reader: Reader) -> list[str]:
    """An embed's text, top to bottom, as a reader would scan it."""
    lines: list[str] = []
    if embed.get("title"):
        lines.append(plain(embed["title"], reader))
    if embed.get("description"):
        lines += plain(embed["description"], reader).splitlines()
    for item in embed.get("fields", []):
        lines.append(plain(item.get("name", ""), reader))
        lines += [f"  {line}" for line in plain(item.get("value", ""), reader).splitlines()]
    footer = (embed.get("footer") or {}).get("text")
    if footer:
        lines.append(f"({plain(footer, reader)})")
    return lines


def control_labels(rows: list[dict[str, Any]]) -> list[str]:
    """The labels of buttons and selects in component rows, '(disabled)' where they cannot be used."""
    labels = []
    for row in rows or []:
        for comp in row.get("components", []):
            chosen = [o.get("label", "") for o in comp.get("options") or [] if o.get("default")]
            label = ", ".join(chosen) or comp.get("label") or comp.get("placeholder")
            if label:
                labels.append(label + (" (disabled)" if comp.get("disabled") else ""))
    return labels
