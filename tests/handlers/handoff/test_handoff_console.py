"""Two ``cedbot chat`` processes on one database: a manager and an adviser run the whole hand-off."""

from __future__ import annotations

from pathlib import Path

from tests.bot.test_cli import run


def test_manager_and_adviser_in_two_consoles(tmp_path: Path) -> None:
    env = {
        "CEDBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'shared.db'}",
        "CEDBOT_ADVISERS": "console:ada",
        "CEDBOT_ADVISER_CHANNEL": "console:ada",
    }

    def chat(user: str, *lines: str) -> str:
        result = run(["chat", "--user", user], ("\n".join(lines) + "\n").encode(), env)
        assert result.returncode == 0, result.stderr
        return result.stdout

    asked = chat("anna", "How do we apply for Interreg North Sea?", "/adviser", "2")  # [2] Funding
    assert "How do we apply for Interreg North Sea?" in asked and "#1" in asked

    adviser = chat("ada", "/queue", "1", "/reply 1 Start with the programme's call page; I can review your draft.")
    assert "Ticket #1" in adviser and "How do we apply for Interreg North Sea?" in adviser
    assert "claimed by ada" in adviser and "Sent to anna" in adviser

    answered = chat("anna", "Thanks, I'll send the draft")
    assert "ada from CED has picked up your request #1" in answered
    assert "ada (CED adviser): Start with the programme's call page" in answered

    closed = chat("ada", "/resolve 1")
    assert "anna (ticket #1): Thanks, I'll send the draft" in closed and "resolved by ada" in closed

    rated = chat("anna", "/ticket", "5")
    assert "How helpful was it?" in rated and "Thank you for your rating" in rated
