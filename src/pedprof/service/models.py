"""The store's tables (SQLAlchemy 2 declarative).

The store keeps what was received, never an edited copy: files as received, submission
versions (a re-upload adds a version; the current one is the latest by receipt), the
accepted rows of each version, and versions of the registers of units, measures and
roadmap statuses. Results are recomputed from the accepted rows by the application layer.

**Accepted rows are JSON, one row per (version, source table).** A profile's tables are
declarations in a plugin: per-table columns would need a migration whenever a profile adds
a field, and the store would have to know every profile. A table is always read whole to
compute (never queried by a cell), so one JSON array per version and table is written and
read in one statement; the profile's own validation (``Dataset.from_frames``) restores the
declared types when the rows are read back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "AcceptedRows",
    "Base",
    "Campaign",
    "CycleDocument",
    "Job",
    "MeasureSet",
    "RoadmapStatusSet",
    "StoredFile",
    "SubmissionVersion",
    "Token",
    "UnitRegister",
    "UploadLink",
    "User",
    "utcnow",
]


def utcnow() -> dt.datetime:
    """The current time, UTC, timezone-aware."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """The declarative base; ``JSON`` columns are plain JSON on SQLite and PostgreSQL."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


TS = DateTime(timezone=True)


class User(Base):
    """A methodologist who signs in with a password (argon2 hash)."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))  # region | municipality
    region_id: Mapped[str | None] = mapped_column(String(100))
    municipality_id: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)


class Token(Base):
    """A bearer token, stored as its SHA-256: a signed-in session or a platform's token."""

    __tablename__ = "tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # session | platform
    name: Mapped[str] = mapped_column(String(200), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))  # region | municipality | platform
    region_id: Mapped[str | None] = mapped_column(String(100))
    municipality_id: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(TS)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(TS)


class Campaign(Base):
    """The collection of one profile's data for one period."""

    __tablename__ = "campaigns"
    __table_args__ = (UniqueConstraint("profile_id", "period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[str] = mapped_column(String(100))
    period: Mapped[str] = mapped_column(String(40))
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200), default="")


class UploadLink(Base):
    """A school's upload link for one campaign: the token is stored only as its hash."""

    __tablename__ = "upload_links"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    org_id: Mapped[str] = mapped_column(String(100))
    municipality_id: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(TS)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(TS)
    created_by: Mapped[str] = mapped_column(String(200), default="")


class StoredFile(Base):
    """A file exactly as received."""

    __tablename__ = "files"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(300))
    uploader: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[dt.datetime] = mapped_column(TS)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class UnitRegister(Base):
    """A version of a profile's register of regions, municipalities and organisations."""

    __tablename__ = "unit_registers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[str] = mapped_column(String(100), index=True)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id"))
    received_at: Mapped[dt.datetime] = mapped_column(TS)
    uploader: Mapped[str] = mapped_column(String(200))
    tables: Mapped[dict[str, Any]] = mapped_column(JSON)


class SubmissionVersion(Base):
    """One unit's submission for a campaign as received once; never updated.

    The current version of a unit is the latest by ``(received_at, id)``.
    """

    __tablename__ = "submission_versions"
    __table_args__ = (Index("ix_versions_unit", "campaign_id", "unit_id", "received_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    profile_id: Mapped[str] = mapped_column(String(100), index=True)
    period: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(20))  # organization | municipality
    unit_id: Mapped[str] = mapped_column(String(100))
    municipality_id: Mapped[str] = mapped_column(String(100), default="")
    file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id"))
    received_at: Mapped[dt.datetime] = mapped_column(TS)
    uploader: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))  # accepted | partial | rejected
    submitted: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[str] = mapped_column(Text, default="")
    check: Mapped[dict[str, Any]] = mapped_column(JSON)  # errors, counts, files


class AcceptedRows(Base):
    """The accepted rows of one source table in one submission version."""

    __tablename__ = "accepted_rows"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("submission_versions.id", ondelete="CASCADE"), index=True
    )
    table_name: Mapped[str] = mapped_column(String(100))
    n_rows: Mapped[int] = mapped_column(Integer)
    rows: Mapped[list[Any]] = mapped_column(JSON)


class MeasureSet(Base):
    """A version of a profile's register of measures and management decisions."""

    __tablename__ = "measure_sets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[str] = mapped_column(String(100), index=True)
    received_at: Mapped[dt.datetime] = mapped_column(TS)
    uploader: Mapped[str] = mapped_column(String(200))
    rows: Mapped[list[Any]] = mapped_column(JSON)


class RoadmapStatusSet(Base):
    """A version of a profile's roadmap execution statuses."""

    __tablename__ = "roadmap_status_sets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[str] = mapped_column(String(100), index=True)
    received_at: Mapped[dt.datetime] = mapped_column(TS)
    uploader: Mapped[str] = mapped_column(String(200))
    rows: Mapped[list[Any]] = mapped_column(JSON)


class CycleDocument(Base):
    """A document of the management cycle adopted by the municipality (or region)."""

    __tablename__ = "cycle_documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[str] = mapped_column(String(100), index=True)
    received_at: Mapped[dt.datetime] = mapped_column(TS)
    uploader: Mapped[str] = mapped_column(String(200))
    record: Mapped[dict[str, Any]] = mapped_column(JSON)


class Job(Base):
    """Long work run by the in-process worker, polled by the client."""

    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    profile_id: Mapped[str] = mapped_column(String(100))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    owner: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(TS, default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(TS)
    finished_at: Mapped[dt.datetime | None] = mapped_column(TS)
