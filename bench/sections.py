"""Result tables: one section per benchmark, rendered as Markdown."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Row:
    """One measured figure: ours, the baseline, their ratio, the target and whether it is met (None: info)."""

    metric: str
    ours: str
    baseline: str
    ratio: str
    target: str
    met: bool | None


@dataclass
class Section:
    """A benchmark's table, notes and, when a target was missed, profiles explaining why."""

    name: str
    title: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    profiles: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Section:
        rows = [Row(**row) for row in data.pop("rows")]
        profiles = [(heading, text) for heading, text in data.pop("profiles")]
        return cls(rows=rows, profiles=profiles, **data)

    @property
    def missed(self) -> bool:
        return any(row.met is False for row in self.rows)

    def markdown(self, analysis: str = "") -> str:
        lines = [f"## {self.title}", "", "| Metric | Ours | Baseline | Ratio (ours / baseline) | Target | Met |"]
        lines.append("|---|---|---|---|---|---|")
        for r in self.rows:
            met = "—" if r.met is None else ("✅ met" if r.met else "❌ not met")
            lines.append(f"| {r.metric} | {r.ours} | {r.baseline} | {r.ratio} | {r.target} | {met} |")
        lines.append("")
        lines += [f"- {note}" for note in self.notes]
        if analysis:
            heading = "Why, and the fix we recommend" if self.missed else "Reading"
            lines += ["", f"### {heading}", "", analysis]
        for heading, text in self.profiles:
            lines += ["", f"**{heading}**", "", "```text", text, "```"]
        return "\n".join(lines) + "\n"
