"""National-scale benchmark of ``pedprof``'s engine against plain pandas.

A synthetic national dataset — 85 regions, 2,500 municipalities, 100,000 organisations and
about 2,000,000 staff records over four school years, with a category and twenty
boolean/numeric attributes per record — and twenty share indicators with a mix of
populations (teachers, managers, everyone, conditional subsets such as «age < 35» or
«among those who passed the assessment»), computed at all three levels:

* by ``pedprof.engine._core.compute_indicators`` (the full tidy result frame, with states and
  previous values);
* by the idiomatic plain-pandas baseline: boolean masks, one ``groupby``-sum of all
  numerators and denominators per level, then divide (wide frames per level).

Each side runs in fresh subprocesses of this script on the same data (written once to a
temporary pickle), alternating over ``--rounds`` rounds, so that neither inherits the
other's heap: the time is the best round, the peak memory the growth of the resident set
(``VmHWM``, reset through ``/proc/self/clear_refs`` after the data is loaded) during the
run. The parent checks that both agree on every unit, period and level (numerators and
denominators exactly, values within 1e-9) and prints last ``ratio=<pedprof/baseline>``.

No person appears twice in one period, so that the plain groupby-sum of the baseline is
correct; the engine still checks for such repeats, as it must.

Run with ``uv run python benchmarks/compute.py`` (about a minute on two cores).
"""

from __future__ import annotations

import argparse
import gc
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pedprof.engine._core import compute_indicators
from pedprof.model.conditions import Condition, always, col
from pedprof.model.data import Dataset
from pedprof.model.indicators import Indicator, IndicatorKind
from pedprof.model.periods import PeriodKind

N_REGIONS = 85
N_MUNICIPALITIES = 2_500
N_ORGANIZATIONS = 100_000
N_RECORDS = 2_000_000
PERIODS = ("2021-2022", "2022-2023", "2023-2024", "2024-2025")
SEED = 20250901
LEVEL_KEYS = (
    ("organization", "org_id"),
    ("municipality", "municipality_id"),
    ("region", "region_id"),
)

# ----------------------------------------------------------------------------- data

BOOLEAN_COLUMNS = {
    # column: share of True among the rows where it is filled
    "higher_education": 0.85,
    "qualification_first": 0.35,
    "qualification_highest": 0.30,
    "course_completed": 0.55,
    "course_digital": 0.30,
    "course_federal_list": 0.25,
    "mentee": 0.20,
    "mentor": 0.12,
    "passed_assessment": 0.40,
    "assessment_successful": 0.80,  # filled only for those who passed
    "methodical_association": 0.60,
    "contest_participant": 0.25,
    "contest_winner": 0.30,  # filled only for participants
    "individual_route": 0.45,
    "diagnostics_passed": 0.50,
    "professional_community": 0.35,
    "published_materials": 0.15,
}


