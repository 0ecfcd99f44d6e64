"""The month in figures: on the desk's page, as charts, and as the monthly report (CSV and
PNG), also from ``cedbot report --month``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.runtime import Runtime
from tests.bookings_support import add_course
from tests.chat import Chat
from tests.desk_support import desk_for, settings_for_desk
from tests.handlers.desk.test_desk_bookings import book
from tests.handlers.faq.test_faq_publish import cli
from tests.handlers.handoff.test_handoff import open_ticket


async def a_month_of_work(rt: Runtime, clock: Any) -> None:
    anna, ada = Chat(rt, "anna"), Chat(rt, "ada")
    await anna.send("What does the gold label require?")
    await anna.send("xqzv flurbo gnarf")
    number = await open_ticket(anna)
    clock.advance(minutes=10)
    await ada.press_action(f"handoff:claim:{number}")
    await ada.send(f"/resolve {number}")
    await anna.press_action(f"handoff:rate:{number}:5")
    course = await add_course(rt, clock.now, capacity=4, days=2)
    await book(rt, course, "bent", clock.now)


async def test_the_figures_page_charts_and_report(make_runtime: Any, clock: Any) -> None:
    rt: Runtime = await make_runtime(**settings_for_desk(adviser_channel="console:ada"))
    await a_month_of_work(rt, clock)
    async with desk_for(rt) as (http, _):
        page = await http.get("/desk/figures?month=2026-11")
        assert page.status_code == 200
        assert "Hand-offs: 1, median 10.0 min to first claim" in page.text
        assert "Rating: average 5.0 of 5 (1 ratings)" in page.text
        assert "Course seats booked: 1 (+0 waiting); fill rate 25.0%" in page.text
        assert "The Gold label" in page.text  # top topics by title
        for chart in ("questions", "ratings", "labels"):
            png = await http.get(f"/desk/figures/{chart}.png?month=2026-11")
            assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")
        csv = (await http.get("/desk/figures/report-2026-11.csv")).text.splitlines()
        report = await http.get("/desk/figures/report-2026-11.png")
        assert (await http.get("/desk/figures/report-2026-13.csv")).status_code == 404
        bad = await http.get("/desk/figures?month=someday")
    assert "is not a month such as 2026-11" in bad.text
    assert csv[0] == "month,section,metric,value"
    declined = int(next(line for line in csv if line.startswith("2026-11,questions,declined,")).rsplit(",", 1)[1])
    assert declined >= 1  # the nonsense (the question handed off may be declined or offered choices)
    for line in (
        "2026-11,questions,answered,1",
        "2026-11,handoffs,tickets,1",
        "2026-11,handoffs,median_minutes_to_claim,10.0",
        "2026-11,ratings,5,1",
        "2026-11,bookings,seats_booked,1",
        "2026-11,bookings,fill_rate_percent,25.0",
        "2026-11,top_topics,labels-gold,1",
    ):
        assert line in csv, line
    assert report.content.startswith(b"\x89PNG") and "report-2026-11.png" in report.headers["content-disposition"]


async def test_the_monthly_report_from_the_command_line(
    make_runtime: Any, clock: Any, tmp_path: Path, db_url: tuple[str, str | None]
) -> None:
    if db_url[1] is not None:
        pytest.skip("the command line opens the configured database, not a test schema")
    rt: Runtime = await make_runtime(**settings_for_desk(adviser_channel="console:ada"))
    await a_month_of_work(rt, clock)
    code, out = await cli(rt, "report", "--month", "2026-11", "--out", str(tmp_path / "out"))
    assert code == 0, out
    assert "Hand-offs: 1, median 10.0 min to first claim" in out
    assert "2026-11,ratings,5,1" in (tmp_path / "out" / "report-2026-11.csv").read_text()
    assert (tmp_path / "out" / "report-2026-11.png").read_bytes().startswith(b"\x89PNG")
    code, out = await cli(rt, "report", "--month", "November")
    assert code == 2 and "is not a month such as 2026-11" in out
