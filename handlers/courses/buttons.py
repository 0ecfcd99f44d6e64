"""The courses feature's buttons and flow steps."""

from __future__ import annotations

from bot.payload import Payload
from bot.states import State
from handlers.bookings.contact import ContactSteps


class CourseFlow(ContactSteps, prefix="course"):
    confirm = State()


class ShowCourse(Payload, feature="course", verb="show"):
    course_id: int


class BookCourse(Payload, feature="course", verb="book"):
    course_id: int


class ConfirmSeat(Payload, feature="course", verb="confirm"):
    course_id: int
    waiting_list: bool | None = None
    """What the card showed: ``False`` a seat (so a course that filled meanwhile asks first),
    ``True`` the waiting list; left out, whichever is free (scripts and older buttons)."""


class ChangeDetails(Payload, feature="course", verb="change"):
    course_id: int
    """0 from /mybookings: no confirmation card to come back to."""


class StopBooking(Payload, feature="course", verb="stop"):
    pass


class CancelSeat(Payload, feature="course", verb="cancel"):
    booking_id: int


class CancelSeatYes(Payload, feature="course", verb="cancelyes"):
    booking_id: int


class KeepSeat(Payload, feature="course", verb="keep"):
    booking_id: int


class AllCourses(Payload, feature="course", verb="list"):
    pass
