"""Config loading: good files load, and every kind of bad input gets its exact one-line error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import KNOWN_COGS, ConfigError, load_config, parse_config, resolve_token

ROOT = Path(__file__).resolve().parents[2]


def test_example_config_loads_with_documented_defaults() -> None:
    config = load_config(ROOT / "config.example.toml")
    assert config.discord.token_env == "DISCORD_TOKEN"
    assert config.scheduler.grace_hours == 12
    assert config.bot.default_timezone == "UTC"
    assert config.database_path == ROOT / "supervision-bot.sqlite3"


def test_values_are_read_into_frozen_dataclasses() -> None:
    config = parse_config(
        '[discord]\ndev_guilds = [123]\napi_base = "http://127.0.0.1:9/api/v10"\n'
        '[bot]\ndefault_timezone = "Europe/London"\nlog_level = "DEBUG"\n',
        "c.toml",
    )
    assert config.discord.dev_guilds == (123,)
    assert config.bot.default_timezone == "Europe/London"
    with pytest.raises(AttributeError):
        config.bot.log_level = "INFO"  # type: ignore[misc]


BAD = [
    ("[bot\n", "c.toml: invalid TOML: Expected ']' at the end of a table declaration (at line 1, column 5)"),
    (
        '[scheduler]\ngrace_hours = "12"\n',
        "c.toml: [scheduler] grace_hours: '12' is not a whole number; expected a whole number of hours from 0 to 168",
    ),
    (
        "[scheduler]\ngrace_hours = 500\n",
        "c.toml: [scheduler] grace_hours: 500 is not valid; expected a whole number of hours from 0 to 168",
    ),
    (
        "[scheduler]\ngrace_hours = true\n",
        "c.toml: [scheduler] grace_hours: True is not valid; expected a whole number of hours from 0 to 168",
    ),
    ("[scheduler]\ngrace_hour = 3\n", "c.toml: [scheduler] grace_hour: unknown key; did you mean 'grace_hours'?"),
    ("[schedular]\n", "c.toml: [schedular]: unknown section; did you mean 'scheduler'?"),
    (
        '[bot]\ndefault_timezone = "Europe/Londn"\n',
        "c.toml: [bot] default_timezone: 'Europe/Londn' is not valid; expected an IANA timezone such as Europe/London",
    ),
    (
        '[bot]\ncogs = ["about", "jokes"]\n',
        "c.toml: [bot] cogs: ['about', 'jokes'] is not valid; "
        f"expected a list drawn from {', '.join(KNOWN_COGS)}, each at most once",
    ),
    (
        '[discord]\ndev_guilds = ["123"]\n',
        "c.toml: [discord] dev_guilds: ['123'] is not valid; expected a list of server ids (whole numbers)",
    ),
    (
        '[discord]\napi_base = "ftp://x"\n',
        "c.toml: [discord] api_base: 'ftp://x' is not valid; expected an http(s) URL such as "
        "http://127.0.0.1:8080/api/v10, or empty for Discord itself",
    ),
    ('bot = "x"\n', "c.toml: [bot]: 'x' is not a table; expected a [bot] section"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_config_gives_exact_one_line_error(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "c.toml")
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "nope.toml")
    assert str(caught.value) == (
        f"{tmp_path / 'nope.toml'}: file not found; copy config.example.toml to this path or pass --config"
    )


def test_missing_token_names_the_variable() -> None:
    config = parse_config('[discord]\ntoken_env = "MY_BOT_TOKEN"\n', "c.toml")
    with pytest.raises(ConfigError) as caught:
        resolve_token(config, {})
    assert str(caught.value) == (
        "c.toml: [discord] token_env: environment variable MY_BOT_TOKEN is empty or unset; expected the bot token in it"
    )
    assert resolve_token(config, {"MY_BOT_TOKEN": " abc "}) == "abc"


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60
    )


def test_cli_check_passes_on_the_example_config() -> None:
    result = _cli("check", "--config", "config.example.toml")
    assert result.returncode == 0, result.stderr
    assert "config.example.toml: ok." in result.stdout


def test_cli_config_error_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[bot]\ndefault_timezone = "Mars/Olympus"\n')
    result = _cli("check", "--config", str(bad))
    assert result.returncode == 2
    assert result.stderr == (
        f"supervision-bot: {bad}: [bot] default_timezone: 'Mars/Olympus' is not valid; "
        "expected an IANA timezone such as Europe/London\n"
    )
    assert "Traceback" not in result.stderr


def test_cli_run_without_token_fails_cleanly(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[discord]\ntoken_env = "SB_TEST_TOKEN_UNSET"\n')
    result = _cli("run", "--config", str(config), env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    assert "environment variable SB_TEST_TOKEN_UNSET is empty or unset" in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("written", ["info", "Info", "INFO", "warning", "debug"])
def test_log_level_is_read_in_any_case(written: str) -> None:
    config = parse_config(f'[bot]\nlog_level = "{written}"\n', "c.toml")
    assert config.bot.log_level == written.upper()


def test_a_bad_log_level_is_named_as_written() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config('[bot]\nlog_level = "verbose"\n', "c.toml")
    assert str(caught.value) == (
        "c.toml: [bot] log_level: 'verbose' is not valid; expected one of DEBUG, INFO, WARNING, ERROR (any case)"
    )


@pytest.mark.parametrize("command", ["run", "migrate", "sync"])
def test_a_database_in_a_missing_folder_is_an_error_not_a_new_empty_database(tmp_path: Path, command: str) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[storage]\ndatabase = "typo-folder/bot.sqlite3"\n')
    result = _cli(command, "--config", str(config), env={"PATH": "/usr/bin:/bin", "DISCORD_TOKEN": "x"})
    assert result.returncode == 2
    assert result.stderr == (
        f"supervision-bot: {config}: [storage] database: 'typo-folder/bot.sqlite3': the folder "
        f"{tmp_path / 'typo-folder'} does not exist; create it or fix the path\n"
    )
    assert not (tmp_path / "typo-folder").exists()


def test_an_existing_empty_folder_is_fine_for_the_database(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    config = tmp_path / "c.toml"
    config.write_text('[storage]\ndatabase = "data/bot.sqlite3"\n')
    result = _cli("migrate", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "bot.sqlite3").exists()


def test_cli_version_and_help() -> None:
    assert _cli("--version").stdout.strip() == "supervision-bot 0.1.0"
    help_text = _cli("--help").stdout
    for command in ("run", "check", "migrate", "sync"):
        assert command in help_text
