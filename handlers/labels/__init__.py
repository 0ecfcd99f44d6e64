"""Cluster labels: the register, lookup by fuzzy name, "my cluster", the overview chart, reminders."""

from handlers.labels import chat, reminders
from handlers.labels.common import router

__all__ = ["chat", "reminders", "router"]
