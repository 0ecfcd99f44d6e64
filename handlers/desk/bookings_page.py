"""Bookings on the desk: courses with seats, waiting list and deadline (participants as CSV),
and the advisers' meeting slots with who booked them; slots are added and removed with the
chat's own ``/slots`` command, so a removed booked slot tells the person as it does there."""

from __future__ import annotations

import io
import re

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.markup import to_plain
from handlers.advice.listing import slot_text
from handlers.advice.topics import label as topic_label
from handlers.bookings import timefmt
from handlers.courses.cli import participant_rows, write_participants_csv
from handlers.desk.pages import as_adviser
from handlers.desk.security import Viewer
from handlers.desk.texts import PAGE
from handlers.desk.web import Desk
from storage import bookings_repo as repo
from storage.bookings import Course


async def bookings_page(request: Request, desk: Desk, viewer: Viewer, form: FormData | None) -> Response:
    lang = viewer.lang
    courses, slots = [], []
    async with desk.runtime.sessions() as session:
        for c in await repo.all_courses(session):
            seats, waiting = await repo.counts(session, c.id)
            courses.append(
                {
                    "course": c,
                    "title": c.title(lang.value),
                    "starts": timefmt.when(c.starts_at, lang),
                    "deadline": timefmt.when(c.registration_deadline, lang),
                    "seats": seats,
                    "waiting": waiting,
                }
            )
        for slot, meeting in await repo.upcoming_slots(session, desk.runtime.clock()):
            slots.append(
                {
                    "slot": slot,
                    "text": to_plain(slot_text(slot, lang)),
                    "meeting": meeting,
                    "topic": topic_label(meeting.topic, lang) if meeting else "",
                }
            )
    return desk.render("bookings.html", viewer.lang, viewer, courses=courses, slots=slots)


async def participants_csv(request: Request, desk: Desk, viewer: Viewer, form: FormData | None) -> Response:
    async with desk.runtime.sessions() as session:
        course = await session.get(Course, request.path_params["course"])
        if course is None:
            body = PAGE(viewer.lang, "not_found")
            return desk.message(viewer.lang, PAGE(viewer.lang, "bookings"), body, status=404, viewer=viewer)
        rows = await participant_rows(session, course.id)
    out = io.StringIO()
    write_participants_csv(out, rows)
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", course.code)
    headers = {"Content-Disposition": f'attachment; filename="participants-{safe}.csv"'}
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


async def slot_add(request: Request, desk: Desk, viewer: Viewer, form: FormData | None) -> Response:
    assert form is not None
    parts = [str(form.get(name) or "").strip() for name in ("date", "time", "minutes")]
    place = re.sub(r"\s+", " ", str(form.get("place") or "")).strip()
    command = " ".join(["/slots add", *(p or "-" for p in parts), place]).strip()
    answer = await as_adviser(desk, viewer, text=command)
    await desk.record(viewer, "slot-add", target="slots", detail=f"{command}\n{answer}"[:2000], flash=answer)
    return RedirectResponse("/desk/bookings", status_code=303)


async def slot_remove(request: Request, desk: Desk, viewer: Viewer, form: FormData | None) -> Response:
    number = request.path_params["slot"]
    answer = await as_adviser(desk, viewer, text=f"/slots remove {number}")
    await desk.record(viewer, "slot-remove", target=f"slot:{number}", detail=answer[:2000], flash=answer)
    return RedirectResponse("/desk/bookings", status_code=303)
