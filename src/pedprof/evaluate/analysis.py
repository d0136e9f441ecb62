"""Analysis of the monitoring results (анализ результатов мониторинга).

:func:`analyze` takes the tidy frame of :func:`pedprof.compute` and adds what the
information-analytical report (ИАС) states about it:

* per indicator, unit and period — the year-on-year change (absolute, relative, in
  percentage points for shares), the target status and one **state** (состояние) among
  ``target_met``, ``positive_dynamics``, ``stable`` («сильное состояние»),
  ``negative_dynamics``, ``target_not_met``, ``target_not_due``, ``no_comparison``,
  ``no_data`` and ``not_applicable``;
* per planned effect (планируемый управленческий эффект, Раздел IV) and per criterion
  (критерий результативности) — whether the effect is observed: as positive dynamics, as
  a strong state, or not observed; per criterion also its targets and problem zones, in
  one conclusion (:func:`criterion_conclusion`);
* problem zones (проблемные зоны) — units below their target or in decline, per
  indicator, most severe first;
* data quality — the submission register against the campaign's submission deadline
  (on time, late, missing) and indicators without data.

The rules, with every boundary, are written in ``docs/guides/analysis.md``; they are
implemented here and only here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Final

import attrs
import numpy as np
import pandas as pd

from pedprof.errors import NotADatasetError, UnknownLevelError, UnknownPeriodError
from pedprof.model.data import Dataset
from pedprof.model.indicators import Indicator, IndicatorKind
from pedprof.model.periods import Period, PeriodKind, parse_period
from pedprof.model.targets import target_phrase

if TYPE_CHECKING:
    from pedprof.model.profile import Profile

__all__ = [
    "DYNAMICS",
    "DYNAMICS_LABELS",
    "EFFECT_RESULTS",
    "EFFECT_RESULT_LABELS",
    "NO_COMPARISON",
    "PROBLEM_LABELS",
    "REASON_COLUMN",
    "REASON_COLUMNS",
    "STATUSES",
    "STATUS_LABELS",
    "SUBMISSION_LABELS",
    "TARGET_STATUSES",
    "TARGET_STATUS_LABELS",
    "Analysis",
    "analyze",
    "change_reasons",
    "criterion_conclusion",
    "effect_result",
    "indicator_states",
    "target_phrase",
]

#: The states of an indicator value, in the order the rules are applied.
STATUSES: Final = (
    "no_data",
    "not_applicable",
    "target_met",
    "positive_dynamics",
    "stable",
    "negative_dynamics",
    "target_not_met",
    "target_not_due",
    "no_comparison",
)
#: What the change column says when a value has nothing to be compared with (the first
#: period): it describes the change, never the state of a row whose target can be judged.
NO_COMPARISON: Final = "нет данных для сравнения"
STATUS_LABELS: Final[Mapping[str, str]] = {
    "target_met": "целевое значение достигнуто",
    "positive_dynamics": "положительная динамика",
    "stable": "стабильно (сильное состояние)",
    "negative_dynamics": "отрицательная динамика",
    "target_not_met": "целевое значение не достигнуто",
    "target_not_due": "срок достижения цели не наступил",
    "no_comparison": NO_COMPARISON,
    "no_data": "нет данных",
    "not_applicable": "не применимо",
}
#: Direction-aware change against the previous period.
DYNAMICS: Final = ("growth", "stable", "decline", "none")
DYNAMICS_LABELS: Final[Mapping[str, str]] = {
    "growth": "рост",
    "stable": "без изменений",
    "decline": "снижение",
    "none": "—",
}
TARGET_STATUSES: Final = ("met", "not_met", "not_due", "not_judged", "no_target")
TARGET_STATUS_LABELS: Final[Mapping[str, str]] = {
    "met": "достигнуто",
    "not_met": "не достигнуто",
    "not_due": "срок не наступил",
    "not_judged": "нельзя оценить",
    "no_target": "не установлено",
}
EFFECT_RESULTS: Final = ("positive_dynamics", "strong_state", "not_observed", "not_judged")
EFFECT_RESULT_LABELS: Final[Mapping[str, str]] = {
    "positive_dynamics": "наблюдается положительная динамика",
    "strong_state": "наблюдается сильное состояние (стабильность)",
    "not_observed": "эффект не наблюдается",
    "not_judged": "нет данных для оценки",
}
PROBLEM_LABELS: Final[Mapping[str, str]] = {
    "below_target_and_decline": "ниже цели и снижение",
    "below_target": "ниже цели",
    "decline": "снижение",
}
SUBMISSION_LABELS: Final[Mapping[str, str]] = {
    "on_time": "в срок",
    "late": "с опозданием",
    "missing": "не представлены",
    "no_register_entry": "данные есть, отметки в реестре нет",
    "submitted": "представлены (срок не проверялся)",
}

_LEVEL_BELOW: Final = {"region": "municipality", "municipality": "organization"}


# --------------------------------------------------------------------------- the result


@attrs.frozen(kw_only=True)
class Analysis:
    """The analysis of one profile's results for one reporting period.

    :param profile: the profile analysed.
    :param period: the reporting period (label).
    :param previous_period: the period before it, or None.
    :param level: the level at which effects and criteria are judged (``municipality``
        for a municipal profile).
    :param problem_level: the level whose units are listed as problem zones.
    :param indicators: the results of every period with the analysis columns added:
        ``name``, ``percent`` (the value is a percentage), ``change_abs``, ``change_rel``
        (percent of the previous value), ``change_points`` (shares only), ``dynamics``,
        ``target_status`` and ``status`` (see :data:`STATUSES`).
    :param effects: one row per planned effect × unit of :attr:`level`.
    :param criteria: one row per criterion × unit of :attr:`level`, judged by the same rule,
        with its targets (``target_met``, ``target_not_met``: the indicators whose due
        target is met or missed at :attr:`level`), its problem zones
        (``problem_indicators``: the indicators of :attr:`problems` under that unit) and
        the ``conclusion`` the report prints (:func:`criterion_conclusion`).
    :param problems: problem zones of :attr:`period`, most severe first within each indicator.
    :param submissions: the submission register judged against the deadline: one row per
        period × organisation that existed in the period (``status``: on time, late,
        missing, data without a register entry, or submitted without a date to judge).
    :param missing_indicators: indicators that have no data at :attr:`level` in
        :attr:`period`, or no data for some units of :attr:`problem_level`.
    :param unit_names: unit id → display name.
    :param deadline: the submission deadline applied to :attr:`period`, if any.
    :param tolerance_points: changes within ± this many percentage points count as stable.
    :param tolerance_count: changes within ± this many units count as stable (counts).
    """

    profile: Profile
    period: str
    previous_period: str | None
    level: str
    problem_level: str
    indicators: pd.DataFrame
    effects: pd.DataFrame
    criteria: pd.DataFrame
    problems: pd.DataFrame
    submissions: pd.DataFrame
    missing_indicators: pd.DataFrame
    unit_names: Mapping[str, str]
    deadline: dt.date | None = None
    tolerance_points: float = 0.0
    tolerance_count: float = 0.0

    def __repr__(self) -> str:
        previous = f" (previous {self.previous_period})" if self.previous_period else ""
        return (
            f"<Analysis {self.profile.id} {self.period}{previous} at {self.level}:"
            f" {len(self.profile.indicators)} indicators, {len(self.effects)} effect rows,"
            f" {len(self.criteria)} criterion rows, {len(self.problems)} problem zones,"
            f" {len(self.missing_indicators)} without data>"
        )

    def current(self, level: str | None = None, *, totals: bool = True) -> pd.DataFrame:
        """The rows of the reporting period at ``level`` (default :attr:`level`).

        :param level: the level to select.
        :param totals: only the total rows (without breakdown).
        :returns: a slice of :attr:`indicators`.
        """
        ind = self.indicators
        sel = (ind["period"].astype(str) == self.period) & (
            ind["level"].astype(str) == (level or self.level)
        )
        if totals:
            sel &= ind["breakdown"].isna()
        return ind[sel]

    def unit_name(self, unit: str) -> str:
        """The display name of ``unit`` (the id when unknown)."""
        return self.unit_names.get(unit, unit)

    def indicator_label(self, indicator_id: str, breakdown: object = None) -> str:
        """«k19 (педагоги)»: the id with the breakdown's Russian label."""
        if breakdown is None or (not isinstance(breakdown, str) and pd.isna(breakdown)):
            return indicator_id
        return f"{indicator_id} ({breakdown_label(self.profile, indicator_id, str(breakdown))})"


