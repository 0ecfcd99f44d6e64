"""Meetings: the calendar SEQUENCE, raised when a meeting moves or is cancelled, so calendars update it.

Revision ID: u14c_meeting_sequence
Revises: 0005_bookings
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "u14c_meeting_sequence"
down_revision = "0005_bookings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("advice_meetings") as batch:
        batch.add_column(sa.Column("sequence", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("advice_meetings") as batch:
        batch.drop_column("sequence")
