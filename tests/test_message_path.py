"""The message path under crashes, a database outage and several workers: nothing lost, nothing twice.

Each test runs ``cedbot serve`` as processes against the fake Telegram and Slack APIs. Every
message is ``/label zq<N>x``, whose answer repeats the unique token, so the fakes show which
update was answered how often, and in which order per chat.
"""

from __future__ import annotations

import asyncio
import os
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.slack import FakeSlack
from tests.fakes.telegram import FakeTelegram
from tests.serve_proc import (
    People,
    PrivatePostgres,
    Serve,
    db_facts,
    free_port,
    fresh_database,
    serve_env,
    tokens_sent,
    wait_until,
    webhook_env,
)

pytestmark = pytest.mark.slow


def plan(prefix: str, people: int, each: int, start: int) -> dict[int, list[str]]:
    """Messages per person: ``/label zq<N>x`` with N unique over the whole test."""
    n = iter(range(start, start + people * each))
    return {person: [f"/label zq{next(n)}x" for _ in range(each)] for person in range(1, people + 1)}


def check(
    sent: dict[str, dict[int, list[str]]], received: dict[str, list[str]], facts: dict[str, Any]
) -> tuple[int, int]:
    """Every message handled exactly once and in order per person, every answer delivered;
    returns (duplicates seen by the platforms, duplicates the database counted as possible)."""
    expected = [t for by_person in sent.values() for texts in by_person.values() for t in texts]
    logged = Counter(facts["logged"])
    assert {t: logged[t] for t in expected if logged[t] != 1} == {}, "handled other than once"
    assert facts["inbox"] == {"done": len(expected)} and facts["unsent"] == 0
    duplicates = 0
    for kind, by_person in sent.items():
        for person, texts in by_person.items():
            tokens = [t.split()[1] for t in texts]
            chat = f"{kind}:{person}" if kind == "tg" else f"{kind}:D{person}"
            got = received.get(chat, [])
            assert list(dict.fromkeys(got)) == tokens, f"answers to {chat} missing or out of order"
            duplicates += len(got) - len(tokens)
            order = [t for t in facts["logged"] if t in texts]
            assert order == texts, f"{chat} handled out of order"
    assert duplicates <= facts["possible_duplicates"], "a duplicate the database did not count"
    return duplicates, facts["possible_duplicates"]


def all_answered(tg: FakeTelegram, slack: FakeSlack, total: int) -> bool:
    return sum(len(set(v)) for v in tokens_sent(tg, slack).values()) >= total


async def test_kill_9_at_random_moments_loses_nothing_and_repeats_nothing(
    tmp_path: Path, fake_telegram: FakeTelegram, fake_slack: FakeSlack
) -> None:
    rng = random.Random(11)
    port = free_port()
    url = f"sqlite+aiosqlite:///{tmp_path / 'crash.db'}"
    polled, hooked, slacked = plan("tg", 8, 10, 0), plan("tg", 6, 10, 1000), plan("sl", 6, 10, 2000)
    hooked = {person + 100: texts for person, texts in hooked.items()}
    sent = {"tg": {**polled, **hooked}, "sl": slacked}
    total = 200
    people = People(fake_telegram, [port])
    for person, texts in polled.items():
        people.telegram_polling(person, texts)  # waiting at Telegram for a polling process
    senders = [asyncio.create_task(people.telegram_webhook(p, t)) for p, t in hooked.items()]
    senders += [asyncio.create_task(people.slack(p, t)) for p, t in slacked.items()]
    modes = [{}, webhook_env(), {}]  # polling and webhook in turn
    try:
        for mode in modes:  # three lives, each ended by kill -9 at a random moment
            serve = Serve(serve_env(url, fake_telegram, fake_slack, port, **mode))
            await serve.start()
            await asyncio.sleep(rng.uniform(0.3, 2.0))
            await serve.kill()
        serve = Serve(serve_env(url, fake_telegram, fake_slack, port, **webhook_env()))
        await serve.start()  # a webhook life takes what Telegram still resends, then stops cleanly
        await asyncio.wait_for(asyncio.gather(*senders), 240)
        await serve.stop()
        serve = Serve(serve_env(url, fake_telegram, fake_slack, port))
        await serve.start()  # and a polling life takes what still waits at Telegram
        await wait_until(lambda: all_answered(fake_telegram, fake_slack, total), 240, "every answer")
        await wait_until(lambda: not fake_telegram.updates, 10, "polling to confirm the last batch")
        await serve.stop()
    finally:
        for task in senders:
            task.cancel()
        await people.close()
    duplicates, counted = check(sent, tokens_sent(fake_telegram, fake_slack), await db_facts(url))
    print(f"\n{total} updates, 3 x kill -9: {duplicates} answers sent twice, {counted} counted as possible")


PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))


@pytest.mark.skipif(not PG_BIN, reason="PostgreSQL server binaries are not installed")
async def test_database_stopped_mid_way_loses_nothing(fake_telegram: FakeTelegram, fake_slack: FakeSlack) -> None:
    server = PrivatePostgres()
    try:
        base = await asyncio.to_thread(server.init)
        async with fresh_database(base) as url:
            port = free_port()
            sent = {"tg": plan("tg", 8, 8, 0), "sl": plan("sl", 6, 8, 1000)}
            total = 112
            people = People(fake_telegram, [port])
            serve = Serve(serve_env(url, fake_telegram, fake_slack, port, **webhook_env()))
            await serve.start()
            senders = [asyncio.create_task(people.telegram_webhook(p, t)) for p, t in sent["tg"].items()]
            senders += [asyncio.create_task(people.slack(p, t)) for p, t in sent["sl"].items()]
            try:
                await wait_until(lambda: all_answered(fake_telegram, fake_slack, 25), 180, "a first part answered")
                await asyncio.to_thread(server.stop)
                await wait_until(lambda: people.refused >= 3, 30, "updates refused while the database is away")
                await asyncio.to_thread(server.start)
                await asyncio.wait_for(asyncio.gather(*senders), 240)
                await wait_until(lambda: all_answered(fake_telegram, fake_slack, total), 240, "every answer")
                await serve.stop()
            except AssertionError:
                print("".join(serve.log)[-4000:])
                raise
            finally:
                for task in senders:
                    task.cancel()
                await people.close()
                await serve.stop()
            received = tokens_sent(fake_telegram, fake_slack)
            check(sent, received, await db_facts(url))
            assert not [t for t in fake_telegram.texts() if "something went wrong" in t]
    finally:
        await asyncio.to_thread(server.remove)


class SlowTelegram(FakeTelegram):
    """A Bot API that takes most of a worker's lease to send (the lease must be renewed)."""

    async def _m_sendMessage(self, params: dict[str, Any]) -> Any:
        await asyncio.sleep(3)
        return await super()._m_sendMessage(params)


class SlowSlack(FakeSlack):
    async def _api(self, request: Any) -> Any:
        if request.match_info["method"] == "chat.postMessage":
            await asyncio.sleep(3)
        return await super()._api(request)


@pytest.mark.postgres
@pytest.mark.parametrize("workers", [2, 4])
async def test_several_workers_on_a_slow_platform_send_each_message_once(workers: int) -> None:
    base = os.environ.get("CEDBOT_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("CEDBOT_TEST_POSTGRES_URL is not set")
    tg, slack = SlowTelegram(), SlowSlack()
    await tg.start()
    await slack.start()
    try:
        async with fresh_database(base) as url:
            ports = [free_port() for _ in range(workers)]
            sent = {"tg": plan("tg", 12, 2, 0), "sl": plan("sl", 8, 2, 1000)}
            servers = [Serve(serve_env(url, tg, slack, p, CEDBOT_LEASE_SECONDS="8", **webhook_env())) for p in ports]
            await asyncio.gather(*(s.start() for s in servers))
            people = People(tg, ports)
            try:
                senders = [people.telegram_webhook(p, t) for p, t in sent["tg"].items()]
                senders += [people.slack(p, t) for p, t in sent["sl"].items()]
                await asyncio.wait_for(asyncio.gather(*senders), 240)
                await wait_until(lambda: all_answered(tg, slack, 40), 240, "every answer")
            finally:
                await people.close()
                await asyncio.gather(*(s.stop() for s in servers))
            duplicates, counted = check(sent, tokens_sent(tg, slack), await db_facts(url))
            assert (duplicates, counted) == (0, 0)
    finally:
        await tg.stop()
        await slack.stop()
