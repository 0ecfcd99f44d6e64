"""Adviser desk: sign-in links, browser sessions, the cookie key and the audit log.

Revision ID: d35k_0001_desk
Revises: 0001_core
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "d35k_0001_desk"
down_revision = "0001_core"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "desk_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("identity", sa.String(120), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("used_at", TS),
        sa.UniqueConstraint("token_hash", name="uq_desk_links_token_hash"),
    )
    op.create_table(
        "desk_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("identity", sa.String(120), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_seen_at", TS, nullable=False),
        sa.Column("ended_at", TS),
        sa.Column("flash", sa.Text),
        sa.UniqueConstraint("token_hash", name="uq_desk_sessions_token_hash"),
    )
    op.create_index("ix_desk_sessions_identity", "desk_sessions", ["identity"])
    op.create_table(
        "desk_keys",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("secret", sa.String(128), nullable=False),
    )
    op.create_table(
        "desk_audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("identity", sa.String(120), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target", sa.String(120)),
        sa.Column("detail", sa.Text),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("desk_sessions.id", ondelete="SET NULL"), nullable=True),
    )
    op.create_index("ix_desk_audit_at", "desk_audit", ["at"])


def downgrade() -> None:
    op.drop_table("desk_audit")
    op.drop_table("desk_keys")
    op.drop_table("desk_sessions")
    op.drop_table("desk_links")
