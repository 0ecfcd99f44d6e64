"""Courses: the catalogue, seats with a capacity and a waiting list, reminders, and the CLI."""

from handlers.courses.chat import router
from handlers.courses.cli import add_cli

__all__ = ["add_cli", "router"]
