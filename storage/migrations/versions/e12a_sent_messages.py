"""Sent platform messages kept apart from the outbox; outbox rows name the person they concern.

The hand-off used delivered outbox rows as its registry of card message ids, so the outbox
(which holds message texts) could never be purged. The ids now live in ``sent_messages``;
``outbox.person_id`` lets erasure find every queued or delivered message about a person.

Revision ID: e12a_sent_messages
Revises: 0001_core
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "e12a_sent_messages"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sent_messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ref", sa.String(100), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("chat_id", sa.String(100), nullable=False),
        sa.Column("thread_id", sa.String(100)),
        sa.Column("message_id", sa.String(100), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sent_messages_ref", "sent_messages", ["ref"])
    op.create_index("ix_sent_messages_platform", "sent_messages", ["channel", "chat_id", "message_id"])
    op.execute(
        "INSERT INTO sent_messages (ref, channel, chat_id, thread_id, message_id, sent_at) "
        "SELECT ref, channel, chat_id, thread_id, sent_message_id, COALESCE(sent_at, created_at) FROM outbox "
        "WHERE ref IS NOT NULL AND sent_message_id IS NOT NULL ORDER BY id"
    )
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("person_id", sa.Integer))
        batch.create_foreign_key("fk_outbox_person_id_persons", "persons", ["person_id"], ["id"], ondelete="CASCADE")
        batch.create_index("ix_outbox_person_id", ["person_id"])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_person_id")
        batch.drop_constraint("fk_outbox_person_id_persons", type_="foreignkey")
        batch.drop_column("person_id")
    op.drop_table("sent_messages")