def breakdown_label(profile: Profile, indicator_id: str, value: str) -> str:
    """The Russian label of a breakdown value of an indicator (the code when unknown)."""
    try:
        ind = profile.indicator(indicator_id)
        if ind.split_by is None:
            return value
        return profile.source(ind.table).value_label(ind.split_by, value)
    except KeyError:
        return value


# --------------------------------------------------------------------------- states


def _indicator_meta(profile: Profile, ids: Iterable[str]) -> pd.DataFrame:
    known = {i.id: i for i in profile.indicators}
    rows = []
    for ind_id in ids:
        ind: Indicator | None = known.get(ind_id)
        rows.append(
            {
                "indicator": ind_id,
                "direction": float(ind.direction) if ind is not None else 1.0,
                "kind": str(ind.kind) if ind is not None else "share",
                "name": ind.name if ind is not None else ind_id,
            }
        )
    return pd.DataFrame(rows).set_index("indicator")


def indicator_states(
    profile: Profile,
    results: pd.DataFrame,
    *,
    tolerance_points: float = 0.0,
    tolerance_count: float = 0.0,
) -> pd.DataFrame:
    """Add the change, dynamics, target status and state to every result row.

    :param profile: the profile the results belong to (for directions and names).
    :param results: the frame of :func:`pedprof.compute`.
    :param tolerance_points: a change of a percentage within ± this many points is
        «без изменений» (default 0: any change counts).
    :param tolerance_count: the same for counts, in units.
    :returns: a copy of ``results`` with the columns ``name``, ``percent``,
        ``change_abs``, ``change_rel``, ``change_points``, ``dynamics``,
        ``target_status`` and ``status``.
    """
    out = results.copy()
    if tolerance_points < 0 or tolerance_count < 0:
        raise ValueError("tolerances must be non-negative")
    ids = pd.unique(out["indicator"].astype(str))
    meta = _indicator_meta(profile, ids)
    ind = out["indicator"].astype(str)
    direction = ind.map(meta["direction"]).to_numpy(dtype=float)
    kind = ind.map(meta["kind"]).to_numpy(dtype=object)
    level = out["level"].astype(str).to_numpy(dtype=object)
    percent = (kind == IndicatorKind.SHARE.value) | (
        (kind == IndicatorKind.PER_ORGANIZATION_MINIMUM.value) & (level != "organization")
    )
    value = out["value"].to_numpy(dtype=float)
    prev = out["previous_value"].to_numpy(dtype=float)
    state = out["state"].astype(str).to_numpy(dtype=object)
    has_value = state == "value"
    comparable = has_value & ~np.isnan(prev)

    change = np.where(comparable, value - prev, np.nan)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        rel = np.where(comparable & (prev != 0), 100.0 * (value - prev) / np.abs(prev), np.nan)
    tolerance = np.where(percent, tolerance_points, tolerance_count)
    signed = direction * change
    dynamics = np.full(len(out), "none", dtype=object)
    with np.errstate(invalid="ignore"):
        dynamics[comparable & (signed > tolerance)] = "growth"
        dynamics[comparable & (signed < -tolerance)] = "decline"
        dynamics[comparable & (np.abs(signed) <= tolerance)] = "stable"

    met = out["target_met"].astype("boolean")
    met_known = ~met.isna().to_numpy()
    met_true = met.fillna(False).to_numpy(dtype=bool)
    has_target = ~np.isnan(out["target"].to_numpy(dtype=float)) | met_known
    targeted = ind.isin(list(profile.targets)).to_numpy()
    due = out["target_due"].to_numpy(dtype=bool)
    target_status = np.full(len(out), "no_target", dtype=object)
    target_status[targeted] = "not_judged"
    target_status[targeted & met_known & met_true] = "met"
    target_status[targeted & met_known & ~met_true & due] = "not_met"
    target_status[targeted & met_known & ~met_true & ~due] = "not_due"
    del has_target

    # Without a previous value there is no dynamics: the target, when it can be judged,
    # gives the state (a missed target in the first period is «не достигнуто», not «нет
    # данных для сравнения» — that phrase belongs to the change).
    status = np.full(len(out), "no_comparison", dtype=object)
    status[target_status == "not_due"] = "target_not_due"
    status[target_status == "not_met"] = "target_not_met"
    status[dynamics == "growth"] = "positive_dynamics"
    status[dynamics == "stable"] = "stable"
    status[dynamics == "decline"] = "negative_dynamics"
    status[target_status == "met"] = "target_met"
    status[state == "not_applicable"] = "not_applicable"
    status[state == "no_data"] = "no_data"

    out["name"] = ind.map(meta["name"]).to_numpy(dtype=object)
    out["percent"] = percent
    out["change_abs"] = change
    out["change_rel"] = rel
    out["change_points"] = np.where(percent, change, np.nan)
    out["dynamics"] = pd.Categorical(dynamics, categories=list(DYNAMICS))
    out["target_status"] = pd.Categorical(target_status, categories=list(TARGET_STATUSES))
    out["status"] = pd.Categorical(status, categories=list(STATUSES))
    return out


