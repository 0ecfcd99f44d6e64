"""Courses: the catalogue, seats with a capacity and a waiting list, reminders, and the CLI."""

from handlers.courses.chat import router

__all__ = ["router"]
