"""Bookings: courses, sessions, seats and waiting list, adviser slots, meetings, call-backs.

Revision ID: 0005_bookings
Revises: 0001_core
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_bookings"
down_revision = "0001_core"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _person() -> sa.Column[int]:
    return sa.Column("person_id", sa.Integer, sa.ForeignKey("persons.id", ondelete="CASCADE"), nullable=False)


def _contact() -> list[sa.Column[str]]:
    return [
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("organisation", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "courses",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("title_en", sa.String(200), nullable=False),
        sa.Column("title_da", sa.String(200), nullable=False),
        sa.Column("description_en", sa.Text, nullable=False),
        sa.Column("description_da", sa.Text, nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("location", sa.String(200)),
        sa.Column("online", sa.Boolean, nullable=False),
        sa.Column("price", sa.Integer, nullable=False),
        sa.Column("capacity", sa.Integer, nullable=False),
        sa.Column("registration_deadline", TS, nullable=False),
        sa.Column("starts_at", TS, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("code", name="uq_courses_code"),
    )
    op.create_index("ix_courses_starts_at", "courses", ["starts_at"])
    op.create_table(
        "course_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("course_id", sa.Integer, sa.ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
        sa.Column("start", TS, nullable=False),
        sa.Column("end", TS, nullable=False),
    )
    op.create_index("ix_course_sessions_course_id", "course_sessions", ["course_id"])
    op.create_table(
        "booking_contacts",
        sa.Column("person_id", sa.Integer, sa.ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True),
        *_contact(),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "course_bookings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("course_id", sa.Integer, sa.ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
        _person(),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("queue_no", sa.Integer, nullable=False),
        *_contact(),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("course_id", "queue_no", name="uq_course_bookings_queue"),
    )
    op.create_index("ix_course_bookings_course_id", "course_bookings", ["course_id"])
    op.create_index("ix_course_bookings_person_id", "course_bookings", ["person_id"])
    active = sa.text("status != 'cancelled'")
    op.create_index(
        "uq_course_bookings_active",
        "course_bookings",
        ["course_id", "person_id"],
        unique=True,
        sqlite_where=active,
        postgresql_where=active,
    )
    op.create_table(
        "advice_slots",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("start", TS, nullable=False),
        sa.Column("minutes", sa.Integer, nullable=False),
        sa.Column("adviser_name", sa.String(100), nullable=False),
        sa.Column("adviser_key", sa.String(120)),
        sa.Column("online", sa.Boolean, nullable=False),
        sa.Column("place", sa.String(200)),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("removed_at", TS),
    )
    op.create_index("ix_advice_slots_start", "advice_slots", ["start"])
    op.create_table(
        "advice_meetings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slot_id", sa.Integer, sa.ForeignKey("advice_slots.id", ondelete="CASCADE"), nullable=False),
        _person(),
        sa.Column("topic", sa.String(40), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        *_contact(),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_index("ix_advice_meetings_slot_id", "advice_meetings", ["slot_id"])
    op.create_index("ix_advice_meetings_person_id", "advice_meetings", ["person_id"])
    booked = sa.text("status = 'booked'")
    op.create_index(
        "uq_advice_meetings_slot",
        "advice_meetings",
        ["slot_id"],
        unique=True,
        sqlite_where=booked,
        postgresql_where=booked,
    )
    op.create_table(
        "advice_callbacks",
        sa.Column("id", sa.Integer, primary_key=True),
        _person(),
        sa.Column("topic", sa.String(40), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        *_contact(),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_advice_callbacks_person_id", "advice_callbacks", ["person_id"])
    op.create_table(
        "booking_reminders",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("sent_at", TS, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "booking_reminders",
        "advice_callbacks",
        "advice_meetings",
        "advice_slots",
        "course_bookings",
        "booking_contacts",
        "course_sessions",
        "courses",
    ):
        op.drop_table(table)
