"""Hook specifications: what a profile plugin can contribute.

A profile plugin is a module (usually its own distribution, registered under the entry
point group ``pedprof``) with functions decorated by :data:`pedprof.hookimpl`. Hooks that
collect things receive a ``register`` callback; the core validates what is registered,
detects duplicates and records which distribution it came from.

Hooks are called with keyword arguments; an implementation may accept fewer arguments
than the specification.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from pedprof.model.data import Dataset
    from pedprof.model.indicators import Indicator
    from pedprof.model.mechanism import Document, MonitoringActivity, PlannedEffect, Roadmap
    from pedprof.model.profile import ProfileInfo
    from pedprof.model.rules import RecommendationRule
    from pedprof.model.sources import Source
    from pedprof.model.targets import Target

hookspec = pluggy.HookspecMarker("pedprof")

# --------------------------------------------------------------------------- profiles


@hookspec
def pedprof_register_profiles(register: Callable[[ProfileInfo], None]) -> None:
    """Register profiles: ``register(ProfileInfo(...))`` once per profile.

    A profile is one municipality's (or region's) approved mechanism: its id, title,
    period kind, mechanism (goal, tasks, criteria), monitoring campaign and roadmap.

    :param register: call with a :class:`pedprof.ProfileInfo`.
    """


@hookspec
def pedprof_register_profile_files(register: Callable[..., None]) -> None:
    """Register profile declaration files: ``register(path)`` once per file.

    The core reads each file (:func:`pedprof.model.profile_file.load_profile_file`) and
    registers what it declares as if the registering plugin had registered it; a file with
    problems is refused with every problem reported, and the other profiles still load. A
    Python plugin registers its own file here and adds what a file cannot express through
    the other hooks. The core's default plugin registers the files of entry points
    ``pedprof.profiles`` and of the folders in ``PEDPROF_PROFILE_PATH``.

    :param register: call with the path of a YAML profile file (a :class:`str` or
        :class:`pathlib.Path`).
    """


# --------------------------------------------------------------------------- declarations


@hookspec
def pedprof_register_indicators(register: Callable[[str, Indicator], None]) -> None:
    """Register indicators: ``register(profile_id, Indicator(...))``.

    The indicator's id must be unique within the profile; its table must be one of the
    profile's sources.

    :param register: call with a profile id and a :class:`pedprof.Indicator`.
    """


@hookspec
def pedprof_register_targets(register: Callable[[str, str, Target], None]) -> None:
    """Register targets: ``register(profile_id, indicator_id, target)``.

    Targets are separate from indicators so that a municipality can set its own targets
    for another profile's indicators without forking it. One target per indicator; a later
    registration for the same indicator is reported as a duplicate.

    :param register: call with a profile id, an indicator id and a :class:`pedprof.Target`.
    """


@hookspec
def pedprof_register_sources(register: Callable[[str, Source], None]) -> None:
    """Register data sources (tables): ``register(profile_id, Source(...))``.

    :param register: call with a profile id and a :class:`pedprof.Source`.
    """


@hookspec
def pedprof_register_planned_effects(register: Callable[[str, PlannedEffect], None]) -> None:
    """Register planned management effects (Раздел IV): ``register(profile_id, effect)``.

    :param register: call with a profile id and a :class:`pedprof.PlannedEffect`.
    """


@hookspec
def pedprof_register_monitoring_activities(
    register: Callable[[str, MonitoringActivity], None],
) -> None:
    """Register monitoring activities (Раздел III): ``register(profile_id, activity)``.

    :param register: call with a profile id and a :class:`pedprof.MonitoringActivity`.
    """


@hookspec
def pedprof_register_documents(register: Callable[[str, Document], None]) -> None:
    """Register documents of the management cycle: ``register(profile_id, document)``.

    :param register: call with a profile id and a :class:`pedprof.Document`.
    """


@hookspec
def pedprof_register_roadmaps(register: Callable[[str, Roadmap], None]) -> None:
    """Register roadmaps (дорожные карты): ``register(profile_id, roadmap)``.

    :param register: call with a profile id and a :class:`pedprof.Roadmap`.
    """


# --------------------------------------------------------------------------- recommendations


@hookspec
def pedprof_register_recommendation_rules(
    register: Callable[[str, RecommendationRule], None],
) -> None:
    """Register targeted-recommendation rules: ``register(profile_id, rule)``.

    A rule (:class:`pedprof.evaluate.recommendations.RecommendationRule`: ``BelowTarget``,
    ``NegativeDynamics``, ``NonCompliant``, ``MissingSubmission``, ``NoData``,
    ``EffectNotObserved``, ``Standing`` or a subclass) is a condition on the analysis of
    the monitoring results and a Russian text addressed to a role. Its id must be unique
    within the profile and the indicators it names must be the profile's.

    :param register: call with a profile id and a rule.
    """


# --------------------------------------------------------------------------- data


@hookspec(firstresult=True)
def pedprof_sample_data(profile_id: str) -> Dataset | None:
    """Return the bundled sample dataset of ``profile_id``, or None if not yours.

    This hook is ``firstresult``: the first non-None result is used.

    :param profile_id: the profile whose sample is asked for.
    :returns: a :class:`pedprof.Dataset` or None.
    """
