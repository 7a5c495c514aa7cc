"""Render a member's data export as JSON and as readable Markdown."""

from __future__ import annotations

import json
from typing import Any


def export_json(document: dict[str, Any]) -> bytes:
    """The machine-readable export."""
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False).encode("utf-8")


def export_markdown(document: dict[str, Any]) -> bytes:
    """The human-readable export: one section per kind of data, one entry per row."""
    lines = [
        "# Your data in this server",
        "",
        f"- Server id: {document['server_id']}",
        f"- Your user id: {document['member_id']}",
        f"- Exported at: {document['exported_at']}",
        "",
    ]
    for title, rows in document["sections"].items():
        lines += [f"## {title}", ""]
        if not rows:
            lines += ["Nothing stored.", ""]
            continue
        for number, row in enumerate(rows, start=1):
            lines.append(f"### {number}")
            for key, value in row.items():
                text = str(value)
                if "\n" in text:
                    lines += [f"- **{key}**:", "", *[f"    {line}" for line in text.splitlines()], ""]
                else:
                    lines.append(f"- **{key}**: {text}")
            lines.append("")
    return "\n".join(lines).encode("utf-8")
