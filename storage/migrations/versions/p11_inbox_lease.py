"""The durable inbox, and fenced, short leases on outbox rows.

Revision ID: p11_inbox_lease
Revises: 0001_core
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "p11_inbox_lease"
down_revision = "0001_core"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("bot", sa.String(100), nullable=False),
        sa.Column("event_id", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("person_key", sa.String(120), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("fence", sa.Integer, nullable=False),
        sa.Column("claimed_by", sa.String(64)),
        sa.Column("claimed_until", TS),
        sa.Column("last_error", sa.Text),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("handled_at", TS),
        sa.UniqueConstraint("bot", "event_id", name="uq_inbox_bot"),
    )
    op.create_index("ix_inbox_waiting", "inbox", ["status", "channel", "id"])
    op.create_index("ix_inbox_person_order", "inbox", ["person_key", "status", "id"])
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("fence", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("expired_claims", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("response_url", sa.Text))
    op.create_index("ix_outbox_chat_order", "outbox", ["channel", "chat_id", "status", "id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_chat_order", "outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("response_url")
        batch.drop_column("expired_claims")
        batch.drop_column("fence")
    op.drop_table("inbox")
