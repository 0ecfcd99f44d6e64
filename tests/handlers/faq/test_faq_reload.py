"""SIGHUP reloads the knowledge base of a running ``cedbot serve``, as /reload does."""

from __future__ import annotations

import asyncio
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.loader import ENTRIES_DIR
from tests.bot.channels.test_channels_serve import _env, _read_address
from tests.fakes.telegram import TOKEN, FakeTelegram

pytestmark = pytest.mark.slow

NEW_ENTRY = """id: ced-office-dog
category: ced
title: {en: The office dog, da: Kontorhunden}
questions:
  en: ["Does CED have an office dog?", office dog, is there a dog at CED, the CED dog]
  da: ["Har CED en kontorhund?", kontorhund, er der en hund hos CED, hunden hos CED]
keywords: {en: [dog], da: [hund]}
answer:
  en: Yes, Basse the beagle greets visitors on Tuesdays.
  da: Ja, beaglen Basse tager imod gæster om tirsdagen.
sources: [{title: CED, url: "https://clusterexcellencedenmark.dk/"}]
reviewed: 2026-11-27
"""


async def _until(proc: asyncio.subprocess.Process, text: str) -> None:
    assert proc.stderr is not None
    seen = []
    while True:
        try:
            line = (await asyncio.wait_for(proc.stderr.readline(), 30)).decode()
        except TimeoutError:
            raise AssertionError("".join(seen)) from None
        seen.append(line)
        assert line, f"cedbot serve exited before logging {text!r}"
        if text in line:
            return


async def test_sighup_reloads_the_knowledge_base_without_a_restart(tmp_path: Path, fake_telegram: FakeTelegram) -> None:
    folder = tmp_path / "entries"
    shutil.copytree(ENTRIES_DIR, folder)
    env = _env(
        tmp_path,
        CEDBOT_TELEGRAM_TOKEN=TOKEN,
        CEDBOT_TELEGRAM_API_URL=fake_telegram.url,
        CEDBOT_KNOWLEDGE_DIR=str(folder),
        CEDBOT_PORT="0",
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cedbot", "serve", env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    try:
        await _read_address(proc)
        (folder / "ced-office-dog.yaml").write_text(NEW_ENTRY)
        proc.send_signal(signal.SIGHUP)
        await _until(proc, "reloaded: 59 entries")
        fake_telegram.push_update(fake_telegram.message_update("does CED have an office dog?"))
        [sent] = await fake_telegram.wait_for("sendMessage", within=20)
        assert "Basse the beagle" in sent.params["text"]
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), 30)
