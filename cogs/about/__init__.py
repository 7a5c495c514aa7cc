"""/about: version, uptime and latency; proves the wiring end to end."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.about.cog import AboutCog

if TYPE_CHECKING:
    from bot.client import SupervisionBot


async def setup(bot: SupervisionBot) -> None:
    await bot.add_cog(AboutCog(bot))