# --------------------------------------------------------------------------- effects


def effect_result(dynamics: Sequence[str]) -> str:
    """The planned-effect rule on the dynamics of the linked indicators.

    * ``not_judged`` — no linked indicator can be compared with the previous period;
    * ``not_observed`` — at least one comparable indicator declines;
    * ``positive_dynamics`` — every comparable indicator grows;
    * ``strong_state`` — none declines and at least one is unchanged.

    :param dynamics: one of :data:`DYNAMICS` per linked indicator.
    :returns: one of :data:`EFFECT_RESULTS`.
    """
    judged = [d for d in dynamics if d != "none"]
    if not judged:
        return "not_judged"
    if "decline" in judged:
        return "not_observed"
    if all(d == "growth" for d in judged):
        return "positive_dynamics"
    return "strong_state"


def _expand_readings(profile: Profile, ids: Sequence[str]) -> list[str]:
    """The ids and the alternative readings of them, in the profile's order."""
    wanted = set(ids)
    out = [i.id for i in profile.indicators if i.id in wanted or i.reading_of in wanted]
    return out or list(ids)


def _group_rows(
    groups: Sequence[tuple[str, Sequence[str], Mapping[str, object]]],
    current: pd.DataFrame,
    units: Sequence[str],
    period: str,
) -> pd.DataFrame:
    by_key = {
        (str(r.indicator), str(r.unit)): str(r.dynamics)
        for r in current[["indicator", "unit", "dynamics"]].itertuples(index=False)
    }
    rows = []
    for group_id, ids, extra in groups:
        for unit in units:
            dyn = {i: by_key.get((i, unit), "none") for i in ids}
            lists = {d: tuple(i for i in ids if dyn[i] == d) for d in DYNAMICS}
            result = effect_result(list(dyn.values()))
            rows.append(
                {
                    "id": group_id,
                    **extra,
                    "unit": unit,
                    "period": period,
                    "indicators": tuple(ids),
                    "result": result,
                    "result_label": EFFECT_RESULT_LABELS[result],
                    "n_growth": len(lists["growth"]),
                    "n_stable": len(lists["stable"]),
                    "n_decline": len(lists["decline"]),
                    "n_not_judged": len(lists["none"]),
                    "growth": lists["growth"],
                    "stable": lists["stable"],
                    "decline": lists["decline"],
                    "not_judged": lists["none"],
                }
            )
    columns = [
        "id",
        *(groups[0][2].keys() if groups else ()),
        "unit",
        "period",
        "indicators",
        "result",
        "result_label",
        "n_growth",
        "n_stable",
        "n_decline",
        "n_not_judged",
        "growth",
        "stable",
        "decline",
        "not_judged",
    ]
    return pd.DataFrame(rows, columns=columns)


