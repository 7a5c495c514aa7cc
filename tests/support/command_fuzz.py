"""Every registered slash command, invoked with random option values by random members: the engine.

The commands come from what the bot registered with the sandbox (walking subcommand groups), so a
new command is covered without changing this file. `fuzz_commands` collects every problem (no
answer, an unexpected error, a broken Discord rule, a refusal that changed the database) and fails
once with all of them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.content.banks import prompt_bank, quiz_bank
from discord_sandbox import Sandbox, Upload
from discord_sandbox.command_data import (
    ATTACHMENT,
    BOOLEAN,
    CHANNEL,
    INTEGER,
    MENTIONABLE,
    NUMBER,
    ROLE,
    STRING,
    USER,
)
from discord_sandbox.interactions import DEFERRED_MESSAGE, MODAL, Interaction
from discord_sandbox.models import Member
from tests.badinput.strategies import NASTY_PIECES
from tests.e2e.conftest import Harness, embed_text, manage_server_member, set_up_group
from tests.faults.support import dump_tables, wait_for_dispatched

# The language of whoever used a command is kept whether or not the command was theirs to use (their own data,
# exported and deleted with the rest; bot/languages.py): a refusal is checked on everything else.
REMEMBERED = ("member_locales",)

COGS = ("about", "admin", "quiz", "reflect", "checkin")
REFUSAL = "Only supervisors can do this"
UNEXPECTED = ("Traceback", "Something went wrong on our side")
SUPERVISOR_ONLY = {"setup", "status", "quiz open-now", "quiz close-now", "quiz settings", "reflect settings"}
SUPERVISOR_PREFIXES = ("schedule ", "quiz bank ", "reflect bank ", "checkin summary")
ROLES = ("trainee", "supervisor", "manage server", "owner")

ZONES = [
    "Europe/London",
    "America/Toronto",
    "Asia/Tokyo",
    "UTC",
    "Pacific/Kiritimati",
    "Australia/Lord_Howe",
    "America",
    "Europe/Londn",
    "europe/london",
    "Etc/GMT+5",
    "../etc",
    "Europe/London ",
    "00/" * 1000 + "00",
]
TIMES = ["9", "09:00", "9am", "12pm", "12am", "9:30 p.m.", "21:30", "23:59", "0", "25:00", "9:75", "noon", "٩:٣٠", ""]
DAYS = ["Mon", "Mon, Thu", "tuesday thursday", "weekdays", "weekends", "daily", "every day", "Blursday", "mo tu", "t"]
DATES = ["2026-12-24", "2026-03-01", "2026-03-03", "9999-12-31", "0001-01-01", "2026-02-30", "20261224", "2026-W52-4"]
ROTATIONS = ["empathy, congruence", "mixed", "empathy,,", "Working Alliance", "rupture_repair", "nonsense, empathy"]
GOOD_IMPORT = """
element = "empathy"

[[items]]
id = "fuzz-empathy-001"
kind = "concept"
difficulty = 1
stem = "What does accurate empathy communicate to a client?"
source = "Rogers, C.R. (1957). The necessary and sufficient conditions of therapeutic personality change."

[[items.options]]
text = "That their inner world has been sensed as if it were one's own."
explanation = "This is Rogers' 'as if' quality."
correct = true

[[items.options]]
text = "That the therapist agrees with them."
explanation = "Understanding is not agreement."

