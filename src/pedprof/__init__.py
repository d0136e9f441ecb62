"""pedprof: the municipal system for the professional development of teachers, executable.

The public API. Everything not named in ``__all__`` may change without notice.

The names are loaded lazily (PEP 562): ``import pedprof`` imports none of the submodules
and none of pandas, openpyxl, matplotlib and the other heavy libraries; the first access to
a name (``pedprof.compute``, ``from pedprof import Profile``) imports the module that
defines it, and only that module's dependencies.
"""

from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pedprof.app import Monitoring
    from pedprof.cycle.calendar import build_calendar, write_ics
    from pedprof.cycle.documents import assess_completeness, cycle_chains, document_registry
    from pedprof.cycle.measures import Measure, MeasureRegister, effectiveness, load_measures
    from pedprof.cycle.roadmaps import parse_deadline, roadmap_execution_summary, track_execution
    from pedprof.engine import RESULT_COLUMNS, compute
    from pedprof.errors import DataValidationError, PedprofError
    from pedprof.evaluate.analysis import Analysis, analyze, change_reasons
    from pedprof.evaluate.recommendations import (
        BelowTarget,
        EffectNotObserved,
        MissingSubmission,
        NegativeDynamics,
        NoData,
        NonCompliant,
        Recommendation,
        RecommendationRule,
        Standing,
        recommend,
    )
    from pedprof.io import CheckResult, read_submissions, write_form
    from pedprof.model.conditions import Condition, always, col
    from pedprof.model.data import Dataset, Municipality, Organization, OrganizationKind, Region
    from pedprof.model.indicators import Indicator, IndicatorKind, Level
    from pedprof.model.mechanism import (
        ActivityType,
        CycleComponent,
        Deadline,
        Document,
        Mechanism,
        MonitoringActivity,
        MonitoringCampaign,
        PlannedEffect,
        Roadmap,
        RoadmapRow,
        RoadmapSection,
        Stage,
    )
    from pedprof.model.periods import (
        Cumulative,
        Period,
        PeriodKind,
        Reporting,
        Rolling,
        parse_period,
    )
    from pedprof.model.profile import Profile, ProfileInfo
    from pedprof.model.sources import (
        Field,
        FieldType,
        Source,
        StaffCategory,
        SubmittedBy,
        staff_fields,
    )
    from pedprof.model.targets import (
        AllOf,
        AtLeast,
        CountComposition,
        CumulativeSchedule,
        Exactly,
        PerOrganizationAtLeast,
        PositiveDynamics,
        Stable,
        Target,
        YearlyTargets,
        YearTarget,
    )
    from pedprof.plugins import (
        PluginProblem,
        PluginWarning,
        get_plugin_manager,
        get_profile,
        hookimpl,
        list_profiles,
        load_sample,
        plugin_problems,
    )
    from pedprof.rating import Rating, RatingSpec, rate
    from pedprof.reports import build_report, write_reports

    __version__: str

