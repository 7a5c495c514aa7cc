"""`supervision-bot demo` without the demo extra says, in one line, how to get it."""

from __future__ import annotations

import importlib.util

import pytest

from bot import cli
from bot.demo import DEMO_NEEDS


def test_demo_without_the_extra_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        "bot.demo.find_spec", lambda name, *args: None if name == "discord_sandbox" else real(name, *args)
    )
    assert cli.main(["demo"]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.count("\n") == 1 and "pip install 'supervision-bot[demo]'" in out.err


def test_the_demo_extra_is_what_this_install_has() -> None:
    assert all(importlib.util.find_spec(name) is not None for name in DEMO_NEEDS)
