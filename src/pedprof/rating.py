"""Explainable composite rating (рейтинг) of organisations and municipalities.

The rating follows the OECD/JRC *Handbook on Constructing Composite Indicators*:
normalise every indicator to ``[0, 1]``, weight, aggregate to a score on ``0–100``,
rank the units of one level within their parent (organisations within a municipality,
municipalities within a region), test how stable the ranks are, and decompose every
score back into its indicators and criteria (критерии результативности).

The input is the tidy frame returned by ``pedprof.compute`` (one row per indicator ×
breakdown × level × unit × period); only the totals (rows without a breakdown) are rated.
Everything runs on dense ``unit × indicator`` numpy matrices, with no loop over units;
``benchmarks/rate.py`` compares it with the same computation written with pandas
``groupby`` + ``rank``.

The formulas are documented in ``docs/rating.md`` and in :func:`rate`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, Literal, TypeAlias, get_args

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from pedprof.errors import (
    ArgumentError,
    ArgumentTypeError,
    PedprofError,
    UnknownIndicatorError,
    UnknownLevelError,
    UnknownPeriodError,
)

__all__ = [
    "LEVELS",
    "METHODS",
    "TIES",
    "Level",
    "Method",
    "PointsScale",
    "Rating",
    "RatingConfig",
    "RatingInputError",
    "RatingPeriodError",
    "RatingSpec",
    "SensitivitySettings",
    "Ties",
    "Within",
    "format_rating",
    "rate",
    "rating_config_for",
]

Method: TypeAlias = Literal["points", "distance_to_target", "minmax"]
Ties: TypeAlias = Literal["min", "dense", "max"]
Level: TypeAlias = Literal["organization", "municipality", "region"]
Within: TypeAlias = Literal["parent", "level"]

METHODS: Final[tuple[Method, ...]] = get_args(Method)
TIES: Final[tuple[Ties, ...]] = get_args(Ties)
LEVELS: Final[tuple[Level, ...]] = get_args(Level)
WITHIN: Final[tuple[Within, ...]] = get_args(Within)

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]

_VALUE: Final = 0
_NO_DATA: Final = 1
_NOT_APPLICABLE: Final = 2
_NO_TARGET: Final = 3  # a value the distance-to-target method cannot score
_STATE_CODES: Final = {"value": _VALUE, "no_data": _NO_DATA, "not_applicable": _NOT_APPLICABLE}
_STATE_LABELS: Final = ("value", "no_data", "not_applicable", "no_target")

#: Scores are compared after rounding to this many decimals, so two units whose inputs
#: are equal always tie, whatever order floating-point sums were taken in.
SCORE_DECIMALS: Final = 9
_SCORE_UNITS: Final = 10**SCORE_DECIMALS
_KEY_SPAN: Final = 100 * _SCORE_UNITS + 1

_REQUIRED_COLUMNS: Final = ("indicator", "level", "unit", "parent", "period", "value", "state")

LEVEL_NAMES: Final[dict[str, str]] = {
    "organization": "образовательные организации",
    "municipality": "муниципалитеты",
    "region": "регионы",
}
PARENT_NAMES: Final[dict[str, str]] = {
    "organization": "муниципалитет",
    "municipality": "регион",
    "region": "—",
}
METHOD_NAMES: Final[dict[str, str]] = {
    "points": "баллы по состоянию показателя",
    "distance_to_target": "расстояние до целевого значения",
    "minmax": "мин–макс нормировка",
}
TIES_NAMES: Final[dict[str, str]] = {
    "min": "равные баллы — одно место, следующее место пропускается (1, 2, 2, 4)",
    "dense": "равные баллы — одно место, без пропуска (1, 2, 2, 3)",
    "max": "равные баллы — худшее из мест (1, 3, 3, 4)",
}
_STATE_SHORT: Final[dict[str, str]] = {
    "value": "есть",
    "no_data": "нет данных",
    "not_applicable": "неприменим",
    "no_target": "нет цели",
}
STATE_NAMES: Final[dict[str, str]] = {
    "value": "есть значение",
    "no_data": "нет данных",
    "not_applicable": "неприменимо",
    "no_target": "нет целевого значения",
}


class RatingInputError(PedprofError, ValueError):
    """The results frame cannot be rated; the message is in Russian for the methodologist.

    A :class:`pedprof.errors.PedprofError` and a :class:`ValueError`.
    """


class RatingPeriodError(RatingInputError, UnknownPeriodError):
    """The period to rate is absent from the results at that level (also a
    :class:`pedprof.errors.UnknownPeriodError`)."""


#: How :attr:`Rating.declaration` reads when no profile or settings were applied.
DEFAULT_DECLARATION: Final = "настройки по умолчанию"


# --------------------------------------------------------------------------------------
# Declarations
# --------------------------------------------------------------------------------------


def _check_direction(_instance: object, _attribute: attrs.Attribute[int], value: int) -> None:
    if value not in (1, -1):
        raise ValueError(f"direction must be +1 or -1, not {value!r}")


def _check_weight(_instance: object, _attribute: attrs.Attribute[float], value: float) -> None:
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"weight must be a finite number >= 0, not {value!r}")


@attrs.frozen
class RatingSpec:
    """How one indicator (показатель) enters the rating.

    :param indicator: the indicator id, e.g. ``"k01"``.
    :param criterion: the criterion (критерий результативности, a group of indicators) it
        belongs to; ``None`` makes the indicator a group of its own.
    :param weight: the indicator's weight within its criterion (``0`` leaves it out).
    :param direction: ``+1`` when higher values are better, ``-1`` when lower are.
    """

    indicator: str
    criterion: str | None = None
    weight: float = attrs.field(default=1.0, converter=float, validator=_check_weight)
    direction: int = attrs.field(default=1, converter=int, validator=_check_direction)


@attrs.frozen
class PointsScale:
    """Points per state of an indicator for the ``points`` method (шкала баллов).

    :param target_met: the target (целевое значение) is met.
    :param positive_dynamics: not met, but the value improved on the previous period in
        the indicator's better direction.
    :param other: anything else with a value.
    """

    target_met: float = attrs.field(default=2.0, converter=float)
    positive_dynamics: float = attrs.field(default=1.0, converter=float)
    other: float = attrs.field(default=0.0, converter=float)

    def __attrs_post_init__(self) -> None:
        if not (self.target_met >= self.positive_dynamics >= self.other):
            raise ValueError("points must satisfy target_met >= positive_dynamics >= other")
        if not self.target_met > self.other:
            raise ValueError("points for target_met must exceed points for other")

    @classmethod
    def coerce(cls, value: PointsScale | Mapping[str, float] | None) -> PointsScale:
        """Accept a scale, a mapping with the same keys, or ``None`` (the default 2/1/0).

        :param value: the declared scale.
        :returns: a validated :class:`PointsScale`.
        """
        if value is None:
            return cls()
        if isinstance(value, PointsScale):
            return value
        unknown = set(value) - {"target_met", "positive_dynamics", "other"}
        if unknown:
            raise ValueError(f"unknown points scale keys: {sorted(unknown)}")
        return cls(**value)


@attrs.frozen
class SensitivitySettings:
    """How the stability of ranks is tested.

    :param n_draws: number of random weight perturbations.
    :param perturbation: every indicator and criterion weight is multiplied by a factor
        drawn uniformly from ``[1 - perturbation, 1 + perturbation]``.
    :param seed: seed of the generator, so the rank intervals are reproducible.
    :param threshold: a unit is flagged unstable when the width of a rank interval
        (``max - min``) exceeds ``max(1, threshold × n)``, ``n`` being the number of
        ranked units in its parent.
    :param methods: the methods compared in the method-change test.
    """

    n_draws: int = attrs.field(default=100, validator=attrs.validators.ge(0))
    perturbation: float = attrs.field(
        default=0.25, validator=[attrs.validators.ge(0.0), attrs.validators.lt(1.0)]
    )
    seed: int = 0
    threshold: float = attrs.field(default=0.25, validator=attrs.validators.ge(0.0))
    methods: tuple[Method, ...] = attrs.field(default=METHODS, converter=tuple)


class _IndicatorConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    criterion: str | None = None
    weight: float = Field(default=1.0, ge=0, allow_inf_nan=False)
    direction: Literal[1, -1] = 1
    name: str | None = None


class _CriterionConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    weight: float = Field(default=1.0, ge=0, allow_inf_nan=False)
    name: str | None = None


class _PointsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    target_met: float = 2.0
    positive_dynamics: float = 1.0
    other: float = 0.0


class RatingConfig(BaseModel):
    """A rating declaration as a profile or a settings file states it (the boundary).

    Example (YAML)::

        method: points
        min_coverage: 0.5
        points_scale: {target_met: 2, positive_dynamics: 1, other: 0}
        criteria:
          kadry: {weight: 2, name: Кадровый потенциал}
        indicators:
          k01: {criterion: kadry, weight: 1}
          k05: {criterion: kadry, direction: -1}

    When ``indicators`` is not empty it is also the list of indicators rated.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    method: Method = "points"
    within: Within = "parent"
    min_coverage: float = Field(default=0.5, ge=0, le=1)
    ties: Ties = "min"
    points_scale: _PointsConfig = _PointsConfig()
    indicators: dict[str, _IndicatorConfig] = Field(default_factory=dict)
    criteria: dict[str, _CriterionConfig] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _scale_is_ordered(self) -> RatingConfig:
        PointsScale.coerce(self.points_scale.model_dump())
        return self

    def specs(self) -> tuple[RatingSpec, ...]:
        """:returns: one :class:`RatingSpec` per declared indicator."""
        return tuple(
            RatingSpec(i, c.criterion, c.weight, c.direction) for i, c in self.indicators.items()
        )

    def rate_kwargs(self) -> dict[str, Any]:
        """:returns: keyword arguments for :func:`rate` carrying this declaration."""
        return {
            "method": self.method,
            "within": self.within,
            "min_coverage": self.min_coverage,
            "ties": self.ties,
            "points_scale": PointsScale.coerce(self.points_scale.model_dump()),
            "specs": self.specs(),
            "criterion_weights": {k: c.weight for k, c in self.criteria.items()},
            "indicators": list(self.indicators) or None,
        }

    @property
    def indicator_names(self) -> dict[str, str]:
        """:returns: the declared Russian names of indicators."""
        return {k: c.name for k, c in self.indicators.items() if c.name}

    @property
    def criterion_names(self) -> dict[str, str]:
        """:returns: the declared Russian names of criteria."""
        return {k: c.name for k, c in self.criteria.items() if c.name}


