"""`supervision-bot demo`: the real bot and the local Discord sandbox playing a supervision week."""

from __future__ import annotations

from importlib.util import find_spec

# The emulator and its web server are installed with the demo extra, not with the bot itself.
DEMO_NEEDS = ("discord_sandbox", "aiohttp")
DEMO_INSTALL_HINT = "supervision-bot demo needs the demo extra: pip install 'supervision-bot[demo]'"


def demo_installed() -> bool:
    """Whether the packages the demo runs on are importable."""
    return all(find_spec(name) is not None for name in DEMO_NEEDS)
