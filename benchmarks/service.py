"""Service benchmark: uploads over HTTP into the store vs the application layer in-process.

Generates N filled school forms (default 1,000; the Karabash sample scaled, synthetic data,
10 municipalities) once into a folder (not timed; reused by later runs). Then, for SQLite
and — when ``--postgresql URL`` or ``$PEDPROF_TEST_POSTGRESQL_URL`` is given — for
PostgreSQL (a fresh database, dropped afterwards):

* starts ``pedprof serve``'s application with uvicorn in a child process on a random port;
* uploads every form through its school's link with 8 concurrent clients (each answer
  carries the validation result), timing each upload;
* asks for the region's results from the store (the first call rebuilds the monitoring
  from the stored rows; the second is served from the cache).

In the same run the application layer reads the same files in-process
(``pedprof.Monitoring.from_files``: the same reading and validation, no HTTP, no store).

Prints p50 and p95 upload latency, the totals, the time to get the region's results, and
last ``ratio=<HTTP with storage / in-process>`` for SQLite (goal: ≤ 1.5).

Run: ``uv run python benchmarks/service.py [--forms N] [--clients 8] [--dir PATH]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import httpx

import pedprof
from pedprof.service import Settings
from pedprof.service._synthetic import Forms, scaled_forms

PERIOD = "2023-2024"
MUNICIPALITIES = 10

SERVE = """
import sys, uvicorn
from pedprof.service import Settings, create_app
settings = Settings(data_dir=sys.argv[1], database_url=sys.argv[2], max_upload_bytes=50 << 20)
uvicorn.run(create_app(settings), host="127.0.0.1", port=int(sys.argv[3]), log_level="warning")
"""


def _chunk(args: tuple[str, int, range, bool]) -> Forms:
    directory, n, only, register = args
    return scaled_forms(
        Path(directory),
        n_orgs=n,
        n_municipalities=MUNICIPALITIES,
        period=PERIOD,
        only=only,
        write_register=register,
    )


def generate(directory: Path, n: int) -> Forms:
    """The forms (written once; a marker file says they are complete)."""
    marker = directory / f".complete-{n}"
    step = max(1, n // 16)
    chunks = [(str(directory), n, range(a, min(n, a + step)), a == 0) for a in range(0, n, step)]
    if marker.exists():
        parts = [
            scaled_forms(
                directory / ".probe",
                n_orgs=n,
                n_municipalities=MUNICIPALITIES,
                period=PERIOD,
                only=range(0),
                write_register=False,
            )
        ]
        forms = {f"o{i:04d}": directory / f"o{i:04d}.xlsx" for i in range(n)}
        probe = parts[0]
        return Forms(
            directory / "register.xlsx", forms, probe.municipality_of, probe.region, PERIOD, -1, {}
        )
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        parts = list(pool.map(_chunk, chunks))
    forms = {k: v for p in parts for k, v in p.forms.items()}
    staff = sum(p.staff_rows for p in parts)
    marker.write_text(str(staff))
    first = parts[0]
    return Forms(first.register, forms, first.municipality_of, first.region, PERIOD, staff, {})


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(settings: Settings, forms: Forms) -> tuple[int, dict[str, str], str]:
    """A region user, the register, the campaign and a link per school (not timed)."""
    from pedprof.service.actors import Actor
    from pedprof.service.main import Service
    from pedprof.service.models import Campaign, Token, UploadLink, utcnow
    from pedprof.service.security import new_token

    service = Service(settings)
    store = service.store
    profile = store.profile("karabash")
    store.put_register(
        profile,
        Actor("user", "region", "bench", region_id=forms.region),
        filename="register.xlsx",
        content=forms.register.read_bytes(),
    )
    units = store.units(profile)
    links: dict[str, str] = {}
    platform, digest = new_token("pt")
    with service.factory() as s:
        campaign = Campaign(profile_id="karabash", period=PERIOD, created_by="bench")
        s.add(campaign)
        s.flush()
        for org in forms.forms:
            token, h = new_token("pl")
            links[org] = token
            s.add(
                UploadLink(
                    token_hash=h,
                    campaign_id=campaign.id,
                    org_id=org,
                    municipality_id=units.org_municipality[org],
                    expires_at=utcnow() + dt.timedelta(days=1),
                )
            )
        s.add(
            Token(
                token_hash=digest,
                kind="platform",
                name="bench",
                role="platform",
                region_id=forms.region,
            )
        )
        s.commit()
        campaign_id = campaign.id
    service.close()
    return campaign_id, links, platform


def run_http(database_url: str, forms: Forms, clients: int, label: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=database_url)
        campaign_id, links, platform = _seed(settings, forms)
        port = _free_port()
        proc = subprocess.Popen([sys.executable, "-c", SERVE, tmp, database_url, str(port)])
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            latencies: list[float] = []

            def upload(org: str) -> int:
                with httpx.Client(base_url=base, timeout=600) as c:
                    t = time.perf_counter()
                    r = c.post(
                        f"/api/v1/campaigns/{campaign_id}/submissions",
                        headers={"Authorization": f"Bearer {links[org]}"},
                        files={"file": (f"{org}.xlsx", forms.forms[org].read_bytes())},
                    )
                    latencies.append(time.perf_counter() - t)
                    return r.status_code

            start = time.perf_counter()
            with ThreadPoolExecutor(max_workers=clients) as pool:
                codes = list(pool.map(upload, sorted(forms.forms)))
            total = time.perf_counter() - start
            bad = [c for c in codes if c != 201]
            if bad:
                raise SystemExit(f"{label}: {len(bad)} uploads failed: {sorted(set(bad))}")
            auth = {"Authorization": f"Bearer {platform}"}
            t = time.perf_counter()
            r = httpx.get(
                f"{base}/api/v1/profiles/karabash/results",
                headers=auth,
                params={"format": "parquet"},
                timeout=600,
            )
            cold = time.perf_counter() - t
            t = time.perf_counter()
            httpx.get(
                f"{base}/api/v1/profiles/karabash/results",
                headers=auth,
                params={"format": "parquet", "level": "region"},
                timeout=600,
            )
            warm = time.perf_counter() - t
            assert r.status_code == 200, r.text
        finally:
            proc.kill()
            proc.wait()
    q = statistics.quantiles(latencies, n=20)
    return {
        "total": total,
        "p50": statistics.median(latencies),
        "p95": q[18],
        "results_cold": cold,
        "results_warm": warm,
        "results_bytes": len(r.content),
    }


def run_inprocess(forms: Forms) -> tuple[float, int]:
    t = time.perf_counter()
    year = pedprof.Monitoring.from_files("karabash", [forms.register, *forms.forms.values()])
    elapsed = time.perf_counter() - t
    assert year.submissions is not None
    return elapsed, year.submissions.accepted


def _postgres(url: str) -> tuple[str, object]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from pedprof.service.config import normalize_database_url

    admin = create_engine(normalize_database_url(url), isolation_level="AUTOCOMMIT")
    name = f"pedprof_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    db = make_url(normalize_database_url(url)).set(database=name)

    def drop() -> None:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return db.render_as_string(hide_password=False), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--postgresql", default=os.environ.get("PEDPROF_TEST_POSTGRESQL_URL"))
    args = parser.parse_args()
    directory = args.dir or Path(tempfile.gettempdir()) / f"pedprof-bench-service-{args.forms}"
    directory.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    forms = generate(directory, args.forms)
    print(
        f"forms={len(forms.forms)} municipalities={MUNICIPALITIES} "
        f"(generated or reused in {time.perf_counter() - t:.1f} s; {directory})"
    )

    inproc, accepted = run_inprocess(forms)
    print(f"in_process_s={inproc:.2f} rows_accepted={accepted}")
    sqlite = run_http(
        f"sqlite:///{directory / 'bench.sqlite3'}.{uuid.uuid4().hex[:6]}",
        forms,
        args.clients,
        "sqlite",
    )
    for name, figures in [("sqlite", sqlite)]:
        print(
            f"{name}: upload_total_s={figures['total']:.2f} p50_s={figures['p50']:.3f} "
            f"p95_s={figures['p95']:.3f} region_results_cold_s={figures['results_cold']:.2f} "
            f"region_results_warm_s={figures['results_warm']:.2f}"
        )
    for stale in directory.glob("bench.sqlite3.*"):
        stale.unlink()
    if args.postgresql:
        url, drop = _postgres(args.postgresql)
        try:
            pg = run_http(url, forms, args.clients, "postgresql")
        finally:
            drop()  # type: ignore[operator]
        print(
            f"postgresql: upload_total_s={pg['total']:.2f} p50_s={pg['p50']:.3f} "
            f"p95_s={pg['p95']:.3f} region_results_cold_s={pg['results_cold']:.2f} "
            f"region_results_warm_s={pg['results_warm']:.2f}"
        )
        print(f"ratio_postgresql={pg['total'] / inproc:.2f}")
    print(f"ratio={sqlite['total'] / inproc:.2f}")


if __name__ == "__main__":
    main()