def make_dataset(seed: int = SEED, *, text_keys: bool = False) -> Dataset:
    """The synthetic national dataset, with the dtypes a real loader gives.

    The period, organisation and category columns of the staff table are categorical
    (text with ``text_keys``, as :mod:`pedprof.io` gives them); the person id is text;
    yes/no attributes are nullable booleans (missing where they do not apply), age and
    experience nullable integers, the course hours and diagnostics score floats.

    :param seed: seed of the generator.
    :param text_keys: period, org_id and category as the ``string`` dtype.
    :returns: the dataset with one table, ``staff``.
    """
    rng = np.random.default_rng(seed)
    region_ids = np.array([f"r{i:02d}" for i in range(N_REGIONS)], dtype=object)
    muni_ids = np.array([f"m{i:04d}" for i in range(N_MUNICIPALITIES)], dtype=object)
    org_ids = np.array([f"oo{i:06d}" for i in range(N_ORGANIZATIONS)], dtype=object)
    muni_region = np.concatenate(
        [np.arange(N_REGIONS), rng.integers(0, N_REGIONS, N_MUNICIPALITIES - N_REGIONS)]
    )
    org_muni = np.concatenate(
        [
            np.arange(N_MUNICIPALITIES),
            rng.integers(0, N_MUNICIPALITIES, N_ORGANIZATIONS - N_MUNICIPALITIES),
        ]
    )
    kinds = rng.choice(
        ["school", "kindergarten", "additional_education", "other"],
        N_ORGANIZATIONS,
        p=[0.45, 0.40, 0.10, 0.05],
    )
    # Half a percent of the organisations merge into a neighbour after the second year.
    closing = rng.choice(N_ORGANIZATIONS, N_ORGANIZATIONS // 200, replace=False)
    valid_to = np.full(N_ORGANIZATIONS, None, dtype=object)
    successor = np.full(N_ORGANIZATIONS, None, dtype=object)
    valid_to[closing] = "2023-08-31"
    successor[closing] = org_ids[(closing + 1) % N_ORGANIZATIONS]
    successor[closing[np.isin((closing + 1) % N_ORGANIZATIONS, closing)]] = None
    regions = pd.DataFrame({"region_id": region_ids, "name": [f"Регион {r}" for r in region_ids]})
    municipalities = pd.DataFrame(
        {
            "municipality_id": muni_ids,
            "name": [f"Муниципалитет {m}" for m in muni_ids],
            "region_id": region_ids[muni_region],
        }
    )
    organizations = pd.DataFrame(
        {
            "org_id": org_ids,
            "name": [f"ОО {o}" for o in org_ids],
            "municipality_id": muni_ids[org_muni],
            "kind": kinds,
            "valid_from": None,
            "valid_to": valid_to,
            "successor_id": successor,
        }
    )

    # A stable workforce: each person has a home organisation and works there in most
    # years; each period holds N_RECORDS / 4 distinct persons.
    per_period = N_RECORDS // len(PERIODS)
    n_persons = int(per_period * 1.15)
    home = rng.integers(0, N_ORGANIZATIONS, n_persons)
    birth = rng.integers(1955, 2003, n_persons)
    start = np.minimum(birth + rng.integers(21, 30, n_persons), 2024)
    manager = rng.random(n_persons) < 0.12
    closed = np.zeros(N_ORGANIZATIONS, dtype=bool)
    closed[closing] = True
    rows, period_code = [], []
    for j in range(len(PERIODS)):
        present = np.flatnonzero(~(closed[home] & (j >= 2)))
        chosen = np.sort(rng.choice(present, per_period, replace=False))
        rows.append(chosen)
        period_code.append(np.full(per_period, j, dtype=np.int8))
    person = np.concatenate(rows)
    pcode = np.concatenate(period_code)
    n = len(person)
    year = 2021 + pcode.astype(np.int64)
    person_ids = np.array([f"p{i:07d}" for i in range(n_persons)], dtype=object)

    staff: dict[str, Any] = {
        "period": pd.Categorical.from_codes(pcode, categories=list(PERIODS)),
        "org_id": pd.Categorical.from_codes(home[person], categories=org_ids),
        "person_id": pd.array(person_ids[person], dtype="str"),
        "category": pd.Categorical.from_codes(
            manager[person].astype(np.int8), categories=["teacher", "manager"]
        ),
        "age": pd.array(year - birth[person], dtype="Int64"),
        "experience_years": pd.array(np.maximum(year - start[person], 0), dtype="Int64"),
    }
    for name, p in BOOLEAN_COLUMNS.items():
        staff[name] = rng.random(n) < p
    staff["course_hours"] = np.where(
        staff["course_completed"], rng.choice([16.0, 36.0, 72.0, 108.0, 144.0], n), 0.0
    )
    staff["diagnostics_score"] = np.where(
        staff["diagnostics_passed"], np.round(rng.uniform(20, 100, n), 1), np.nan
    )
    for name, filled_when in (
        ("assessment_successful", "passed_assessment"),
        ("contest_winner", "contest_participant"),
    ):
        staff[name] = pd.arrays.BooleanArray(staff[name], ~staff[filled_when])
    for name in BOOLEAN_COLUMNS:
        if not isinstance(staff[name], pd.arrays.BooleanArray):
            staff[name] = pd.array(staff[name], dtype="boolean")
    # A few unknown ages, as real submissions have.
    unknown_age = rng.random(n) < 0.002
    staff["age"][unknown_age] = pd.NA
    frame = pd.DataFrame(staff)
    if text_keys:
        frame = frame.astype({"period": "string", "org_id": "string", "category": "string"})
    return Dataset(
        regions=regions,
        municipalities=municipalities,
        organizations=organizations,
        tables={"staff": frame},
    )


# ----------------------------------------------------------------------- indicators

TEACHERS = col("category").eq("teacher")
MANAGERS = col("category").eq("manager")
SPECS: list[tuple[str, Condition, Condition]] = [
    # id, population (denominator), numerator
    ("n01", TEACHERS, col("qualification_first").true() | col("qualification_highest").true()),
    ("n02", TEACHERS, col("higher_education").true()),
    ("n03", TEACHERS, col("course_completed").true()),
    ("n04", MANAGERS, col("course_completed").true()),
    ("n05", always(), col("course_digital").true()),
    ("n06", TEACHERS, col("course_federal_list").true()),
    ("n07", TEACHERS & col("age").lt(35), col("mentee").true()),
    ("n08", col("passed_assessment").true(), col("assessment_successful").true()),
    ("n09", TEACHERS, col("passed_assessment").true()),
    ("n10", MANAGERS, col("passed_assessment").true()),
    ("n11", TEACHERS, col("methodical_association").true()),
    ("n12", TEACHERS, col("contest_participant").true()),
    ("n13", col("contest_participant").true(), col("contest_winner").true()),
    ("n14", TEACHERS, col("individual_route").true()),
    ("n15", always(), col("diagnostics_passed").true()),
    ("n16", col("diagnostics_passed").true(), col("diagnostics_score").ge(70)),
    ("n17", TEACHERS & col("course_completed").true(), col("course_hours").ge(72)),
    ("n18", TEACHERS & col("experience_years").ge(10), col("mentor").true()),
    ("n19", always(), col("professional_community").true()),
    ("n20", TEACHERS & col("experience_years").lt(3), col("mentee").true()),
]


def indicators() -> list[Indicator]:
    """The twenty share indicators of the benchmark."""
    return [
        Indicator(
            id=ind_id,
            name=f"Показатель {ind_id}",
            kind=IndicatorKind.SHARE,
            table="staff",
            population=population,
            numerator=numerator,
        )
        for ind_id, population, numerator in SPECS
    ]


# ------------------------------------------------------------------------- both sides


def run_pedprof(data: Dataset) -> pd.DataFrame:
    """All twenty indicators at all three levels with pedprof's engine."""
    return compute_indicators(indicators(), data, period_kind=PeriodKind.SCHOOL_YEAR)


def _flag(series: pd.Series) -> pd.Series:
    return series.fillna(False).astype(bool)


def baseline_masks(staff: pd.DataFrame) -> dict[str, tuple[pd.Series, pd.Series]]:
    """The twenty (denominator, numerator) masks written directly in pandas."""
    teachers = staff["category"] == "teacher"
    managers = staff["category"] == "manager"
    everyone = pd.Series(True, index=staff.index)
    f = {name: _flag(staff[name]) for name in BOOLEAN_COLUMNS}
    age_lt_35 = _flag(staff["age"] < 35)
    exp_ge_10 = _flag(staff["experience_years"] >= 10)
    exp_lt_3 = _flag(staff["experience_years"] < 3)
    pairs = {
        "n01": (teachers, f["qualification_first"] | f["qualification_highest"]),
        "n02": (teachers, f["higher_education"]),
        "n03": (teachers, f["course_completed"]),
        "n04": (managers, f["course_completed"]),
        "n05": (everyone, f["course_digital"]),
        "n06": (teachers, f["course_federal_list"]),
        "n07": (teachers & age_lt_35, f["mentee"]),
        "n08": (f["passed_assessment"], f["assessment_successful"]),
        "n09": (teachers, f["passed_assessment"]),
        "n10": (managers, f["passed_assessment"]),
        "n11": (teachers, f["methodical_association"]),
        "n12": (teachers, f["contest_participant"]),
        "n13": (f["contest_participant"], f["contest_winner"]),
        "n14": (teachers, f["individual_route"]),
        "n15": (everyone, f["diagnostics_passed"]),
        "n16": (f["diagnostics_passed"], staff["diagnostics_score"] >= 70),
        "n17": (teachers & f["course_completed"], staff["course_hours"] >= 72),
        "n18": (teachers & exp_ge_10, f["mentor"]),
        "n19": (everyone, f["professional_community"]),
        "n20": (teachers & exp_lt_3, f["mentee"]),
    }
    return {k: (den, den & num) for k, (den, num) in pairs.items()}


def run_baseline(data: Dataset) -> dict[str, pd.DataFrame]:
    """The same numbers in idiomatic plain pandas: masks, groupby-sum per level, divide.

    :returns: per level, one row per unit and period with the columns
        ``numerator_<id>``, ``denominator_<id>`` and ``value_<id>`` of every indicator.
    """
    staff = data.tables["staff"]
    org_muni = data.organizations.set_index("org_id")["municipality_id"]
    muni_region = data.municipalities.set_index("municipality_id")["region_id"]
    columns: dict[str, Any] = {"period": staff["period"], "org_id": staff["org_id"]}
    columns["municipality_id"] = staff["org_id"].map(org_muni)
    columns["region_id"] = columns["municipality_id"].map(muni_region)
    masks = baseline_masks(staff)
    for ind_id, (den, num) in masks.items():
        columns[f"numerator_{ind_id}"] = num
        columns[f"denominator_{ind_id}"] = den
    frame = pd.DataFrame(columns)
    counted = [c for c in columns if c.startswith(("numerator_", "denominator_"))]
    out = {}
    for level, key in LEVEL_KEYS:
        sums = frame.groupby([key, "period"], observed=True)[counted].sum()
        values = {
            f"value_{ind_id}": 100.0 * sums[f"numerator_{ind_id}"] / sums[f"denominator_{ind_id}"]
            for ind_id in masks
        }
        out[level] = pd.concat([sums, pd.DataFrame(values)], axis=1)
    return out


def _tidy_baseline(result: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The baseline's wide frames as one long frame (for the agreement check)."""
    parts = []
    for level, key in LEVEL_KEYS:
        sums = result[level]
        unit = sums.index.get_level_values(key).astype(str)
        period = sums.index.get_level_values("period").astype(str)
        for ind_id, _, _ in SPECS:
            parts.append(
                pd.DataFrame(
                    {
                        "indicator": ind_id,
                        "level": level,
                        "unit": unit,
                        "period": period,
                        "numerator": sums[f"numerator_{ind_id}"].to_numpy(),
                        "denominator": sums[f"denominator_{ind_id}"].to_numpy(),
                        "value": sums[f"value_{ind_id}"].to_numpy(),
                    }
                )
            )
    return pd.concat(parts, ignore_index=True)


SIDES: dict[str, Callable[[Dataset], Any]] = {
    "pedprof": run_pedprof,
    "baseline": run_baseline,
}

# ---------------------------------------------------------------------- measurement


def _status(field: str) -> int:
    """A ``/proc/self/status`` field in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(field)


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _tiny(data: Dataset) -> Dataset:
    """A small slice of the data to warm up lazy imports and caches of both sides."""
    staff = data.tables["staff"]
    small = staff.iloc[:5_000].copy()
    return Dataset(
        regions=data.regions,
        municipalities=data.municipalities,
        organizations=data.organizations,
        tables={"staff": small},
    )


def _codes(values: pd.Series, index: pd.Index) -> np.ndarray:
    """Positions of ``values`` in ``index`` (cheaply for categoricals)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return index.get_indexer(values.cat.categories.astype(str))[values.cat.codes.to_numpy()]
    return index.get_indexer(values.astype(str))


def _reduce(result: Any, side: str, data: Dataset) -> pd.DataFrame:
    """The cells with a value, keyed by one integer, for the agreement check."""
    if side == "pedprof":
        frame = result[(result["state"] == "value").to_numpy()]
    else:
        frame = _tidy_baseline(result)
        frame = frame[(frame["denominator"] > 0).to_numpy()]
    units = pd.Index(
        pd.concat(
            [
                data.organizations["org_id"],
                data.municipalities["municipality_id"],
                data.regions["region_id"],
            ]
        ).astype(str)
    )
    parts = [
        (_codes(frame["indicator"], pd.Index([s[0] for s in SPECS])), len(SPECS)),
        (_codes(frame["level"], pd.Index([lv for lv, _ in LEVEL_KEYS])), len(LEVEL_KEYS)),
        (_codes(frame["unit"], units), len(units)),
        (_codes(frame["period"], pd.Index(PERIODS)), len(PERIODS)),
    ]
    key = np.zeros(len(frame), dtype=np.int64)
    for codes, size in parts:
        if (codes < 0).any():
            raise SystemExit(f"{side}: unexpected keys in the result")
        key = key * size + codes
    order = np.argsort(key, kind="stable")
    return pd.DataFrame(
        {
            "key": key[order],
            "numerator": frame["numerator"].to_numpy(dtype=float)[order],
            "denominator": frame["denominator"].to_numpy(dtype=float)[order],
            "value": frame["value"].to_numpy(dtype=float)[order],
        }
    )


def child(side: str, data_path: str, out_path: str, keep_result: bool) -> None:
    """Load the data, run one side once; write its time, memory and (optionally) result."""
    with open(data_path, "rb") as fh:
        data = pickle.load(fh)
    run = SIDES[side]
    run(_tiny(data))
    gc.collect()
    can_reset = _reset_peak()
    rss_before = _status("VmRSS")
    if can_reset:
        _reset_peak()
    t0, c0 = time.perf_counter(), time.process_time()
    result = run(data)
    report = {
        "time": time.perf_counter() - t0,
        "cpu": time.process_time() - c0,
        "memory": _status("VmHWM") - rss_before if can_reset else float("nan"),
        "cells": len(result) if side == "pedprof" else len(SPECS) * sum(map(len, result.values())),
    }
    reduced = _reduce(result, side, data) if keep_result else None
    with open(out_path, "wb") as fh:
        pickle.dump((report, reduced), fh, protocol=pickle.HIGHEST_PROTOCOL)


def check_agreement(ours: pd.DataFrame, theirs: pd.DataFrame) -> str:
    """Fail unless both sides have the same cells with the same numbers."""
    a, b = ours["key"].to_numpy(), theirs["key"].to_numpy()
    if len(a) != len(b) or not np.array_equal(a, b):
        only = np.setxor1d(a, b)
        raise SystemExit(
            f"the two sides disagree on which cells have a value ({len(a):,} vs {len(b):,} "
            f"cells; {len(only):,} differ)"
        )
    for column in ("numerator", "denominator"):
        if not np.array_equal(ours[column].to_numpy(), theirs[column].to_numpy()):
            raise SystemExit(f"the two sides disagree on {column}")
    diff = np.abs(ours["value"].to_numpy() - theirs["value"].to_numpy())
    worst = float(diff.max()) if len(diff) else 0.0
    if not worst <= 1e-9:
        raise SystemExit(f"the two sides disagree on values: max |difference| = {worst}")
    return f"agree: {len(a):,} cells with a value, max |difference| = {worst:.1e}"


def _mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark (or, with ``--child``, one side of it)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rounds", type=int, default=2, help="runs per side, alternating (best time)"
    )
    parser.add_argument(
        "--text-keys",
        action="store_true",
        help="period, org_id and category as text (as pedprof.io loads them), not categorical",
    )
    parser.add_argument("--child", choices=sorted(SIDES), help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--keep-result", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.data, args.out, args.keep_result)
        return

    t0 = time.perf_counter()
    data = make_dataset(text_keys=args.text_keys)
    staff = data.tables["staff"]
    print(
        f"data: {len(staff):,} staff records, {len(data.organizations):,} organisations, "
        f"{len(data.municipalities):,} municipalities, {len(data.regions)} regions, "
        f"{staff['period'].nunique()} periods, keys "
        f"{'text' if args.text_keys else 'categorical'}; {len(SPECS)} share indicators "
        f"× 3 levels (generated in {time.perf_counter() - t0:.1f} s)",
        flush=True,
    )
    runs: dict[str, list[dict[str, Any]]] = {side: [] for side in SIDES}
    reduced: dict[str, pd.DataFrame] = {}
    with tempfile.TemporaryDirectory(prefix="pedprof-bench-") as tmp:
        data_path = os.path.join(tmp, "data.pkl")
        with open(data_path, "wb") as fh:
            pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
        del data, staff
        for round_ in range(max(args.rounds, 1)):
            order = ("baseline", "pedprof") if round_ % 2 == 0 else ("pedprof", "baseline")
            for side in order:
                out_path = os.path.join(tmp, f"{side}.pkl")
                cmd = [sys.executable, __file__, "--child", side]
                cmd += ["--data", data_path, "--out", out_path]
                if round_ == 0:
                    cmd.append("--keep-result")
                subprocess.run(cmd, check=True)
                with open(out_path, "rb") as fh:
                    report, result = pickle.load(fh)
                runs[side].append(report)
                if result is not None:
                    reduced[side] = result
    best = {side: min(r["time"] for r in runs[side]) for side in SIDES}
    cpu = {side: min(r["cpu"] for r in runs[side]) for side in SIDES}
    memory = {side: max(r["memory"] for r in runs[side]) for side in SIDES}
    for side in ("baseline", "pedprof"):
        print(
            f"{side:>8}: {best[side]:.2f} s (runs: "
            + ", ".join(f"{r['time']:.2f}" for r in runs[side])
            + f"; CPU {cpu[side]:.2f} s), peak memory +{_mib(memory[side])} over the loaded "
            f"data, {runs[side][0]['cells']:,} cells"
        )
    print(check_agreement(reduced["pedprof"], reduced["baseline"]))
    print(f"memory_ratio={memory['pedprof'] / memory['baseline']:.2f}")
    print(f"cpu_ratio={cpu['pedprof'] / cpu['baseline']:.2f}")
    print(f"ratio={best['pedprof'] / best['baseline']:.2f}")


if __name__ == "__main__":
    main()