# --------------------------------------------------------------------------------------
# Internal value objects
# --------------------------------------------------------------------------------------


@attrs.frozen(eq=False)
class _Scheme:
    """The indicators in scope, in column order; columns of one criterion are adjacent."""

    indicators: tuple[str, ...]
    criterion: tuple[str | None, ...]
    weight: FloatArray  # (m,) weight within the criterion
    direction: FloatArray  # (m,) +1 / -1
    group: IntArray  # (m,) aggregation group of each column
    starts: IntArray  # (G,) first column of each group
    group_weight: FloatArray  # (G,) criterion weight; an ungrouped indicator's own weight
    group_criterion: tuple[str | None, ...]  # (G,)
    singleton: BoolArray  # (G,) an ungrouped indicator
    excluded: dict[str, str]  # indicator -> Russian reason


@attrs.frozen(eq=False)
class _Panel:
    """Dense ``unit × indicator`` matrices of the rated period.

    Rows are sorted by parent label then unit id, so every ranking group is a contiguous
    block of rows and the order depends on the ids only, never on the input's row order.
    """

    units: pd.Index
    parents: pd.Index  # sorted parent labels; the group code indexes it (NA last)
    parent_of: IntArray  # (n,) index into parents, len(parents) for a missing parent
    group: IntArray  # (n,) ranking group (parent, or 0 for the whole level), ascending
    group_starts: IntArray  # first row of each group
    state: npt.NDArray[np.int8]
    value: FloatArray
    previous: FloatArray
    target: FloatArray
    target_met: npt.NDArray[np.int8]  # -1 unknown, 0 no, 1 yes
    target_due: BoolArray
    numerator: FloatArray
    denominator: FloatArray


@attrs.frozen(eq=False)
class _Scored:
    """One method's normalisation and aggregation."""

    method: Method
    normalised: FloatArray  # (n, m) in [0, 1], NaN where not scored
    usable: BoolArray  # (n, m)
    points: FloatArray | None
    counted_no_data: BoolArray  # (n, m) no-data cells that lower the coverage
    n_used: IntArray
    n_applicable: IntArray
    coverage: FloatArray
    ranked: BoolArray
    score: FloatArray  # NaN where not ranked
    share: FloatArray  # (n, m) effective weight shares, sum 1 over used cells
    contribution: FloatArray  # (n, m) 100 × share × normalised, sums to the score
    rank: FloatArray  # NaN where not ranked
    n_ranked_in_group: IntArray


@attrs.frozen(eq=False)
class _Detail:
    panel: _Panel
    scheme: _Scheme
    scored: _Scored
    order: IntArray  # ranking row -> unit code


# --------------------------------------------------------------------------------------
# The result
# --------------------------------------------------------------------------------------


@attrs.frozen(eq=False)
class Rating:
    """A rating of the units of one level in one period, with its explanation.

    :ivar ranking: one row per unit of the level: ``unit``, ``parent``, ``score`` (0–100,
        NaN when not ranked), ``rank`` within the parent (nullable ``Int64``),
        ``n_ranked_in_parent``, ``n_indicators`` (in scope), ``n_indicators_used``,
        ``n_no_data``, ``n_not_applicable``, ``coverage`` (0–1), ``ranked`` and
        ``reason`` (Russian, why a unit is not ranked). Sorted by parent, rank, unit.
    :ivar indicators: the indicators considered, with weights, direction, whether they
        are in scope and, when not, why (Russian), and state counts.
    :ivar sensitivity: rank intervals per unit (see :class:`SensitivitySettings`), or
        ``None`` when the test was not asked for.
    :ivar declaration: whose rating declaration set the defaults, in Russian
        («профиль karabash», «указанные настройки» for a :class:`RatingConfig`, «настройки
        по умолчанию»).
    :ivar profile: the id of the profile whose declaration was applied, if any.
    :ivar indicator_names: indicator id → Russian name, from the declaration.
    :ivar criterion_names: criterion id → Russian name, from the declaration.
    """

    level: Level
    period: str
    previous_period: str | None
    method: Method
    within: Within
    ties: Ties
    min_coverage: float
    points_scale: PointsScale
    ranking: pd.DataFrame
    indicators: pd.DataFrame
    sensitivity: pd.DataFrame | None
    sensitivity_settings: SensitivitySettings | None
    _detail: _Detail = attrs.field(repr=False)
    declaration: str = DEFAULT_DECLARATION
    profile: str | None = None
    indicator_names: Mapping[str, str] = attrs.field(factory=dict)
    criterion_names: Mapping[str, str] = attrs.field(factory=dict)

    def __repr__(self) -> str:
        ranked = int(self.ranking["ranked"].sum()) if "ranked" in self.ranking else 0
        profile = f"{self.profile} " if self.profile else ""
        return (
            f"<Rating {profile}{self.level}s within {self.within}, {self.period}, {self.method}:"
            f" {ranked} of {len(self.ranking)} ranked on {len(self.indicators)} indicators>"
        )

    @property
    def not_ranked(self) -> pd.DataFrame:
        """:returns: the units left unranked, with their coverage and the reason."""
        r = self.ranking
        cols = ["unit", "parent", "coverage", "n_indicators_used", "reason"]
        return r.loc[~r["ranked"], cols].reset_index(drop=True)

    @functools.cached_property
    def decomposition(self) -> pd.DataFrame:
        """Every unit's score decomposed into its indicators (built on first access).

        One row per unit × indicator in scope: the data (``state``, ``numerator``,
        ``denominator``, ``value``, ``previous_value``, ``target``, ``target_met``,
        ``target_due``), the method's ``points`` (points method only) and ``normalised``
        score in ``[0, 1]``, the declared ``weight`` and ``criterion_weight``, the
        effective ``weight_share`` and the ``contribution`` to the score; contributions
        of a ranked unit sum to its score. Unit, parent, indicator and criterion are
        categorical.
        """
        return _decomposition_frame(self._detail)

    @functools.cached_property
    def criteria(self) -> pd.DataFrame:
        """Every unit's score decomposed into criteria (built on first access).

        One row per unit × criterion; an indicator without a criterion is a group of its
        own (``criterion`` is NA, ``indicators`` names it). Columns: ``weight`` (declared),
        ``weight_share``, ``criterion_score`` (0–100) and ``contribution`` (sums to the
        score).
        """
        return _criteria_frame(self._detail)

    def explain(self, unit: str) -> pd.DataFrame:
        """The decomposition of one unit's score.

        :param unit: the unit id.
        :returns: the unit's rows of :attr:`decomposition` (categorical columns as text).
        :raises KeyError: the unit is not in the rating.
        """
        d = self._detail
        code = d.panel.units.get_indexer([unit])[0]
        if code < 0:
            raise KeyError(unit)
        row = int(np.flatnonzero(d.order == code)[0])
        m = len(d.scheme.indicators)
        part = self.decomposition.iloc[row * m : (row + 1) * m].reset_index(drop=True)
        for col in ("unit", "parent", "indicator", "criterion", "state"):
            part[col] = pd.array(part[col].astype(object), dtype="str")
        return part


# --------------------------------------------------------------------------------------
# rate()
# --------------------------------------------------------------------------------------


