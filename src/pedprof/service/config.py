"""Settings of the service, from arguments or the environment.

``PEDPROF_DATABASE_URL``, ``PEDPROF_DATA_DIR``, ``PEDPROF_MAX_UPLOAD_MB``,
``PEDPROF_SESSION_HOURS`` and ``PEDPROF_PUBLIC_URL`` are read by :meth:`Settings.from_env`;
explicit arguments win.
"""

from __future__ import annotations

import os
from pathlib import Path

import pydantic

__all__ = ["Settings", "default_data_dir", "normalize_database_url"]


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/pedprof`` (``~/.local/share/pedprof``): the folder named on start."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "pedprof"


def normalize_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL: ``postgresql://`` and ``postgres://`` are rewritten
    to ``postgresql+psycopg://``; other URLs are returned as given."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Settings(pydantic.BaseModel):
    """How the service runs.

    :param data_dir: the data folder (the SQLite file, job outputs, temporary uploads).
    :param database_url: SQLAlchemy URL; default: ``sqlite:///<data_dir>/pedprof.sqlite3``.
    :param max_upload_bytes: the largest upload accepted (a request body above it is refused
        before it is read whole).
    :param session_hours: how long a methodologist's sign-in lasts.
    :param link_days: how long a school's upload link lasts unless told otherwise.
    :param suppress_below: the default small-count suppression of published results
        (``None``: none).
    :param start_worker: run the in-process job worker (tests may turn it off).
    :param public_url: the address clients see (for links in answers), if behind a proxy.
    """

    model_config = pydantic.ConfigDict(frozen=True)

    data_dir: Path = pydantic.Field(default_factory=default_data_dir)
    database_url: str = ""
    max_upload_bytes: int = 20 * 1024 * 1024
    session_hours: float = 12.0
    link_days: int = 60
    suppress_below: int | None = None
    start_worker: bool = True
    public_url: str = ""

    @pydantic.model_validator(mode="after")
    def _database(self) -> Settings:
        url = self.database_url or f"sqlite:///{Path(self.data_dir) / 'pedprof.sqlite3'}"
        object.__setattr__(self, "database_url", normalize_database_url(url))
        return self

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from the ``PEDPROF_*`` environment variables; ``overrides`` that are not
        ``None`` win."""
        env: dict[str, object] = {}
        if v := os.environ.get("PEDPROF_DATA_DIR"):
            env["data_dir"] = Path(v)
        if v := os.environ.get("PEDPROF_DATABASE_URL"):
            env["database_url"] = v
        if v := os.environ.get("PEDPROF_MAX_UPLOAD_MB"):
            env["max_upload_bytes"] = int(float(v) * 1024 * 1024)
        if v := os.environ.get("PEDPROF_SESSION_HOURS"):
            env["session_hours"] = float(v)
        if v := os.environ.get("PEDPROF_PUBLIC_URL"):
            env["public_url"] = v
        env.update({k: v for k, v in overrides.items() if v is not None})
        return cls.model_validate(env)

    @property
    def is_sqlite(self) -> bool:
        """Whether the store is a SQLite file."""
        return self.database_url.startswith("sqlite")
