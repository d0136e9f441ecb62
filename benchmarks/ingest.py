"""Ingest benchmark: pedprof read + full validation vs a plain ``pandas.read_excel`` loop.

Generates 1,000 filled school forms of the Karabash profile (about 60 staff rows each,
plus the mentoring-programmes sheet, the instructions and the form's hidden sheets) once
into a temporary folder (not timed; reused by later runs), then times, in the same run:

* **baseline** — ``pandas.read_excel(path, sheet_name=None)`` for every file, default
  engine, no validation;
* **pedprof** — :func:`pedprof.io.read_submissions` on the folder: safety checks, reading,
  locating the tables, validating every row, cross-row and cross-file rules,
  consolidation into a Dataset and the submission register.

Prints both times and, last, ``ratio=<pedprof / baseline>`` (goal: ≤ 0.5).

Run: ``uv run python benchmarks/ingest.py [--files N] [--rows N] [--dir PATH]``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

import pedprof
from pedprof.io import fingerprint, read_submissions, write_form

PROFILE = "karabash"
PERIOD = "2023-2024"


def _staff(org: str, n: int, rng: np.random.Generator) -> pd.DataFrame:
    age = rng.integers(22, 65, n)
    experience = np.minimum(rng.integers(0, 40, n), age - 20)
    yes = lambda p: rng.random(n) < p  # noqa: E731
    return pd.DataFrame(
        {
            "period": PERIOD,
            "org_id": org,
            "person_id": [f"{org}-p{i:03d}" for i in range(n)],
            "category": np.where(yes(0.1), "manager", "teacher"),
            "position": np.where(yes(0.1), "директор", "учитель"),
            "age": age,
            "experience_years": experience,
            "deficit_assessed": yes(0.3),
            "iom": yes(0.4),
            "expert_score": np.where(yes(0.2), rng.uniform(20, 100, n).round(1), np.nan),
            "expert_register": yes(0.1),
            "cnppm_events": yes(0.1),
            "contest": yes(0.2),
            "support_forms": yes(0.2),
            "young_events": yes(0.2),
            "mentoring_role": rng.choice(["none", "mentor", "mentee"], n),
            "methodist_support": yes(0.3),
            "manager_mentor": yes(0.05),
            "dpo_date": pd.to_datetime("2021-09-01")
            + pd.to_timedelta(rng.integers(0, 1000, n), unit="D"),
            "profile_education": yes(0.9),
            "noc": yes(0.1),
            "cnppm_help": yes(0.3),
        }
    )


def _write_one(args: tuple[str, str, int]) -> str:
    folder, org, rows = args
    profile = pedprof.get_profile(PROFILE)
    rng = np.random.default_rng(abs(hash(org)) % 2**32)
    staff = _staff(org, rows + int(rng.integers(-5, 6)), rng)
    mentoring = pd.DataFrame(
        {
            "programme_id": [f"{org}-m1", f"{org}-m2"],
            "title": ["Программа наставничества № 1", "План наставничества № 2"],
            "form": ["programme", "plan"],
        }
    )
    path = Path(folder) / f"{org}.xlsx"
    write_form(
        profile,
        path,
        unit_id=org,
        period=PERIOD,
        rows={"staff": staff, "mentoring_programmes": mentoring},
    )
    return str(path)


def generate(folder: Path, n_files: int, rows: int) -> list[Path]:
    """Write the forms (or reuse those already there)."""
    folder.mkdir(parents=True, exist_ok=True)
    orgs = [f"b{i:04d}" for i in range(n_files)]
    missing = [o for o in orgs if not (folder / f"{o}.xlsx").exists()]
    if missing:
        print(f"generating {len(missing)} forms into {folder} (not timed) …", flush=True)
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            list(pool.map(_write_one, [(str(folder), o, rows) for o in missing], chunksize=20))
    return [folder / f"{o}.xlsx" for o in orgs]


def reference(n_files: int) -> pedprof.Dataset:
    """The register the forms are checked against (1,000 schools in one municipality)."""
    orgs = pd.DataFrame(
        {
            "org_id": [f"b{i:04d}" for i in range(n_files)],
            "name": [f"Школа {i}" for i in range(n_files)],
            "municipality_id": "bench",
            "kind": "school",
            "valid_from": pd.NaT,
            "valid_to": pd.NaT,
            "successor_id": None,
        }
    )
    return pedprof.Dataset(
        regions=pd.DataFrame({"region_id": ["r"], "name": ["Регион"]}),
        municipalities=pd.DataFrame(
            {"municipality_id": ["bench"], "name": ["Муниципалитет"], "region_id": ["r"]}
        ),
        organizations=orgs,
    )


def compare_readers(paths: list[Path]) -> None:
    """Raw read time of the same workbooks with each candidate reader (no validation)."""
    import openpyxl
    from python_calamine import CalamineWorkbook

    def pandas_openpyxl(p: Path) -> None:
        pd.read_excel(p, sheet_name=None, engine="openpyxl")

    def pandas_calamine(p: Path) -> None:
        pd.read_excel(p, sheet_name=None, engine="calamine")

    def openpyxl_read_only(p: Path) -> None:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for _ in ws.iter_rows(values_only=True):
                pass
        wb.close()

    def raw_calamine(p: Path) -> None:
        with CalamineWorkbook.from_path(str(p)) as wb:
            for name in wb.sheet_names:
                wb.get_sheet_by_name(name).to_python(skip_empty_area=False)

    for name, read in (
        ("pandas.read_excel, openpyxl", pandas_openpyxl),
        ("openpyxl read-only iteration", openpyxl_read_only),
        ("pandas.read_excel, calamine", pandas_calamine),
        ("python-calamine, raw", raw_calamine),
    ):
        t0 = time.perf_counter()
        for path in paths:
            read(path)
        print(f"  reader {name}: {time.perf_counter() - t0:.2f} s for {len(paths)} files")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=60)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument(
        "--compare-readers",
        type=int,
        default=0,
        metavar="N",
        help="first time N files with each candidate reader (raw reading only)",
    )
    args = parser.parse_args()
    profile = pedprof.get_profile(PROFILE)
    tag = fingerprint(profile.source("staff"))
    folder = args.dir or Path(tempfile.gettempdir()) / f"pedprof-ingest-{tag}-{args.rows}"
    paths = generate(folder, args.files, args.rows)
    ref = reference(args.files)
    if args.compare_readers:
        compare_readers(paths[: args.compare_readers])

    t0 = time.perf_counter()
    baseline_rows = 0
    with warnings.catch_warnings():
        # pandas 3.1 announces that its default .xlsx engine will change; the baseline
        # is deliberately today's default (openpyxl).
        warnings.filterwarnings("ignore", message="The default engine for reading")
        for path in paths:
            sheets = pd.read_excel(path, sheet_name=None)
            baseline_rows += sum(len(s) for s in sheets.values())
    baseline = time.perf_counter() - t0
    print(
        f"baseline: pandas.read_excel(sheet_name=None), default engine: {baseline:.2f} s "
        f"({len(paths)} files, {baseline_rows} rows incl. headers and hidden sheets)"
    )

    t0 = time.perf_counter()
    result = read_submissions(profile, paths, reference=ref)
    ours = time.perf_counter() - t0
    print(
        f"pedprof: read_submissions (read + full validation + consolidation): {ours:.2f} s "
        f"({result.submitted} rows submitted, {result.accepted} accepted, "
        f"{result.rejected} rejected)"
    )
    assert result.rejected == 0, result.errors.head()
    assert result.submitted == result.accepted
    print(f"ratio={ours / baseline:.3f}")


if __name__ == "__main__":
    main()
