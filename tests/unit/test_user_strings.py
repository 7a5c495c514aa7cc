"""Every user-facing string goes through the translation function: a prose literal outside it fails here.

A literal counts as prose when it holds two words, or when it is one word given as a label, title,
placeholder, content or text. It passes when it is a docstring, an argument of
`_`/`ngettext`/`pgettext`/`N_`/`in_language`, part of a log call (log lines stay English), a slash command's
name, description or choice (the command translator handles those; tests/unit/test_catalogue.py checks
them), or the message of an exception no member sees. Modules that never speak to members are listed in
NOT_SPOKEN with the reason.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from cogs.checkin.detector import NOT_NAME_WORDS

ROOT = Path(__file__).resolve().parents[2]

# Modules whose strings never reach a member or supervisor in Discord, and why.
NOT_SPOKEN: dict[str, str] = {
    "bot/db/": "SQL and stored keys",
    "bot/cli.py": "the operator's console (CLI errors stay English, like logs)",
    "bot/config.py": "config errors for the operator",
    "bot/logging_setup.py": "logging",
    "bot/connect.py": "log lines about the connection",
    "bot/catalogue.py": "the catalogue tool's own console output",
    "bot/i18n.py": "the translation machinery",
    "bot/command_translator.py": "gettext contexts",
    "bot/demo/": "the demo page's narration, written for a reader evaluating the bot, not by it",
    "bot/scheduling.py": "fire details are recorded in English with the log (see docs/i18n.md)",
    "bot/steps.py": "recorded step names",
    "bot/pacing.py": "log lines",
    "bot/content/lint.py": "the content check for maintainers (python -m bot.content)",
    "bot/content/check_report.py": "the content check for maintainers (python -m bot.content)",
    "cogs/meeting/outcomes.py": "fire details and DM-failure reasons, stored in English as bot/scheduling.py's are",
    "cogs/quiz/outcomes.py": "fire details and DM-failure reasons, stored in English as bot/scheduling.py's are",
    "cogs/checkin/outcomes.py": "fire details, stored in English as bot/scheduling.py's are",
    "cogs/reflect/outcomes.py": "fire details, stored in English as bot/scheduling.py's are",
}

TRANSLATORS = {"_", "ngettext", "pgettext", "N_", "in_language"}
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}
LOGGERS = {"log", "logger", "logging", "_log"}
# discord.py hands these to the command tree's translator; they are checked against the catalogue instead.
COMMAND_DECLARATIONS = {"command", "Group", "describe", "Choice", "rename", "choices", "context_menu"}
# The class keywords of a GroupCog that name and describe its command group.
GROUP_DECLARATIONS = {"group_name", "group_description"}
# Exports are data for the member to keep and re-use: field names and values stay stable, in English.
DATA_CALLS = {"of"}
# Calls whose literal arguments name a place for the log only: `guarded(interaction, "quiz take", work)` (the
# error log's "in quiz take") and `FlowBinding("quiz")` (a setup error). Their other arguments are checked.
LOG_LABEL_CALLS = {"guarded", "FlowBinding"}

# Keyword arguments whose value a member reads even when it is one word ("Save", "Skip").
SHOWN_KEYWORDS = {"label", "placeholder", "title", "content", "text", "value", "default"}
WORD = re.compile(r"[A-Za-z]{2,}")

PROSE = re.compile(r"[A-Za-z]{2,}[,.;:!?']?\s+[A-Za-z]{2,}")

# Literals that look like prose but are not text for a reader (fonts, MIME types, identifiers).
NOT_TEXT: set[str] = {
    "DejaVu Sans",
    # bot/client.py: a fire's recorded detail, kept in English with the log like bot/scheduling.py's.
    " feature is not enabled",
    "unexpected error (error id ",
    # bot/errors.py: where an error happened, for the log line only.
    "an unknown command",
    # bot/time_input.py: an English word a member may type for the days (the reply is translated, not this key).
    "every day",
    NOT_NAME_WORDS,  # the identifying-detail check's list of capitalised words that are not names
    # matplotlib's placement keywords
    "offset points",
    "upper left",
    "outside lower center",
}


def _sources() -> list[Path]:
    files = sorted((ROOT / "bot").rglob("*.py")) + sorted((ROOT / "cogs").rglob("*.py"))
    return [p for p in files if not any(p.relative_to(ROOT).as_posix().startswith(k) for k in NOT_SPOKEN)]


def _user_error_names(trees: list[ast.Module]) -> set[str]:
    names = {"UserFacingError"}
    grew = True
    while grew:
        grew = False
        for tree in trees:
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.ClassDef)
                    and node.name not in names
                    and any(_name(base) in names for base in node.bases)
                ):
                    names.add(node.name)
                    grew = True
    return names


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _name(node.func)
    return ""


def _receiver(node: ast.AST) -> str:
    return _name(node.value) if isinstance(node, ast.Attribute) else ""


class _Finder(ast.NodeVisitor):
    def __init__(self, user_errors: set[str]) -> None:
        self.user_errors = user_errors
        self.found: list[tuple[int, str]] = []

    def _skip_docstring(self, body: list[ast.stmt]) -> list[ast.stmt]:
        first = body[0] if body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            return body[1:]
        return body

    def visit_Module(self, node: ast.Module) -> None:
        for stmt in self._skip_docstring(node.body):
            self.visit(stmt)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        # A GroupCog's group_name and group_description are a command group's, for the command translator.
        keywords = [k for k in node.keywords if k.arg not in GROUP_DECLARATIONS]
        for item in [*node.bases, *keywords, *node.decorator_list, *self._skip_docstring(node.body)]:
            self.visit(item)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for item in [*node.decorator_list, node.args, *self._skip_docstring(node.body)]:
            self.visit(item)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node: ast.Call) -> None:
        name = _name(node.func)
        if name in TRANSLATORS or name in COMMAND_DECLARATIONS or name in DATA_CALLS:
            return
        if name in LOG_METHODS and _receiver(node.func) in LOGGERS:
            return
        if name in LOG_LABEL_CALLS:
            for arg in node.args:
                if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                    self.visit(arg)
            for keyword in node.keywords:
                self.visit(keyword)
            return
        for keyword in node.keywords:
            value = keyword.value
            if (
                keyword.arg in SHOWN_KEYWORDS
                and isinstance(value, ast.Constant)
                and isinstance(value.value, str)
                and WORD.search(value.value)
                and not PROSE.search(value.value)  # prose is reported by visit_Constant
                and value.value not in NOT_TEXT
            ):
                self.found.append((value.lineno, value.value))
        self.generic_visit(node)

    def visit_Raise(self, node: ast.Raise) -> None:
        if node.exc is not None and _name(node.exc) not in self.user_errors:
            return  # an internal error: its message is for the log, never shown
        self.generic_visit(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        # Babel's extractor does not read inside f-strings: `f"{_('Saved.')} ..."` never reaches the catalogue.
        for part in node.values:
            call = part.value if isinstance(part, ast.FormattedValue) else None
            if isinstance(call, ast.Call) and _name(call.func) in TRANSLATORS and call.args:
                first = call.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    self.found.append((first.lineno, first.value))
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and PROSE.search(node.value) and node.value not in NOT_TEXT:
            self.found.append((node.lineno, node.value))


def untranslated(path: Path, user_errors: set[str]) -> list[tuple[int, str]]:
    """The prose literals in a module that do not go through the translation function."""
    finder = _Finder(user_errors)
    finder.visit(ast.parse(path.read_text(encoding="utf-8")))
    return finder.found


SOURCES = _sources()
USER_ERRORS = _user_error_names([ast.parse(p.read_text(encoding="utf-8")) for p in SOURCES])


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_user_facing_string_is_translatable(path: Path) -> None:
    found = untranslated(path, USER_ERRORS)
    listing = "\n".join(f"  {path.relative_to(ROOT)}:{line}: {text[:80]!r}" for line, text in found)
    assert not found, f"prose outside _() (wrap it, or list it in NOT_TEXT if it is not text):\n{listing}"


def test_the_check_finds_a_bare_reply(tmp_path: Path) -> None:
    module = tmp_path / "reply.py"
    module.write_text(
        'async def go(i):\n    """Reply."""\n'
        '    log.info("sent the reply now")\n'
        '    await i.response.send_message(_("Saved your entry."))\n'
        '    await i.response.send_message(f"Saved {n} entries here.")\n'
        '    raise ValueError("internal detail here")\n'
        '    raise UserFacingError("That time is not valid.")\n'
        '    b = Button(label="Skip", custom_id="sv:x")\n'
    )
    assert [line for line, _ in untranslated(module, {"UserFacingError"})] == [5, 7, 8]


def test_a_log_label_passes_but_the_work_beside_it_is_checked(tmp_path: Path) -> None:
    module = tmp_path / "button.py"
    module.write_text(
        'async def go(i):\n    """Click."""\n'
        '    await guarded(i, "quiz take", i.response.send_message(_("Saved your entry.")))\n'
        '    await guarded(i, "quiz next", i.response.send_message("Saved your entry."))\n'
    )
    assert [line for line, _ in untranslated(module, set())] == [4]


def test_a_translated_literal_inside_an_f_string_is_reported(tmp_path: Path) -> None:
    module = tmp_path / "fstring.py"
    module.write_text(
        'def go(error, NOTE):\n    """Say."""\n'
        '    first = f"{error} {_(NOTE)}"\n'
        "    return first + f\"{_('Nothing was saved.')}\"\n"
    )
    assert untranslated(module, set()) == [(4, "Nothing was saved.")]
