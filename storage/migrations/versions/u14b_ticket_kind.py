"""Tickets: a kind, so call-back requests join the one adviser queue beside chat hand-offs.

Revision ID: u14b_ticket_kind
Revises: 0006_handoff
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "u14b_ticket_kind"
down_revision = "0006_handoff"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("kind", sa.String(10), nullable=False, server_default="chat"))


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("kind")
