"""Libraries the bot needs only for some replies load when first used, not while thousands of servers come in.

Babel (dates, numbers, weekday names: 2 MiB), matplotlib (charts: 28 MiB) and fpdf2 (the hours PDF: 32 MiB) wait
for the first reply that needs them; bench section 4 measures the memory and start time this keeps.
"""

from __future__ import annotations

import json
import subprocess
import sys

from bot.config import KNOWN_COGS

DEFERRED = ("babel", "matplotlib", "fpdf")


def _loaded_after(code: str) -> list[str]:
    """The deferred libraries a fresh interpreter has imported after running `code`."""
    probe = f"import importlib, json, sys\n{code}\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return [name for name in DEFERRED if name in json.loads(out)]


def test_the_bot_and_every_feature_import_none_of_them() -> None:
    loads = "import bot.client\n" + "".join(f"importlib.import_module('cogs.{cog}')\n" for cog in KNOWN_COGS)
    assert _loaded_after(loads) == []


def test_the_first_date_in_a_reply_loads_babel() -> None:
    formats = "from datetime import date\nfrom bot import i18n\nprint(i18n.day(date(2026, 12, 2)), file=sys.stderr)"
    assert _loaded_after(formats) == ["babel"]