def rate(
    results: pd.DataFrame,
    *,
    profile: Any = None,
    level: Level = "organization",
    period: str | None = None,
    method: Method | None = None,
    within: Within | None = None,
    specs: Iterable[RatingSpec] | None = None,
    weights: Mapping[str, float] | None = None,
    criteria: Mapping[str, str | None] | None = None,
    directions: Mapping[str, int] | None = None,
    criterion_weights: Mapping[str, float] | None = None,
    indicators: Iterable[str] | None = None,
    points_scale: PointsScale | Mapping[str, float] | None = None,
    min_coverage: float | None = None,
    ties: Ties | None = None,
    sensitivity: SensitivitySettings | bool = True,
    plugin_manager: Any = None,
) -> Rating:
    """Rate the units of one level within their parent.

    **Whose rules.** A profile declares how its units are rated (criteria, directions,
    points scale: :func:`rating_config_for`). That declaration is the default of every
    argument below, and an explicit argument overrides it:

    * ``profile`` given (an id, a :class:`pedprof.Profile`, or a :class:`RatingConfig`
      read from a settings file) — its declaration applies;
    * ``profile`` omitted — the profile recorded by ``pedprof.compute`` in
      ``results.attrs["profile"]`` applies, when it is installed; pandas keeps ``attrs``
      through filtering, copies and parquet files but not through CSV, so pass
      ``profile=`` when the frame comes from elsewhere;
    * neither — the built-in defaults: every indicator present, equal weights, higher is
      better, the 2 / 1 / 0 points scale.

    :attr:`Rating.declaration` says which of the three was used. The command
    ``pedprof rate`` calls this function the same way, so the terminal and the API rank
    alike. Explicit ``specs`` and ``indicators`` replace the declared ones; explicit
    ``criterion_weights`` update the declared ones key by key; ``weights``,
    ``criteria`` and ``directions`` override per indicator, as always.

    Per indicator ``i`` and unit ``u`` a normalised score ``s[u,i]`` in ``[0, 1]``:

    * ``points``: ``p = target_met`` points when the target is met, else
      ``positive_dynamics`` when ``direction × (value − previous value) > 0``, else
      ``other``; ``s = (p − other) / (target_met − other)``.
    * ``distance_to_target``: goalposts 0 and the target ``T``; higher is better:
      ``s = min(value / T, 1)``; lower is better: ``s = 1`` if ``value ≤ T`` else
      ``T / value``. A value without a target is not scored (like not applicable).
    * ``minmax``: over the compared units (those of the same parent, or of the whole
      level) ``s = (value − min) / (max − min)``, mirrored for lower-is-better; ``0.5``
      when all compared values are equal.

    Aggregation: within a criterion ``c`` the used indicators' weights ``w`` are
    renormalised; criteria with at least one used indicator share the score by their
    weights ``W`` (an indicator without criterion is a criterion of its own, weighted by
    its own weight)::

        score[u] = 100 × Σ_c W_c · (Σ_{i∈c} w_i s[u,i]) / (Σ_{i∈c} w_i)
                         ───────────────────────────────────────────────
                                         Σ_c W_c

    with every sum over the cells that hold a usable value. No-data and not-applicable
    cells are never scored 0: they leave the sums. Coverage is
    ``used / (used + no data)``; a unit whose coverage is below ``min_coverage`` is not
    ranked and gets a reason. Ranks are taken within the parent on scores rounded to
    :data:`SCORE_DECIMALS` decimals, with the declared ``ties`` rule.

    :param results: the tidy frame of ``pedprof.compute``.
    :param profile: whose rating declaration gives the defaults (see above).
    :param level: the level whose units are rated.
    :param period: the period label; the latest at that level by default.
    :param method: ``"points"``, ``"distance_to_target"`` or ``"minmax"`` (default:
        declared, else ``"points"``).
    :param within: ``"parent"`` ranks (and min–max normalises) within each parent,
        ``"level"`` over the whole level (default: declared, else ``"parent"``).
    :param specs: per-indicator declarations; the mappings below override them.
    :param weights: indicator → weight (default 1; 0 leaves the indicator out).
    :param criteria: indicator → criterion.
    :param directions: indicator → ``+1`` (higher is better, the default) or ``-1``.
    :param criterion_weights: criterion → weight (default 1).
    :param indicators: the indicators to rate (those with rows at this level in the
        period); by default all of them.
    :param points_scale: the scale of the ``points`` method (default: declared, else
        2 / 1 / 0).
    :param min_coverage: the least share of applicable indicators with a value (default:
        declared, else 0.5).
    :param ties: ``"min"`` (standard competition, 1, 2, 2, 4), ``"dense"`` (1, 2, 2, 3)
        or ``"max"`` (1, 3, 3, 4) (default: declared, else ``"min"``).
    :param sensitivity: settings of the stability test, ``True`` for the defaults or
        ``False`` to skip it.
    :param plugin_manager: where profile ids are looked up (default: the installed
        plugins).
    :returns: the :class:`Rating`.
    :raises RatingInputError: the results cannot be rated (message in Russian);
        :class:`RatingPeriodError` when ``period`` is absent.
    :raises pedprof.errors.ProfileNotFoundError: ``profile`` names a profile that is not
        installed.
    :raises pedprof.errors.UnknownLevelError: ``level`` is not a level.
    :raises pedprof.errors.UnknownIndicatorError: ``weights``, ``criteria`` or
        ``directions`` name an indicator that neither the results nor the profile have.
    :raises pedprof.errors.ArgumentError: another argument is invalid (also a
        :class:`ValueError`).
    """
    if not isinstance(results, pd.DataFrame):
        raise RatingInputError(
            "Рейтинг строится по таблице результатов pedprof.compute (pandas.DataFrame), "
            f"а передан объект типа {type(results).__name__}",
            what=f"передан {type(results).__name__}",
            expected="результаты pedprof.compute",
        )
    config, declaration, profile_id = _declaration(profile, results, plugin_manager)
    declared = config.rate_kwargs() if config is not None else {}
    if method is None:
        method = declared.get("method", "points")
    if within is None:
        within = declared.get("within", "parent")
    if min_coverage is None:
        min_coverage = declared.get("min_coverage", 0.5)
    if ties is None:
        ties = declared.get("ties", "min")
    if points_scale is None:
        points_scale = declared.get("points_scale")
    if specs is None:
        specs = declared.get("specs")
    if indicators is None:
        indicators = declared.get("indicators")
    if declared.get("criterion_weights"):
        criterion_weights = {**declared["criterion_weights"], **(criterion_weights or {})}
    assert method is not None and within is not None and ties is not None
    assert min_coverage is not None
    if level not in LEVELS:
        raise UnknownLevelError(level, LEVELS)
    _check_choice("method", method, METHODS)
    _check_choice("within", within, WITHIN)
    _check_choice("ties", ties, TIES)
    if not isinstance(min_coverage, int | float) or not 0.0 <= min_coverage <= 1.0:
        raise ArgumentError(
            f"Аргумент «min_coverage» должен быть долей от 0 до 1, а указано {min_coverage!r}",
            argument="min_coverage",
            what=f"указано {min_coverage!r}",
            expected="число от 0 до 1",
        )
    scale = PointsScale.coerce(points_scale)
    settings: SensitivitySettings | None
    if sensitivity is True:
        settings = SensitivitySettings()
    elif sensitivity is False:
        settings = None
    else:
        settings = sensitivity
    if settings is not None:
        bad = [m for m in settings.methods if m not in METHODS]
        if bad:
            raise ValueError(f"unknown methods in sensitivity settings: {bad}")

    missing = [c for c in _REQUIRED_COLUMNS if c not in results.columns]
    if missing:
        raise RatingInputError("в результатах нет столбцов: " + ", ".join(missing))
    _check_indicator_names(
        results, config, weights=weights, criteria=criteria, directions=directions
    )

    sel = _select_rows(results, level, period)
    present = sel.indicators_present
    if indicators is not None:
        indicators = list(dict.fromkeys(indicators))
        # An indicator without rows at this level does not apply to it.
        candidates = [i for i in indicators if i in set(present)]
    else:
        candidates = present
    scheme = _build_scheme(
        candidates,
        present=set(present),
        requested=indicators or (),
        specs=specs,
        weights=weights,
        criteria=criteria,
        directions=directions,
        criterion_weights=criterion_weights,
    )
    panel = _build_panel(results, sel, scheme, within)
    scored = _score(panel, scheme, method, scale, min_coverage, ties)
    order = np.lexsort(
        (np.arange(len(panel.units)), np.nan_to_num(scored.rank, nan=np.inf), panel.group)
    )
    ranking = _ranking_frame(panel, scheme, scored, order, min_coverage)
    indicator_frame = _indicator_frame(scheme, panel, scored)
    sens = None
    if settings is not None:
        sens = _sensitivity(panel, scheme, scored, scale, min_coverage, ties, settings)
        sens = sens.iloc[order].reset_index(drop=True)
        sens.insert(0, "parent", ranking["parent"].to_numpy())
        sens.insert(0, "unit", ranking["unit"].to_numpy())
    return Rating(
        level=level,
        period=sel.period,
        previous_period=sel.previous_period,
        method=method,
        within=within,
        ties=ties,
        min_coverage=float(min_coverage),
        points_scale=scale,
        ranking=ranking,
        indicators=indicator_frame,
        sensitivity=sens,
        sensitivity_settings=settings,
        detail=_Detail(panel=panel, scheme=scheme, scored=scored, order=order),
        declaration=declaration,
        profile=profile_id,
        indicator_names=config.indicator_names if config is not None else {},
        criterion_names=config.criterion_names if config is not None else {},
    )


