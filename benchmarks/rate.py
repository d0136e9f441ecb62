"""Benchmark of ``pedprof.rating.rate`` against the same computation in plain pandas.

Synthetic results of ``pedprof.compute``'s shape: 100,000 organisations in 2,500
municipalities in 85 regions, 20 indicators, 2 periods (about 4.2 million rows, with the
categorical columns ``compute`` returns, and again as plain text columns without
``previous_value``). Both sides rate the organisations within their municipality on the
latest period, with the coverage rule and standard competition ranks (1, 2, 2, 4), once
with min–max normalisation and once with points by state. The baseline is what one would
write directly with ``groupby`` + ``rank``; the two must agree on every score and rank.
The ratio is the total pedprof time over the total baseline time of the four runs.

Run with ``uv run python benchmarks/rate.py``; the last line is ``ratio=<pedprof/baseline>``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from pedprof.rating import rate

N_ORGANIZATIONS = 100_000
N_MUNICIPALITIES = 2_500
N_REGIONS = 85
N_INDICATORS = 20
PERIODS = ("2023-2024", "2024-2025")
STARTS = pd.to_datetime(["2023-09-01", "2024-09-01"])
MIN_COVERAGE = 0.5
REPEATS = 2
SEED = 20240901

INDICATORS = [f"k{i + 1:02d}" for i in range(N_INDICATORS)]
# k04 and k09 are "lower is better"; k01–k12 have numeric targets; k16–k20 are counts.
DIRECTIONS = {k: (-1 if k in ("k04", "k09") else 1) for k in INDICATORS}
WEIGHTS = {k: 1.0 + (i % 3) for i, k in enumerate(INDICATORS)}


def synthetic_results(seed: int = SEED) -> pd.DataFrame:
    """Build a results frame of ``pedprof.compute``'s shape directly with numpy.

    :param seed: seed of the generator.
    :returns: the tidy results frame.
    """
    rng = np.random.default_rng(seed)
    mun_region = rng.integers(0, N_REGIONS, N_MUNICIPALITIES)
    org_mun = rng.integers(0, N_MUNICIPALITIES, N_ORGANIZATIONS)
    regions = [f"r{i:02d}" for i in range(N_REGIONS)]
    municipalities = [f"m{i:04d}" for i in range(N_MUNICIPALITIES)]
    organizations = [f"oo{i:06d}" for i in range(N_ORGANIZATIONS)]
    units = pd.Index(regions + municipalities + organizations)
    reg0, mun0, org0 = 0, N_REGIONS, N_REGIONS + N_MUNICIPALITIES
    m, p = N_INDICATORS, len(PERIODS)
    is_count = np.arange(m) >= 15
    has_target = np.arange(m) < 12
    direction = np.array([DIRECTIONS[k] for k in INDICATORS])
    target_by_ind = np.where(direction > 0, rng.uniform(40, 80, m), rng.uniform(5, 20, m))
    target_by_ind[is_count] = rng.integers(2, 8, is_count.sum())

    parts = []
    for level, unit_codes, parent_codes, p_na in (
        ("organization", org0 + np.arange(N_ORGANIZATIONS), mun0 + org_mun, (0.07, 0.03)),
        ("municipality", mun0 + np.arange(N_MUNICIPALITIES), reg0 + mun_region, (0.01, 0.0)),
        ("region", reg0 + np.arange(N_REGIONS), np.full(N_REGIONS, -1), (0.0, 0.0)),
    ):
        n = len(unit_codes)
        size = n * m * p
        unit = np.repeat(unit_codes, m * p)
        parent = np.repeat(parent_codes, m * p)
        ind = np.tile(np.repeat(np.arange(m), p), n)
        per = np.tile(np.arange(p), n * m)
        u = rng.uniform(size=size)
        state = np.where(u < p_na[0], 1, np.where(u < p_na[0] + p_na[1], 2, 0))
        den = rng.integers(5, 120, size).astype(float)
        share = np.clip(rng.beta(4, 3, size) * 100 + 4 * per, 0, 100)
        num = np.round(share * den / 100)
        count = rng.poisson(5 + per, size).astype(float)
        value = np.where(is_count[ind], count, 100 * num / den)
        value = np.where(state == 0, value, np.nan)
        num = np.where(is_count[ind], count, num)
        den = np.where(is_count[ind] | (state == 2), np.where(state == 2, 0.0, np.nan), den)
        prev = np.full(size, np.nan)
        prev[per == 1] = value[per == 0]
        target = np.where(has_target[ind], target_by_ind[ind], np.nan)
        met_known = (state == 0) & has_target[ind]
        met = np.where(direction[ind] > 0, value >= target, value <= target)
        parts.append(
            pd.DataFrame(
                {
                    "indicator": np.asarray(INDICATORS, dtype=object)[ind],
                    "breakdown": None,
                    "level": level,
                    "unit": unit,
                    "parent": parent,
                    "period": per,
                    "numerator": np.where(state == 1, np.nan, num),
                    "denominator": den,
                    "value": value,
                    "state": state,
                    "previous_value": prev,
                    "target": target,
                    "target_met": pd.arrays.BooleanArray(met & met_known, ~met_known),
                    "target_due": per == p - 1,
                }
            )
        )
    raw = pd.concat(parts, ignore_index=True)
    # The dtypes pedprof.compute returns.
    return pd.DataFrame(
        {
            "indicator": raw["indicator"].astype("string"),
            "breakdown": pd.array(raw["breakdown"].to_numpy(), dtype="string"),
            "level": pd.Categorical(
                raw["level"], categories=["organization", "municipality", "region"]
            ),
            "unit": pd.Categorical.from_codes(raw["unit"].to_numpy(), categories=units),
            "parent": pd.Categorical.from_codes(raw["parent"].to_numpy(), categories=units),
            "period": pd.Categorical.from_codes(
                raw["period"].to_numpy(), categories=list(PERIODS), ordered=True
            ),
            "period_start": STARTS[raw["period"].to_numpy()],
            "numerator": raw["numerator"],
            "denominator": raw["denominator"],
            "value": raw["value"],
            "state": pd.Categorical.from_codes(
                raw["state"].to_numpy(), categories=["value", "no_data", "not_applicable"]
            ),
            "previous_value": raw["previous_value"],
            "target": raw["target"],
            "target_met": raw["target_met"],
            "target_due": raw["target_due"].to_numpy(dtype=bool),
        }
    )


def baseline(results: pd.DataFrame, method: str) -> pd.DataFrame:
    """The rating written plainly in pandas: filter, normalise, weight, cover, rank.

    :param results: the results frame.
    :param method: ``"minmax"`` or ``"points"``.
    :returns: ``score`` and ``rank`` indexed by unit (ranked units only).
    """
    totals = results[(results["level"] == "organization") & results["breakdown"].isna()]
    starts = totals.groupby("period", observed=True)["period_start"].first().sort_values()
    latest = starts.index[-1]
    cur = totals[totals["period"] == latest]
    parent = cur.groupby("unit", observed=True)["parent"].first()
    has = cur["state"] == "value"
    v = cur[has]
    d = v["indicator"].map(DIRECTIONS).astype(float)
    if method == "minmax":
        g = v.groupby(["parent", "indicator"], observed=True)["value"]
        lo, hi = g.transform("min"), g.transform("max")
        s = ((v["value"] - lo).where(d > 0, hi - v["value"]) / (hi - lo)).where(hi > lo, 0.5)
    else:
        if "previous_value" not in v.columns:
            before = totals[(totals["period"] == starts.index[-2]) & (totals["state"] == "value")]
            prev_values = before.set_index(["unit", "indicator"])["value"]
            keys = pd.MultiIndex.from_arrays([v["unit"], v["indicator"]])
            v = v.assign(previous_value=prev_values.reindex(keys).to_numpy())
        x, prev = v["value"], v["previous_value"]
        better = (d * (x - prev) > 0) & ~np.isclose(x, prev, rtol=1e-9, atol=1e-12)
        s = pd.Series(
            np.where(v["target_met"].fillna(False), 2.0, np.where(better, 1.0, 0.0)) / 2.0,
            index=v.index,
        )
    w = v["indicator"].map(WEIGHTS).astype(float)
    by_unit = v["unit"]
    score = (
        100
        * (s * w).groupby(by_unit, observed=True).sum()
        / w.groupby(by_unit, observed=True).sum()
    )
    n_value = has.groupby(cur["unit"], observed=True).sum()
    n_na = (cur["state"] == "not_applicable").groupby(cur["unit"], observed=True).sum()
    coverage = n_value / (N_INDICATORS - n_na)
    ranked = coverage[coverage >= MIN_COVERAGE].index
    score = score.reindex(ranked)
    rank = (
        score.round(9)
        .groupby(parent.reindex(ranked), observed=True)
        .rank(method="min", ascending=False)
    )
    return pd.DataFrame({"score": score, "rank": rank})


def contract_frame(results: pd.DataFrame) -> pd.DataFrame:
    """The same results as the plain contract: text columns, no ``previous_value``.

    :param results: the frame of :func:`synthetic_results`.
    :returns: the converted frame.
    """
    text = {c: "str" for c in ("indicator", "level", "unit", "parent", "period", "state")}
    return results.drop(columns="previous_value").astype(text)


def pedprof_rate(results: pd.DataFrame, method: str) -> Any:
    """The same rating through pedprof.

    :param results: the results frame.
    :param method: the method.
    :returns: the rating.
    """
    return rate(
        results,
        level="organization",
        method=method,  # type: ignore[arg-type]
        weights=WEIGHTS,
        directions=DIRECTIONS,
        min_coverage=MIN_COVERAGE,
        ties="min",
        sensitivity=False,
    )


def best_time(fn: Callable[[], Any], repeats: int = REPEATS) -> tuple[float, Any]:
    """:returns: the best wall time of ``repeats`` calls and the last result."""
    best, out = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def check_agree(rating: Any, base: pd.DataFrame) -> None:
    """Stop unless pedprof and the baseline rank the same units with the same scores."""
    r = rating.ranking
    ours = r.loc[r["ranked"]].set_index("unit")
    theirs = base.copy()
    theirs.index = theirs.index.astype(str)
    if set(ours.index) != set(theirs.index):
        sys.exit("disagree: different ranked units")
    theirs = theirs.loc[ours.index]
    if not np.allclose(ours["score"].to_numpy(), theirs["score"].to_numpy(), rtol=0, atol=1e-9):
        sys.exit("disagree: scores differ")
    if not (ours["rank"].to_numpy(dtype=float) == theirs["rank"].to_numpy()).all():
        sys.exit("disagree: ranks differ")


def main() -> None:
    """Build the data, time both sides per method, print the figures and the ratio."""
    t0 = time.perf_counter()
    results = synthetic_results()
    print(
        f"data: {len(results):,} rows, {N_ORGANIZATIONS:,} organisations in "
        f"{N_MUNICIPALITIES:,} municipalities, {N_REGIONS} regions, {N_INDICATORS} indicators, "
        f"{len(PERIODS)} periods (built in {time.perf_counter() - t0:.1f} s)"
    )
    total_ours = total_base = 0.0
    plain = contract_frame(results)
    for form, frame in (("categorical", results), ("plain text", plain)):
        for method in ("minmax", "points"):
            t_base, base = best_time(lambda f=frame, m=method: baseline(f, m))
            t_ours, ours = best_time(lambda f=frame, m=method: pedprof_rate(f, m))
            check_agree(ours, base)
            total_ours += t_ours
            total_base += t_base
            print(
                f"{form:>11} {method:>6}: pedprof {t_ours:.3f} s, baseline {t_base:.3f} s, "
                f"ratio {t_ours / t_base:.2f}; "
                f"agree on {int(ours.ranking['ranked'].sum()):,} ranks"
            )
    del plain
    rating = pedprof_rate(results, "minmax")
    t_dec, dec = best_time(lambda: rating.decomposition.shape, repeats=1)
    print(f"decomposition on first access: {t_dec:.3f} s for {dec[0]:,} rows (not in the ratio)")
    t_sens, _ = best_time(
        lambda: rate(results, method="minmax", weights=WEIGHTS, directions=DIRECTIONS), repeats=1
    )
    print(f"with sensitivity (100 weight draws + 3 methods): {t_sens:.3f} s (not in the ratio)")
    print(f"ratio={total_ours / total_base:.2f}")


if __name__ == "__main__":
    main()
