"""Who is asking, and what they may see.

An :class:`Actor` is a signed-in methodologist (role ``region`` or ``municipality``), a
platform's read-only token (role ``platform``, scoped to a region or a municipality) or a
school's upload link (role ``organization``: one organisation, one campaign).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

__all__ = ["ROLES", "Actor", "Units"]

#: The roles, as stored.
ROLES = ("region", "municipality", "organization", "platform")


@attrs.frozen
class Units:
    """The hierarchy of a profile's register: organisation → municipality → region."""

    org_municipality: Mapping[str, str] = attrs.field(factory=dict)
    municipality_region: Mapping[str, str] = attrs.field(factory=dict)

    def region_of(self, level: str, unit: str) -> str | None:
        """The region of a unit of ``level``."""
        if level == "region":
            return unit
        if level == "municipality":
            return self.municipality_region.get(unit)
        muni = self.org_municipality.get(unit)
        return None if muni is None else self.municipality_region.get(muni)

    def municipality_of(self, level: str, unit: str) -> str | None:
        """The municipality of a unit of ``level`` (``None`` for a region)."""
        if level == "municipality":
            return unit
        if level == "organization":
            return self.org_municipality.get(unit)
        return None


@attrs.frozen
class Actor:
    """Who is asking.

    :param kind: ``user`` (password sign-in), ``platform`` (bearer token) or ``link``.
    :param role: one of :data:`ROLES`.
    :param name: the login, the token's name, or ``link:<org>`` (for records of who
        uploaded; never a person's name).
    """

    kind: str
    role: str
    name: str
    region_id: str | None = None
    municipality_id: str | None = None
    org_id: str | None = None
    campaign_id: int | None = None
    token_id: int | None = None
    user_id: int | None = None

    @property
    def label(self) -> str:
        """How the store records the uploader."""
        return f"{self.kind}:{self.name}"

    @property
    def is_staff(self) -> bool:
        """A methodologist of a region or municipality."""
        return self.kind == "user" and self.role in ("region", "municipality")

    def sees(self, level: str, unit: str, units: Units) -> bool:
        """Whether aggregated results and submissions of ``unit`` are visible to this actor.

        Region: every unit of its region. Municipality (and a platform token scoped to
        one): its municipality and its organisations. An organisation's link: only its own
        organisation's submissions.
        """
        if self.role == "organization":
            return level == "organization" and unit == self.org_id
        if self.municipality_id:
            return level != "region" and units.municipality_of(level, unit) == (
                self.municipality_id
            )
        if self.region_id:
            return units.region_of(level, unit) == self.region_id
        return False

    def sees_person_rows(self, level: str, unit: str, units: Units) -> bool:
        """Whether person-level rows (staff) submitted by ``unit`` are visible: only to the
        organisation itself and to its municipality's methodologists."""
        if self.role == "organization":
            return level == "organization" and unit == self.org_id
        if self.role == "municipality" and self.kind == "user":
            return units.municipality_of(level, unit) == self.municipality_id
        return False
