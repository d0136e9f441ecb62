"""pedprof: the municipal system for the professional development of teachers, executable.

The public API. Everything not named in ``__all__`` may change without notice.
"""

from importlib.metadata import version as _version

from pedprof.cycle.calendar import build_calendar, write_ics
from pedprof.cycle.documents import assess_completeness, cycle_chains, document_registry
from pedprof.cycle.measures import Measure, MeasureRegister, effectiveness, load_measures
from pedprof.cycle.roadmaps import parse_deadline, roadmap_execution_summary, track_execution
from pedprof.engine import RESULT_COLUMNS, compute
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
from pedprof.model.periods import Cumulative, Period, PeriodKind, Reporting, Rolling, parse_period
from pedprof.model.profile import Profile, ProfileInfo
from pedprof.model.sources import Field, FieldType, Source, StaffCategory, SubmittedBy, staff_fields
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

__version__ = _version("pedprof")

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
    "MonitoringActivity",
    "MonitoringCampaign",
    "Municipality",
    "NegativeDynamics",
    "NoData",
    "NonCompliant",
    "Organization",
    "OrganizationKind",
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
