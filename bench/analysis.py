"""Why a missed target was missed: the reading of the profiles below it, and the fix we recommend."""

from __future__ import annotations

from pathlib import Path

ANALYSIS_FILE = Path(__file__).with_name("analysis.md")


def analyses() -> dict[str, str]:
    """Section name -> Markdown analysis, from bench/analysis.md ('## name' headings)."""
    if not ANALYSIS_FILE.exists():
        return {}
    out: dict[str, str] = {}
    name = ""
    for line in ANALYSIS_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            name = line[3:].strip()
            out[name] = ""
        elif name:
            out[name] += line + "\n"
    return {key: text.strip() for key, text in out.items()}
