"""The Figures page, its charts, and the monthly report downloads."""

from __future__ import annotations

import asyncio

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from handlers.desk import report
from handlers.desk.figures import Figures, Month, MonthError, month_figures
from handlers.desk.security import Viewer
from handlers.desk.texts import PAGE
from handlers.desk.web import Desk

CHARTS = ("questions", "ratings", "labels")


def _month(desk: Desk, value: str | None) -> tuple[Month, str | None]:
    """The asked month, or the current one and why the asked one was not used."""
    if not value:
        return Month.of(desk.runtime.clock()), None
    try:
        return Month.parse(value), None
    except MonthError:
        return Month.of(desk.runtime.clock()), value[:20]


async def _figures(desk: Desk, month: Month) -> Figures:
    async with desk.runtime.sessions() as session:
        return await month_figures(session, month)


async def figures_page(request: Request, desk: Desk, viewer: Viewer, form: FormData | None) -> Response:
    month, bad = _month(desk, request.query_params.get("month"))
    f = await _figures(desk, month)
    handle = desk.runtime.knowledge
    topics = [(handle.title(entry, viewer.lang) or entry, n) for entry, n in f.top_topics]
    notice = PAGE(viewer.lang, "bad_month", value=bad) if bad else None
    return desk.render(
        "figures.html",
        viewer.lang,
        viewer,
        f=f,
        month=month.label,
        summary=report.summary(f, viewer.lang),
        topics=topics,
        charts=CHARTS,
        notice=notice,
    )


async def chart_png(request: Request, desk: Desk, viewer: Viewer, form: FormData | None) -> Response:
    which = request.path_params["which"]
    if which not in CHARTS:
        return Response(status_code=404)
    month, _ = _month(desk, request.query_params.get("month"))
    f = await _figures(desk, month)
    png = await asyncio.to_thread(report.chart, f, viewer.lang, which)
    return Response(png, media_type="image/png")


async def report_file(request: Request, desk: Desk, viewer: Viewer, form: FormData | None) -> Response:
    kind = request.path_params["kind"]
    try:
        month = Month.parse(request.path_params["month"])
    except MonthError:
        return Response(status_code=404)
    if kind not in ("csv", "png"):
        return Response(status_code=404)
    f = await _figures(desk, month)
    name = f"report-{month.label}.{kind}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if kind == "csv":
        return Response(report.to_csv(f), media_type="text/csv; charset=utf-8", headers=headers)
    png = await asyncio.to_thread(report.report_png, f, viewer.lang)
    return Response(png, media_type="image/png", headers=headers)
