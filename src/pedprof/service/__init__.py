"""``pedprof serve``: the HTTP API over the application layer, with a store.

The store (SQLAlchemy 2; SQLite by default, PostgreSQL for a region; schema by the Alembic
migrations shipped here) keeps every file as received, every version of a submission and
the accepted rows; results are recomputed from them by :class:`pedprof.Monitoring`.

Example::

    from pedprof.service import Settings, create_app

    app = create_app(Settings(data_dir="data"))   # an ASGI app: uvicorn.run(app)
"""

from pedprof.service.config import Settings
from pedprof.service.main import create_app

__all__ = ["Settings", "create_app"]
