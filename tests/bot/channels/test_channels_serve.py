"""``cedbot serve`` as a process, with both channels pointed at the fakes."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, dm_event, event_body, signed_headers
from tests.fakes.telegram import TOKEN, FakeTelegram

pytestmark = pytest.mark.slow


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CEDBOT_") and "PROXY" not in k.upper()}
    env.update({"CEDBOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}", **values})
    return env


async def _read_address(proc: asyncio.subprocess.Process) -> str:
    assert proc.stderr is not None
    while True:
        line = (await asyncio.wait_for(proc.stderr.readline(), 30)).decode()
        if not line:
            raise AssertionError("cedbot serve exited before it was ready")
        found = re.search(r"on (http://\S+)", line)
        if found:
            return found.group(1)


async def test_serve_answers_both_channels_and_stops_on_sigterm(
    tmp_path: Path, fake_telegram: FakeTelegram, fake_slack: FakeSlack
) -> None:
    env = _env(
        tmp_path,
        CEDBOT_TELEGRAM_TOKEN=TOKEN,
        CEDBOT_TELEGRAM_API_URL=fake_telegram.url,
        CEDBOT_SLACK_BOT_TOKEN=BOT_TOKEN,
        CEDBOT_SLACK_SIGNING_SECRET=SIGNING_SECRET,
        CEDBOT_SLACK_API_URL=fake_slack.api_url,
        CEDBOT_HOST="127.0.0.1",
        CEDBOT_PORT="0",
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cedbot", "serve", env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    try:
        url = await _read_address(proc)
        async with httpx.AsyncClient(base_url=url, trust_env=False) as client:
            health = await client.get("/healthz")
            assert health.status_code == 200 and health.json()["database"] == "ok"

            fake_telegram.push_update(fake_telegram.message_update("/start"))
            [tg] = await fake_telegram.wait_for("sendMessage", within=20)
            assert "cedbot" in tg.params["text"]

            body = event_body(dm_event("/help"))
            assert (await client.post("/slack/events", content=body, headers=signed_headers(body))).status_code == 200
            await fake_slack.wait_for("chat.postMessage", within=20)
            assert "/lang" in fake_slack.texts()[0]

            metrics = (await client.get("/metrics")).text
            assert 'cedbot_messages_in_total{channel="telegram"} 1.0' in metrics
            assert 'cedbot_messages_in_total{channel="slack"} 1.0' in metrics
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(proc.wait(), 30)
    assert proc.stderr is not None
    rest = (await proc.stderr.read()).decode()
    assert code == 0, rest
    assert "cedbot: stopped" in rest and "Traceback" not in rest


def test_a_channel_without_its_settings_stops_the_start(tmp_path: Path) -> None:
    env = _env(tmp_path, CEDBOT_SLACK_BOT_TOKEN=BOT_TOKEN, CEDBOT_TELEGRAM_WEBHOOK_URL="https://x.example/tg")
    done = subprocess.run(
        [sys.executable, "-m", "cedbot", "serve"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "cedbot: Slack and Telegram cannot start: set CEDBOT_SLACK_SIGNING_SECRET, "
        "CEDBOT_TELEGRAM_TOKEN, CEDBOT_TELEGRAM_WEBHOOK_SECRET"
    ]
