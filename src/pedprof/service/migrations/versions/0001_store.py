"""The store: users, tokens, campaigns, links, files, submission versions, accepted rows,
registers, measures, roadmap statuses, cycle documents, jobs.

Revision ID: 0001
Revises:
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("login", sa.String(100), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("region_id", sa.String(100)),
        sa.Column("municipality_id", sa.String(100)),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE")),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("region_id", sa.String(100)),
        sa.Column("municipality_id", sa.String(100)),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS),
        sa.Column("revoked_at", TS),
    )
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("profile_id", sa.String(100), nullable=False),
        sa.Column("period", sa.String(40), nullable=False),
        sa.Column("is_open", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("profile_id", "period"),
    )
    op.create_table(
        "upload_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "campaign_id",
            sa.Integer,
            sa.ForeignKey("campaigns.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("org_id", sa.String(100), nullable=False),
        sa.Column("municipality_id", sa.String(100), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("revoked_at", TS),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "files",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, index=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("filename", sa.String(300), nullable=False),
        sa.Column("uploader", sa.String(200), nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "unit_registers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("profile_id", sa.String(100), nullable=False, index=True),
        sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id")),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("uploader", sa.String(200), nullable=False),
        sa.Column("tables", sa.JSON, nullable=False),
    )
    op.create_table(
        "submission_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "campaign_id",
            sa.Integer,
            sa.ForeignKey("campaigns.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("profile_id", sa.String(100), nullable=False, index=True),
        sa.Column("period", sa.String(40), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("unit_id", sa.String(100), nullable=False),
        sa.Column("municipality_id", sa.String(100), nullable=False),
        sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id")),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("uploader", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("submitted", sa.Integer, nullable=False),
        sa.Column("accepted", sa.Integer, nullable=False),
        sa.Column("rejected", sa.Integer, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("check", sa.JSON, nullable=False),
    )
    op.create_index(
        "ix_versions_unit", "submission_versions", ["campaign_id", "unit_id", "received_at"]
    )
    op.create_table(
        "accepted_rows",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "version_id",
            sa.Integer,
            sa.ForeignKey("submission_versions.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("table_name", sa.String(100), nullable=False),
        sa.Column("n_rows", sa.Integer, nullable=False),
        sa.Column("rows", sa.JSON, nullable=False),
    )
    for name in ("measure_sets", "roadmap_status_sets"):
        op.create_table(
            name,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("profile_id", sa.String(100), nullable=False, index=True),
            sa.Column("received_at", TS, nullable=False),
            sa.Column("uploader", sa.String(200), nullable=False),
            sa.Column("rows", sa.JSON, nullable=False),
        )
    op.create_table(
        "cycle_documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("profile_id", sa.String(100), nullable=False, index=True),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("uploader", sa.String(200), nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("profile_id", sa.String(100), nullable=False),
        sa.Column("params", sa.JSON, nullable=False),
        sa.Column("owner", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("progress", sa.Float, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("result", sa.JSON),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("started_at", TS),
        sa.Column("finished_at", TS),
    )


def downgrade() -> None:
    for name in (
        "jobs",
        "cycle_documents",
        "roadmap_status_sets",
        "measure_sets",
        "accepted_rows",
        "submission_versions",
        "unit_registers",
        "files",
        "upload_links",
        "campaigns",
        "tokens",
        "users",
    ):
        op.drop_table(name)
