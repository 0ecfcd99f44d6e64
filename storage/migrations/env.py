"""Alembic environment: run on the connection the application hands over."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from alembic import context
from alembic.runtime.migration import MigrationContext, MigrationInfo

from storage.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with 'cedbot db upgrade'")
applied = context.config.attributes.get("applied")


def _record(ctx: MigrationContext, step: MigrationInfo, heads: Collection[Any], run_args: Mapping[str, Any]) -> None:
    # So `cedbot db upgrade` can say what it applied, not only that the schema is current.
    if applied is not None and step.is_upgrade:
        doc = str(getattr(step.up_revision, "doc", "") or "").strip()
        applied.append(f"{step.up_revision_id}: {doc}")


context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True, on_version_apply=_record)
with context.begin_transaction():
    context.run_migrations()