_LEVEL_ORDER: Final = ("organization", "municipality", "region")


def _ancestors(
    problems: pd.DataFrame, states: pd.DataFrame, level: str, problem_level: str
) -> list[str]:
    """The unit at ``level`` each problem row belongs to (its own unit at the same level)."""
    units = [str(u) for u in problems["unit"]]
    if problem_level == level or problem_level not in _LEVEL_ORDER or level not in _LEVEL_ORDER:
        return units
    lo, hi = _LEVEL_ORDER.index(problem_level), _LEVEL_ORDER.index(level)
    if lo > hi:
        return units
    parent_of: dict[tuple[str, str], str] = {}
    links = states[["level", "unit", "parent"]].drop_duplicates()
    for lvl, unit, parent in links.itertuples(index=False):
        if parent is not None and not pd.isna(parent):
            parent_of[(str(lvl), str(unit))] = str(parent)
    out = []
    for unit in units:
        cur: str | None = unit
        for k in range(lo, hi):
            cur = parent_of.get((_LEVEL_ORDER[k], cur)) if cur is not None else None
        out.append(cur or "")
    return out


def _judge_criteria(
    criteria: pd.DataFrame,
    current: pd.DataFrame,
    problems: pd.DataFrame,
    states: pd.DataFrame,
    level: str,
    problem_level: str,
) -> pd.DataFrame:
    """Add each criterion's targets, problem zones and conclusion (see :attr:`Analysis.criteria`)."""
    out = criteria.copy()
    status = {
        (str(r.indicator), str(r.unit)): str(r.target_status)
        for r in current[["indicator", "unit", "target_status"]].itertuples(index=False)
    }
    under = _ancestors(problems, states, level, problem_level)
    flagged = set(zip(problems["indicator"].astype(str), under, strict=True))
    met, not_met, zones, texts = [], [], [], []
    for row in out.to_dict("records"):
        ids, unit = row["indicators"], str(row["unit"])
        met.append(tuple(i for i in ids if status.get((i, unit)) == "met"))
        not_met.append(tuple(i for i in ids if status.get((i, unit)) == "not_met"))
        zones.append(tuple(i for i in ids if (i, unit) in flagged))
        texts.append(
            criterion_conclusion(
                {
                    **row,
                    "target_met": met[-1],
                    "target_not_met": not_met[-1],
                    "problem_indicators": zones[-1],
                },
                problem_level,
            )
        )
    out["target_met"] = pd.Series(met, index=out.index, dtype=object)
    out["target_not_met"] = pd.Series(not_met, index=out.index, dtype=object)
    out["problem_indicators"] = pd.Series(zones, index=out.index, dtype=object)
    out["conclusion"] = pd.Series(texts, index=out.index, dtype=object)
    return out


#: The criterion's dynamics in its conclusion (the planned-effect rule on its indicators).
CRITERION_DYNAMICS_LABELS: Final[Mapping[str, str]] = {
    "positive_dynamics": "положительная динамика по всем сравнимым показателям",
    "strong_state": "сильное состояние: показатели не снизились",
    "not_observed": "есть снижение показателей",
    "not_judged": "динамика не оценивается — нет данных для сравнения с предыдущим периодом",
}
_PROBLEM_UNITS: Final[Mapping[str, str]] = {
    "organization": "организации",
    "municipality": "муниципалитеты",
    "region": "регионы",
}


