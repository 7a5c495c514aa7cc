"""Run the demo: `supervision-bot demo`."""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bot import i18n
from bot.demo.meeting_script import attendance_scene, brief_scene, feedback_scene, results_scene
from bot.demo.script import (
    WEEK_START,
    build_cast,
    checkin_scene,
    digest_scene,
    prompt_scene,
    quiz_results_scene,
    quiz_scene,
    reminder_scene,
    setup_scene,
)
from bot.demo.stage import Stage, open_stage

# The week in time order: each scene moves the clock forward from where the last one left it.
SCENES = (
    setup_scene,
    quiz_scene,
    prompt_scene,
    checkin_scene,
    reminder_scene,
    digest_scene,
    brief_scene,
    quiz_results_scene,
    attendance_scene,
    feedback_scene,
    results_scene,
)


async def play(
    output: Path, echo: bool = True, inspect: Callable[[Stage], None] | None = None, locale: str = i18n.SOURCE
) -> Path:
    """Play every scene and write the HTML transcript; return its path. `inspect` sees the stage before it closes.

    `locale` is the members' Discord language and the server's preferred one, so the group's too.
    """
    with tempfile.TemporaryDirectory(prefix="supervision-bot-demo-") as workdir:
        async with open_stage(output, WEEK_START, Path(workdir), echo, locale) as stage:
            cast = build_cast(stage)
            await stage.sandbox.sync_gateway()
            for scene in SCENES:
                await scene(stage, cast)
            if inspect is not None:
                inspect(stage)
            return stage.transcript.write_html(output)


def main(output: str = "demo-output", locale: str = i18n.SOURCE) -> int:
    """Play the demo and report where the transcript is."""
    started = time.monotonic()
    path = asyncio.run(play(Path(output), locale=locale))
    print(f"\nDone in {time.monotonic() - started:.0f} s. Transcript with charts: {path}")
    return 0