[[items.options]]
text = "That the therapist has felt exactly the same."
explanation = "That is identification, not empathy."
"""


@dataclass
class Leaf:
    """An invocable command path with its options and the descriptions along the way."""

    path: str
    options: list[dict[str, Any]]
    descriptions: list[str]

    @property
    def supervisor_only(self) -> bool:
        return (
            any(d.startswith("Supervisors:") for d in self.descriptions)
            or self.path in SUPERVISOR_ONLY
            or self.path.startswith(SUPERVISOR_PREFIXES)
        )


def leaves(commands: list[dict[str, Any]]) -> list[Leaf]:
    found: list[Leaf] = []

    def walk(node: dict[str, Any], path: list[str], descriptions: list[str]) -> None:
        options = node.get("options") or []
        subs = [o for o in options if o["type"] in (1, 2)]
        if not subs:
            found.append(Leaf(" ".join(path), options, descriptions))
        for sub in subs:
            walk(sub, [*path, sub["name"]], [*descriptions, sub.get("description", "")])

    for command in commands:
        if command.get("type", 1) == 1:
            walk(command, [command["name"]], [command.get("description", "")])
    return found


@dataclass
class Fuzzer:
    h: Harness
    rng: random.Random
    managers: list[Member]
    problems: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)

    # --- values ------------------------------------------------------------------------------

    def nasty(self, longest: int = 120) -> str:
        pieces = [self.rng.choice(NASTY_PIECES) if self.rng.random() < 0.6 else chr(self.rng.randrange(32, 0x2FFF))]
        while self.rng.random() < 0.8 and sum(map(len, pieces)) < longest:
            pieces.append(self.rng.choice(NASTY_PIECES) if self.rng.random() < 0.5 else self.rng.choice("abc ,:0129"))
        text = "".join(pieces)
        if self.rng.random() < 0.05:
            text = (text * (4000 // max(1, len(text)) + 1))[:4000]
        return text

    def text_for(self, name: str) -> str:
        rng = self.rng
        pools = {
            "timezone": ZONES,
            "days": DAYS,
            "until": DATES,
            "rotation": ROTATIONS,
            "item_id": [i.id for i in quiz_bank()[:5]] + ["custom-0000", "EMPATHY-001", "empathy-001 "],
            "prompt_id": [p.id for p in prompt_bank()[:5]] + ["custom-p0000", "nope"],
            "code": ["K7QF-2MZP-9TXR", "k7qf 2mzp 9txr", "0000-0000-0000"],
        }
        pool = pools.get(name) or (TIMES if "time" in name or name.startswith("quiet") else None)
        if pool is not None and rng.random() < 0.75:
            return rng.choice(pool)
        return self.nasty()

    def string(self, opt: dict[str, Any]) -> str:
        text = self.text_for(opt["name"])
        low, high = opt.get("min_length") or 1, opt.get("max_length") or 6000
        if len(text) < low:
            text += "x" * (low - len(text))
        return text[:high]

    def number(self, opt: dict[str, Any], integer: bool) -> float:
        low = opt.get("min_value", -3 if integer else -3.5)
        high = opt.get("max_value", 60 if integer else 60.5)
        if self.rng.random() < 0.3:
            return self.rng.choice([low, high])
        return self.rng.randint(int(low), int(high)) if integer else self.rng.uniform(low, high)

    def attachment(self) -> Upload:
        rng = self.rng
        content = rng.choice(
            [
                GOOD_IMPORT.encode(),
                GOOD_IMPORT.replace("fuzz-empathy-001", f"fuzz-{rng.randrange(10**6)}").encode(),
                self.nasty(400).encode("utf-8", "surrogatepass"),
                rng.randbytes(rng.randrange(1, 300)),
                b"items = " + b"[" * 3000,
                b"[[items]]\nid = 'x'\n" * rng.randrange(1, 50),
                '\ufeffelement = "empathy"\n'.encode(),
            ]
        )
        # Discord keeps uploaded file names to safe characters, so only realistic names here.
        name = rng.choice(["bank.toml", "BANK.TOML", "x.txt", "my bank (2).toml", "bänk.toml", "b" * 120 + ".toml"])
        return Upload(name, content)

    def value(self, opt: dict[str, Any]) -> Any:
        rng = self.rng
        guild = self.h.group.guild
        if opt.get("choices"):
            return rng.choice(opt["choices"])["value"]
        kind = opt["type"]
        if kind == STRING:
            return self.string(opt)
        if kind in (INTEGER, NUMBER):
            return self.number(opt, kind == INTEGER)
        if kind == BOOLEAN:
            return rng.random() < 0.5
        if kind == USER:
            return rng.choice(list(guild.members.values()))
        if kind == ROLE:
            return rng.choice(list(guild.roles.values()))
        if kind == MENTIONABLE:
            return rng.choice([*guild.members.values(), *guild.roles.values()])
        if kind == CHANNEL:
            allowed = opt.get("channel_types")
            channels = [c for c in guild.channels.values() if not allowed or c.type in allowed]
            return rng.choice(channels) if channels else None
        if kind == ATTACHMENT:
            return self.attachment()
        raise AssertionError(f"unexpected option type {kind} in {opt}")

    # --- running -------------------------------------------------------------------------------

    def member(self, role: str) -> Member:
        g = self.h.group
        if role == "trainee":
            return self.rng.choice(g.trainees)
        if role == "supervisor":
            return g.supervisor
        if role == "manage server":
            return self.rng.choice(self.managers)
        return g.owner

    def plain_trainee(self, member: Member) -> bool:
        return member in self.h.group.trainees

    def problem(self, what: str, text: str) -> None:
        self.problems.append(f"{what}: {text[:300]!r}")

    def check_texts(self, what: str, texts: list[str]) -> None:
        for text in texts:
            for marker in UNEXPECTED:
                if marker in text:
                    self.problem(f"{what} shows {marker!r}", text)

    async def replies(self, what: str, ix: Interaction) -> list[str]:
        """Every text the member saw in answer: the response, the finished original, any followups."""
        response = await ix.response()
        texts = [response.content + "\n" + embed_text(response.embeds)]
        if response.type == DEFERRED_MESSAGE:
            try:
                final = await ix.original_message(timeout=15)
            except TimeoutError:
                self.problem(f"{what} never finished thinking", "")
            else:
                texts.append(final.content + "\n" + embed_text(final.embeds))
        texts += [m.content + "\n" + embed_text(m.embeds) for m in ix.followups]
        return texts

    async def submit_modal(self, what: str, member: Member, ix: Interaction) -> None:
        modal = await ix.modal()
        values = {}
        for row in modal.get("components") or []:
            inputs = row.get("components") or ([row["component"]] if row.get("component") else [])
            for comp in inputs:
                if comp.get("type") != 4:
                    continue
                low, high = comp.get("min_length") or 0, comp.get("max_length") or 4000
                text = self.nasty()
                if self.rng.random() < 0.3:
                    text = "\n".join(self.nasty(40) for _ in range(self.rng.randrange(1, 6)))
                if comp.get("required", True) or self.rng.random() < 0.7:
                    text = (text or "x")[:high]
                    text += "x" * max(0, max(low, 1) - len(text))
                else:
                    text = ""
                values[comp["custom_id"]] = text
        submitted = await self.h.sandbox.submit_modal(member, ix, values)
        self.check_texts(f"{what} (modal)", await self.replies(f"{what} (modal)", submitted))

    async def autocomplete(self, leaf: Leaf, member: Member) -> None:
        focused = [o for o in leaf.options if o.get("autocomplete")]
        if not focused:
            return
        opt = self.rng.choice(focused)
        typed = self.text_for(opt["name"])[:100]
        g = self.h.group
        choices = await self.h.sandbox.autocomplete(g.guild, member, leaf.path, focused=opt["name"], value=typed)
        if len(choices) > 25:
            self.problem(f"/{leaf.path} autocomplete offered {len(choices)} choices", typed)

    async def invoke(self, number: int, leaf: Leaf) -> None:
        rng, sb, g = self.rng, self.h.sandbox, self.h.group
        role = rng.choice(ROLES)
        member = self.member(role)
        options = {}
        for opt in leaf.options:
            if opt.get("required") or rng.random() < 0.5:
                value = self.value(opt)
                if value is not None:
                    options[opt["name"]] = value
        shown = {k: getattr(v, "name", getattr(v, "filename", v)) for k, v in options.items()}
        what = f"#{number} /{leaf.path} by {role} with {shown}"
        self.log.append(what)
        if rng.random() < 0.2:
            await self.autocomplete(leaf, member)
        refused_expected = leaf.supervisor_only and self.plain_trainee(member)
        before = dump_tables(self.h.db_path, REMEMBERED) if refused_expected else None
        violations = len(sb.violations)
        channel = rng.choice([c for c in g.guild.channels.values() if c.type == 0])
        ix = await sb.invoke(g.guild, member, leaf.path, channel=channel, options=options)
        try:
            response = await ix.response()
        except TimeoutError:
            self.problem(f"{what} got no response", "")
            return
        if response.type == MODAL:
            if refused_expected:
                self.problem(f"{what} opened a form for a plain trainee", str(response.data.get("title")))
            await self.submit_modal(what, member, ix)
        else:
            self.check_texts(what, await self.replies(what, ix))
        if refused_expected:
            if REFUSAL not in response.content or not response.ephemeral:
                self.problem(f"{what} was not refused", response.content + embed_text(response.embeds))
            if dump_tables(self.h.db_path, REMEMBERED) != before:
                self.problem(f"{what} changed the database although refused", "")
        if len(sb.violations) > violations:
            self.problem(f"{what} broke a Discord rule", "; ".join(sb.violations[violations:]))


async def fuzz_commands(  # type: ignore[no-untyped-def]
    make_harness, sandbox: Sandbox, seed: int, invocations: int, cogs: tuple[str, ...] = COGS
) -> list[Leaf]:
    """Run every command once, then random ones up to `invocations`; return the commands found."""
    if "checkin" in cogs and not _checkin_available():
        cogs = tuple(c for c in cogs if c != "checkin")
    async with make_harness(trainees=3, cogs=cogs) as h:
        await wait_for_dispatched(h.bot)
        if "admin" in cogs:
            await set_up_group(h)
        managers = [manage_server_member(sandbox, h.group, f"Manager {n}") for n in range(2)]
        await sandbox.sync_gateway()
        available = leaves(sandbox.registered_commands())
        assert available, f"{cogs} registered no commands"
        fuzzer = Fuzzer(h, random.Random(seed), managers)
        # Every command at least once, then a random mix.
        plan = available + [fuzzer.rng.choice(available) for _ in range(max(0, invocations - len(available)))]
        for number, leaf in enumerate(plan):
            await fuzzer.invoke(number, leaf)
        if fuzzer.problems:
            unique = list(dict.fromkeys(fuzzer.problems))
            listing = "\n  ".join(unique[:40])
            pytest.fail(
                f"{'+'.join(cogs)}, seed {seed}: {len(unique)} problem(s) in {len(plan)} invocations:\n  {listing}"
            )
        return available


def _checkin_available() -> bool:
    try:
        import cogs.checkin.logic  # noqa: F401
    except ImportError:
        return False
    return True
