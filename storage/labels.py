"""The cluster label register: clusters, their label history, who follows which cluster, reminders."""

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    UniqueConstraint,
    delete,
    func,
    insert,
    or_,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, status_type, utcnow


class Level(enum.StrEnum):
    """A cluster management excellence label, lowest first."""

    NONE = "none"
    """No label (or not yet benchmarked)."""
    BRONZE = "bronze"
    """Striving for Cluster Excellence: a benchmarking against 36 indicators."""
    SILVER = "silver"
    """Dedicated to Cluster Excellence: documented improvement and an audit."""
    GOLD = "gold"
    """Cluster Management Excellence: 31 indicators, two days on site."""


class LinkKind(enum.StrEnum):
    """Why a person follows a cluster."""

    MEMBER = "member"
    """Their own cluster (``/mycluster``); at most one per person."""
    WATCH = "watch"
    """They asked to be reminded before its label expires."""


class Cluster(Base):
    """One cluster organisation in the register and its current label."""

    __tablename__ = "label_clusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    region: Mapped[str] = mapped_column(String(100), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    label: Mapped[str] = mapped_column(String(10), default=Level.NONE.value)
    awarded_on: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def level(self) -> Level:
        return Level(self.label)

    def days_left(self, today: date) -> int | None:
        """Days until the label runs out (negative once expired); None without a label."""
        if self.level is Level.NONE or self.valid_until is None:
            return None
        return (self.valid_until - today).days


class LabelHistory(Base):
    """A label a cluster held before an import replaced it."""

    __tablename__ = "label_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("label_clusters.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(10))
    awarded_on: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClusterLink(Base):
    """A person following a cluster: their own, or one they asked reminders for."""

    __tablename__ = "label_links"
    __table_args__ = (
        UniqueConstraint("person_id", "cluster_id"),
        # One "my cluster" per person, enforced by the database so two quick confirmations
        # cannot leave a person with two.
        Index(
            "uq_label_links_one_member",
            "person_id",
            unique=True,
            sqlite_where=text("kind = 'member'"),
            postgresql_where=text("kind = 'member'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    cluster_id: Mapped[int] = mapped_column(ForeignKey("label_clusters.id", ondelete="CASCADE"), index=True)
    kind: Mapped[LinkKind] = mapped_column(status_type(LinkKind))
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReminderSent(Base):
    """A reminder sent (or being sent) for one expiry date: the row is the once-only guarantee."""

    __tablename__ = "label_reminders_sent"
    __table_args__ = (UniqueConstraint("person_id", "cluster_id", "threshold_days", "valid_until"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    cluster_id: Mapped[int] = mapped_column(ForeignKey("label_clusters.id", ondelete="CASCADE"))
    threshold_days: Mapped[int]
    valid_until: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


# Repository functions: they take a session and never commit. --------------------------------


async def all_clusters(session: AsyncSession) -> list[Cluster]:
    return list((await session.execute(select(Cluster).order_by(Cluster.name))).scalars())


async def count_clusters(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Cluster)) or 0)


async def cluster_names(session: AsyncSession) -> list[tuple[int, str]]:
    """Every cluster's id and name, without loading the clusters (an import matches by name)."""
    return [(i, n) for i, n in (await session.execute(select(Cluster.id, Cluster.name)))]


async def clusters_by_id(session: AsyncSession, ids: Collection[int]) -> list[Cluster]:
    return list((await session.execute(select(Cluster).where(Cluster.id.in_(ids)))).scalars())


async def add_clusters(session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert many clusters in one round trip (an import of thousands of rows).

    A Core insert on purpose: the ORM's bulk insert splits the batch wherever the set of
    non-NULL columns changes (a label with dates, then one without), one statement per run.
    """
    if rows:
        await session.execute(insert(cast(Table, Cluster.__table__)), list(rows))


async def add_history(session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> None:
    if rows:
        await session.execute(insert(cast(Table, LabelHistory.__table__)), list(rows))


async def get_cluster(session: AsyncSession, cluster_id: int) -> Cluster | None:
    return await session.get(Cluster, cluster_id)


async def link_of(session: AsyncSession, person_id: int, cluster_id: int) -> ClusterLink | None:
    stmt = select(ClusterLink).where(ClusterLink.person_id == person_id, ClusterLink.cluster_id == cluster_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def member_cluster(session: AsyncSession, person_id: int) -> Cluster | None:
    """The person's own cluster, if they linked one."""
    stmt = (
        select(Cluster)
        .join(ClusterLink, ClusterLink.cluster_id == Cluster.id)
        .where(ClusterLink.person_id == person_id, ClusterLink.kind == LinkKind.MEMBER)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def set_member(session: AsyncSession, person_id: int, cluster_id: int, now: datetime) -> None:
    """Make ``cluster_id`` the person's own cluster; a previous one is unlinked."""
    for _attempt in range(3):
        try:
            async with session.begin_nested():
                await session.execute(
                    delete(ClusterLink).where(
                        ClusterLink.person_id == person_id,
                        or_(ClusterLink.kind == LinkKind.MEMBER, ClusterLink.cluster_id == cluster_id),
                    )
                )
                session.add(
                    ClusterLink(person_id=person_id, cluster_id=cluster_id, kind=LinkKind.MEMBER, linked_at=now)
                )
            return
        except IntegrityError:  # the same person confirmed twice at once; the other won: redo
            continue


async def watch(session: AsyncSession, person_id: int, cluster_id: int, now: datetime) -> bool:
    """Follow a cluster for reminders; False when the person follows it already."""
    if await link_of(session, person_id, cluster_id) is not None:
        return False
    try:
        async with session.begin_nested():
            session.add(ClusterLink(person_id=person_id, cluster_id=cluster_id, kind=LinkKind.WATCH, linked_at=now))
    except IntegrityError:  # the same button pressed twice at once
        return False
    return True


async def unwatch(session: AsyncSession, person_id: int, cluster_id: int) -> bool:
    """Stop reminders for a cluster the person follows (their own cluster stays linked)."""
    result = await session.execute(
        delete(ClusterLink).where(
            ClusterLink.person_id == person_id,
            ClusterLink.cluster_id == cluster_id,
            ClusterLink.kind == LinkKind.WATCH,
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def followed_labels(session: AsyncSession) -> list[tuple[int, Cluster]]:
    """(person id, cluster) for every link to a cluster that holds a label with an end date."""
    stmt = (
        select(ClusterLink.person_id, Cluster)
        .join(Cluster, ClusterLink.cluster_id == Cluster.id)
        .where(Cluster.label != Level.NONE.value, Cluster.valid_until.is_not(None))
        .order_by(ClusterLink.id)
    )
    return [(row[0], row[1]) for row in (await session.execute(stmt)).all()]


async def record_reminder(
    session: AsyncSession, person_id: int, cluster_id: int, threshold: int, valid_until: date, now: datetime
) -> bool:
    """Claim one reminder; False when it was claimed before (by this or another worker).

    The unique constraint decides: on PostgreSQL a second worker's insert waits for the
    first transaction and then fails, so the reminder is written to the outbox once.
    """
    try:
        async with session.begin_nested():
            session.add(
                ReminderSent(
                    person_id=person_id,
                    cluster_id=cluster_id,
                    threshold_days=threshold,
                    valid_until=valid_until,
                    sent_at=now,
                )
            )
    except IntegrityError:
        return False
    return True
