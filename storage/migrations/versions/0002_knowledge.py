"""FAQ: answers given with their feedback, and declined questions.

Revision ID: 0002_knowledge
Revises: 0001_core
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_knowledge"
down_revision = "0001_core"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "faq_answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("persons.id", ondelete="CASCADE"), nullable=False),
        sa.Column("entry_id", sa.String(100), nullable=False),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("helpful", sa.Boolean),
        sa.Column("at", TS, nullable=False),
        sa.Column("voted_at", TS),
    )
    op.create_index("ix_faq_answers_person_id", "faq_answers", ["person_id"])
    op.create_index("ix_faq_answers_helpful_at", "faq_answers", ["helpful", "at"])
    op.create_table(
        "faq_declined",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("persons.id", ondelete="CASCADE"), nullable=False),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("at", TS, nullable=False),
    )
    op.create_index("ix_faq_declined_person_id", "faq_declined", ["person_id"])
    op.create_index("ix_faq_declined_at", "faq_declined", ["at"])


def downgrade() -> None:
    op.drop_table("faq_declined")
    op.drop_table("faq_answers")
