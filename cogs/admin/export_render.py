"""Render a member's data export as JSON and as readable Markdown.

The JSON is data: its keys, section names and field names stay English whatever the member's language, so
that it reads the same to any program. The Markdown is for reading: its framing is in the member's language
(the current one), and each section's heading too, while field names stay as they are in the JSON.
"""

from __future__ import annotations

import json
from typing import Any

from bot.i18n import N_, _

# The member-data sections (each repository's `member_data_label`), for their headings in the Markdown. A
# section missing here is shown under its English name; tests/e2e/test_privacy.py keeps the list complete.
SECTION_TITLES = (
    N_("Failed direct-message deliveries"),
    N_("Quiz answers"),
    N_("Reflective prompt subscription and deliveries"),
    N_("Reflection journal"),
    N_("Quiz review schedule"),
    N_("Quiz item reports"),
    N_("Journal entries shared with supervisors"),
    N_("Supervision meetings attended (hours log)"),
    N_("Meeting DMs you asked for"),
    N_("Reminders and DMs you put off"),
    N_("Language"),
)


def section_title(label: str) -> str:
    """A member-data section's name in the current language."""
    return _(label)


def export_json(document: dict[str, Any]) -> bytes:
    """The machine-readable export."""
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False).encode("utf-8")


def export_markdown(document: dict[str, Any]) -> bytes:
    """The human-readable export: one section per kind of data, one entry per row."""
    lines = [
        _("# Your data in this server"),
        "",
        _("- Server id: {id}").format(id=document["server_id"]),
        _("- Your user id: {id}").format(id=document["member_id"]),
        _("- Exported at: {moment}").format(moment=document["exported_at"]),
        "",
        _("Field names are the same as in the JSON file beside this one."),
        "",
    ]
    for label, rows in document["sections"].items():
        title = section_title(label)
        lines += [f"## {title}" if title == label else f"## {title} ({label})", ""]
        if not rows:
            lines += [_("Nothing stored."), ""]
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
