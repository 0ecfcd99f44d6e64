"""Courses in the chat: the catalogue, booking a seat, /mybookings, cancelling; reminders."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import func, select

from bot import formatting
from bot.context import Context, Notifier
from bot.markup import escape
from bot.router import Result, Router
from bot.runtime import Runtime
from bot.types import Button, Reply
from handlers.bookings import contact, timefmt
from handlers.bookings.tools import one_loader_at_a_time
from handlers.capabilities import MY_BOOKINGS
from handlers.courses import notices
from handlers.courses.buttons import (
    AllCourses,
    BookCourse,
    CancelSeat,
    CancelSeatYes,
    ChangeDetails,
    ConfirmSeat,
    CourseFlow,
    KeepSeat,
    ShowCourse,
    StopBooking,
)
from handlers.courses.texts import TEXTS
from storage import bookings_repo as repo
from storage.bookings import Contact, Course, CourseBooking, SeatStatus

router = Router("courses")
log = logging.getLogger("cedbot.courses")

SAMPLE_LOCK = 50051


def _opening_problem(ctx: Context, course: Course) -> str | None:
    """Why the course cannot be booked now, or None."""
    if course.starts_at <= ctx.now:
        return ctx.t(TEXTS, "started")
    if course.registration_deadline <= ctx.now:
        return ctx.t(TEXTS, "closed", deadline=timefmt.when(course.registration_deadline, ctx.lang))
    return None


async def _leave_flow(ctx: Context) -> None:
    if ctx.flow.within(CourseFlow):
        await ctx.flow.clear()


# The catalogue ---------------------------------------------------------------------------------


@router.command("courses", help={"en": "upcoming courses; book a seat", "da": "kommende kurser; book en plads"})
async def courses(ctx: Context) -> Result:
    rows = await repo.upcoming_courses(ctx.session, ctx.now)
    if not rows:
        return Reply(ctx.t(TEXTS, "none"))
    buttons = [
        [ShowCourse(c.id).button(timefmt.clip(f"{timefmt.short(c.starts_at, ctx.lang)} · {c.title(ctx.lang.value)}"))]
        for c in rows[:20]
    ]
    return Reply(ctx.t(TEXTS, "list_title"), buttons=buttons)


@router.button(ShowCourse)
async def _show(ctx: Context, pressed: ShowCourse) -> Result:
    course = await ctx.session.get(Course, pressed.course_id)
    if course is None:
        return Reply(ctx.t(TEXTS, "no_course"))
    seats, waiting = await repo.counts(ctx.session, course.id)
    free = max(course.capacity - seats, 0)
    lines = [f"**{notices.title(course, ctx.lang)}**", escape(course.description(ctx.lang.value)), ""]
    lines += _facts(ctx, course, free, waiting)
    mine = await repo.active_booking(ctx.session, course.id, ctx.person.id)
    problem = _opening_problem(ctx, course)
    buttons: list[list[Button]] = []
    if mine is not None:
        lines += ["", await _status(ctx, mine)]
    elif problem is not None:
        lines += ["", problem]
    else:
        label = "btn_book" if free > 0 and waiting == 0 else "btn_wait"
        buttons.append([BookCourse(course.id).button(ctx.t(TEXTS, label))])
    buttons.append([AllCourses().button(ctx.t(TEXTS, "btn_all"))])
    return Reply("\n".join(lines), buttons=buttons)


def _facts(ctx: Context, course: Course, free: int, waiting: int) -> list[str]:
    t = ctx.t
    spans = "; ".join(timefmt.span(s.start, s.end, ctx.lang) for s in course.sessions)
    price = t(TEXTS, "free") if course.price == 0 else t(TEXTS, "dkk", price=formatting.number(course.price, ctx.lang))
    seats = (
        t(TEXTS, "seats_free", free=free, capacity=course.capacity)
        if free > 0 and waiting == 0
        else t(TEXTS, "seats_full", waiting=waiting)
    )
    return [
        f"- {t(TEXTS, 'when')}: {spans}",
        f"- {t(TEXTS, 'where')}: {notices.where(course, ctx.lang)}",
        f"- {t(TEXTS, 'language')}: {t(TEXTS, 'lang_' + course.language)}",
        f"- {t(TEXTS, 'price')}: {price}",
        f"- {t(TEXTS, 'seats')}: {seats}",
        f"- {t(TEXTS, 'deadline')}: {timefmt.when(course.registration_deadline, ctx.lang)}",
    ]


async def _status(ctx: Context, booking: CourseBooking) -> str:
    if booking.status == SeatStatus.SEAT:
        return ctx.t(TEXTS, "have_seat")
    return ctx.t(TEXTS, "have_wait", position=await repo.waiting_position(ctx.session, booking))


# Booking ---------------------------------------------------------------------------------------


@router.button(BookCourse)
async def _book(ctx: Context, pressed: BookCourse) -> Result:
    course = await ctx.session.get(Course, pressed.course_id)
    if course is None:
        return Reply(ctx.t(TEXTS, "no_course"))
    if (already := await _already(ctx, course)) is not None:
        return already
    if (problem := _opening_problem(ctx, course)) is not None:
        return Reply(problem)
    await ctx.flow.start(CourseFlow.confirm, course_id=course.id)
    known = await repo.get_contact(ctx.session, ctx.person.id)
    if known is None:
        return await contact.ask(ctx, CourseFlow)
    return await _confirm_card(ctx, course, known)


async def _already(ctx: Context, course: Course) -> Reply | None:
    mine = await repo.active_booking(ctx.session, course.id, ctx.person.id)
    if mine is None:
        return None
    title = notices.title(course, ctx.lang)
    if mine.status == SeatStatus.SEAT:
        return Reply(ctx.t(TEXTS, "already_seat", title=title))
    position = await repo.waiting_position(ctx.session, mine)
    return Reply(ctx.t(TEXTS, "already_wait", title=title, position=position))


async def _confirm_card(ctx: Context, course: Course, known: Contact) -> Reply:
    seats, waiting = await repo.counts(ctx.session, course.id)
    full = not (seats < course.capacity and waiting == 0)
    key = "confirm_full" if full else "confirm"
    text = ctx.t(TEXTS, key, title=notices.title(course, ctx.lang), when=notices.when(course, ctx.lang))
    buttons = [
        [ConfirmSeat(course.id, full).button(ctx.t(TEXTS, "btn_confirm"))],
        [
            ChangeDetails(course.id).button(ctx.t(TEXTS, "btn_change")),
            StopBooking().button(ctx.t(TEXTS, "btn_stop")),
        ],
    ]
    return Reply(f"{text}\n{contact.summary(ctx, known)}", buttons=buttons)


@router.button(ConfirmSeat)
async def _confirm(ctx: Context, pressed: ConfirmSeat) -> Result:
    """Take a seat or a waiting-list place; safe to press twice, or by many people at once."""
    course = await repo.lock_course(ctx.session, pressed.course_id)
    if course is None:
        return Reply(ctx.t(TEXTS, "no_course"))
    if (already := await _already(ctx, course)) is not None:
        await _leave_flow(ctx)
        return already
    if (problem := _opening_problem(ctx, course)) is not None:
        await _leave_flow(ctx)
        return Reply(problem)
    known = await repo.get_contact(ctx.session, ctx.person.id)
    if known is None:
        await ctx.flow.start(CourseFlow.confirm, course_id=course.id)
        return await contact.ask(ctx, CourseFlow)
    if pressed.waiting_list is False and (asked := await _filled_meanwhile(ctx, course)) is not None:
        return asked
    try:
        booking = await repo.book_course(ctx.session, course, ctx.person.id, known, ctx.now)
    except repo.AlreadyBooked:
        return await _already(ctx, course) or Reply(ctx.t(TEXTS, "no_course"))
    await _leave_flow(ctx)
    title = notices.title(course, ctx.lang)
    if booking.status == SeatStatus.SEAT:
        ics = notices.calendar(course, booking, ctx.lang, ctx.now)
        return Reply(ctx.t(TEXTS, "booked_seat", title=title), attachments=[ics])
    position = await repo.waiting_position(ctx.session, booking)
    return Reply(ctx.t(TEXTS, "booked_wait", title=title, position=position))


async def _filled_meanwhile(ctx: Context, course: Course) -> Reply | None:
    """The last seat went while the person looked at a seat: ask before the waiting list."""
    seats, waiting = await repo.counts(ctx.session, course.id)
    if seats < course.capacity and waiting == 0:
        return None
    text = ctx.t(TEXTS, "now_full", title=notices.title(course, ctx.lang), position=waiting + 1)
    buttons = [
        [ConfirmSeat(course.id, True).button(ctx.t(TEXTS, "btn_join_wait"))],
        [StopBooking().button(ctx.t(TEXTS, "btn_stop"))],
    ]
    return Reply(text, buttons=buttons)


@router.button(ChangeDetails)
async def _change(ctx: Context, pressed: ChangeDetails) -> Result:
    """Change the remembered details; from a confirmation card, come back to it afterwards."""
    course_id = pressed.course_id
    if course_id and await ctx.session.get(Course, course_id) is None:
        return Reply(ctx.t(TEXTS, "no_course"))
    await ctx.flow.start(CourseFlow.name, course_id=course_id or None)
    return await contact.ask(ctx, CourseFlow)


@router.state(CourseFlow)
async def on_step(ctx: Context) -> Result:
    course_id = ctx.flow.data.get("course_id")
    course = await ctx.session.get(Course, course_id) if course_id else None
    if ctx.flow.at(CourseFlow.confirm):
        known = await repo.get_contact(ctx.session, ctx.person.id)
        if course is None or known is None:
            await ctx.flow.clear()
            return Reply(ctx.t(TEXTS, "no_course"))
        return await _confirm_card(ctx, course, known)
    result = await contact.step(ctx, CourseFlow)
    if isinstance(result, Reply):
        return result
    if course is None:
        await ctx.flow.clear()
        return Reply(f"{ctx.t(TEXTS, 'details_saved')} {contact.summary(ctx, result)}")
    await ctx.flow.goto(CourseFlow.confirm)
    return await _confirm_card(ctx, course, result)


@router.button(StopBooking)
async def _stop(ctx: Context, _: StopBooking) -> Result:
    await _leave_flow(ctx)
    return Reply(ctx.t(TEXTS, "stopped"))


# Cancelling ------------------------------------------------------------------------------------


async def _own_booking(ctx: Context, booking_id: int) -> CourseBooking | Reply:
    booking = await ctx.session.get(CourseBooking, booking_id)
    if booking is None or booking.person_id != ctx.person.id:
        return Reply(ctx.t(TEXTS, "not_yours"))
    if booking.status == SeatStatus.CANCELLED:
        return Reply(ctx.t(TEXTS, "not_active"))
    return booking


@router.button(CancelSeat)
async def _cancel_ask(ctx: Context, pressed: CancelSeat) -> Result:
    booking = await _own_booking(ctx, pressed.booking_id)
    if isinstance(booking, Reply):
        return booking
    course = await ctx.session.get_one(Course, booking.course_id)
    if course.starts_at <= ctx.now:
        return Reply(ctx.t(TEXTS, "too_late_cancel"))
    key = "cancel_ask_seat" if booking.status == SeatStatus.SEAT else "cancel_ask_wait"
    text = ctx.t(TEXTS, key, title=notices.title(course, ctx.lang), when=notices.when(course, ctx.lang))
    buttons = [
        [
            CancelSeatYes(booking.id).button(ctx.t(TEXTS, "btn_yes_cancel")),
            KeepSeat(booking.id).button(ctx.t(TEXTS, "btn_keep")),
        ]
    ]
    return Reply(text, buttons=buttons)


@router.button(CancelSeatYes)
async def _cancel(ctx: Context, pressed: CancelSeatYes) -> Result:
    booking_id = pressed.booking_id
    found = await _own_booking(ctx, booking_id)
    if isinstance(found, Reply):
        return found
    course = await repo.lock_course(ctx.session, found.course_id)
    assert course is not None  # a booking's course is deleted with its bookings
    await ctx.session.refresh(found)  # another worker may have changed it before we got the lock
    booking = await _own_booking(ctx, booking_id)
    if isinstance(booking, Reply):
        return booking
    if course.starts_at <= ctx.now:
        return Reply(ctx.t(TEXTS, "too_late_cancel"))
    had_seat = booking.status == SeatStatus.SEAT
    for promoted in await repo.cancel_booking(ctx.session, course, booking, ctx.now):
        await notices.promoted(ctx, course, promoted)
    # A seat came with an invite: withdraw it from the calendar too.
    files = [notices.calendar(course, booking, ctx.lang, ctx.now, cancel=True)] if had_seat else []
    return Reply(ctx.t(TEXTS, "cancelled", title=notices.title(course, ctx.lang)), attachments=files)


@router.button(KeepSeat)
async def _keep(ctx: Context, _: KeepSeat) -> Result:
    return Reply(ctx.t(TEXTS, "kept"))


@router.button(AllCourses)
async def _list(ctx: Context, _: AllCourses) -> Result:
    return await courses(ctx)


# /mybookings -----------------------------------------------------------------------------------


@router.command(
    "mybookings",
    help={
        "en": "your bookings and meetings; cancel or reschedule",
        "da": "dine bookinger og møder; afbestil eller flyt",
    },
)
async def mybookings(ctx: Context) -> Result:
    lines: list[str] = []
    buttons: list[list[Button]] = []
    for booking, course in await repo.person_course_bookings(ctx.session, ctx.person.id, ctx.now):
        title, when = notices.title(course, ctx.lang), notices.when(course, ctx.lang)
        if booking.status == SeatStatus.SEAT:
            lines.append(ctx.t(TEXTS, "my_seat", title=title, when=when))
        else:
            position = await repo.waiting_position(ctx.session, booking)
            lines.append(ctx.t(TEXTS, "my_wait", title=title, when=when, position=position))
        label = ctx.t(TEXTS, "btn_cancel", title=course.title(ctx.lang.value))
        buttons.append([CancelSeat(booking.id).button(timefmt.clip(label))])
    section = ctx.capability(MY_BOOKINGS)
    if section is not None:  # the adviser meetings, where that feature is installed
        more_lines, more_buttons = await section(ctx)
        lines += more_lines
        buttons += more_buttons
    if not lines:
        return Reply(ctx.t(TEXTS, "my_none"))
    if await repo.get_contact(ctx.session, ctx.person.id) is not None:
        buttons.append([ChangeDetails(0).button(ctx.t(TEXTS, "btn_change"))])
    return Reply("\n".join([ctx.t(TEXTS, "my_title"), *lines]), buttons=buttons)


# Reminders and sample data ---------------------------------------------------------------------


@router.job("course-reminders", every=timedelta(minutes=15))
async def remind(n: Notifier) -> None:
    """The day before a course, once per seat (remembered in the database)."""
    for booking, course in await repo.seats_starting_between(n.session, n.now, n.now + timedelta(days=1)):
        if await repo.claim_reminder(n.session, f"course:{booking.id}", n.now):
            await notices.reminder(n, course, booking)


@router.on_startup
async def load_sample(runtime: Runtime) -> None:
    """An empty catalogue gets the sample courses, so a first chat has something to book."""
    if not runtime.settings.loads_samples:
        return
    from fileimport import FileProblem  # the import pipeline, only for an empty database
    from handlers.courses import importing

    async with runtime.sessions() as session, session.begin():
        await one_loader_at_a_time(session, SAMPLE_LOCK)
        if await session.scalar(select(func.count()).select_from(Course)):
            return
        n = Notifier(runtime=runtime, session=session, now=runtime.clock())
        try:
            await importing.write(n, importing.read(importing.SAMPLE.read_text("utf-8"), n.now))
        except FileProblem as exc:  # e.g. the sample dates have passed: start without them
            log.warning("sample courses not loaded: %s", exc)
