"""posting_sources.normalized_by: which normalizer (pipeline.version) produced the posting from this payload

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28

A re-crawl that finds a source's payload unchanged and already normalized by the running normalizer skips
normalization and only moves ``last_seen_at`` (crawler.pipelines.KnownPayloadPipeline). Existing rows get NULL,
which never matches a version: their next sighting is normalized as before and stamped.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("posting_sources", sa.Column("normalized_by", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("posting_sources") as batch:
        batch.drop_column("normalized_by")
