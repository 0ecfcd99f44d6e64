"""Adviser desk tables: one-time sign-in links, browser sessions, the signing key, the audit log.

Secrets never rest in the database in the clear: a link or session token is stored as its
SHA-256, so a copy of the database does not let anyone in.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Integer, String, Text, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class DeskLink(Base):
    """A one-time sign-in link sent to an adviser on their own channel."""

    __tablename__ = "desk_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    identity: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class DeskSession(Base):
    """A signed-in browser; the cookie carries the token, the row its hash."""

    __tablename__ = "desk_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    identity: Mapped[str] = mapped_column(String(120), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    lang: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    flash: Mapped[str | None] = mapped_column(Text)
    """The outcome of the last form, shown once on the next page (it survives the redirect)."""


class DeskKey(Base):
    """The key cookies are signed with, shared by every worker on this database."""

    __tablename__ = "desk_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    secret: Mapped[str] = mapped_column(String(128))


class DeskAudit(Base):
    """One thing an adviser did on the desk: who, when, what, on which object."""

    __tablename__ = "desk_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    identity: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str | None] = mapped_column(String(120))
    detail: Mapped[str | None] = mapped_column(Text)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("desk_sessions.id", ondelete="SET NULL"))


# Repositories ------------------------------------------------------------------------------


async def signing_key(session: AsyncSession) -> str:
    """The database's cookie key; the first worker to ask creates it, the others read it."""
    key = await session.scalar(select(DeskKey.secret).where(DeskKey.id == 1))
    if key is not None:
        return key
    try:
        async with session.begin_nested():
            session.add(DeskKey(id=1, secret=secrets.token_hex(32)))
    except IntegrityError:
        pass
    return str(await session.scalar(select(DeskKey.secret).where(DeskKey.id == 1)))


async def new_link(session: AsyncSession, identity: str, now: datetime, valid: timedelta) -> str:
    token = secrets.token_urlsafe(32)
    session.add(DeskLink(token_hash=digest(token), identity=identity, created_at=now, expires_at=now + valid))
    return token


async def peek_link(session: AsyncSession, token: str, now: datetime) -> DeskLink | None:
    """The link if it can still be used (unused, not expired)."""
    link = await session.scalar(select(DeskLink).where(DeskLink.token_hash == digest(token)))
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    return link


async def use_link(session: AsyncSession, token: str, now: datetime) -> str | None:
    """Spend a link once; the identity it was made for, or None (unknown, used, expired).

    A conditional update decides, so two tabs pressing at once get one session between them.
    """
    result = await session.execute(
        update(DeskLink)
        .where(DeskLink.token_hash == digest(token), DeskLink.used_at.is_(None), DeskLink.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return None
    return await session.scalar(select(DeskLink.identity).where(DeskLink.token_hash == digest(token)))


async def new_session(session: AsyncSession, identity: str, lang: str, now: datetime) -> tuple[str, DeskSession]:
    token = secrets.token_urlsafe(32)
    row = DeskSession(
        token_hash=digest(token),
        identity=identity,
        csrf=secrets.token_urlsafe(32),
        lang=lang,
        created_at=now,
        last_seen_at=now,
    )
    session.add(row)
    await session.flush()
    return token, row


async def live_session(
    session: AsyncSession, token: str, now: datetime, idle: timedelta, *, touch: bool = True
) -> DeskSession | None:
    """The session behind a cookie; None when unknown, signed out or idle too long.

    ``touch`` marks it used now; a page's own refreshes do not, so an open tab nobody looks
    at still times out.
    """
    row = await session.scalar(select(DeskSession).where(DeskSession.token_hash == digest(token)))
    if row is None or row.ended_at is not None or row.last_seen_at + idle <= now:
        return None
    if touch:
        row.last_seen_at = now
    return row


async def end_session(session: AsyncSession, row: DeskSession, now: datetime) -> None:
    row.ended_at = now


async def purge(session: AsyncSession, before: datetime) -> None:
    """Drop links and sessions nobody can use any more."""
    await session.execute(delete(DeskLink).where(DeskLink.expires_at < before))
    await session.execute(
        update(DeskAudit)
        .where(DeskAudit.session_id.in_(select(DeskSession.id).where(DeskSession.last_seen_at < before)))
        .values(session_id=None)
    )
    await session.execute(delete(DeskSession).where(DeskSession.last_seen_at < before))


def audit(
    session: AsyncSession,
    identity: str,
    action: str,
    now: datetime,
    *,
    target: str | None = None,
    detail: str | None = None,
    session_id: int | None = None,
) -> None:
    session.add(
        DeskAudit(identity=identity, action=action, target=target, detail=detail, at=now, session_id=session_id)
    )


async def audit_log(session: AsyncSession, limit: int = 200) -> Sequence[DeskAudit]:
    stmt = select(DeskAudit).order_by(DeskAudit.id.desc()).limit(limit)
    return (await session.execute(stmt)).scalars().all()
