"""Hand-off: tickets, relayed messages and FAQ drafts.

Revision ID: 0006_handoff
Revises: 0001_core
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_handoff"
down_revision = "0001_core"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("persons.id", ondelete="CASCADE"), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("chat_id", sa.String(100), nullable=False),
        sa.Column("person_name", sa.String(200)),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("topic", sa.String(40)),
        sa.Column("transcript", sa.JSON, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("adviser", sa.String(120)),
        sa.Column("adviser_name", sa.String(200)),
        sa.Column("rating", sa.Integer),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("claimed_at", TS),
        sa.Column("closed_at", TS),
        sa.Column("reminded_at", TS),
    )
    op.create_index("ix_tickets_person_id", "tickets", ["person_id"])
    op.create_index("ix_tickets_status", "tickets", ["status"])
    op.create_table(
        "ticket_messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ticket_id", sa.Integer, sa.ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("sender", sa.String(10), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("at", TS, nullable=False),
    )
    op.create_index("ix_ticket_messages_ticket_id", "ticket_messages", ["ticket_id"])
    op.create_table(
        "faq_drafts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ticket_id", sa.Integer, sa.ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("ticket_id", name="uq_faq_drafts_ticket_id"),
    )


def downgrade() -> None:
    op.drop_table("faq_drafts")
    op.drop_table("ticket_messages")
    op.drop_table("tickets")
