"""Every computed value of every shipped profile's sample, frozen before the profiles moved
to declaration files (issue «A municipality writes its profile as one declaration file»).

The fixtures in ``tests/fixtures/frozen/`` were written once from
``pedprof.compute(profile, load_sample(profile))`` before any profile changed; a change of
any count, value, state or target judgement fails here. Counts compare exactly, values as
equal floats (the CSV keeps every float's shortest round-trip text).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import pedprof

FROZEN = Path(__file__).parent / "fixtures" / "frozen"
PROFILES = ("chelyabinsk", "karabash", "magnitogorsk", "petrovsk")
KEY = ("indicator", "breakdown", "level", "unit", "period")
COLUMNS = (
    *KEY,
    "parent",
    "numerator",
    "denominator",
    "value",
    "state",
    "previous_value",
    "target",
    "target_met",
    "target_due",
)
TEXT = ("indicator", "breakdown", "level", "unit", "period", "parent", "state")
NUMBERS = ("numerator", "denominator", "value", "previous_value", "target")


def frozen_path(profile_id: str) -> Path:
    """Where the frozen results of ``profile_id`` are kept."""
    return FROZEN / f"{profile_id}.csv.gz"


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(index=range(len(frame)))
    for name in TEXT:
        out[name] = frame[name].astype("string").fillna("<NA>").to_numpy()
    for name in NUMBERS:
        out[name] = pd.to_numeric(frame[name], errors="raise").astype(float).to_numpy()
    met = frame["target_met"].astype("string").str.lower().fillna("<NA>")
    out["target_met"] = met.to_numpy()
    out["target_due"] = frame["target_due"].astype("string").str.lower().to_numpy()
    return out.sort_values(list(KEY), kind="stable").reset_index(drop=True)


def _frozen(profile_id: str) -> pd.DataFrame:
    frame = pd.read_csv(
        frozen_path(profile_id),
        dtype={n: "string" for n in TEXT},
        keep_default_na=False,
        na_values={n: [""] for n in (*TEXT, *NUMBERS, "target_met")},
    )
    return _normalise(frame)


@pytest.mark.parametrize("profile_id", PROFILES)
def test_computed_values_equal_the_frozen_ones(profile_id: str) -> None:
    profile = pedprof.get_profile(profile_id)
    current = _normalise(pedprof.compute(profile, pedprof.load_sample(profile_id)))
    frozen = _frozen(profile_id)
    assert len(current) == len(frozen)
    for name in (*TEXT, "target_met", "target_due"):
        differ = current[name] != frozen[name]
        assert not differ.any(), (name, current[differ].head(), frozen[differ].head())
    for name in ("numerator", "denominator"):
        np.testing.assert_array_equal(current[name].to_numpy(), frozen[name].to_numpy())
    for name in ("value", "previous_value", "target"):
        np.testing.assert_array_equal(current[name].to_numpy(), frozen[name].to_numpy())


def test_the_comparison_fails_on_a_changed_value() -> None:
    frozen = _frozen("petrovsk")
    changed = frozen.copy()
    row = int(np.flatnonzero(changed["value"].notna().to_numpy())[0])
    changed.loc[row, "value"] = np.nextafter(changed.loc[row, "value"], np.inf)
    assert not np.array_equal(
        changed["value"].to_numpy(), frozen["value"].to_numpy(), equal_nan=True
    )
