"""pedprof: the municipal system for the professional development of teachers, executable.

The public API. Everything not named in ``__all__`` may change without notice.
"""

from importlib.metadata import version as _version

from pedprof._hookimpl import hookimpl
from pedprof.api import compute, get_profile, list_profiles, load_sample, plugin_problems
from pedprof.conditions import Condition, always, col
from pedprof.data import Dataset, Municipality, Organization, OrganizationKind, Region
from pedprof.engine import RESULT_COLUMNS
from pedprof.indicators import Indicator, IndicatorKind, Level
from pedprof.io import CheckResult, read_submissions, write_form
from pedprof.mechanism import (
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
from pedprof.periods import Cumulative, Period, PeriodKind, Reporting, Rolling, parse_period
from pedprof.plugins import PluginProblem, PluginWarning, get_plugin_manager
from pedprof.profile import Profile, ProfileInfo
from pedprof.rating import Rating, RatingSpec, rate
from pedprof.sources import Field, FieldType, Source, StaffCategory, SubmittedBy, staff_fields
from pedprof.targets import (
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

__version__ = _version("pedprof")

__all__ = [
    "RESULT_COLUMNS",
    "ActivityType",
    "AllOf",
    "AtLeast",
    "CheckResult",
    "Condition",
    "CountComposition",
    "Cumulative",
    "CumulativeSchedule",
    "CycleComponent",
    "Dataset",
    "Deadline",
    "Document",
    "Exactly",
    "Field",
    "FieldType",
    "Indicator",
    "IndicatorKind",
    "Level",
    "Mechanism",
    "MonitoringActivity",
    "MonitoringCampaign",
    "Municipality",
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
    "SubmittedBy",
    "Target",
    "__version__",
    "always",
    "col",
    "compute",
    "get_plugin_manager",
    "get_profile",
    "hookimpl",
    "list_profiles",
    "load_sample",
    "parse_period",
    "plugin_problems",
    "rate",
    "read_submissions",
    "staff_fields",
    "write_form",
]
