"""``compute``: a profile's indicators on a dataset, the engine's entry point for callers."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import pluggy

from pedprof.engine._core import LEVELS, compute_indicators
from pedprof.model.data import Dataset, validate_dataset
from pedprof.model.profile import Profile
from pedprof.plugins import resolve_profile

__all__ = ["PROFILE_ATTR", "compute"]

#: The key of ``DataFrame.attrs`` where :func:`compute` records the profile id.
PROFILE_ATTR = "profile"


def compute(
    profile: str | Profile,
    data: Dataset,
    *,
    indicators: Sequence[str] | None = None,
    periods: Sequence[str] | None = None,
    levels: Sequence[str] = LEVELS,
    progress: Callable[[str], None] | None = None,
    plugin_manager: pluggy.PluginManager | None = None,
) -> pd.DataFrame:
    """Compute the profile's indicators on ``data``.

    :param profile: a profile id or a :class:`Profile`.
    :param data: the dataset (see :func:`load_sample` and :mod:`pedprof.io`).
    :param indicators: restrict to these indicator ids (default: all).
    :param periods: restrict the output to these period labels.
    :param levels: any of ``organization``, ``municipality``, ``region``.
    :returns: a tidy frame with columns ``indicator, breakdown, level, unit, parent,
        period, period_start, numerator, denominator, value, state, previous_value, target,
        target_met, target_due``. Values above the organisation level are
        Σ numerator / Σ denominator over distinct persons; ``state`` is ``value``,
        ``no_data`` or ``not_applicable`` and ``value`` is NaN unless the state is
        ``value``. ``results.attrs["profile"]`` holds the profile id, so that
        ``pedprof.rate(results)`` applies the profile's rating declaration; pandas may drop
        ``attrs`` in some operations, so pass ``profile=`` to :func:`pedprof.rate` when in
        doubt.
    """
    prof = resolve_profile(profile, plugin_manager)
    data = validate_dataset(prof, data)  # same value rules as forms; raises DataValidationError
    chosen = list(prof.indicators)
    if indicators is not None:
        chosen = [prof.indicator(i) for i in indicators]
    results = compute_indicators(
        chosen,
        data,
        period_kind=prof.info.period_kind,
        targets=prof.targets,
        periods=periods,
        levels=levels,
        on_table=progress,
        sources=prof.sources,
    )
    # Which profile computed the frame: :func:`pedprof.rate` applies that profile's rating
    # declaration when it is not told otherwise (parquet files keep it too).
    results.attrs[PROFILE_ATTR] = prof.id
    return results
