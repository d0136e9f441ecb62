"""The methodologist's workspace and the schools' upload pages: server-rendered Russian
HTML on the service's application, under ``/app``.

:func:`install_pages` adds them (and their static files) to an application.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

__all__ = ["install_pages"]


def install_pages(app: FastAPI) -> None:
    """Mount the pages at ``/app`` and their static files at ``/app/static``."""
    from pedprof.service.pages.routes import PAGES_PREFIX, router

    app.mount(
        f"{PAGES_PREFIX}/static",
        StaticFiles(directory=str(Path(__file__).parent / "static")),
        name="pages-static",
    )
    app.include_router(router, prefix=PAGES_PREFIX)
