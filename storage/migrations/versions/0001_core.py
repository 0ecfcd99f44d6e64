"""Core tables: persons, identities, flows, outbox, message log, events, counters, jobs.

Revision ID: 0001_core
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_core"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "persons",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("display_name", sa.String(200)),
        sa.Column("language", sa.String(2)),
        sa.Column("last_language", sa.String(2)),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "channel_identities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("persons.id", ondelete="CASCADE"), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("user_id", sa.String(100), nullable=False),
        sa.Column("chat_id", sa.String(100), nullable=False),
        sa.Column("last_seen_at", TS, nullable=False),
        sa.UniqueConstraint("channel", "user_id", name="uq_channel_identities_channel"),
    )
    op.create_index("ix_channel_identities_person_id", "channel_identities", ["person_id"])
    op.create_table(
        "flow_states",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("persons.id", ondelete="CASCADE"), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("chat_id", sa.String(100), nullable=False),
        sa.Column("state", sa.String(100), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("person_id", "channel", "chat_id", name="uq_flow_states_person_id"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("chat_id", sa.String(100), nullable=False),
        sa.Column("thread_id", sa.String(100)),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("ref", sa.String(100)),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("claimed_by", sa.String(64)),
        sa.Column("claimed_until", TS),
        sa.Column("last_error", sa.Text),
        sa.Column("sent_message_id", sa.String(100)),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("sent_at", TS),
    )
    op.create_index("ix_outbox_pending", "outbox", ["channel", "status", "next_attempt_at"])
    op.create_index("ix_outbox_ref", "outbox", ["ref"])
    op.create_table(
        "message_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("persons.id", ondelete="CASCADE")),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("chat_id", sa.String(100), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("at", TS, nullable=False),
    )
    op.create_index("ix_message_log_person_at", "message_log", ["person_id", "at"])
    op.create_index("ix_message_log_at", "message_log", ["at"])
    op.create_table(
        "processed_events",
        sa.Column("event_id", sa.String(200), primary_key=True),
        sa.Column("at", TS, nullable=False),
    )
    op.create_index("ix_processed_events_at", "processed_events", ["at"])
    op.create_table(
        "counters",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )
    op.create_table(
        "job_runs",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("next_run_at", TS, nullable=False),
        sa.Column("last_run_at", TS),
        sa.Column("claimed_by", sa.String(64)),
    )


def downgrade() -> None:
    for table in (
        "job_runs",
        "counters",
        "processed_events",
        "message_log",
        "outbox",
        "flow_states",
        "channel_identities",
        "persons",
    ):
        op.drop_table(table)