def _check_choice(argument: str, value: object, allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    if value not in allowed:
        raise ArgumentError(
            f"Аргумент «{argument}» может быть одним из: {', '.join(allowed)}; а указано {value!r}",
            argument=argument,
            what=f"указано {value!r}",
            expected="одно из: " + ", ".join(allowed),
        )


def _check_indicator_names(
    results: pd.DataFrame, config: RatingConfig | None, **maps: Mapping[str, Any] | None
) -> None:
    """Every indicator named in ``maps`` exists in the results (at any level) or in the
    declaration; otherwise a typo would silently weigh nothing.

    Only checked against a declaration (a profile's or given settings): without one, a name
    absent from these results may be an indicator without data here, and is listed among
    the excluded indicators as before.
    """
    given = {name: m for name, m in maps.items() if m}
    if not given:
        return
    for name, m in given.items():
        if not isinstance(m, Mapping):
            raise ArgumentTypeError(
                f"Аргумент «{name}» должен быть словарём {{код показателя: значение}}, "
                f"а передан объект типа {type(m).__name__}",
                argument=name,
                what=f"передан {type(m).__name__}",
                expected="словарь {код показателя: значение}",
            )
    if config is None:
        return
    column = results["indicator"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        known = {str(c) for c in column.cat.categories}
    else:
        known = {str(c) for c in pd.unique(column.dropna())}
    known |= set(config.indicators)
    for name, m in given.items():
        for ind in m:
            if str(ind) not in known:
                raise UnknownIndicatorError(
                    ind,
                    sorted(known),
                    message=(
                        f"В аргументе «{name}» указан показатель «{ind}», которого нет ни в "
                        "результатах, ни в описании рейтинга; есть: " + ", ".join(sorted(known))
                    ),
                    where=None,
                )


def _declaration(
    profile: Any, results: pd.DataFrame, plugin_manager: Any
) -> tuple[RatingConfig | None, str, str | None]:
    """The rating declaration :func:`rate` starts from, how to name it, and the profile id.

    :raises pedprof.errors.ProfileNotFoundError: an explicitly named profile is not
        installed.
    """
    from pedprof import engine, plugins

    if isinstance(profile, RatingConfig):
        return profile, "указанные настройки", None
    if profile is None:
        recorded = results.attrs.get(engine.PROFILE_ATTR)
        if not isinstance(recorded, str) or not recorded:
            return None, DEFAULT_DECLARATION, None
        try:
            prof = plugins.get_profile(recorded, plugin_manager=plugin_manager)
        except LookupError:
            # computed by a profile that is not installed here: nothing to apply
            return None, DEFAULT_DECLARATION, None
    elif isinstance(profile, str):
        prof = plugins.get_profile(profile, plugin_manager=plugin_manager)
    else:
        prof = profile
    return rating_config_for(prof), f"профиль {prof.id}", prof.id


# --------------------------------------------------------------------------------------
# Selecting rows and building the dense panel
# --------------------------------------------------------------------------------------


@attrs.frozen(eq=False)
class _Selection:
    period: str
    previous_period: str | None
    current: IntArray  # row positions of the rated period's totals at the level
    previous: IntArray
    indicator_codes: IntArray  # of the current rows; compact, so every label occurs
    indicator_labels: pd.Index

    @property
    def indicators_present(self) -> list[str]:
        return sorted(str(i) for i in self.indicator_labels)


def _codes(results: pd.DataFrame, name: str, rows: IntArray) -> tuple[IntArray, pd.Index]:
    """Compact codes (``-1`` for missing) of a column at ``rows`` and their text labels.

    Categorical columns (what ``compute`` returns) are read through their codes, so no
    string is hashed.
    """
    col = results[name]
    if isinstance(col.dtype, pd.CategoricalDtype):
        raw = np.asarray(col.cat.codes.to_numpy()[rows], dtype=np.int64)
        ncat = len(col.cat.categories)
        used = np.bincount(raw[raw >= 0], minlength=ncat) > 0
        compact = np.append(np.cumsum(used) - 1, -1)
        return compact[raw], _plain_index(col.cat.categories[used])
    codes, uniques = pd.factorize(col.array.take(rows))
    return np.asarray(codes, dtype=np.int64), _plain_index(uniques)


def _bool_column(results: pd.DataFrame, name: str, rows: IntArray) -> npt.NDArray[np.int8]:
    """``1`` / ``0`` / ``-1`` (unknown) of a boolean column at ``rows``."""
    if name not in results.columns:
        return np.full(len(rows), -1, dtype=np.int8)
    arr = pd.array(results[name].array.take(rows), dtype="boolean")
    known = np.asarray(~arr.isna())
    out = np.full(len(rows), -1, dtype=np.int8)
    out[known] = arr[known].to_numpy(dtype=bool)
    return out


def _inverse(perm: IntArray) -> IntArray:
    out = np.empty_like(perm)
    out[perm] = np.arange(len(perm))
    return out


def _float_column(results: pd.DataFrame, name: str, rows: IntArray) -> FloatArray:
    if name not in results.columns:
        return np.full(len(rows), np.nan)
    col = results[name]
    if isinstance(col.dtype, np.dtype) and col.dtype.kind == "f":
        return np.asarray(col.to_numpy()[rows], dtype=np.float64)
    values = pd.to_numeric(pd.Series(col.array.take(rows)))
    return np.asarray(values.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)


def _select_rows(results: pd.DataFrame, level: str, period: str | None) -> _Selection:
    mask = np.array((results["level"] == level).to_numpy(dtype=bool, na_value=False))
    if "breakdown" in results.columns:
        mask &= np.asarray(results["breakdown"].isna().to_numpy(), dtype=bool)
    rows = np.flatnonzero(mask)
    if rows.size == 0:
        raise RatingInputError(
            f"в результатах нет итоговых строк уровня «{level}» ({LEVEL_NAMES.get(level, '?')})"
        )
    pcodes, plabels = _codes(results, "period", rows)
    if (pcodes < 0).any():
        raise RatingInputError("в результатах есть строки без периода")
    labels = [str(p) for p in plabels]
    first = np.empty(len(labels), dtype=np.int64)
    first[pcodes[::-1]] = rows[::-1]
    if "period_start" in results.columns:
        starts = pd.to_datetime(results["period_start"].take(first)).to_numpy()
    else:
        starts = np.full(len(labels), np.datetime64("NaT"), dtype="datetime64[ns]")
    # Periods without a start sort last; labels break ties.
    chrono = sorted(range(len(labels)), key=lambda k: (np.isnat(starts[k]), starts[k], labels[k]))
    if period is None:
        cur = chrono[-1]
    else:
        if str(period) not in labels:
            raise RatingPeriodError(
                period,
                [labels[k] for k in chrono],
                message=f"период «{period}» отсутствует в результатах уровня «{level}»; "
                f"есть: {', '.join(labels[k] for k in chrono)}",
            )
        cur = labels.index(str(period))
    pos = chrono.index(cur)
    prev = chrono[pos - 1] if pos > 0 else None
    current = rows[pcodes == cur]
    previous = rows[pcodes == prev] if prev is not None else rows[:0]
    icodes, ilabels = _codes(results, "indicator", current)
    return _Selection(
        period=labels[cur],
        previous_period=labels[prev] if prev is not None else None,
        current=current,
        previous=previous,
        indicator_codes=icodes,
        indicator_labels=ilabels,
    )


def _build_scheme(
    candidates: list[str],
    *,
    present: set[str],
    requested: Iterable[str],
    specs: Iterable[RatingSpec] | None,
    weights: Mapping[str, float] | None,
    criteria: Mapping[str, str | None] | None,
    directions: Mapping[str, int] | None,
    criterion_weights: Mapping[str, float] | None,
) -> _Scheme:
    declared: dict[str, RatingSpec] = {}
    for spec in specs or ():
        if spec.indicator in declared:
            raise ValueError(f"indicator {spec.indicator!r} is declared twice")
        declared[spec.indicator] = spec
    cweights = dict(criterion_weights or {})
    for name, cw in cweights.items():
        if not (math.isfinite(float(cw)) and float(cw) >= 0):
            raise ValueError(f"weight of criterion {name!r} must be a finite number >= 0")

    def resolve(ind: str) -> RatingSpec:
        spec = declared.get(ind, RatingSpec(ind))
        if weights is not None and ind in weights:
            spec = attrs.evolve(spec, weight=weights[ind])
        if criteria is not None and ind in criteria:
            spec = attrs.evolve(spec, criterion=criteria[ind])
        if directions is not None and ind in directions:
            spec = attrs.evolve(spec, direction=directions[ind])
        return spec

    excluded: dict[str, str] = {}
    names = set(declared) | set(weights or {}) | set(criteria or {}) | set(directions or {})
    names |= set(requested)
    for ind in sorted(names - set(candidates)):
        excluded[ind] = (
            "нет строк на этом уровне за период" if ind not in present else "не выбран для рейтинга"
        )
    kept: list[RatingSpec] = []
    for ind in candidates:
        spec = resolve(ind)
        if spec.weight == 0:
            excluded[ind] = "нулевой вес"
        elif spec.criterion is not None and float(cweights.get(spec.criterion, 1.0)) == 0:
            excluded[ind] = f"нулевой вес критерия «{spec.criterion}»"
        else:
            kept.append(spec)
    kept.sort(
        key=lambda s: (
            (0, s.criterion, s.indicator) if s.criterion is not None else (1, "", s.indicator)
        )
    )
    m = len(kept)
    group = np.zeros(m, dtype=np.int64)
    starts: list[int] = []
    group_weight: list[float] = []
    group_criterion: list[str | None] = []
    singleton: list[bool] = []
    for j, spec in enumerate(kept):
        new = j == 0 or spec.criterion is None or spec.criterion != kept[j - 1].criterion
        if new:
            starts.append(j)
            group_criterion.append(spec.criterion)
            singleton.append(spec.criterion is None)
            group_weight.append(
                spec.weight if spec.criterion is None else float(cweights.get(spec.criterion, 1.0))
            )
        group[j] = len(starts) - 1
    return _Scheme(
        indicators=tuple(s.indicator for s in kept),
        criterion=tuple(s.criterion for s in kept),
        weight=np.array([s.weight for s in kept], dtype=np.float64),
        direction=np.array([s.direction for s in kept], dtype=np.float64),
        group=group,
        starts=np.array(starts, dtype=np.int64),
        group_weight=np.array(group_weight, dtype=np.float64),
        group_criterion=tuple(group_criterion),
        singleton=np.array(singleton, dtype=bool),
        excluded=excluded,
    )


def _plain_index(uniques: Any) -> pd.Index:
    """Labels as a text index (factorize may return categorical or numeric ones)."""
    return pd.Index(uniques).astype("str")


def _columns_of(results: pd.DataFrame, rows: IntArray, scheme_index: pd.Index) -> IntArray:
    """Scheme column of every row (``-1`` when out of scope)."""
    icodes, ilabels = _codes(results, "indicator", rows)
    lookup = np.append(scheme_index.get_indexer(ilabels), -1)
    return np.asarray(lookup[icodes], dtype=np.int64)


def _build_panel(results: pd.DataFrame, sel: _Selection, scheme: _Scheme, within: Within) -> _Panel:
    rows = sel.current
    m = len(scheme.indicators)
    ucodes, ulabels = _codes(results, "unit", rows)
    if (ucodes < 0).any():
        raise RatingInputError("в результатах есть строки без единицы (unit)")
    n = len(ulabels)
    pcodes, plabels = _codes(results, "parent", rows)
    parent_raw = np.full(n, -2, dtype=np.int64)
    parent_raw[ucodes] = pcodes
    clash = parent_raw[ucodes] != pcodes
    if clash.any():
        bad = ulabels[ucodes[clash][0]]
        raise RatingInputError(f"у единицы «{bad}» в одном периоде несколько вышестоящих единиц")
    pperm = np.asarray(plabels.argsort(), dtype=np.int64)
    # A missing parent (code -1) reads the appended last entry: it sorts after all labels.
    psorted = np.append(_inverse(pperm), len(pperm))[parent_raw]
    unit_rank = _inverse(np.asarray(ulabels.argsort(), dtype=np.int64))
    perm = np.lexsort((unit_rank, psorted))
    ucodes = _inverse(perm)[ucodes]
    units = ulabels[perm]
    parent_of = psorted[perm]
    group = parent_of.copy() if within == "parent" else np.zeros(n, dtype=np.int64)
    if n:
        new = np.empty(n, dtype=bool)
        new[0] = True
        new[1:] = group[1:] != group[:-1]
        group_starts = np.flatnonzero(new)
        group = np.cumsum(new) - 1  # dense 0..G-1, still ascending
    else:
        group_starts = np.zeros(0, dtype=np.int64)

    scheme_index = pd.Index(list(scheme.indicators), dtype=object)
    lookup = np.append(scheme_index.get_indexer(sel.indicator_labels), -1)
    cols = np.asarray(lookup[sel.indicator_codes], dtype=np.int64)
    keep = cols >= 0
    flat = ucodes[keep] * m + cols[keep]
    rows_k = rows[keep]
    if flat.size:
        counts = np.bincount(flat, minlength=n * m)
        if counts.max() > 1:
            dup = int(np.flatnonzero(counts > 1)[0])
            raise RatingInputError(
                f"повторяющиеся итоговые строки: показатель «{scheme.indicators[dup % m]}», "
                f"единица «{units[dup // m]}», период «{sel.period}»"
            )

    scodes, slabels = _codes(results, "state", rows_k)
    unknown = [str(s) for s in slabels if str(s) not in _STATE_CODES]
    if unknown:
        raise RatingInputError(
            f"неизвестное состояние «{unknown[0]}»; допустимы: value, no_data, not_applicable"
        )
    if (scodes < 0).any():
        raise RatingInputError("в результатах есть строки без состояния (state)")
    slookup = np.array([_STATE_CODES[str(s)] for s in slabels], dtype=np.int8)
    state_rows = slookup[scodes] if len(slookup) else np.zeros(0, dtype=np.int8)
    value_rows = _float_column(results, "value", rows_k)
    has_value = state_rows == _VALUE
    if not np.isfinite(value_rows[has_value]).all():
        raise RatingInputError("в строке с состоянием value нет конечного значения (value)")

    def dense(fill: Any, data: npt.NDArray[Any], dtype: Any = np.float64) -> npt.NDArray[Any]:
        out = np.full(n * m, fill, dtype=dtype)
        out[flat] = data
        return out.reshape(n, m)

    if "previous_value" in results.columns:
        previous = dense(np.nan, _float_column(results, "previous_value", rows_k))
    else:
        previous = np.full(n * m, np.nan)
        prows = sel.previous
        if prows.size:
            pcols = _columns_of(results, prows, scheme_index)
            pu_codes, pu_labels = _codes(results, "unit", prows)
            pu = np.append(units.get_indexer(pu_labels), -1)[pu_codes]
            ps_codes, ps_labels = _codes(results, "state", prows)
            is_value = np.append(np.asarray(ps_labels == "value"), False)[ps_codes]
            ok = (pcols >= 0) & (pu >= 0) & is_value
            previous[pu[ok] * m + pcols[ok]] = _float_column(results, "value", prows[ok])
        previous = previous.reshape(n, m)

    return _Panel(
        units=units,
        parents=plabels[pperm],
        parent_of=parent_of,
        group=group,
        group_starts=group_starts,
        state=dense(_NO_DATA, state_rows, np.int8),
        value=dense(np.nan, np.where(has_value, value_rows, np.nan)),
        previous=previous,
        target=dense(np.nan, _float_column(results, "target", rows_k)),
        target_met=dense(-1, _bool_column(results, "target_met", rows_k), np.int8),
        target_due=dense(False, _bool_column(results, "target_due", rows_k) == 1, bool),
        numerator=dense(np.nan, _float_column(results, "numerator", rows_k)),
        denominator=dense(np.nan, _float_column(results, "denominator", rows_k)),
    )


# --------------------------------------------------------------------------------------
# Normalisation, aggregation, ranking
# --------------------------------------------------------------------------------------


def _group_extrema(x: FloatArray, panel: _Panel) -> tuple[FloatArray, FloatArray]:
    """Column-wise NaN-ignoring minimum and maximum of ``x`` over each ranking group."""
    if x.shape[0] == 0:
        return x, x
    sizes = np.diff(np.append(panel.group_starts, x.shape[0]))
    lo = np.fmin.reduceat(x, panel.group_starts, axis=0)
    hi = np.fmax.reduceat(x, panel.group_starts, axis=0)
    return np.repeat(lo, sizes, axis=0), np.repeat(hi, sizes, axis=0)


def _availability(panel: _Panel, method: Method) -> tuple[BoolArray, BoolArray]:
    """:returns: the cells a method can score, and the no-data cells that lower coverage.

    Not-applicable cells are in neither. For distance to target a value without a target
    is not scorable, and an indicator without any target does not count at all.
    """
    has_value = panel.state == _VALUE
    no_data = panel.state == _NO_DATA
    if method != "distance_to_target":
        return has_value, no_data
    has_target = np.isfinite(panel.target)
    column_has_target = np.asarray(has_target.any(axis=0), dtype=bool)
    return has_value & has_target, no_data & column_has_target[None, :]


def _normalise(
    panel: _Panel,
    scheme: _Scheme,
    method: Method,
    scale: PointsScale,
    usable: BoolArray,
    compared: BoolArray,
) -> tuple[FloatArray, FloatArray | None]:
    """:returns: normalised scores in ``[0, 1]`` (NaN where not usable) and points.

    :param compared: the units that set the min–max goalposts (the ranked ones).
    """
    v = panel.value
    d = scheme.direction[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "points":
            prev = panel.previous
            better = d * (v - prev) > 1e-12 + 1e-9 * np.abs(prev)
            points = np.where(
                panel.target_met == 1,
                scale.target_met,
                np.where(better, scale.positive_dynamics, scale.other),
            )
            points = np.where(usable, points, np.nan)
            return (points - scale.other) / (scale.target_met - scale.other), points
        if method == "distance_to_target":
            t = panel.target
            up = np.where(t > 0, v / t, np.where(v >= t, 1.0, 0.0))
            down = np.where(v <= t, 1.0, t / v)
            s = np.clip(np.where(d > 0, up, down), 0.0, 1.0)
            return np.where(usable, s, np.nan), None
        sets_scale = usable & compared[:, None]
        lo, hi = _group_extrema(np.where(sets_scale, v, np.nan), panel)
        span = hi - lo
        s = np.clip(np.where(d > 0, v - lo, hi - v) / span, 0.0, 1.0)
        s = np.where(span > 0, s, np.where(np.isnan(span), np.nan, 0.5))
        return np.where(usable, s, np.nan), None


def _aggregate(
    s: FloatArray, usable: BoolArray, w: FloatArray, gw: FloatArray, scheme: _Scheme
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Weighted two-level mean, exactly reproducible per row (no BLAS).

    :returns: the score per unit (NaN when nothing is usable), the effective weight
        shares and the contributions (which sum to the score).
    """
    n, m = s.shape
    if m == 0:
        return np.full(n, np.nan), np.zeros((n, 0)), np.zeros((n, 0))
    wt = np.where(usable, w[None, :], 0.0)
    grouped = len(scheme.starts) < m
    dg = np.add.reduceat(wt, scheme.starts, axis=1) if grouped else wt
    present = dg > 0
    total = np.where(present, gw[None, :], 0.0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(present, gw[None, :] / dg, 0.0) / total[:, None]
    share = wt * (factor[:, scheme.group] if grouped else factor)
    contribution = 100.0 * share * np.where(usable, s, 0.0)
    score = contribution.sum(axis=1)
    score[~(total > 0)] = np.nan
    return score, share, contribution


def _draw_scores(
    s: FloatArray, usable: BoolArray, w: FloatArray, gw: FloatArray, scheme: _Scheme
) -> FloatArray:
    """Scores for many weight draws at once (BLAS; used for sensitivity only).

    :param w: ``(m, k)`` indicator weights per draw.
    :param gw: ``(G, k)`` group weights per draw.
    :returns: ``(n, k)`` scores.
    """
    n, m = s.shape
    k = w.shape[1]
    a = usable.astype(np.float64)
    x = a * np.where(usable, s, 0.0)
    out = np.empty((n, k))
    g = len(scheme.starts)
    with np.errstate(divide="ignore", invalid="ignore"):
        if g == m:  # no criteria: a plain weighted mean
            out[:] = 100.0 * (x @ w) / (a @ w)
            return out
        member = np.zeros((m, g))
        member[np.arange(m), scheme.group] = 1.0
        chunk = max(1, 8_000_000 // max(1, n * g))
        for lo in range(0, k, chunk):
            hi = min(k, lo + chunk)
            # b[i, g, j] = w[i, j] if column i is in group g
            b = (member[:, :, None] * w[:, None, lo:hi]).reshape(m, g * (hi - lo))
            num = (x @ b).reshape(n, g, hi - lo)
            den = (a @ b).reshape(n, g, hi - lo)
            present = den > 0
            ratio = np.where(present, num / den, 0.0)
            gwk = gw[None, :, lo:hi]
            out[:, lo:hi] = 100.0 * (ratio * gwk).sum(axis=1) / (present * gwk).sum(axis=1)
    return out


def _rank_within(score: FloatArray, group: IntArray, ties: Ties) -> FloatArray:
    """Ranks (1 = best) within groups; NaN scores get NaN.

    Works on ``(n,)`` scores or ``(n, k)`` (one ranking per column), vectorised over
    both axes. Scores are compared after rounding to :data:`SCORE_DECIMALS` decimals.
    """
    one_d = score.ndim == 1
    sc = score[None, :] if one_d else np.ascontiguousarray(score.T)
    n = sc.shape[1]
    if n == 0:
        return score.copy()
    valid = np.isfinite(sc)
    units = np.clip(np.rint(np.where(valid, sc, 0.0) * _SCORE_UNITS), 0, _KEY_SPAN - 1)
    key = group[None, :].astype(np.int64) * _KEY_SPAN + (_KEY_SPAN - 1 - units.astype(np.int64))
    key[~valid] = np.iinfo(np.int64).max
    order = np.argsort(key, axis=1)
    sk = np.take_along_axis(key, order, axis=1)
    sg = group[order]
    pos = np.broadcast_to(np.arange(n)[None, :], sk.shape)
    new_group = np.ones(sk.shape, dtype=bool)
    new_group[:, 1:] = sg[:, 1:] != sg[:, :-1]
    new_run = new_group.copy()
    new_run[:, 1:] |= sk[:, 1:] != sk[:, :-1]
    group_start = np.maximum.accumulate(np.where(new_group, pos, 0), axis=1)
    if ties == "min":
        r = np.maximum.accumulate(np.where(new_run, pos, 0), axis=1) - group_start + 1
    elif ties == "dense":
        c = np.cumsum(new_run, axis=1)
        r = c - np.take_along_axis(c, group_start, axis=1) + 1
    else:
        end = np.ones(sk.shape, dtype=bool)
        end[:, :-1] = new_run[:, 1:]
        run_end = np.minimum.accumulate(np.where(end, pos, n)[:, ::-1], axis=1)[:, ::-1]
        r = run_end - group_start + 1
    ranks = np.empty(sk.shape, dtype=np.float64)
    np.put_along_axis(ranks, order, r.astype(np.float64), axis=1)
    ranks[~valid] = np.nan
    return ranks[0] if one_d else ranks.T


def _score(
    panel: _Panel,
    scheme: _Scheme,
    method: Method,
    scale: PointsScale,
    min_coverage: float,
    ties: Ties,
) -> _Scored:
    usable, counted_no_data = _availability(panel, method)
    n_used = usable.sum(axis=1).astype(np.int64)
    n_applicable = n_used + counted_no_data.sum(axis=1).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        coverage = n_used / n_applicable
    # Coverage does not depend on scores, so the ranked units are known before scoring.
    ranked = (n_used > 0) & (coverage >= min_coverage - 1e-12)
    s, points = _normalise(panel, scheme, method, scale, usable, ranked)
    score, share, contribution = _aggregate(s, usable, scheme.weight, scheme.group_weight, scheme)
    ranked &= np.isfinite(score)
    if not ranked.all():
        score = np.where(ranked, score, np.nan)
        share = np.where(ranked[:, None], share, np.nan)
        contribution = np.where(ranked[:, None], contribution, np.nan)
    rank = _rank_within(score, panel.group, ties)
    n_groups = len(panel.group_starts)
    n_ranked = np.bincount(panel.group, weights=ranked, minlength=n_groups).astype(np.int64)
    return _Scored(
        method=method,
        normalised=s,
        usable=usable,
        points=points,
        counted_no_data=counted_no_data,
        n_used=n_used,
        n_applicable=n_applicable,
        coverage=coverage,
        ranked=ranked,
        score=score,
        share=share,
        contribution=contribution,
        rank=rank,
        n_ranked_in_group=n_ranked[panel.group],
    )


# --------------------------------------------------------------------------------------
# Sensitivity
# --------------------------------------------------------------------------------------


def _interval_limit(n_ranked: IntArray, threshold: float) -> FloatArray:
    return np.maximum(1.0, threshold * n_ranked)


def _sensitivity(
    panel: _Panel,
    scheme: _Scheme,
    base: _Scored,
    scale: PointsScale,
    min_coverage: float,
    ties: Ties,
    settings: SensitivitySettings,
) -> pd.DataFrame:
    n = len(panel.units)
    k = settings.n_draws
    rng = np.random.default_rng(settings.seed)
    lo, hi = 1.0 - settings.perturbation, 1.0 + settings.perturbation
    u = rng.uniform(lo, hi, size=(len(scheme.indicators), k))
    v = rng.uniform(lo, hi, size=(len(scheme.starts), k))
    w = scheme.weight[:, None] * u
    gw = np.where(scheme.singleton[:, None], w[scheme.starts], scheme.group_weight[:, None] * v)
    if k and len(scheme.indicators):
        draws = _draw_scores(base.normalised, base.usable, w, gw, scheme)
        draws[~base.ranked] = np.nan
        wranks = _rank_within(draws, panel.group, ties)
    else:
        wranks = np.full((n, 0), np.nan)
    base_rank = base.rank
    wmin, wmax = base_rank.copy(), base_rank.copy()
    if wranks.shape[1]:
        wmin = np.fmin(wmin, wranks.min(axis=1))
        wmax = np.fmax(wmax, wranks.max(axis=1))

    out: dict[str, Any] = {"rank": _as_int(base_rank)}
    out["rank_weights_min"] = _as_int(wmin)
    out["rank_weights_max"] = _as_int(wmax)
    mmin, mmax = base_rank.copy(), base_rank.copy()
    for method in settings.methods:
        if method == base.method:
            r = base_rank
        else:
            r = _score(panel, scheme, method, scale, min_coverage, ties).rank
        out[f"rank_{method}"] = _as_int(r)
        mmin = np.fmin(mmin, r)
        mmax = np.fmax(mmax, r)
    mmin[~base.ranked] = np.nan
    mmax[~base.ranked] = np.nan
    out["rank_methods_min"] = _as_int(mmin)
    out["rank_methods_max"] = _as_int(mmax)
    limit = _interval_limit(base.n_ranked_in_group, settings.threshold)
    out["allowed_width"] = np.where(base.ranked, limit, np.nan)
    unstable_w = (wmax - wmin) > limit
    unstable_m = (mmax - mmin) > limit
    out["unstable_weights"] = _as_bool(unstable_w, base.ranked)
    out["unstable_methods"] = _as_bool(unstable_m, base.ranked)
    out["unstable"] = _as_bool(unstable_w | unstable_m, base.ranked)
    return pd.DataFrame(out)


def _as_int(x: FloatArray) -> pd.arrays.IntegerArray:
    return pd.array(np.where(np.isfinite(x), x, np.nan), dtype="Float64").astype("Int64")


def _as_bool(x: BoolArray, valid: BoolArray) -> pd.arrays.BooleanArray:
    return pd.arrays.BooleanArray(np.asarray(x, dtype=bool), ~np.asarray(valid, dtype=bool))


# --------------------------------------------------------------------------------------
# Frames
# --------------------------------------------------------------------------------------


def _parent_labels(panel: _Panel, order: IntArray) -> pd.arrays.ArrowStringArray:
    """Parent ids of the units in ``order`` (NA for a missing parent)."""
    labels = np.empty(len(panel.parents) + 1, dtype=object)
    labels[:-1] = panel.parents.to_numpy(dtype=object)
    return pd.array(labels[panel.parent_of[order]], dtype="str")


def _fmt_percent(x: float) -> str:
    return f"{x * 100:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def _ranking_frame(
    panel: _Panel,
    scheme: _Scheme,
    sc: _Scored,
    order: IntArray,
    min_coverage: float,
) -> pd.DataFrame:
    m = len(scheme.indicators)
    n_no_data = sc.counted_no_data.sum(axis=1)
    frame = pd.DataFrame(
        {
            "unit": panel.units.take(order).array,
            "parent": _parent_labels(panel, order),
            "score": sc.score[order],
            "rank": _as_int(sc.rank[order]),
            "n_ranked_in_parent": sc.n_ranked_in_group[order],
            "n_indicators": np.full(len(order), m, dtype=np.int64),
            "n_indicators_used": sc.n_used[order],
            "n_no_data": n_no_data[order].astype(np.int64),
            "n_not_applicable": (m - sc.n_applicable)[order].astype(np.int64),
            "coverage": sc.coverage[order],
            "ranked": sc.ranked[order],
        }
    )
    frame["reason"] = _reasons(sc, m, min_coverage)[order]
    return frame


def _reasons(sc: _Scored, m: int, min_coverage: float) -> pd.arrays.ArrowStringArray:
    """Russian reasons why units are not ranked (NA for ranked units).

    A reason depends only on (used, applicable), at most ``(m + 1)²`` combinations, so
    each distinct text is formatted once and spread to the units by code.
    """
    n_app = sc.n_applicable
    code = sc.n_used * (m + 1) + n_app
    code = np.where(sc.ranked, -1, code)
    uniq, inverse = np.unique(code, return_inverse=True)
    none_applicable = (
        "нет применимых показателей с целевыми значениями"
        if sc.method == "distance_to_target"
        else "все показатели неприменимы"
    )
    if m == 0:
        none_applicable = "нет показателей для рейтинга"
    texts: list[str | None] = []
    for c in uniq:
        used, applicable = divmod(int(c), m + 1)
        if c < 0:
            texts.append(None)
        elif applicable == 0:
            texts.append(none_applicable)
        else:
            texts.append(
                f"недостаточно данных: значения есть по {used} из {applicable} применимых "
                f"показателей ({_fmt_percent(used / applicable)} %), требуется не менее "
                f"{_fmt_percent(min_coverage)} %"
            )
    return pd.array(np.asarray(texts, dtype=object)[inverse.reshape(-1)], dtype="str")


def _indicator_frame(scheme: _Scheme, panel: _Panel, sc: _Scored) -> pd.DataFrame:
    m = len(scheme.indicators)
    gw = scheme.group_weight[scheme.group] if m else np.zeros(0)
    no_target = np.zeros(m, dtype=bool)
    if sc.method == "distance_to_target":
        no_target = ~np.asarray(np.isfinite(panel.target).any(axis=0), dtype=bool)
    notes = [
        "нет целевого значения: метод расстояния неприменим" if missing else None
        for missing in no_target
    ]
    inscope = pd.DataFrame(
        {
            "indicator": list(scheme.indicators),
            "criterion": pd.array(list(scheme.criterion), dtype="str"),
            "weight": scheme.weight,
            "criterion_weight": np.where(scheme.singleton[scheme.group], np.nan, gw) if m else gw,
            "direction": scheme.direction.astype(np.int64),
            "in_scope": ~no_target,
            "note": pd.array(notes, dtype="str"),
            "n_value": (panel.state == _VALUE).sum(axis=0),
            "n_used": sc.usable.sum(axis=0),
            "n_no_data": (panel.state == _NO_DATA).sum(axis=0),
            "n_not_applicable": (panel.state == _NOT_APPLICABLE).sum(axis=0),
        }
    )
    rest = list(scheme.excluded)
    if not rest:
        return inscope
    outside = pd.DataFrame(
        {
            "indicator": rest,
            "criterion": pd.array([None] * len(rest), dtype="str"),
            "weight": np.nan,
            "criterion_weight": np.nan,
            "direction": np.ones(len(rest), dtype=np.int64),
            "in_scope": False,
            "note": pd.array([scheme.excluded[i] for i in rest], dtype="str"),
            "n_value": 0,
            "n_used": 0,
            "n_no_data": 0,
            "n_not_applicable": 0,
        }
    )
    return pd.concat([inscope, outside], ignore_index=True)


def _decomposition_frame(d: _Detail) -> pd.DataFrame:
    p, sch, sc, order = d.panel, d.scheme, d.scored, d.order
    n, m = len(order), len(sch.indicators)

    def cells(x: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return x[order].reshape(n * m)

    state = p.state.copy()
    state[(state == _VALUE) & ~sc.usable] = _NO_TARGET
    unit_codes = np.repeat(order, m)
    parent_codes = np.where(p.parent_of >= len(p.parents), -1, p.parent_of)
    ind_codes = np.tile(np.arange(m), n)
    crit_names = sorted({c for c in sch.criterion if c is not None})
    crit_lookup = {c: i for i, c in enumerate(crit_names)}
    crit_codes = np.array([crit_lookup.get(c, -1) if c else -1 for c in sch.criterion], dtype=int)
    met = cells(p.target_met)
    gw = sch.group_weight[sch.group] if m else np.zeros(0)
    return pd.DataFrame(
        {
            "unit": pd.Categorical.from_codes(unit_codes, categories=p.units),
            "parent": pd.Categorical.from_codes(
                np.repeat(parent_codes[order], m), categories=p.parents
            ),
            "indicator": pd.Categorical.from_codes(ind_codes, categories=list(sch.indicators)),
            "criterion": pd.Categorical.from_codes(np.tile(crit_codes, n), categories=crit_names),
            "state": pd.Categorical.from_codes(cells(state), categories=list(_STATE_LABELS)),
            "used": cells(sc.usable) & np.repeat(sc.ranked[order], m),
            "numerator": cells(p.numerator),
            "denominator": cells(p.denominator),
            "value": cells(p.value),
            "previous_value": cells(p.previous),
            "target": cells(p.target),
            "target_met": pd.arrays.BooleanArray(met == 1, met < 0),
            "target_due": cells(p.target_due),
            "direction": np.tile(sch.direction.astype(np.int8), n),
            "points": cells(sc.points) if sc.points is not None else np.full(n * m, np.nan),
            "normalised": cells(sc.normalised),
            "weight": np.tile(sch.weight, n),
            "criterion_weight": np.tile(gw, n),
            "weight_share": cells(sc.share),
            "contribution": cells(sc.contribution),
        }
    )


def _criteria_frame(d: _Detail) -> pd.DataFrame:
    p, sch, sc, order = d.panel, d.scheme, d.scored, d.order
    n, g = len(order), len(sch.starts)
    if g == 0:
        return pd.DataFrame(
            columns=[
                "unit",
                "parent",
                "criterion",
                "indicators",
                "weight",
                "weight_share",
                "criterion_score",
                "contribution",
            ]
        )
    s0 = np.where(sc.usable, sc.normalised, 0.0)
    wt = np.where(sc.usable, sch.weight[None, :], 0.0)
    dg = np.add.reduceat(wt, sch.starts, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        cscore = 100.0 * np.add.reduceat(wt * s0, sch.starts, axis=1) / dg
    cscore = np.where(dg > 0, cscore, np.nan)
    share = np.add.reduceat(np.nan_to_num(sc.share), sch.starts, axis=1)
    share = np.where(sc.ranked[:, None], share, np.nan)
    contribution = np.add.reduceat(np.nan_to_num(sc.contribution), sch.starts, axis=1)
    contribution = np.where(sc.ranked[:, None], contribution, np.nan)
    members = [
        ", ".join(sch.indicators[a:b])
        for a, b in zip(sch.starts, [*sch.starts[1:], len(sch.indicators)], strict=True)
    ]
    labels = [c if c is not None else None for c in sch.group_criterion]
    parent_codes = np.where(p.parent_of >= len(p.parents), -1, p.parent_of)
    return pd.DataFrame(
        {
            "unit": pd.Categorical.from_codes(np.repeat(order, g), categories=p.units),
            "parent": pd.Categorical.from_codes(
                np.repeat(parent_codes[order], g), categories=p.parents
            ),
            "criterion": pd.array(labels * n, dtype="str"),
            "indicators": pd.array(members * n, dtype="str"),
            "weight": np.tile(sch.group_weight, n),
            "weight_share": share[order].reshape(n * g),
            "criterion_score": cscore[order].reshape(n * g),
            "contribution": contribution[order].reshape(n * g),
        }
    )


# --------------------------------------------------------------------------------------
# Terminal output (Russian)
# --------------------------------------------------------------------------------------


def _num(x: Any, digits: int = 1) -> str:
    if x is None or x is pd.NA or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    return f"{float(x):.{digits}f}".replace(".", ",").replace("-", "−")


def _rank_text(x: Any) -> str:
    return "—" if x is None or x is pd.NA else str(int(x))


def _interval_text(row: Mapping[str, Any], lo: str, hi: str) -> str:
    a, b = row.get(lo), row.get(hi)
    if a is None or a is pd.NA or b is None or b is pd.NA:
        return "—"
    return str(int(a)) if a == b else f"{int(a)}–{int(b)}"


def format_rating(
    rating: Rating,
    *,
    top: int = 10,
    bottom: int | None = None,
    unit: str | None = None,
    neighbours: int = 2,
    parent: str | None = None,
    max_groups: int = 3,
    indicator_names: Mapping[str, str] | None = None,
    criterion_names: Mapping[str, str] | None = None,
    max_not_ranked: int = 20,
    unit_names: Mapping[str, str] | None = None,
) -> Group:
    """Render a rating for the terminal, in Russian (a pure function).

    Shows a header with the method and the rules; for each parent shown, the top and
    the bottom of its ranking; for a chosen unit, its neighbours and the decomposition of
    its score into indicators and criteria; the units not ranked with their reasons.

    :param rating: the rating.
    :param top: how many leading places to show per parent.
    :param bottom: how many trailing places (default: as ``top``).
    :param unit: a unit to show with its neighbours and its decomposition.
    :param neighbours: places above and below the chosen unit.
    :param parent: show only this parent's ranking.
    :param max_groups: at most this many parents when neither ``unit`` nor ``parent``.
    :param indicator_names: indicator id → Russian name (default: the declaration's).
    :param criterion_names: criterion id → Russian name (default: the declaration's).
    :param max_not_ranked: at most this many unranked units listed.
    :param unit_names: unit id → name (organisation, municipality), shown instead of the
        id wherever a unit or a parent is named; ``unit`` and ``parent`` stay ids.
    :returns: a ``rich`` renderable (print it with ``rich.console.Console``).
    :raises KeyError: ``unit`` or ``parent`` is not in the rating.
    """
    bottom = top if bottom is None else bottom
    inames = dict(rating.indicator_names if indicator_names is None else indicator_names)
    cnames = dict(rating.criterion_names if criterion_names is None else criterion_names)
    names = dict(unit_names or {})

    def named(unit_id: object) -> str:
        return names.get(str(unit_id), str(unit_id))

    r = rating.ranking
    parts: list[RenderableType] = []
    n_ranked = int(r["ranked"].sum())
    lvl = rating.level
    where = (
        f"внутри: {PARENT_NAMES[lvl]}"
        if rating.within == "parent" and lvl != "region"
        else "по всему уровню"
    )
    head = Text()
    head.append(f"Рейтинг: {LEVEL_NAMES[lvl]}, период {rating.period}", style="bold")
    if rating.previous_period:
        head.append(f" (предыдущий {rating.previous_period})")
    head.append(f"\nМетод: {METHOD_NAMES[rating.method]}")
    if rating.method == "points":
        sc = rating.points_scale
        head.append(
            f" (цель достигнута — {_num(sc.target_met, 0)}, положительная динамика — "
            f"{_num(sc.positive_dynamics, 0)}, иначе — {_num(sc.other, 0)})"
        )
    head.append(f"\nМеста {where}; {TIES_NAMES[rating.ties]}")
    head.append(f"\nПравила рейтинга: {rating.declaration}.")
    head.append(
        f"\nПорог полноты данных: {_fmt_percent(rating.min_coverage)} %. "
        f"Ранжировано {n_ranked} из {len(r)}, не ранжировано {len(r) - n_ranked}."
    )
    parts.append(head)

    sens = rating.sensitivity
    view = r
    if sens is not None:
        view = r.assign(
            rank_weights_min=sens["rank_weights_min"],
            rank_weights_max=sens["rank_weights_max"],
            rank_methods_min=sens["rank_methods_min"],
            rank_methods_max=sens["rank_methods_max"],
            unstable=sens["unstable"],
        )

    # The ranking groups: one per parent, or the whole level.
    is_na = view["parent"].isna().to_numpy()
    key = np.where(is_na, "\x00na", view["parent"].fillna("").to_numpy(dtype=object))
    if rating.within == "level" or lvl == "region":
        key = np.full(len(view), "\x00all", dtype=object)
    if unit is not None:
        hit = np.flatnonzero(view["unit"].to_numpy(dtype=object) == unit)
        if len(hit) == 0:
            raise KeyError(unit)
        keys: list[Any] = [key[hit[0]]]
    elif parent is not None:
        if not (view["parent"] == parent).any():
            raise KeyError(parent)
        keys = [key[np.flatnonzero((view["parent"] == parent).to_numpy())[0]]]
    else:
        keys = list(pd.unique(key))
        if len(keys) > max_groups:
            parts.append(
                Text(
                    f"Показаны {max_groups} из {len(keys)} групп; "
                    "выберите группу (--parent) или единицу (--unit).",
                    style="italic",
                )
            )
            keys = keys[:max_groups]

    parent_title = PARENT_NAMES[lvl].capitalize()
    unit_listed = False
    for k in keys:
        same = key == k
        g = view.loc[same & view["ranked"].to_numpy()]
        if k == "\x00all":
            title = f"Все {LEVEL_NAMES[lvl]}: ранжировано {len(g)}"
        else:
            label = "не указан" if k == "\x00na" else named(k)
            title = f"{parent_title} «{label}»: ранжировано {len(g)}"
        table = _places_table(title, sens is not None)
        head_rows = g.iloc[:top]
        tail_rows = g.iloc[max(top, len(g) - bottom) :] if bottom else g.iloc[:0]
        listed = pd.concat([head_rows, tail_rows])
        unit_listed |= bool((listed["unit"] == unit).any())
        for _, row in head_rows.iterrows():
            _place_row(table, row, sens is not None, row["unit"] == unit, named)
        if len(g) > len(head_rows) + len(tail_rows):
            table.add_row("…", "…", "", "", "", *([""] if sens is not None else []))
        for _, row in tail_rows.iterrows():
            _place_row(table, row, sens is not None, row["unit"] == unit, named)
        parts.append(table)

    if unit is not None:
        parts.extend(
            _unit_parts(rating, view, key, unit, neighbours, unit_listed, inames, cnames, named)
        )

    shown = np.isin(key, keys)
    nr = view.loc[shown & ~view["ranked"].to_numpy()]
    if len(nr):
        t = Table(title=f"Не ранжированы: {len(nr)}", title_justify="left")
        t.add_column("Единица")
        t.add_column("Полнота", justify="right")
        t.add_column("Причина")
        for _, row in nr.iloc[:max_not_ranked].iterrows():
            cov = row["coverage"]
            t.add_row(
                named(row["unit"]),
                f"{_fmt_percent(cov)} %" if math.isfinite(cov) else "—",
                str(row["reason"]),
            )
        if len(nr) > max_not_ranked:
            t.add_row("…", "", f"и ещё {len(nr) - max_not_ranked}")
        parts.append(t)

    if sens is not None and rating.sensitivity_settings is not None:
        st = rating.sensitivity_settings
        n_unstable = int(sens["unstable"].fillna(False).sum())
        parts.append(
            Text(
                f"Устойчивость мест: {st.n_draws} случайных изменений весов на ±"
                f"{_fmt_percent(st.perturbation)} % (seed {st.seed}) и смена метода "
                f"({', '.join(METHOD_NAMES[m] for m in st.methods)}). Место считается "
                f"неустойчивым, если разброс мест больше max(1; "
                f"{_fmt_percent(st.threshold)} % ранжированных в группе). "
                f"Неустойчивых: {n_unstable}."
            )
        )
    return Group(*parts)


def _places_table(title: str, with_sensitivity: bool) -> Table:
    t = Table(title=title, title_justify="left")
    t.add_column("Место", justify="right")
    t.add_column("Единица")
    t.add_column("Балл", justify="right")
    t.add_column("Показателей со значением", justify="right")
    t.add_column("Полнота", justify="right")
    if with_sensitivity:
        t.add_column("Разброс мест: веса / методы")
    return t


def _place_row(
    table: Table,
    row: pd.Series,
    with_sensitivity: bool,
    highlight: bool,
    named: Callable[[object], str] = str,
) -> None:
    cells = [
        _rank_text(row["rank"]),
        named(row["unit"]),
        _num(row["score"]),
        f"{int(row['n_indicators_used'])} из "
        f"{int(row['n_indicators_used']) + int(row['n_no_data'])}",
        f"{_fmt_percent(row['coverage'])} %",
    ]
    if with_sensitivity:
        text = (
            f"{_interval_text(row, 'rank_weights_min', 'rank_weights_max')} / "
            f"{_interval_text(row, 'rank_methods_min', 'rank_methods_max')}"
        )
        if row["unstable"] is True:
            text += " неустойчиво"
        cells.append(text)
    table.add_row(*cells, style="bold" if highlight else None)


def _unit_parts(
    rating: Rating,
    view: pd.DataFrame,
    key: npt.NDArray[Any],
    unit: str,
    neighbours: int,
    listed: bool,
    inames: Mapping[str, str],
    cnames: Mapping[str, str],
    named: Callable[[object], str] = str,
) -> list[RenderableType]:
    parts: list[RenderableType] = []
    label = named(unit)
    at = int(np.flatnonzero(view["unit"].to_numpy(dtype=object) == unit)[0])
    me = view.iloc[at]
    if bool(me["ranked"]) and not listed:
        mask = (key == key[at]) & view["ranked"].to_numpy()
        same = view.loc[mask].reset_index(drop=True)
        pos = int(np.flatnonzero(same["unit"].to_numpy(dtype=object) == unit)[0])
        near = same.iloc[max(0, pos - neighbours) : pos + neighbours + 1]
        t = _places_table(f"«{label}» и соседи", rating.sensitivity is not None)
        for _, row in near.iterrows():
            _place_row(t, row, rating.sensitivity is not None, row["unit"] == unit, named)
        parts.append(t)
    elif not bool(me["ranked"]):
        parts.append(Text(f"«{label}» не ранжирована: {me['reason']}", style="bold"))

    d = rating.explain(unit)
    is_points = rating.method == "points"
    with_criteria = bool(d["criterion"].notna().any())
    t = Table(title=f"Из чего сложился балл «{label}»: {_num(me['score'])}", title_justify="left")
    t.add_column("Показатель")
    if with_criteria:
        t.add_column("Критерий")
    t.add_column("Состояние")
    t.add_column("Значение", justify="right")
    t.add_column("Пред.", justify="right")
    t.add_column("Цель", justify="right")
    t.add_column("Баллы" if is_points else "Норм.", justify="right")
    t.add_column("Доля веса", justify="right")
    t.add_column("Вклад", justify="right")
    for _, row in d.iterrows():
        ind = str(row["indicator"])
        crit = row["criterion"]
        target = _num(row["target"])
        if row["target_met"] is True:
            target += " ✓"
        share = row["weight_share"]
        used = bool(row["used"])
        cells = [f"{ind} {inames[ind]}" if ind in inames else ind]
        if with_criteria:
            cells.append("—" if pd.isna(crit) else cnames.get(str(crit), str(crit)))
        cells += [
            _STATE_SHORT.get(str(row["state"]), str(row["state"])),
            _num(row["value"]),
            _num(row["previous_value"]),
            target,
            _num(row["points"], 0) if is_points else _num(row["normalised"], 2),
            f"{_fmt_percent(share)} %" if used else "—",
            _num(row["contribution"], 2) if used else "—",
        ]
        t.add_row(*cells)
    parts.append(t)
    parts.append(
        Text(
            "Состояние: есть — значение есть; нет данных — не представлено (снижает полноту, "
            "не считается нулём); неприменим — знаменатель равен нулю (не входит в веса); "
            "нет цели — нет целевого значения. ✓ — цель достигнута.",
            style="dim",
        )
    )

    crit = rating.criteria
    mine = crit.loc[(crit["unit"] == unit) & crit["criterion"].notna()]
    if len(mine):
        ct = Table(title=f"Баллы «{label}» по критериям", title_justify="left")
        ct.add_column("Критерий")
        ct.add_column("Показатели")
        ct.add_column("Балл критерия", justify="right")
        ct.add_column("Доля веса", justify="right")
        ct.add_column("Вклад", justify="right")
        for _, row in mine.iterrows():
            c = str(row["criterion"])
            share = row["weight_share"]
            ct.add_row(
                cnames.get(c, c),
                str(row["indicators"]),
                _num(row["criterion_score"]),
                f"{_fmt_percent(share)} %" if math.isfinite(share) else "—",
                _num(row["contribution"], 2),
            )
        parts.append(ct)
    return parts


def rating_config_for(profile: Any) -> RatingConfig:
    """The rating declaration a profile implies: its indicators (alternative readings left
    out, so no indicator weighs twice) with their criteria and directions, equal weights,
    the criteria's Russian names, and the profile's points scale when it declares one
    (``ProfileInfo.rating_scale``).

    :param profile: a :class:`pedprof.Profile`.
    :returns: the settings for :func:`rate`.
    """
    criteria = dict(profile.info.mechanism.criteria) if profile.info.mechanism else {}
    indicators = {
        ind.id: {
            "criterion": ind.criterion,
            "direction": ind.direction,
            "name": ind.short_name or ind.name,
        }
        for ind in profile.indicators
        if ind.reading_of is None
    }
    used = {c["criterion"] for c in indicators.values() if c["criterion"]}
    data: dict[str, Any] = {
        "indicators": indicators,
        "criteria": {c: {"name": criteria.get(c, c)} for c in sorted(used)},
    }
    if profile.info.rating_scale:
        data["points_scale"] = dict(profile.info.rating_scale)
    return RatingConfig.model_validate(data)
