"""The installed ``cedbot`` command, run as a user would run it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CEDBOT = shutil.which("cedbot") or str(Path(sys.executable).with_name("cedbot"))


def run(
    args: list[str], stdin: bytes = b"", env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CEDBOT_")}
    full_env.update(env or {})
    proc = subprocess.run([CEDBOT, *args], input=stdin, capture_output=True, env=full_env, timeout=timeout, check=False)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def test_piped_chat_prints_help_in_english_then_danish(tmp_path: Path) -> None:
    result = run(["chat"], b"/help\n/lang da\n/help\n")
    assert result.returncode == 0, result.stderr
    english, danish = result.stdout.split("Jeg taler dansk med dig fra nu af.")
    assert "What I can do" in english and "/lang" in english
    assert "Det kan jeg" in danish and "vælg dansk eller engelsk" in danish
    assert (tmp_path / "cedbot.db").exists()  # the embedded default: a SQLite file here


def test_piped_chat_survives_bad_bytes_and_empty_lines() -> None:
    result = run(["chat", "--user", "bo"], b"\n\xff\xfe/help\x00\n" + b"y" * 5000 + b"\n/nope\n")
    assert result.returncode == 0, result.stderr
    assert "empty message" in result.stdout
    assert "What I can do" in result.stdout
    assert "too long" in result.stdout
    assert "I don't know the command /nope" in result.stdout
    assert "Traceback" not in result.stderr


def test_flow_state_and_language_survive_a_new_process() -> None:
    run(["chat", "--user", "eva"], b"/lang da\n")
    result = run(["chat", "--user", "eva"], b"/help\n")
    assert "Det kan jeg" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CEDBOT_DATABASE_URL": "not a url"}, "CEDBOT_DATABASE_URL: not a database URL"),
        ({"CEDBOT_DATABASE_URL": "mysql://x@y/z"}, "CEDBOT_DATABASE_URL: unsupported database 'mysql'"),
        ({"CEDBOT_ADVISERS": "anna"}, "CEDBOT_ADVISERS: 'anna' is not CHANNEL:USER"),
        ({"CEDBOT_DEFAULT_LANGUAGE": "fr"}, "CEDBOT_DEFAULT_LANGUAGE"),
        ({"CEDBOT_MAX_MESSAGE_CHARS": "-1"}, "CEDBOT_MAX_MESSAGE_CHARS"),
    ],
)
def test_bad_settings_stop_with_one_clear_line(env: dict[str, str], message: str) -> None:
    result = run(["chat"], b"/help\n", env)
    assert result.returncode == 2
    assert result.stderr.strip().startswith(f"cedbot: {message}")
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_help_and_version_explain_themselves() -> None:
    assert "chat" in run(["--help"]).stdout
    assert "--user" in run(["chat", "--help"]).stdout
    assert run(["--version"]).stdout.startswith("cedbot ")


def test_db_upgrade_then_check(tmp_path: Path) -> None:
    env = {"CEDBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    assert run(["db", "check"], env=env).returncode == 1
    assert run(["db", "upgrade"], env=env).returncode == 0
    assert run(["db", "check"], env=env).returncode == 0
