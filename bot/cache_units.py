"""Each interaction is one unit of work for the caches: other processes' commits are looked for once in it."""

from __future__ import annotations

from bot.db.cache import one_look


def one_look_per_interaction(state: object) -> None:
    """Run every handler of an interaction (command, click, form, autocomplete, listener) in one cache unit.

    discord.py starts each handler as a task inside its INTERACTION_CREATE parser, and a task copies the
    context it starts in, so a unit opened around the parser is shared by that interaction's handlers only.
    """
    parsers: dict[str, object] = getattr(state, "parsers")  # noqa: B009 (discord.py's parser table, by name)
    parse = parsers["INTERACTION_CREATE"]
    if getattr(parse, "one_look", False):
        return

    def parse_in_one_unit(data: dict[str, object]) -> None:
        with one_look():
            parse(data)  # type: ignore[operator]

    parse_in_one_unit.one_look = True  # type: ignore[attr-defined]
    parsers["INTERACTION_CREATE"] = parse_in_one_unit
