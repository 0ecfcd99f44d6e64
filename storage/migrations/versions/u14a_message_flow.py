"""Message log: the conversation flow a message answered, so a flow answer is never taken for a question.

Revision ID: u14a_message_flow
Revises: 0001_core
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "u14a_message_flow"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("message_log") as batch:
        batch.add_column(sa.Column("flow", sa.String(60)))


def downgrade() -> None:
    with op.batch_alter_table("message_log") as batch:
        batch.drop_column("flow")
