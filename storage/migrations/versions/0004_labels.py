"""Cluster label register: clusters, label history, links to persons, reminders sent.

Revision ID: 0004_labels
Revises: 0001_core
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_labels"
down_revision = "0001_core"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "label_clusters",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("aliases", sa.JSON, nullable=False),
        sa.Column("region", sa.String(100), nullable=False),
        sa.Column("website", sa.String(300), nullable=False),
        sa.Column("label", sa.String(10), nullable=False),
        sa.Column("awarded_on", sa.Date),
        sa.Column("valid_until", sa.Date),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("name", name="uq_label_clusters_name"),
    )
    op.create_table(
        "label_history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("cluster_id", sa.Integer, sa.ForeignKey("label_clusters.id", ondelete="CASCADE"), nullable=False),
        sa.Column("label", sa.String(10), nullable=False),
        sa.Column("awarded_on", sa.Date),
        sa.Column("valid_until", sa.Date),
        sa.Column("replaced_at", TS, nullable=False),
    )
    op.create_index("ix_label_history_cluster_id", "label_history", ["cluster_id"])
    op.create_table(
        "label_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("persons.id", ondelete="CASCADE"), nullable=False),
        sa.Column("cluster_id", sa.Integer, sa.ForeignKey("label_clusters.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("linked_at", TS, nullable=False),
        sa.UniqueConstraint("person_id", "cluster_id", name="uq_label_links_person_id"),
    )
    op.create_index("ix_label_links_cluster_id", "label_links", ["cluster_id"])
    op.create_index(
        "uq_label_links_one_member",
        "label_links",
        ["person_id"],
        unique=True,
        sqlite_where=sa.text("kind = 'member'"),
        postgresql_where=sa.text("kind = 'member'"),
    )
    op.create_table(
        "label_reminders_sent",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("persons.id", ondelete="CASCADE"), nullable=False),
        sa.Column("cluster_id", sa.Integer, sa.ForeignKey("label_clusters.id", ondelete="CASCADE"), nullable=False),
        sa.Column("threshold_days", sa.Integer, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=False),
        sa.Column("sent_at", TS, nullable=False),
        sa.UniqueConstraint(
            "person_id",
            "cluster_id",
            "threshold_days",
            "valid_until",
            name="uq_label_reminders_sent_person_id",
        ),
    )


def downgrade() -> None:
    for table in ("label_reminders_sent", "label_links", "label_history", "label_clusters"):
        op.drop_table(table)
