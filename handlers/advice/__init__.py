"""Adviser meetings: free slots, booking, call-back requests, /slots for advisers, and the CLI."""

from handlers.advice import slots as _slots  # noqa: F401  (registers /slots on the router)
from handlers.advice.chat import router

__all__ = ["router"]
