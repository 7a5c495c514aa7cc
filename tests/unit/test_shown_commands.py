"""Commands named in running text are shown under the names of the reader's language."""

from __future__ import annotations

from bot.command_translator import shown_commands
from bot.i18n import speaking


def test_commands_and_options_in_backticks_take_the_readers_names() -> None:
    text = "Run `/setup timezone:`, then `/schedule set kind:`; or set `journal_dm:True`."
    with speaking("de"):
        assert shown_commands(text) == (
            "Run `/einrichten zeitzone:`, then `/zeitplan festlegen art:`; or set `journal_per_dm:True`."
        )
    with speaking("fr"):
        assert shown_commands("`/privacy delete`") == "`/confidentialité effacer`"
    with speaking("en-US"):
        assert shown_commands(text) == text


def test_other_code_and_untranslated_names_stay_as_they_are() -> None:
    with speaking("de"):
        # A name with no translation keeps its English name, word by word; an example in backticks is not a command.
        assert shown_commands("`/no-such-command help`") == "`/no-such-command hilfe`"
        assert shown_commands("e.g. `Samaritans: 116 123` or `14:00`") == "e.g. `Samaritans: 116 123` or `14:00`"
        assert shown_commands("/setup without backticks") == "/setup without backticks"