def criterion_conclusion(row: Mapping[str, object], problem_level: str = "organization") -> str:
    """The conclusion on one criterion, in Russian, as the ИАС prints it.

    It states, in this order: the due targets missed and met at the criterion's level;
    the dynamics (the planned-effect rule, :func:`effect_result`) with the indicators that
    grew, stayed, declined or cannot be compared; the indicators with problem zones (units
    of ``problem_level`` below target or in decline). So a criterion never reads as «нет
    данных для сравнения» while its targets are missed, and it names exactly the indicators
    the problem-zone section lists.

    :param row: a row of :attr:`Analysis.criteria`.
    :param problem_level: the level of the problem zones.
    :returns: «Вывод по критерию: …».
    """

    def ids(key: str) -> tuple[str, ...]:
        value = row.get(key) or ()
        return tuple(str(i) for i in value)  # type: ignore[attr-defined]

    parts: list[str] = []
    met, not_met = ids("target_met"), ids("target_not_met")
    if not_met:
        parts.append(
            "целевые значения с наступившим сроком не достигнуты — "
            + ", ".join(not_met)
            + (f" (достигнуты — {', '.join(met)})" if met else "")
        )
    elif met:
        parts.append("целевые значения достигнуты — " + ", ".join(met))
    result = str(row["result"])
    detail = []
    for key, label in (("growth", "рост"), ("stable", "без изменений"), ("decline", "снижение")):
        if ids(key):
            detail.append(f"{label} — {', '.join(ids(key))}")
    if ids("not_judged") and result != "not_judged":
        detail.append(f"{NO_COMPARISON} — {', '.join(ids('not_judged'))}")
    dynamics = CRITERION_DYNAMICS_LABELS[result]
    parts.append(dynamics + (f" ({'; '.join(detail)})" if detail else ""))
    who = _PROBLEM_UNITS.get(problem_level, problem_level)
    if ids("problem_indicators"):
        parts.append(
            f"проблемные зоны ({who} ниже цели или со снижением) — "
            + ", ".join(ids("problem_indicators"))
        )
    else:
        parts.append("проблемных зон нет")
    return "Вывод по критерию: " + "; ".join(parts) + "."


# --------------------------------------------------------------------------- problems


def _problems(states: pd.DataFrame, level: str, period: str) -> pd.DataFrame:
    sel = states[
        (states["period"].astype(str) == period)
        & (states["level"].astype(str) == level)
        & (states["state"].astype(str) == "value")
    ]
    below = (sel["target_status"] == "not_met").to_numpy()
    decline = (sel["dynamics"] == "decline").to_numpy()
    sel = sel[below | decline].copy()
    below = (sel["target_status"] == "not_met").to_numpy()
    decline = (sel["dynamics"] == "decline").to_numpy()
    kind = np.where(below & decline, "below_target_and_decline", "decline")
    kind = np.where(below & ~decline, "below_target", kind)
    direction = sel["direction"].to_numpy(dtype=float) if "direction" in sel else 1.0
    value = sel["value"].to_numpy(dtype=float)
    shortfall = np.where(below, direction * (sel["target"].to_numpy(dtype=float) - value), 0.0)
    shortfall = np.where(np.isnan(shortfall), 0.0, np.maximum(shortfall, 0.0))
    fall = np.where(decline, -direction * sel["change_abs"].to_numpy(dtype=float), 0.0)
    sel["problem"] = kind
    sel["problem_label"] = [PROBLEM_LABELS[k] for k in kind]
    sel["shortfall"] = shortfall
    sel["decline"] = np.maximum(fall, 0.0)
    rank = {"below_target_and_decline": 0, "below_target": 1, "decline": 2}
    sel["_rank"] = [rank[k] for k in kind]
    sel = sel.sort_values(
        ["_order", "breakdown", "_rank", "shortfall", "decline", "unit"],
        ascending=[True, True, True, False, False, True],
        na_position="first",
        kind="stable",
    )
    sel["severity"] = sel.groupby(["indicator", "breakdown"], dropna=False).cumcount() + 1
    return sel.drop(columns=["_rank"]).reset_index(drop=True)


# --------------------------------------------------------------------------- data quality


def _deadline_date(profile: Profile, period: Period, deadline_id: str) -> dt.date | None:
    campaign = profile.info.campaign
    if campaign is None:
        return None
    try:
        deadline = campaign.deadline(deadline_id)
    except KeyError:
        return None
    return deadline.date_for(period.end_year)


def _active_orgs(data: Dataset, period: Period) -> pd.DataFrame:
    orgs = data.organizations
    n = len(orgs)
    starts = pd.to_datetime(orgs["valid_from"] if "valid_from" in orgs else pd.Series([None] * n))
    ends = pd.to_datetime(orgs["valid_to"] if "valid_to" in orgs else pd.Series([None] * n))
    ok = (starts.isna() | (starts <= pd.Timestamp(period.end))) & (
        ends.isna() | (ends >= pd.Timestamp(period.start))
    )
    return orgs[ok.to_numpy()]


