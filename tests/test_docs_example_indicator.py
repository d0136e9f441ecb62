"""A worked Hypothesis test of one indicator's formula, shown in full on the docs page
«Тестирование формул» (docs/guides/testing.md literalincludes this file)."""

# [docs: start]
import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings

import pedprof
from pedprof.testing import distinct_share, indicator_values, redrawn

SAMPLE = pedprof.load_sample("karabash")
STAFF = SAMPLE.table("staff")
STAFF = STAFF[STAFF["org_id"].isin(["kgo_d1", "kgo_d8"])].reset_index(drop=True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(staff=redrawn(STAFF, {"category": ["teacher", "manager"], "contest": [True, False]}))
def test_k08_is_the_share_of_teachers_in_contests(staff: pd.DataFrame) -> None:
    """k08 «Доля педагогических работников, участвующих в конкурсах …»: per organisation
    and year, distinct teachers with «contest — да» over distinct teachers."""
    data = SAMPLE.with_tables(staff=staff)
    got = indicator_values("karabash", data, "k08", level="organization")
    ref = distinct_share(
        staff,
        staff["category"] == "teacher",
        staff["contest"],
        by=["org_id", "period"],
    )
    assert got["numerator"].tolist() == ref["numerator"].astype(float).tolist()
    assert got["denominator"].tolist() == ref["denominator"].astype(float).tolist()
    assert np.allclose(got["value"], ref["value"])
