"""``compute``: a profile's indicators on a dataset, the engine's entry point for callers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pandas as pd
import pluggy

from pedprof.engine._core import LEVELS, compute_indicators
from pedprof.errors import ArgumentTypeError, UnknownIndicatorError, UnknownLevelError
from pedprof.model.data import Dataset, check_structure, validate_dataset
from pedprof.model.periods import parse_period
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
    :raises pedprof.errors.PedprofError: before anything is computed, when an argument or
        the data do not fit: :class:`~pedprof.errors.ProfileNotFoundError`,
        :class:`~pedprof.errors.NotADatasetError`, :class:`~pedprof.errors.MissingTableError`,
        :class:`~pedprof.errors.MissingColumnError`,
        :class:`~pedprof.errors.DataValidationError`,
        :class:`~pedprof.errors.UnknownIndicatorError`,
        :class:`~pedprof.errors.PeriodFormatError`, :class:`~pedprof.errors.UnknownLevelError`.
    """
    prof = resolve_profile(profile, plugin_manager)
    data = validate_dataset(prof, data)  # same value rules as forms; raises DataValidationError
    chosen = list(prof.indicators)
    if indicators is not None:
        indicators = _names(indicators, "indicators")
        known = {i.id for i in prof.indicators}
        for i in indicators:
            if i not in known:
                raise UnknownIndicatorError(
                    i,
                    sorted(known),
                    message=f"В профиле «{prof.id}» нет показателя «{i}»; есть: "
                    + ", ".join(sorted(known)),
                )
        chosen = [prof.indicator(i) for i in indicators]
    if periods is not None:
        periods = _names(periods, "periods")
        for p in periods:
            parse_period(p, prof.info.period_kind)
    levels = _names(levels, "levels")
    for level in levels:
        if level not in LEVELS:
            raise UnknownLevelError(level, LEVELS)
    check_structure(prof, data, chosen)
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


def _names(value: object, argument: str) -> list[Any]:
    """``value`` as a list; a lone string is a mistake, not a list of letters."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ArgumentTypeError(
            f"Аргумент «{argument}» должен быть списком, например [{value!r}], "
            f"а передан объект типа {type(value).__name__}",
            argument=argument,
            what=f"передан {type(value).__name__}",
            expected="список (list или tuple) строк",
        )
    return list(value)
