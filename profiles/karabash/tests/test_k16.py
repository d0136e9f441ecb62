"""k16 «положительная динамика … – не менее 100 %» on hand-made association counts.

The reading (docs/profiles/karabash.md): by 2024 the count is above the baseline
2020-2021 **and** in every year from 2021-2022 on it is at least 100 % of the year before.
The expected judgements are worked out by hand from the counts.
"""

from __future__ import annotations

import pandas as pd
import pytest

import pedprof

PERIODS = ["2020-2021", "2021-2022", "2022-2023", "2023-2024"]


def _associations(counts: list[int]) -> pd.DataFrame:
    rows = [
        {
            "period": period,
            "municipality_id": "karabash",
            "association_id": f"a{i}",
            "name": f"Объединение {i}",
            "kind": "gmo",
            "functioning": True,
            "note": None,
        }
        for period, n in zip(PERIODS, counts, strict=True)
        for i in range(1, n + 1)
    ]
    return pd.DataFrame(rows)


def _k16(counts: list[int]) -> pd.DataFrame:
    data = pedprof.load_sample("karabash").with_tables(associations=_associations(counts))
    out = pedprof.compute("karabash", data, indicators=["k16"], levels=["municipality"])
    return out.set_index(out["period"].astype(str)).loc[PERIODS]


def _plain(column: pd.Series) -> list[bool | None]:
    return [None if pd.isna(x) else bool(x) for x in column]


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        # 5 → 4 → 5 → 6: above the baseline in 2023-2024 (6 > 5), and 6 ≥ 5 against the year
        # before, but the fall of 2021-2022 (4 < 5) breaks «в каждом году не меньше 100 %
        # предыдущего»: not met. (Judged on the reporting year alone it was «met».)
        ([5, 4, 5, 6], [None, False, False, False]),
        # 5 → 5 → 6 → 7: never a fall; 7 > 5 by 2024: met (2021-2022: 5 is not above 5)
        ([5, 5, 6, 7], [None, False, True, True]),
        # 5 → 6 → 7 → 6 (the sample's trajectory): the fall of 2023-2024
        ([5, 6, 7, 6], [None, True, True, False]),
    ],
)
def test_k16_needs_no_fall_in_any_year(counts: list[int], expected: list[bool | None]) -> None:
    got = _k16(counts)
    assert got["value"].tolist() == [float(n) for n in counts]
    assert _plain(got["target_met"]) == expected
    # the target is «к 2024 году»: due in 2023-2024 only
    assert got["target_due"].tolist() == [False, False, False, True]
    assert got["target"].tolist() == [float(counts[0])] * 4  # the baseline count


def test_k16_rule_in_words() -> None:
    rule = pedprof.get_profile("karabash").targets["k16"].describe()
    assert rule == (
        "к 2024 году: значение строго больше значения базового периода 2020-2021; "
        "без снижения ни в одном периоде после 2020-2021: значение каждого периода ≥ "
        "значение предыдущего периода"
    )