#: public name → the module that defines it (imported on first access)
_LAZY: dict[str, str] = {
    "YearTarget": "pedprof.model.targets",
    "YearlyTargets": "pedprof.model.targets",
    "DataValidationError": "pedprof.errors",
    "PedprofError": "pedprof.errors",
    "Monitoring": "pedprof.app",
    "build_calendar": "pedprof.cycle.calendar",
    "write_ics": "pedprof.cycle.calendar",
    "assess_completeness": "pedprof.cycle.documents",
    "cycle_chains": "pedprof.cycle.documents",
    "document_registry": "pedprof.cycle.documents",
    "Measure": "pedprof.cycle.measures",
    "MeasureRegister": "pedprof.cycle.measures",
    "effectiveness": "pedprof.cycle.measures",
    "load_measures": "pedprof.cycle.measures",
    "parse_deadline": "pedprof.cycle.roadmaps",
    "roadmap_execution_summary": "pedprof.cycle.roadmaps",
    "track_execution": "pedprof.cycle.roadmaps",
    "RESULT_COLUMNS": "pedprof.engine",
    "compute": "pedprof.engine",
    "Analysis": "pedprof.evaluate.analysis",
    "analyze": "pedprof.evaluate.analysis",
    "change_reasons": "pedprof.evaluate.analysis",
    "BelowTarget": "pedprof.evaluate.recommendations",
    "EffectNotObserved": "pedprof.evaluate.recommendations",
    "MissingSubmission": "pedprof.evaluate.recommendations",
    "NegativeDynamics": "pedprof.evaluate.recommendations",
    "NoData": "pedprof.evaluate.recommendations",
    "NonCompliant": "pedprof.evaluate.recommendations",
    "Recommendation": "pedprof.evaluate.recommendations",
    "RecommendationRule": "pedprof.evaluate.recommendations",
    "Standing": "pedprof.evaluate.recommendations",
    "recommend": "pedprof.evaluate.recommendations",
    "CheckResult": "pedprof.io",
    "read_submissions": "pedprof.io",
    "write_form": "pedprof.io",
    "Condition": "pedprof.model.conditions",
    "always": "pedprof.model.conditions",
    "col": "pedprof.model.conditions",
    "Dataset": "pedprof.model.data",
    "Municipality": "pedprof.model.data",
    "Organization": "pedprof.model.data",
    "OrganizationKind": "pedprof.model.data",
    "Region": "pedprof.model.data",
    "Indicator": "pedprof.model.indicators",
    "IndicatorKind": "pedprof.model.indicators",
    "Level": "pedprof.model.indicators",
    "ActivityType": "pedprof.model.mechanism",
    "CycleComponent": "pedprof.model.mechanism",
    "Deadline": "pedprof.model.mechanism",
    "Document": "pedprof.model.mechanism",
    "Mechanism": "pedprof.model.mechanism",
    "MonitoringActivity": "pedprof.model.mechanism",
    "MonitoringCampaign": "pedprof.model.mechanism",
    "PlannedEffect": "pedprof.model.mechanism",
    "Roadmap": "pedprof.model.mechanism",
    "RoadmapRow": "pedprof.model.mechanism",
    "RoadmapSection": "pedprof.model.mechanism",
    "Stage": "pedprof.model.mechanism",
    "Cumulative": "pedprof.model.periods",
    "Period": "pedprof.model.periods",
    "PeriodKind": "pedprof.model.periods",
    "Reporting": "pedprof.model.periods",
    "Rolling": "pedprof.model.periods",
    "parse_period": "pedprof.model.periods",
    "Profile": "pedprof.model.profile",
    "ProfileInfo": "pedprof.model.profile",
    "Field": "pedprof.model.sources",
    "FieldType": "pedprof.model.sources",
    "Source": "pedprof.model.sources",
    "StaffCategory": "pedprof.model.sources",
    "SubmittedBy": "pedprof.model.sources",
    "staff_fields": "pedprof.model.sources",
    "AllOf": "pedprof.model.targets",
    "AtLeast": "pedprof.model.targets",
    "CountComposition": "pedprof.model.targets",
    "CumulativeSchedule": "pedprof.model.targets",
    "Exactly": "pedprof.model.targets",
    "PerOrganizationAtLeast": "pedprof.model.targets",
    "PositiveDynamics": "pedprof.model.targets",
    "Stable": "pedprof.model.targets",
    "Target": "pedprof.model.targets",
    "PluginProblem": "pedprof.plugins",
    "PluginWarning": "pedprof.plugins",
    "get_plugin_manager": "pedprof.plugins",
    "get_profile": "pedprof.plugins",
    "hookimpl": "pedprof.plugins",
    "list_profiles": "pedprof.plugins",
    "load_sample": "pedprof.plugins",
    "plugin_problems": "pedprof.plugins",
    "Rating": "pedprof.rating",
    "RatingSpec": "pedprof.rating",
    "rate": "pedprof.rating",
    "build_report": "pedprof.reports",
    "write_reports": "pedprof.reports",
}

__all__ = [
    "RESULT_COLUMNS",
    "ActivityType",
    "AllOf",
    "Analysis",
    "AtLeast",
    "BelowTarget",
    "CheckResult",
    "Condition",
    "CountComposition",
    "Cumulative",
    "CumulativeSchedule",
    "CycleComponent",
    "DataValidationError",
    "Dataset",
    "Deadline",
    "Document",
    "EffectNotObserved",
    "Exactly",
    "Field",
    "FieldType",
    "Indicator",
    "IndicatorKind",
    "Level",
    "Measure",
    "MeasureRegister",
    "Mechanism",
    "MissingSubmission",
    "Monitoring",
    "MonitoringActivity",
    "MonitoringCampaign",
    "Municipality",
    "NegativeDynamics",
    "NoData",
    "NonCompliant",
    "Organization",
    "OrganizationKind",
    "PedprofError",
    "PerOrganizationAtLeast",
    "Period",
    "PeriodKind",
    "PlannedEffect",
    "PluginProblem",
    "PluginWarning",
    "PositiveDynamics",
    "Profile",
    "ProfileInfo",
    "Rating",
    "RatingSpec",
    "Recommendation",
    "RecommendationRule",
    "Region",
    "Reporting",
    "Roadmap",
    "RoadmapRow",
    "RoadmapSection",
    "Rolling",
    "Source",
    "Stable",
    "StaffCategory",
    "Stage",
    "Standing",
    "SubmittedBy",
    "Target",
    "YearTarget",
    "YearlyTargets",
    "__version__",
    "always",
    "analyze",
    "assess_completeness",
    "build_calendar",
    "build_report",
    "change_reasons",
    "col",
    "compute",
    "cycle_chains",
    "document_registry",
    "effectiveness",
    "get_plugin_manager",
    "get_profile",
    "hookimpl",
    "list_profiles",
    "load_measures",
    "load_sample",
    "parse_deadline",
    "parse_period",
    "plugin_problems",
    "rate",
    "read_submissions",
    "recommend",
    "roadmap_execution_summary",
    "staff_fields",
    "track_execution",
    "write_form",
    "write_ics",
    "write_reports",
]


def __getattr__(name: str) -> object:
    """Import a public name's module on first access (PEP 562) and cache the name."""
    if name == "__version__":
        from importlib.metadata import version

        value: object = version("pedprof")
    elif name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(_LAZY[name]), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names (loaded or not), the dunders and the submodules imported so far."""
    own = {n for n, v in globals().items() if n.startswith("_") or isinstance(v, ModuleType)}
    return sorted(own | set(__all__))
