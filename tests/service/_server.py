"""Running the service for real: uvicorn in a thread, or in a subprocess that can be
killed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

from pedprof.service import Settings, create_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the service at {base} did not start")


@contextmanager
def threaded_server(settings: Settings) -> Iterator[str]:
    """uvicorn serving ``create_app(settings)`` on a random port, in a thread."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_up(base)
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=30)


SERVE = """
import sys, uvicorn
from pedprof.service import Settings, create_app
settings = Settings(data_dir=sys.argv[1], database_url=sys.argv[2])
uvicorn.run(create_app(settings), host="127.0.0.1", port=int(sys.argv[3]), log_level="warning")
"""


@contextmanager
def subprocess_server(
    data_dir: Path, database_url: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The service in a child process (so that it can be killed with SIGKILL)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(data_dir), database_url, str(port)],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_up(base)
        yield base, proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
