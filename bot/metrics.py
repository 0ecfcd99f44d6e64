"""Prometheus metrics, one registry per runtime (so tests and workers stay separate)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest


class Metrics:
    """Messages in and out per channel, handler latency, FAQ outcomes, errors."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.messages_in = Counter("cedbot_messages_in", "Messages received", ["channel"], registry=self.registry)
        self.messages_out = Counter(
            "cedbot_messages_out", "Replies and notifications sent", ["channel"], registry=self.registry
        )
        self.latency = Histogram("cedbot_handler_seconds", "Time to handle one message", registry=self.registry)
        self.faq = Counter("cedbot_faq_outcomes", "FAQ outcomes", ["outcome"], registry=self.registry)
        self.errors = Counter("cedbot_errors", "Errors while handling messages", registry=self.registry)
        self.unrecorded = Counter(
            "cedbot_outbox_unrecorded",
            "Sends whose outcome this worker could not record (lease lost or database away)",
            ["channel"],
            registry=self.registry,
        )
        self.possible_duplicates = Gauge(
            "cedbot_outbox_possible_duplicates",
            "Sent messages whose earlier claim ended without an outcome: the platform may have them twice",
            registry=self.registry,
        )
        self.inbox = Gauge("cedbot_inbox_rows", "Inbox rows by status", ["status"], registry=self.registry)

    def error(self) -> None:
        self.errors.inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
