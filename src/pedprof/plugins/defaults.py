"""The core's built-in plugin: tables every profile shares.

Registered after the profile plugins, through the same hooks, so a profile can override
any of it by registering a source of the same name for itself.
"""

from __future__ import annotations

from collections.abc import Callable

from pedprof.model.data import ORGANIZATION_KIND_LABELS
from pedprof.model.sources import Field, FieldType, Source, SubmittedBy
from pedprof.plugins._hookimpl import hookimpl

ORGANIZATIONS = Source(
    name="organizations",
    title="Реестр образовательных организаций",
    short_title="Реестр организаций",
    submitted_by=SubmittedBy.MUNICIPALITY,
    key=("org_id",),
    description=(
        "Перечень образовательных организаций муниципалитета. Ведёт муниципальная "
        "методическая служба; при реорганизации указывается дата прекращения и "
        "организация-правопреемник."
    ),
    fields=(
        Field("org_id", "Код организации", FieldType.IDENTIFIER, "Код ОО в реестре"),
        Field("name", "Наименование организации", FieldType.STRING, "Краткое наименование ОО"),
        Field("municipality_id", "Код муниципалитета", FieldType.IDENTIFIER),
        Field(
            "kind",
            "Тип организации",
            FieldType.CHOICE,
            choices=ORGANIZATION_KIND_LABELS,
        ),
        Field("valid_from", "Действует с", FieldType.DATE, required=False),
        Field(
            "valid_to",
            "Действует по",
            FieldType.DATE,
            "Дата прекращения деятельности",
            required=False,
        ),
        Field(
            "successor_id",
            "Правопреемник",
            FieldType.IDENTIFIER,
            "Код организации, в которую вошла ОО при реорганизации",
            required=False,
        ),
    ),
)


@hookimpl(trylast=True)
def pedprof_register_sources(register: Callable[[str, Source], None]) -> None:
    """Register the shared organisation register for every profile."""
    register("*", ORGANIZATIONS)
