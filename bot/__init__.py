"""supervision-bot: a Discord bot for clinical supervision groups."""

__version__ = "0.1.0"
