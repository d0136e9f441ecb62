"""The application layer: one profile's monitoring over its periods, step by step.

:class:`Monitoring` holds what a municipality's monitoring year is made of — the data, the
submission register, the register of measures, the documents of the management cycle and
the roadmap's execution statuses — and offers each step of the year as a method: check
the submissions, compute, analyse, rate, recommend, build and write the report (ИАС), the
calendar, the roadmap's execution. The command line, the HTTP service and a Python caller
all go through it, so they cannot drift apart::

    import pedprof

    year = pedprof.Monitoring.from_sample("karabash")
    year.results()                   # the indicators, every level and period
    year.analyze().current()         # the reporting period, judged against targets
    year.rate().ranking              # organisations ranked by the profile's declaration
    year.write_report("out")         # .docx, .xlsx, .html
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata as md
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from pedprof.cycle.calendar import build_calendar
from pedprof.cycle.documents import (
    Completeness,
    DocumentRegistry,
    assess_completeness,
    cycle_chains,
    document_registry,
)
from pedprof.cycle.measures import MeasureRegister, load_measures
from pedprof.cycle.roadmaps import load_statuses, roadmap_execution_summary, track_execution
from pedprof.engine import LEVELS, compute
from pedprof.errors import PedprofError
from pedprof.evaluate.analysis import Analysis, analyze
from pedprof.evaluate.recommendations import Recommendation, recommend
from pedprof.io import CheckResult, read_submissions
from pedprof.model.data import Dataset
from pedprof.model.profile import Profile
from pedprof.plugins import load_sample
from pedprof.plugins._registry import resolve_profile
from pedprof.rating import Rating, rate
from pedprof.reports import FORMATS, Report, build_report, write_reports

if TYPE_CHECKING:
    import pluggy

__all__ = [
    "MEASURE_FILE_NAMES",
    "MeasuresError",
    "Monitoring",
    "NoDataError",
    "is_measures_file",
    "sample_measures_path",
    "split_measures",
]

#: File stems (any case; .csv or .xlsx) recognised as a register of measures among data files.
MEASURE_FILE_NAMES = ("measures", "меры", "реестр мер")
_MEASURE_SUFFIXES = (".csv", ".xlsx")


class NoDataError(PedprofError, LookupError):
    """The monitoring has no data yet: check submissions or load a sample first."""


class MeasuresError(PedprofError, ValueError):
    """A register of measures cannot be read; :attr:`path` says which.

    :param path: the register's file.
    :param message: why, in Russian.
    """

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"Реестр мер {path}: {message}")
        self.path = path


def is_measures_file(path: Path) -> bool:
    """Whether ``path`` is named as a register of measures (``measures.csv``, «меры.xlsx» …)."""
    return path.suffix.lower() in _MEASURE_SUFFIXES and path.stem.lower() in MEASURE_FILE_NAMES


def split_measures(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """Separate the data files from the registers of measures among ``paths``.

    Folders are opened one level deep; hidden files and Excel lock files (``~$…``) in them
    are skipped.

    :returns: the data inputs and the measure registers, in the order found.
    """
    inputs: list[Path] = []
    measures: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            for child in sorted(p.iterdir()):
                if is_measures_file(child):
                    measures.append(child)
                elif not child.name.startswith((".", "~$")):
                    inputs.append(child)
        elif is_measures_file(p):
            measures.append(p)
        else:
            inputs.append(p)
    return inputs, measures


def sample_measures_path(profile: Profile) -> Path | None:
    """``data/sample/measures.csv`` in the package of the plugin that registered the
    profile (found through its entry point), if there is one."""
    for ep in md.entry_points(group="pedprof"):
        if ep.dist is None or ep.dist.name != profile.distribution:
            continue
        package = ep.value.split(":")[0].split(".")[0]
        try:
            candidate = resources.files(package).joinpath("data/sample/measures.csv")
        except ModuleNotFoundError:
            continue
        if candidate.is_file():
            return Path(str(candidate))
    return None


class Monitoring:
    """A profile's monitoring over its periods: the data, the submission register,
    measures, cycle documents and roadmap statuses; each step of the year as a method.

    :param profile: the profile (or its id).
    :param data: the dataset (accepted rows of every period); may come later from
        :meth:`check`.
    :param submissions: the result of checking the submitted files (the submission
        register, the errors), if the data came from files.
    :param measures: the register of measures and management decisions.
    :param documents: the mechanism's documents beyond the profile's own (files, frames or
        a registry, as :func:`pedprof.build_report` takes them).
    :param roadmap_statuses: the roadmap's execution statuses
        (:func:`pedprof.cycle.roadmaps.load_statuses`).
    :param plugin_manager: the plugin manager to resolve the profile and its hooks with
        (default: the installed plugins).
    """

    def __init__(
        self,
        profile: Profile | str,
        data: Dataset | None = None,
        *,
        submissions: CheckResult | None = None,
        measures: MeasureRegister | None = None,
        documents: Sequence[Any] | None = None,
        roadmap_statuses: Any | None = None,
        plugin_manager: pluggy.PluginManager | None = None,
    ) -> None:
        self.plugin_manager = plugin_manager
        self.profile: Profile = resolve_profile(profile, plugin_manager)
        self._data: Dataset | None = data
        self.submissions: CheckResult | None = submissions
        self.measures: MeasureRegister = measures if measures is not None else MeasureRegister()
        self.documents: list[Any] = list(documents or ())
        self.roadmap_statuses: Any | None = roadmap_statuses
        #: A remark for the report's title page (set by :meth:`from_sample` and :meth:`check`).
        self.note: str = ""
        #: The file :attr:`measures` were read from, if any.
        self.measures_source: Path | None = None
        #: Registers of measures found among the files of the last :meth:`check`.
        self.measure_files: list[Path] = []
        self._results: dict[tuple[Any, ...], pd.DataFrame] = {}
        self._analyses: dict[tuple[Any, ...], Analysis] = {}

    def __repr__(self) -> str:
        units = "нет данных" if self._data is None else f"{len(self._data.organizations)} ОО"
        return f"Monitoring({self.profile.id!r}, {units}, мер: {len(self.measures)})"

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_sample(cls, profile: Profile | str, **kw: Any) -> Monitoring:
        """The profile's bundled synthetic sample, with its sample register of measures
        when the profile ships one.

        :param kw: the keyword arguments of :class:`Monitoring`.
        :raises LookupError: the profile has no sample.
        """
        pm = kw.get("plugin_manager")
        prof = resolve_profile(profile, pm)
        year = cls(prof, load_sample(prof, plugin_manager=pm), **kw)
        year.note = "Справка сформирована на демонстрационных (синтетических, вымышленных) данных."
        if "measures" not in kw:
            path = sample_measures_path(prof)
            if path is not None:
                year.load_measures(path)
        return year

    @classmethod
    def from_files(
        cls,
        profile: Profile | str,
        paths: Sequence[Path],
        *,
        received: dt.date | None = None,
        today: dt.date | None = None,
        **kw: Any,
    ) -> Monitoring:
        """Check submitted files (see :meth:`check`) and keep what was accepted.

        :param kw: the keyword arguments of :class:`Monitoring`.
        """
        year = cls(profile, **kw)
        year.check(paths, received=received, today=today)
        return year

    # ------------------------------------------------------------------ the data

    @property
    def data(self) -> Dataset:
        """The dataset.

        :raises NoDataError: nothing checked or loaded yet.
        """
        if self._data is None:
            raise NoDataError(
                f"Нет данных мониторинга профиля «{self.profile.id}»: проверьте представленные "
                "сведения (check) или возьмите демонстрационные данные (from_sample)."
            )
        return self._data

    @data.setter
    def data(self, value: Dataset) -> None:
        self._data = value
        self._results.clear()
        self._analyses.clear()

    @property
    def has_data(self) -> bool:
        """Whether a dataset is there."""
        return self._data is not None

    def check(
        self,
        paths: Sequence[Path],
        *,
        received: dt.date | None = None,
        today: dt.date | None = None,
        periods: Sequence[str] | None = None,
        progress: Any = False,
        with_measures: bool = True,
    ) -> CheckResult:
        """Read and validate submitted files; the accepted rows become :attr:`data` and
        the result is kept as :attr:`submissions`.

        A register of measures among the files (``measures.csv``, «меры.xlsx»: see
        :func:`split_measures`) is loaded into :attr:`measures` instead of being read as
        data (the files are kept in :attr:`measure_files`; ``with_measures=False`` leaves
        them unread). The result says what was rejected; nothing is refused here (the
        command line refuses unless told to go on).

        :param paths: files and folders (.xlsx, .csv, .parquet).
        :param received: the date the files were received, for those the receipt register
            does not date.
        :param today: the date "missing" and "not yet due" are judged at.
        :param periods: the periods the submission register covers (default: those present).
        :param progress: ``True`` for a progress bar, or a callback ``(done, total, label)``.
        :param with_measures: load the first register of measures found.
        :raises MeasuresError: the register of measures found cannot be read.
        :raises ValueError: the files cannot be read at all.
        """
        inputs, measure_files = split_measures(paths)
        self.measure_files = measure_files
        result = read_submissions(
            self.profile,
            inputs,
            periods=list(periods) if periods else None,
            progress=progress,
            today=today,
            received=received,
        )
        self.submissions = result
        if result.dataset is not None:
            self.data = result.dataset
            self.note = (
                f"Справка построена без {result.rejected} строк сведений, отклонённых при "
                "проверке (pedprof check)."
                if result.rejected
                else ""
            )
            if measure_files and with_measures:
                self.load_measures(measure_files[0])
        return result

    def load_measures(self, path: Path | str | pd.DataFrame) -> MeasureRegister:
        """Read a register of measures (indicators checked against the profile, organisations
        against the data when there are data) and keep it as :attr:`measures`.

        :raises MeasuresError: the register cannot be read (also a :class:`ValueError`).
        """
        orgs = None if self._data is None else self._data.organizations["org_id"].astype(str)
        source = None if isinstance(path, pd.DataFrame) else Path(path)
        try:
            register = load_measures(path, profile=self.profile, organizations=orgs)
        except ValueError as exc:
            raise MeasuresError(source or Path("—"), str(exc)) from exc
        self.measures = register
        self.measures_source = source
        return register

    def load_roadmap_statuses(self, path: Path | str | pd.DataFrame) -> Any:
        """Read the roadmap's execution statuses and keep them as :attr:`roadmap_statuses`.

        :raises LookupError: the profile has no roadmap.
        :raises ValueError: the file cannot be read.
        """
        if not self.profile.roadmaps:
            raise NoDataError(f"В профиле «{self.profile.id}» нет дорожной карты.")
        statuses = load_statuses(path, self.profile)
        self.roadmap_statuses = statuses
        return statuses

    # ------------------------------------------------------------------ the steps

    def results(
        self,
        *,
        indicators: Sequence[str] | None = None,
        periods: Sequence[str] | None = None,
        levels: Sequence[str] = LEVELS,
    ) -> pd.DataFrame:
        """The indicators (:func:`pedprof.compute`), computed once per selection.

        :returns: the tidy results frame (do not modify it: it is cached).
        """
        key = (
            None if indicators is None else tuple(indicators),
            None if periods is None else tuple(periods),
            tuple(levels),
        )
        if key not in self._results:
            self._results[key] = compute(
                self.profile,
                self.data,
                indicators=list(indicators) if indicators is not None else None,
                periods=list(periods) if periods is not None else None,
                levels=levels,
                plugin_manager=self.plugin_manager,
            )
        return self._results[key]

    def analyze(self, period: str | None = None, **options: Any) -> Analysis:
        """Analyse the reporting period (:func:`pedprof.analyze`): targets, dynamics,
        effects, problem zones.

        :param period: the reporting period (default: the latest with a value).
        :param options: further arguments of :func:`pedprof.analyze` (``level``,
            ``tolerance_points`` …).
        :returns: the analysis, computed once per period and options (do not modify it:
            it is cached; :meth:`recommend` and :meth:`report` reuse it).
        """
        try:
            key: tuple[Any, ...] | None = (period, tuple(sorted(options.items())))
            hash(key)
        except TypeError:  # an unhashable option: not cached
            key = None
        if key is not None and key in self._analyses:
            return self._analyses[key]
        result = analyze(self.profile, self.data, self.results(), period=period, **options)
        if key is not None:
            self._analyses[key] = result
        return result

    def rate(
        self, *, level: str = "organization", period: str | None = None, **overrides: Any
    ) -> Rating:
        """Rank the units of ``level`` (:func:`pedprof.rate`); the profile's rating
        declaration is the default, ``overrides`` (``weights``, ``method`` …) change it.
        ``pedprof rate --profile`` ranks the same way."""
        overrides.setdefault("profile", self.profile)
        overrides.setdefault("plugin_manager", self.plugin_manager)
        return rate(self.results(), level=level, period=period, **overrides)  # type: ignore[arg-type]

    def recommend(self, period: str | None = None, **options: Any) -> list[Recommendation]:
        """Targeted recommendations for the reporting period (:func:`pedprof.recommend`).

        :param options: ``rules``, ``suppress_below``; the rest go to :meth:`analyze`.
        """
        rec = {k: options.pop(k) for k in ("rules", "suppress_below") if k in options}
        return recommend(self.analyze(period, **options), **rec)

    def report(self, period: str | None = None, **options: Any) -> Report:
        """The ИАС content (:func:`pedprof.build_report`) from everything held: the data,
        the measures, the documents, the roadmap statuses, the note.

        :param options: further arguments of :func:`pedprof.build_report`
            (``suppress_below``, ``rating``, ``cycle``, ``today`` …); they win over what is
            held.
        """
        options.setdefault("measures", self.measures)
        options.setdefault("documents", self.documents or None)
        options.setdefault("roadmap_status", self.roadmap_statuses)
        options.setdefault("note", self.note)
        if options.get("analysis") is None:
            if options.get("results") is None:
                # The analysis held for this period (the one :meth:`analyze` and
                # :meth:`recommend` gave), instead of analysing again inside the report.
                tolerances = {
                    k: options.pop(k)
                    for k in ("tolerance_points", "tolerance_count")
                    if k in options
                }
                options["analysis"] = self.analyze(period, **tolerances)
            else:
                options.setdefault("results", self.results())
        return build_report(self.profile, self.data, period=period, **options)

    def write_report(
        self,
        output: Path | str,
        *,
        period: str | None = None,
        formats: Sequence[str] = FORMATS,
        charts: bool = True,
        report: Report | None = None,
        **options: Any,
    ) -> dict[str, Path]:
        """Build the ИАС (:meth:`report`) and write it into the folder ``output``.

        :param formats: any of ``docx``, ``xlsx``, ``html``.
        :param charts: include charts in .docx and .html.
        :param report: a report already built (then ``period`` and ``options`` are unused).
        :returns: format → path written.
        """
        if report is None:
            report = self.report(period, **options)
        return write_reports(report, output, formats=formats, charts=charts)

    def calendar(self, year: int | None = None, **options: Any) -> pd.DataFrame:
        """What is due when and by whom in calendar ``year`` (:func:`pedprof.build_calendar`;
        default: this year), with the roadmap statuses held.

        :param options: ``today``, ``include_roadmaps``.
        """
        options.setdefault("statuses", self.roadmap_statuses)
        return build_calendar(self.profile, year or dt.date.today().year, **options)

    def document_registry(self, *sources: Any) -> DocumentRegistry:
        """The mechanism's documents (:func:`pedprof.document_registry`): the profile's own,
        :attr:`documents`, ``sources`` (files, frames, registries) and the measures and
        decisions of :attr:`measures`.

        :raises ValueError: a source cannot be read.
        """
        measures = self.measures if len(self.measures) else None
        return document_registry(self.profile, *self.documents, *sources, measures=measures)

    def cycle_completeness(
        self, registry: DocumentRegistry | None = None, **options: Any
    ) -> Completeness:
        """The completeness of the management cycle (:func:`pedprof.assess_completeness`)
        over ``registry`` (default: :meth:`document_registry`)."""
        if registry is None:
            registry = self.document_registry()
        return assess_completeness(self.profile, registry, **options)

    def cycle_chains(
        self, registry: DocumentRegistry | None = None, **options: Any
    ) -> pd.DataFrame:
        """The chain of each criterion from indicator to effectiveness analysis
        (:func:`pedprof.cycle_chains`) over ``registry`` (default: :meth:`document_registry`).

        :param options: ``criteria``, ``indicators``.
        """
        if registry is None:
            registry = self.document_registry()
        return cycle_chains(self.profile, registry, **options)

    def roadmap_execution(self, *, today: dt.date | None = None, **options: Any) -> Any:
        """The roadmap's execution summary (:func:`pedprof.roadmap_execution_summary`):
        the table per roadmap and year, the overdue rows and the Russian text.

        :param options: ``documents``, ``years``.
        """
        return roadmap_execution_summary(
            self.profile, self.roadmap_statuses, today=today, **options
        )

    def roadmap_rows(self, *, today: dt.date | None = None, **options: Any) -> pd.DataFrame:
        """Every roadmap row in every year it is due, with its state
        (:func:`pedprof.track_execution`)."""
        return track_execution(self.profile, self.roadmap_statuses, today=today, **options)
