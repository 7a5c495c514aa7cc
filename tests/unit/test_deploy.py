"""The deploy/ files agree with each other and with the bot, and the systemd unit passes systemd's own check."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.config import load_config

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNIT = DEPLOY / "supervision-bot.service"
STATE = Path("/var/lib/supervision-bot")


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(UNIT, encoding="utf-8")
    return parser


def test_the_unit_runs_unprivileged_restarts_on_failure_and_reads_the_token_from_a_file() -> None:
    service = unit()["Service"]
    assert service["User"] not in ("", "root") and service["Group"] not in ("", "root")
    assert service["Restart"] == "on-failure"
    assert service["EnvironmentFile"] == "/etc/supervision-bot/token.env"
    assert not re.search(r"^Environment=.*TOKEN", UNIT.read_text(encoding="utf-8"), re.M), "token in the unit"
    assert service["ExecStart"].endswith("supervision-bot run --config /etc/supervision-bot/config.toml")
    assert service["StateDirectory"] == STATE.name
    assert unit()["Install"]["WantedBy"] == "multi-user.target"


def test_the_service_config_keeps_the_database_in_the_state_folder() -> None:
    config = load_config(DEPLOY / "config.toml")
    assert config.database_path.parent == STATE
    assert config.discord.token_env == "DISCORD_TOKEN"
    assert (DEPLOY / "token.env.example").read_text(encoding="utf-8").strip().endswith("DISCORD_TOKEN=")


def test_docker_runs_unprivileged_with_the_database_on_the_volume() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    compose = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    assert re.search(r"^USER supervision-bot$", dockerfile, re.M)
    assert f'VOLUME ["{STATE}"]' in dockerfile
    assert "COPY deploy/config.toml /etc/supervision-bot/config.toml" in dockerfile
    assert 'CMD ["run", "--config", "/etc/supervision-bot/config.toml"]' in dockerfile
    assert f"- data:{STATE}" in compose
    assert "env_file: token.env" in compose and "restart: unless-stopped" in compose
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "deploy/token.env" in ignored, "a token file next to the compose file must never be committed"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_analyze_verify_accepts_the_unit(tmp_path: Path) -> None:
    # verify insists that ExecStart exists, so point it at this environment's entry point; the rest is verbatim.
    entry = shutil.which("supervision-bot")
    if entry is None:
        pytest.skip("the supervision-bot entry point is not installed")
    text = UNIT.read_text(encoding="utf-8").replace("/opt/supervision-bot/venv/bin/supervision-bot", entry)
    copy = tmp_path / UNIT.name
    copy.write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60, check=False
    )
    # verify reports many problems (an unknown value, a misspelt directive) on stderr yet exits 0.
    complaints = [line for line in (result.stdout + result.stderr).splitlines() if UNIT.name in line]
    assert result.returncode == 0 and not complaints, result.stdout + result.stderr
