"""Core tables. Features keep their own tables in their own ``storage/<feature>.py`` module."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar

from sqlalchemy import (
    JSON,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


E = TypeVar("E", bound=enum.Enum)


def utcnow() -> datetime:
    return datetime.now(UTC)


def status_type(kind: type[E]) -> Enum:
    """A status column of the enum ``kind``: stored as the member's value in a VARCHAR(10), as the
    schema always had it, and read back as the member (an unknown value in the table is an error)."""
    return Enum(
        kind,
        native_enum=False,
        create_constraint=False,
        length=10,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class OutboxStatus(enum.StrEnum):
    """Where a queued message is on its way out."""

    PENDING = "pending"
    """Waiting to be sent, or to be tried again."""
    SENT = "sent"
    """Delivered to the platform."""
    FAILED = "failed"
    """Given up on after the maximum number of attempts."""


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every database (SQLite drops the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


class Person(Base):
    """Someone who talks to the assistant, on one or more channels."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(2))
    """Saved preference (``/lang``); ``None`` means detect per message."""
    last_language: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    identities: Mapped[list[ChannelIdentity]] = relationship(
        back_populates="person", cascade="all, delete-orphan", lazy="selectin"
    )


class ChannelIdentity(Base):
    """A person's account on one channel, and the chat to reach them in."""

    __tablename__ = "channel_identities"
    __table_args__ = (UniqueConstraint("channel", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(100))
    chat_id: Mapped[str] = mapped_column(String(100))
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(back_populates="identities")


class FlowState(Base):
    """Where a person is in a multi-step conversation, per chat."""

    __tablename__ = "flow_states"
    __table_args__ = (UniqueConstraint("person_id", "channel", "chat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(100))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    expires_at: Mapped[datetime]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboxMessage(Base):
    """A message to someone other than the sender, written in the causing transaction."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_pending", "channel", "status", "next_attempt_at"),
        Index("ix_outbox_chat_order", "channel", "chat_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    """Whom the message is about (the recipient, or the person an adviser notice concerns):
    erasing that person deletes it, delivered or not."""
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(100))
    thread_id: Mapped[str | None] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]]
    ref: Mapped[str | None] = mapped_column(String(100), index=True)
    status: Mapped[OutboxStatus] = mapped_column(status_type(OutboxStatus), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
    """Set while a worker holds the row; cleared with every outcome it records."""
    fence: Mapped[int] = mapped_column(Integer, default=0)
    """Raised by every claim: an outcome is recorded only with the fence of the current claim."""
    expired_claims: Mapped[int] = mapped_column(Integer, default=0)
    """Claims that ended without an outcome (the holder died or lost its lease mid-send):
    the only way a message can reach the platform twice."""
    response_url: Mapped[str | None] = mapped_column(Text)
    """Slack: answers to /ced and to its private messages go back through this URL."""
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_message_id: Mapped[str | None] = mapped_column(String(100))
    """The platform's id of the delivered message (to edit a card or follow its thread)."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class InboxMessage(Base):
    """An update from a platform, stored before the platform is told it arrived.

    Keyed by the bot that received it and the platform's event id, so a redelivery is dropped
    (and a new bot token, whose update ids start again, cannot collide with the old one).
    """

    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("bot", "event_id"),
        Index("ix_inbox_waiting", "status", "channel", "id"),
        Index("ix_inbox_person_order", "person_key", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bot: Mapped[str] = mapped_column(String(100))
    """The receiving bot: ``telegram:<bot id>``, ``slack:<team>:<app>`` or ``console``."""
    event_id: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(16))
    person_key: Mapped[str] = mapped_column(String(120))
    """``channel:user``: one person's updates are handled in the order they arrived."""
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(10), default="pending")
    """``pending`` (waiting or being handled), ``done`` or ``failed``."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    fence: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_at: Mapped[datetime | None]


class SentMessage(Base):
    """A delivered message that something refers to later (a ticket's card and its relays):
    only the platform's ids, no text, so the outbox can be purged after delivery."""

    __tablename__ = "sent_messages"
    __table_args__ = (Index("ix_sent_messages_platform", "channel", "chat_id", "message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(100), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(100))
    thread_id: Mapped[str | None] = mapped_column(String(100))
    """The message this one was posted under (None for a card itself)."""
    message_id: Mapped[str] = mapped_column(String(100))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class MessageLog(Base):
    """What was said, both ways; purged after the retention period."""

    __tablename__ = "message_log"
    __table_args__ = (Index("ix_message_log_person_at", "person_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(3))
    """``in`` from the person, ``out`` from the assistant."""
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    flow: Mapped[str | None] = mapped_column(String(60))
    """The flow step an incoming message answered (a name, an e-mail), ``None`` for a free message."""


class ProcessedEvent(Base):
    """Platform event ids already handled, so a redelivered event is dropped."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Counter(Base):
    """Named counters that survive restarts (e.g. refused oversized messages)."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class JobRun(Base):
    """When each scheduled job runs next; claiming the row makes one worker run it."""

    __tablename__ = "job_runs"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    next_run_at: Mapped[datetime]
    last_run_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