def _ordinals(labels: pd.Series, kind: PeriodKind) -> np.ndarray:
    """Period ordinals of ``labels`` (−1 where a label is not a period of ``kind``)."""
    text = labels.astype(str)
    ordinal_of: dict[str, int] = {}
    for lab in pd.unique(text):
        try:
            ordinal_of[lab] = parse_period(lab, kind).ordinal
        except ValueError:
            ordinal_of[lab] = -1
    return text.map(ordinal_of).to_numpy(dtype=np.int64)


def _submissions(
    profile: Profile,
    data: Dataset,
    periods: Sequence[Period],
    deadline_id: str,
    level: str = "organization",
) -> pd.DataFrame:
    """The submission register judged against the deadline, for every period.

    The units expected are those of ``level``: the organisations that existed in the
    period, or every municipality of the register.
    """
    kind = profile.info.period_kind
    unit_col = "municipality_id" if level == "municipality" else "org_id"
    with_rows: set[tuple[str, int]] = set()
    for frame in data.tables.values():
        if unit_col in frame.columns and "period" in frame.columns and len(frame):
            ords = _ordinals(frame["period"], kind)
            with_rows.update(zip(frame[unit_col].astype(str), ords.tolist(), strict=True))
    register: dict[tuple[str, int], pd.Timestamp | None] = {}
    sub = data.submissions
    has_register = sub is not None and len(sub) > 0
    if sub is not None and has_register:
        ords = _ordinals(sub["period"], kind)
        if "submitted_at" in sub.columns:
            dates = pd.to_datetime(sub["submitted_at"], errors="coerce")
        else:
            dates = pd.Series([pd.NaT] * len(sub), index=sub.index)
        for unit, o, when in zip(sub["unit_id"].astype(str), ords.tolist(), dates, strict=True):
            ts = None if pd.isna(when) else pd.Timestamp(when)
            key = (unit, o)
            earlier = register.get(key)
            # a unit that resubmitted is judged by its first submission
            if key not in register or (ts is not None and (earlier is None or ts < earlier)):
                register[key] = ts
    rows = []
    for period in periods:
        deadline = _deadline_date(profile, period, deadline_id)
        if level == "municipality":
            expected = data.municipalities["municipality_id"].astype(str)
        else:
            expected = _active_orgs(data, period)["org_id"].astype(str)
        for org in expected:
            key = (org, period.ordinal)
            when = register.get(key)
            late = np.nan
            if key in register:
                if deadline is None or when is None:
                    status = "submitted"
                else:
                    days = (when.date() - deadline).days
                    status, late = ("late", float(days)) if days > 0 else ("on_time", 0.0)
            elif key in with_rows:
                status = "no_register_entry" if has_register else "submitted"
            else:
                status = "missing"
            rows.append(
                {
                    "unit": org,
                    "level": level,
                    "period": period.label,
                    "submitted_at": when.date() if when is not None else None,
                    "deadline": deadline,
                    "status": status,
                    "status_label": SUBMISSION_LABELS[status],
                    "days_late": late,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "unit",
            "level",
            "period",
            "submitted_at",
            "deadline",
            "status",
            "status_label",
            "days_late",
        ],
    )


def _missing_indicators(
    states: pd.DataFrame, profile: Profile, level: str, problem_level: str, period: str
) -> pd.DataFrame:
    cur = states[(states["period"].astype(str) == period) & states["breakdown"].isna()]
    frame = pd.DataFrame(
        {
            "indicator": cur["indicator"].astype(str).to_numpy(),
            "level": cur["level"].astype(str).to_numpy(),
            "no_data": (cur["state"].astype(str) == "no_data").to_numpy(),
        }
    )
    counts = frame.groupby(["indicator", "level"])["no_data"].agg(["sum", "size"])
    rows = []
    for ind in profile.indicators:
        top = counts.loc[(ind.id, level)] if (ind.id, level) in counts.index else None
        low = (
            counts.loc[(ind.id, problem_level)] if (ind.id, problem_level) in counts.index else None
        )
        n_top = int(top["sum"]) if top is not None else 0
        n_low = int(low["sum"]) if low is not None else 0
        if top is None or n_top or n_low:
            rows.append(
                {
                    "indicator": ind.id,
                    "name": ind.name,
                    "units_without_data": n_top if top is not None else np.nan,
                    "units": int(top["size"]) if top is not None else 0,
                    "lower_units_without_data": n_low,
                    "lower_units": int(low["size"]) if low is not None else 0,
                    "no_rows": top is None,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "indicator",
            "name",
            "units_without_data",
            "units",
            "lower_units_without_data",
            "lower_units",
            "no_rows",
        ],
    )


