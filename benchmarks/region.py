"""Region benchmark: a whole monitoring year, from filled forms to the written ИАС.

Generates (seeded, deterministic) a region of ``--orgs`` organisations (default 1,000,
about 35 staff each: about 35,000 staff rows) in ``orgs / 25`` municipalities as the files
they would submit: one filled Karabash form per organisation (staff and mentoring
programmes), one municipal form per municipality (events, projects, associations,
support programmes) and the register of organisations, all written by
:func:`pedprof.io.write_form` from the profile's own sources. Rows are drawn from the
Karabash sample's rows of the same kind of organisation, so values are realistic. The
forms are cached in a temporary folder keyed by the parameters and the source
declarations; generation is timed separately and is not part of the year.

Then it runs the year through the application layer (:class:`pedprof.Monitoring`) in one
process, stage by stage: ``check`` (read and validate every form), ``compute``
(:meth:`~pedprof.Monitoring.results`), ``analyze``, ``rate``, ``recommend``, ``report``
(building the content) and writing it as ``docx``, ``xlsx`` and ``html``. For each stage
it prints the wall-clock time, the CPU time and the peak resident set during the stage
(Linux ``VmHWM``, reset through ``/proc/self/clear_refs`` before each stage; psutil is not
installed and tracemalloc is far too slow here), then ``year_s=<seconds>`` (the sum of
the stages). It then times the engine alone (:func:`pedprof.engine.compute_indicators`)
on the same dataset, best of ``--engine-runs``, and prints ``ratio=<year / engine>`` last.

Run::

    uv run python benchmarks/region.py                 # 1,000 organisations
    uv run python benchmarks/region.py --orgs 100
    uv run python benchmarks/region.py --profile-stages   # cProfile top-20 per stage (stderr)
    uv run python benchmarks/region.py --scaling       # 100, 1,000, 5,000 organisations,
                                                       # each in a fresh subprocess
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import os
import pstats
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import pedprof
from pedprof.io import write_form
from pedprof.io._tables import FormKind, form_sources

PROFILE = "karabash"
PERIOD = "2023-2024"
STAFF_PER_ORG = 35
ORGS_PER_MUNICIPALITY = 25
SEED = 20231


# ---------------------------------------------------------------- generation


def _template() -> pedprof.Dataset:
    return pedprof.load_sample(PROFILE)


def _region(n_orgs: int, seed: int) -> pedprof.Dataset:
    """The region's dataset, drawn from the Karabash sample's rows (seeded)."""
    sample = _template()
    rng = np.random.default_rng(seed)
    n_muni = max(1, n_orgs // ORGS_PER_MUNICIPALITY)
    kinds = sample.organizations["kind"].astype(str).to_numpy()
    org_kind = rng.choice(kinds, n_orgs)
    org_ids = [f"o{i:05d}" for i in range(n_orgs)]
    muni_ids = [f"m{i:03d}" for i in range(n_muni)]
    orgs = pd.DataFrame(
        {
            "org_id": org_ids,
            "name": [f"Образовательная организация № {i + 1}" for i in range(n_orgs)],
            "municipality_id": [muni_ids[i % n_muni] for i in range(n_orgs)],
            "kind": org_kind,
            "valid_from": pd.NaT,
            "valid_to": pd.NaT,
            "successor_id": None,
        }
    )
    munis = pd.DataFrame(
        {
            "municipality_id": muni_ids,
            "name": [f"Муниципальный округ № {i + 1}" for i in range(n_muni)],
            "region_id": "r1",
        }
    )
    regions = pd.DataFrame({"region_id": ["r1"], "name": ["Область"]})

    staff_src = sample.tables["staff"]
    staff_src = staff_src[staff_src["period"].astype(str) == PERIOD].reset_index(drop=True)
    kind_of = dict(
        zip(
            sample.organizations["org_id"].astype(str),
            sample.organizations["kind"].astype(str),
            strict=True,
        )
    )
    by_kind = {
        k: np.flatnonzero(staff_src["org_id"].astype(str).map(kind_of).to_numpy() == k)
        for k in set(kinds)
    }
    sizes = np.maximum(5, rng.poisson(STAFF_PER_ORG, n_orgs))
    pieces = []
    for org, kind, n in zip(org_ids, org_kind, sizes, strict=True):
        pick = rng.choice(by_kind[kind], n)
        rows = staff_src.iloc[pick].copy()
        rows["org_id"] = org
        rows["person_id"] = [f"{org}-p{i:03d}" for i in range(n)]
        age = rng.integers(22, 66, n)
        rows["age"] = age
        rows["experience_years"] = np.minimum(rng.integers(0, 41, n), age - 21)
        pieces.append(rows)
    staff = pd.concat(pieces, ignore_index=True)
    staff["period"] = PERIOD

    mp = sample.tables["mentoring_programmes"]
    mp = mp[mp["period"].astype(str) == PERIOD].reset_index(drop=True)
    m_rows = []
    for org in org_ids:
        for j in range(int(rng.integers(0, 3))):
            r = mp.iloc[int(rng.integers(0, len(mp)))].copy()
            r["org_id"] = org
            r["programme_id"] = f"{org}-m{j + 1}"
            m_rows.append(r)
    mentoring = pd.DataFrame(m_rows).reset_index(drop=True)

    tables: dict[str, pd.DataFrame] = {"staff": staff, "mentoring_programmes": mentoring}
    for name, key in (
        ("events", "event_id"),
        ("projects", "project_id"),
        ("associations", "association_id"),
        ("support_programmes", "programme_id"),
    ):
        src = sample.tables[name]
        src = src[src["period"].astype(str) == PERIOD].reset_index(drop=True)
        parts = []
        for muni in muni_ids:
            part = src.copy()
            part["municipality_id"] = muni
            part[key] = [f"{muni}-{v}" for v in part[key].astype(str)]
            parts.append(part)
        tables[name] = pd.concat(parts, ignore_index=True)
    return pedprof.Dataset(regions=regions, municipalities=munis, organizations=orgs, tables=tables)


def _write_unit(args: tuple[str, str, str, dict[str, pd.DataFrame]]) -> str:
    path, kind, unit, rows = args
    profile = pedprof.get_profile(PROFILE)
    write_form(profile, path, kind=kind, unit_id=unit, period=PERIOD, rows=rows)
    return path


def _cache_dir(n_orgs: int, seed: int) -> Path:
    profile = pedprof.get_profile(PROFILE)
    decl = "|".join(repr(s) for k in FormKind for s in form_sources(profile, k))
    tag = hashlib.sha1(f"{decl}|{n_orgs}|{seed}|{STAFF_PER_ORG}".encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"pedprof-region-{n_orgs}-{seed}-{tag}"


def generate(n_orgs: int, seed: int) -> tuple[Path, float, int]:
    """Write the region's forms (or reuse the cached ones).

    :returns: the folder, the seconds spent generating (0 when cached) and the staff rows.
    """
    folder = _cache_dir(n_orgs, seed)
    done = folder / "DONE"
    if done.exists():
        return folder, 0.0, int(done.read_text())
    t0 = time.perf_counter()
    if folder.exists():
        shutil.rmtree(folder)
    (folder / PERIOD).mkdir(parents=True)
    data = _region(n_orgs, seed)
    profile = pedprof.get_profile(PROFILE)
    write_form(
        profile,
        folder / "register.xlsx",
        kind=FormKind.REGISTER,
        rows={
            "organizations": data.organizations,
            "municipalities": data.municipalities,
            "regions": data.regions,
        },
        example=False,
    )
    jobs: list[tuple[str, str, str, dict[str, pd.DataFrame]]] = []
    for kind, id_col, register, names in (
        (FormKind.ORGANIZATION, "org_id", data.organizations, ("staff", "mentoring_programmes")),
        (
            FormKind.MUNICIPALITY,
            "municipality_id",
            data.municipalities,
            ("events", "projects", "associations", "support_programmes"),
        ),
    ):
        grouped = {n: dict(tuple(data.tables[n].groupby(id_col, sort=False))) for n in names}
        for unit in register[id_col].astype(str):
            rows = {
                n: grouped[n].get(unit, data.tables[n].iloc[:0]).reset_index(drop=True)
                for n in names
            }
            jobs.append((str(folder / PERIOD / f"{unit}.xlsx"), kind.value, unit, rows))
    print(f"generating {len(jobs)} forms into {folder} (not timed) …", file=sys.stderr)
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(_write_unit, jobs, chunksize=25))
    staff_rows = len(data.tables["staff"])
    done.write_text(str(staff_rows))
    return folder, time.perf_counter() - t0, staff_rows


# ---------------------------------------------------------------- measurement


def _hwm_reset() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _status(key: str) -> float:
    """A ``/proc/self/status`` figure in MiB (NaN where there is none)."""
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return float("nan")
    m = re.search(rf"^{key}:\s+(\d+) kB", text, re.M)
    return int(m.group(1)) / 1024 if m else float("nan")


class Stages:
    """Runs stages one after another, printing time, CPU and peak RSS of each."""

    def __init__(self, profile_stages: bool) -> None:
        self.profile_stages = profile_stages
        self.times: dict[str, float] = {}
        self.peak = 0.0

    def run(self, name: str, fn: Callable[[], Any]) -> Any:
        reset = _hwm_reset()
        prof = cProfile.Profile() if self.profile_stages else None
        c0 = time.process_time()
        t0 = time.perf_counter()
        if prof is not None:
            prof.enable()
        out = fn()
        if prof is not None:
            prof.disable()
        wall = time.perf_counter() - t0
        cpu = time.process_time() - c0
        peak = (
            _status("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        )
        self.peak = max(self.peak, peak)
        self.times[name] = wall
        print(f"{name:<10} {wall:7.2f} s  cpu {cpu:7.2f} s  peak {peak:7.0f} MiB", flush=True)
        if prof is not None:
            buf = io.StringIO()
            stats = pstats.Stats(prof, stream=buf)
            stats.sort_stats("cumulative").print_stats(20)
            stats.sort_stats("tottime").print_stats(20)
            print(f"===== {name}: cProfile, top 20 by cumulative and by own time", file=sys.stderr)
            print(buf.getvalue(), file=sys.stderr)
        return out


def run_year(folder: Path, profile_stages: bool, engine_runs: int) -> tuple[float, float]:
    profile = pedprof.get_profile(PROFILE)
    out = Path(tempfile.mkdtemp(prefix="pedprof-region-out-"))
    st = Stages(profile_stages)
    year = pedprof.Monitoring(profile)
    inputs = [folder / "register.xlsx", folder / PERIOD]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            checked = st.run("check", lambda: year.check(inputs))
            assert checked.rejected == 0, checked.errors.head()
            st.run("compute", year.results)
            st.run("analyze", year.analyze)
            st.run("rate", year.rate)
            st.run("recommend", year.recommend)
            report = st.run("report", year.report)
            sizes = {}
            for fmt in ("docx", "xlsx", "html"):
                paths = st.run(
                    f"write.{fmt}",
                    lambda f=fmt: year.write_report(out, report=report, formats=(f,)),  # type: ignore[misc]
                )
                sizes[fmt] = paths[fmt].stat().st_size
        year_s = sum(st.times.values())
        print(
            "report sizes: "
            + ", ".join(f"{k} {v / 2**20:.1f} MiB" for k, v in sizes.items())
            + f"; accepted rows {checked.accepted}; result rows {len(year.results())}"
        )
        print(
            f"peak_mib={st.peak:.0f} (max over stages; overall ru_maxrss "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB)"
        )
        print(f"year_s={year_s:.2f}", flush=True)

        from pedprof.engine import compute_indicators

        best = float("inf")
        for _ in range(engine_runs):
            t0 = time.perf_counter()
            compute_indicators(
                profile.indicators,
                year.data,
                period_kind=profile.info.period_kind,
                targets=profile.targets,
                sources=profile.sources,
            )
            best = min(best, time.perf_counter() - t0)
        print(f"engine_s={best:.3f} (pedprof.engine.compute_indicators, best of {engine_runs})")
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return year_s, best


def scaling(sizes: list[int], args: argparse.Namespace) -> None:
    rows = []
    for n in sizes:
        cmd = [sys.executable, __file__, "--orgs", str(n), "--engine-runs", str(args.engine_runs)]
        print(f"--- {n} organisations", flush=True)
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
        print(proc.stdout, end="", flush=True)
        year = float(re.search(r"^year_s=([\d.]+)", proc.stdout, re.M).group(1))  # type: ignore[union-attr]
        peak = float(re.search(r"^peak_mib=([\d.]+)", proc.stdout, re.M).group(1))  # type: ignore[union-attr]
        rows.append((n, year, peak))
    print("orgs  year_s  per_1000_orgs  peak_MiB")
    for n, year, peak in rows:
        print(f"{n:5d} {year:7.2f} {year / n * 1000:10.2f} {peak:9.0f}")
    (n0, y0, _), (n1, y1, _) = rows[0], rows[-1]
    print(f"ratio={(y1 / y0) / (n1 / n0):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--engine-runs", type=int, default=3)
    parser.add_argument("--profile-stages", action="store_true")
    parser.add_argument(
        "--scaling",
        nargs="?",
        const="100,1000,5000",
        default=None,
        metavar="N,N,…",
        help="run the year for each size in a fresh subprocess (default 100,1000,5000); "
        "the last line is then ratio=<growth of time / growth of size>",
    )
    args = parser.parse_args()
    if args.scaling:
        sizes = [int(x) for x in args.scaling.split(",")]
        for n in sizes:
            _, gen_s, _ = generate(n, args.seed)
            if gen_s:
                print(f"generated {n} organisations in {gen_s:.1f} s (not timed)")
        scaling(sizes, args)
        return
    folder, gen_s, staff_rows = generate(args.orgs, args.seed)
    print(
        f"region: {args.orgs} organisations, {max(1, args.orgs // ORGS_PER_MUNICIPALITY)} "
        f"municipalities, {staff_rows} staff rows, period {PERIOD}; forms in {folder}"
        + (f" (generated in {gen_s:.1f} s, not timed)" if gen_s else " (cached)")
    )
    year_s, engine_s = run_year(folder, args.profile_stages, args.engine_runs)
    print(f"ratio={year_s / engine_s:.1f}")


if __name__ == "__main__":
    main()
