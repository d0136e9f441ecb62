"""Profiles: a municipality's mechanism as registered by its plugin, assembled.

:class:`ProfileInfo` is what a plugin registers through ``pedprof_register_profiles``;
:class:`Profile` is what :func:`pedprof.get_profile` returns: the info plus every
indicator, target, source, planned effect, activity, document and roadmap registered for
it by any plugin (recommendation rules included), each with its provenance.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import attrs

from pedprof.model.indicators import Indicator
from pedprof.model.mechanism import (
    Document,
    Mechanism,
    MonitoringActivity,
    MonitoringCampaign,
    PlannedEffect,
    Roadmap,
)
from pedprof.model.periods import PeriodKind
from pedprof.model.rules import RecommendationRule
from pedprof.model.sources import Source
from pedprof.model.targets import Target

__all__ = ["Profile", "ProfileInfo"]


@attrs.frozen(kw_only=True)
class ProfileInfo:
    """The header of a profile, registered by its plugin.

    :param id: short stable id (``karabash``), lower case.
    :param title: the Russian title of the system the profile implements.
    :param territory: the municipality (or region) in Russian.
    :param region: the region in Russian.
    :param period_kind: the kind of reporting periods.
    :param approved_by: the approving document.
    :param mechanism: goal, tasks, justification and criteria.
    :param campaign: the yearly monitoring campaign.
    :param level: ``municipality`` for a municipal profile, ``region`` for a regional layer.
    :param rating_scale: points per analysis state for the points rating.
    :param cycle_scale: points per evidence state of a management-cycle component for the
        completeness score (keys ``approved``, ``named``, ``planned``, ``missing``; see
        :func:`pedprof.cycle.documents.assess_completeness`); None: 1 point per component with a
        document, as municipal self-assessments score it.
    """

    id: str
    title: str
    territory: str
    region: str = ""
    period_kind: PeriodKind = PeriodKind.YEAR
    approved_by: Document | None = None
    mechanism: Mechanism | None = None
    campaign: MonitoringCampaign | None = None
    level: str = "municipality"
    description: str = ""
    rating_scale: Mapping[str, float] | None = None
    cycle_scale: Mapping[str, float] | None = None

    def __repr__(self) -> str:
        return (
            f"<ProfileInfo {self.id} «{textwrap.shorten(self.territory, 60, placeholder='…')}»:"
            f" {self.level}, periods: {self.period_kind.value}>"
        )


@attrs.frozen(kw_only=True)
class Profile:
    """A profile with everything registered for it.

    :param distribution: the distribution that registered the profile, and its version.
    :param provenance: ``(kind, id)`` → the distribution that registered that item.

    **Extension contract.** A profile is not subclassed: it is assembled by
    :func:`pedprof.plugins.build_registry` from what plugins register through the hooks
    (:mod:`pedprof.plugins.hookspecs`) or declare in a profile file
    (:mod:`pedprof.model.profile_file`). To extend a profile, register more items for its
    id from a plugin of your own — an indicator (:class:`~pedprof.model.indicators.Indicator`,
    whose conditions are :class:`~pedprof.model.conditions.Condition` objects: ``evaluate``
    returns one boolean per row), a target (a :class:`~pedprof.model.targets.Target`
    subclass implementing ``judge`` and ``rule``), a recommendation rule. Build one by hand
    only in tests.
    """

    info: ProfileInfo
    distribution: str
    version: str
    indicators: tuple[Indicator, ...] = ()
    targets: Mapping[str, Target] = attrs.field(factory=dict)
    sources: tuple[Source, ...] = ()
    planned_effects: tuple[PlannedEffect, ...] = ()
    monitoring_activities: tuple[MonitoringActivity, ...] = ()
    documents: tuple[Document, ...] = ()
    roadmaps: tuple[Roadmap, ...] = ()
    recommendation_rules: tuple[RecommendationRule, ...] = ()
    provenance: Mapping[tuple[str, str], str] = attrs.field(factory=dict)

    def __repr__(self) -> str:
        territory = textwrap.shorten(self.info.territory, 60, placeholder="…")
        return (
            f"<Profile {self.id} «{territory}» ({self.distribution} {self.version}):"
            f" {len(self.indicators)} indicators, {len(self.sources)} sources,"
            f" {len(self.targets)} targets>"
        )

    @property
    def id(self) -> str:
        """The profile id."""
        return self.info.id

    @property
    def title(self) -> str:
        """The profile title."""
        return self.info.title

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator ``indicator_id``.

        :raises KeyError: naming the known ids.
        """
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        known = ", ".join(i.id for i in self.indicators)
        raise KeyError(f"profile {self.id!r} has no indicator {indicator_id!r}; known: {known}")

    def source(self, name: str) -> Source:
        """The source table ``name``."""
        for s in self.sources:
            if s.name == name:
                return s
        raise KeyError(f"profile {self.id!r} has no source {name!r}")

    def criterion_name(self, criterion_id: str | None) -> str:
        """The Russian name of a criterion ('' when unknown)."""
        if criterion_id is None or self.info.mechanism is None:
            return ""
        return dict(self.info.mechanism.criteria).get(criterion_id, criterion_id)
