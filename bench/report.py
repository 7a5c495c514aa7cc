"""Write RESULTS.md: summary, machine, how to reproduce, then each benchmark's table, notes and profiles."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from bench.analysis import analyses
from bench.machine import describe
from bench.proc import REPO_ROOT
from bench.sections import Section

HEADER = """# supervision-bot benchmarks

Our bot (`SupervisionBot`, the real cogs, SQLite) against a **baseline**: a bare discord.py 2.7 client doing
the same Discord work with no storage, through the same local Discord sandbox (`discord_sandbox`, 127.0.0.1 only),
and, for interactions that write, a **fair floor**: that baseline plus one durable SQLite `INSERT` committed per
write (WAL, `synchronous=FULL`, as ours).
A shared machine is noisy, so every benchmark runs both bots in interleaved rounds (ours/baseline, then
baseline/ours, ...) and the tables give **ratios** with the absolute figures beside them.
"""

REPRODUCE = """## How to reproduce

From the repository root, with the project installed (`pip install -e ".[test]"`):

```sh
python -m bench              # everything, full scale; writes bench/RESULTS.md
python -m bench --quick      # scaled-down smoke run, about two minutes
python -m bench --only fanout --only memory
python -m bench --render-only # re-write RESULTS.md from RESULTS.json and bench/analysis.md
```

The full run takes about half an hour on the machine below, 18 minutes of it section 7; `--quick` about 1.5
minutes (no profiles unless `--profile`).

Each bot runs in its own child process (`python -m bench.host`); the sandbox and the load driver run in the
harness process. Where a target is missed, the harness profiles our bot in extra runs that are not counted:
cProfile of the bot's main thread, py-spy of every thread when `py-spy` is installed (`pip install py-spy`),
tracemalloc for memory, and "what-if" runs that patch one suspected cause in the child process only
(`bench/whatif.py`) to size the fix before anyone makes it. The sandbox's OpenAPI schema validation is off in
the benchmarks (it is a correctness check that would add the same cost to both bots).
"""


def _summary(sections: list[Section]) -> list[str]:
    lines = ["## Summary", "", "| Benchmark | Target | Ours | Baseline | Ratio | Met |", "|---|---|---|---|---|---|"]
    for section in sections:
        for row in section.rows:
            if row.met is not None:
                met = "✅" if row.met else "❌"
                lines.append(f"| {section.title.split(' (')[0]}: {row.metric} | {row.target} | {row.ours} | "
                             f"{row.baseline} | {row.ratio} | {met} |")  # fmt: skip
    return [*lines, ""]


def save_run(
    path: Path, sections: list[Section], *, quick: bool, argv: list[str], seconds: float, merge: bool = False
) -> dict[str, Any]:
    """Keep the measured run as JSON beside RESULTS.md, so the Markdown can be re-rendered without re-running.

    With `merge`, the saved run's other sections are kept (in their order) and each section run now notes its
    own command, date and revision, since the file's header describes the earlier run.
    """
    saved = path.with_suffix(".json")
    if merge and saved.exists():
        earlier = json.loads(saved.read_text(encoding="utf-8"))
        machine = describe(REPO_ROOT)
        for section in sections:
            section.notes.append(
                f"This section comes from a later run (`{' '.join(['python -m bench', *argv])}`, "
                f"{machine[0].removeprefix('Date: ')}, revision {machine[-1].removeprefix('Bot revision: ')}) on the "
                "same machine; the header above describes the run the other sections come from."
            )
        fresh = {s.name: dataclasses.asdict(s) for s in sections}
        kept = [fresh.pop(s["name"], s) for s in earlier["sections"]]
        earlier["sections"] = kept + list(fresh.values())
        saved.write_text(json.dumps(earlier, indent=1, ensure_ascii=False), encoding="utf-8")
        return earlier
    run = {
        "scale": "quick (scaled down)" if quick else "full",
        "command": " ".join(["python -m bench", *argv]),
        "minutes": round(seconds / 60, 1),
        "machine": describe(REPO_ROOT),
        "sections": [dataclasses.asdict(s) for s in sections],
    }
    path.with_suffix(".json").write_text(json.dumps(run, indent=1, ensure_ascii=False), encoding="utf-8")
    return run


def render(path: Path, run: dict[str, Any]) -> None:
    """Write RESULTS.md from a saved run and the current bench/analysis.md."""
    sections = [Section.from_json(dict(s)) for s in run["sections"]]
    notes = analyses()
    lines = [
        HEADER,
        f"Scale: **{run['scale']}**. Command: `{run['command']}`. Total wall time {run['minutes']} min.",
        "",
    ]
    lines += ["## Machine", "", *[f"- {line}" for line in run["machine"]], ""]
    lines += _summary(sections)
    lines += [section.markdown(notes.get(section.name, "")) for section in sections]
    lines.append(REPRODUCE)
    path.write_text("\n".join(lines), encoding="utf-8")