# --------------------------------------------------------------------------- entry point


def _names(data: Dataset) -> dict[str, str]:
    names: dict[str, str] = {}
    for frame, key in (
        (data.regions, "region_id"),
        (data.municipalities, "municipality_id"),
        (data.organizations, "org_id"),
    ):
        if "name" in frame.columns:
            names.update(zip(frame[key].astype(str), frame["name"].astype(str), strict=True))
    return names


_LEVELS: Final = ("organization", "municipality", "region")


def _latest_period(states: pd.DataFrame, level: str) -> str:
    sel = states[(states["level"].astype(str) == level) & (states["state"].astype(str) == "value")]
    if sel.empty:
        sel = states
    if sel.empty:
        raise ValueError("нет результатов для анализа")
    codes = sel["period"].cat.codes if hasattr(sel["period"], "cat") else None
    if codes is not None:
        return str(sel["period"].cat.categories[int(codes.max())])
    return str(sorted(sel["period"].astype(str))[-1])


def analyze(
    profile: Profile | str,
    data: Dataset,
    results: pd.DataFrame | None = None,
    *,
    period: str | None = None,
    level: str | None = None,
    problem_level: str | None = None,
    tolerance_points: float = 0.0,
    tolerance_count: float = 0.0,
    deadline_id: str = "submission",
) -> Analysis:
    """Analyse a profile's results for one reporting period.

    :param profile: the profile (or its id).
    :param data: the dataset the results were computed from (names, register,
        submissions).
    :param results: the frame of :func:`pedprof.compute`; computed when omitted.
    :param period: the reporting period; by default the latest with a value at ``level``.
    :param level: the level at which effects and criteria are judged; by default the
        profile's level (``municipality``).
    :param problem_level: the level listed in problem zones; by default the level below
        ``level``.
    :param tolerance_points: changes of percentages within ± this many points are stable.
    :param tolerance_count: changes of counts within ± this many units are stable.
    :param deadline_id: the campaign deadline submissions are judged against.
    :returns: the :class:`Analysis`.
    :raises pedprof.errors.PedprofError: a bad argument, before anything is analysed:
        :class:`~pedprof.errors.ProfileNotFoundError`,
        :class:`~pedprof.errors.NotADatasetError`, :class:`~pedprof.errors.UnknownLevelError`,
        :class:`~pedprof.errors.PeriodFormatError`, :class:`~pedprof.errors.UnknownPeriodError`
        (a period without results), and whatever :func:`pedprof.compute` raises.
    """
    from pedprof import engine, plugins

    prof = plugins.resolve_profile(profile)
    if not isinstance(data, Dataset):
        raise NotADatasetError(data)
    for name, value in (("level", level), ("problem_level", problem_level)):
        if value is not None and value not in _LEVELS:
            raise UnknownLevelError(
                value,
                _LEVELS,
                message=f"Аргумент «{name}»: уровня «{value}» нет; есть: {', '.join(_LEVELS)}",
            )
    if period is not None:
        parse_period(period, prof.info.period_kind)
    if results is None:
        results = engine.compute(prof, data)
    level = level or prof.info.level
    problem_level = problem_level or _LEVEL_BELOW.get(level, level)
    states = indicator_states(
        prof, results, tolerance_points=tolerance_points, tolerance_count=tolerance_count
    )
    order = {i.id: n for n, i in enumerate(prof.indicators)}
    states["direction"] = (
        states["indicator"]
        .astype(str)
        .map({i.id: float(i.direction) for i in prof.indicators})
        .fillna(1.0)
    )
    states["_order"] = states["indicator"].astype(str).map(order).fillna(len(order)).astype(int)
    period = period or _latest_period(states, level)
    p = parse_period(period, prof.info.period_kind)
    period = p.label
    labels = [str(c) for c in states["period"].cat.categories] if len(states) else []
    if labels and period not in labels:
        raise UnknownPeriodError(
            period,
            labels,
            message=f"За период «{period}» нет результатов; есть: {', '.join(labels)}",
        )
    previous = (p - 1).label if (p - 1).label in labels else None

    current = states[
        (states["period"].astype(str) == period)
        & (states["level"].astype(str) == level)
        & states["breakdown"].isna()
    ]
    units = list(dict.fromkeys(current["unit"].astype(str)))
    effect_groups = [
        (
            e.id,
            _expand_readings(prof, e.indicators),
            {
                "number": e.number,
                "strong_state_text": e.strong_state,
                "positive_dynamics_text": e.positive_dynamics,
            },
        )
        for e in prof.planned_effects
    ]
    effects = _group_rows(effect_groups, current, units, period)
    criteria_groups = []
    if prof.info.mechanism is not None:
        for cid, cname in prof.info.mechanism.criteria:
            ids = [i.id for i in prof.indicators if i.criterion == cid]
            if ids:
                criteria_groups.append((cid, ids, {"name": cname}))
    criteria = _group_rows(criteria_groups, current, units, period)

    problems = _problems(states, problem_level, period)
    criteria = _judge_criteria(criteria, current, problems, states, level, problem_level)
    grid = [parse_period(lab, prof.info.period_kind) for lab in labels]
    submissions = _submissions(prof, data, grid or [p], deadline_id, problem_level)
    deadline = _deadline_date(prof, p, deadline_id)
    missing = _missing_indicators(states, prof, level, problem_level, period)
    names = _names(data)
    for frame in (problems, submissions):
        frame.insert(
            frame.columns.get_loc("unit") + 1,
            "unit_name",
            frame["unit"].astype(str).map(lambda u: names.get(u, u)),
        )
    states = states.drop(columns=["_order"])
    problems = problems.drop(columns=["_order"])
    return Analysis(
        profile=prof,
        period=period,
        previous_period=previous,
        level=level,
        problem_level=problem_level,
        indicators=states,
        effects=effects,
        criteria=criteria,
        problems=problems,
        submissions=submissions,
        missing_indicators=missing,
        unit_names=names,
        deadline=deadline,
        tolerance_points=tolerance_points,
        tolerance_count=tolerance_count,
    )


# --------------------------------------------------------------------------- wording


# --------------------------------------------------------------------------- reasons

#: The optional column of an indicator's table that records why a unit's value changed
#: (an association opened, merged, closed …), as the ИАС words it.
REASON_COLUMN: Final = "reason"
#: Columns of :func:`change_reasons`.
REASON_COLUMNS: Final = ("indicator", "level", "unit", "period", "reasons", "rows")


def change_reasons(
    profile: Profile | str,
    data: Dataset,
    *,
    level: str | None = None,
    column: str = REASON_COLUMN,
) -> pd.DataFrame:
    """The reasons for year-on-year changes recorded in the data, per indicator, unit and
    period.

    A profile whose table carries an optional ``reason`` column (Magnitogorsk's
    associations: «Причина изменения» on every association opened, transformed, merged or
    closed) explains its dynamics by data. For every count indicator (not an alternative
    reading) whose table has the column, the non-empty reasons of the rows of each period are
    collected for the unit the row belongs to at ``level`` (organisation, its municipality,
    its region), in order of appearance, without repeats. Every row of the table counts,
    whatever the indicator's population: a merged or closed association is not counted any
    more, but its reason explains the decrease.

    :param profile: the profile (or its id).
    :param data: the dataset.
    :param level: ``organization``, ``municipality`` or ``region`` (default: the
        profile's level).
    :param column: the name of the reason column.
    :returns: columns :data:`REASON_COLUMNS`; ``reasons`` is a tuple of texts, ``rows``
        the number of rows that gave a reason. Empty when no table carries reasons.
    """
    from pedprof import plugins

    prof = plugins.get_profile(profile) if isinstance(profile, str) else profile
    level = level or prof.info.level
    orgs = data.organizations
    org_muni = dict(
        zip(orgs["org_id"].astype(str), orgs["municipality_id"].astype(str), strict=True)
    )
    munis = data.municipalities
    muni_region = dict(
        zip(munis["municipality_id"].astype(str), munis["region_id"].astype(str), strict=True)
    )
    kind = prof.info.period_kind
    records: list[dict[str, object]] = []
    for ind in prof.indicators:
        if (
            ind.kind is not IndicatorKind.COUNT
            or ind.reading_of is not None
            or ind.table not in data.tables
        ):
            continue
        frame = data.tables[ind.table]
        if column not in frame.columns or "period" not in frame.columns:
            continue
        text = frame[column].astype("string").str.strip()
        rows = frame[text.notna() & (text != "")]
        if rows.empty:
            continue
        if "org_id" in rows.columns:
            org = rows["org_id"].astype(str)
            muni = org.map(org_muni)
        else:
            org = pd.Series(pd.NA, index=rows.index, dtype="object")
            muni = rows["municipality_id"].astype(str)
        if level == "organization":
            unit = org
        elif level == "municipality":
            unit = muni
        else:
            unit = muni.map(muni_region)
        labels: dict[str, str | None] = {}
        for lab in pd.unique(rows["period"].astype(str)):
            try:
                labels[lab] = parse_period(lab, kind).label
            except ValueError:
                labels[lab] = None
        keyed = pd.DataFrame(
            {
                "unit": unit.to_numpy(),
                "period": rows["period"].astype(str).map(labels).to_numpy(),
                "reason": text[rows.index].to_numpy(),
            }
        ).dropna(subset=["unit", "period"])
        for (u, per), group in keyed.groupby(["unit", "period"], sort=False):
            records.append(
                {
                    "indicator": ind.id,
                    "level": level,
                    "unit": str(u),
                    "period": str(per),
                    "reasons": tuple(dict.fromkeys(str(x) for x in group["reason"])),
                    "rows": len(group),
                }
            )
    return pd.DataFrame.from_records(records, columns=list(REASON_COLUMNS))
