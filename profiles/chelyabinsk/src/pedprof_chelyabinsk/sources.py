"""The regional tables: what the municipal profiles' data have in common.

A regional run reads every municipality's data in the municipality's own form and maps it to
these tables (see :mod:`.regional`). Only what is comparable between the municipalities gets
a regional table; today that is the register of municipal-level professional associations and
methodical associations (Karabash: «профессиональные (в т.ч. сетевые) сообщества и
методические объединения»; Magnitogorsk: ГПО, including ШМП and ПТГ).
"""

from __future__ import annotations

from pedprof import Field, FieldType, Source, SubmittedBy

ASSOCIATION_KINDS = {
    "gmo": "городское (муниципальное) методическое объединение",
    "gpo": "городское профессиональное объединение (ГПО)",
    "shmp": "школа молодых педагогов (ШМП)",
    "ptg": "проблемно-творческая группа (ПТГ)",
    "community": "профессиональное сообщество",
    "network": "сетевое сообщество",
}

MUNICIPAL_ASSOCIATIONS = Source(
    name="municipal_associations",
    title="Методические объединения и профессиональные сообщества муниципального уровня",
    submitted_by=SubmittedBy.MUNICIPALITY,
    key=("period", "municipality_id", "association_id"),
    origin=(
        "Мониторинг эффективности модели методической работы в системе образования "
        "Челябинской области (данные муниципальных методических служб)"
    ),
    description=(
        "Одна строка — одно объединение муниципального уровня за учебный год: по данным "
        "муниципального профиля (реестр объединений муниципальной методической службы). Код "
        "объединения уникален в регионе (код муниципалитета и код объединения)."
    ),
    fields=(
        Field("period", "Учебный год", FieldType.PERIOD, "Учебный год, например 2021-2022"),
        Field("municipality_id", "Код муниципалитета", FieldType.IDENTIFIER),
        Field(
            "association_id",
            "Код объединения",
            FieldType.IDENTIFIER,
            "Код муниципалитета и код объединения в муниципалитете, через двоеточие",
            normalize=True,
        ),
        Field("name", "Наименование", FieldType.STRING),
        Field("kind", "Вид объединения", FieldType.CHOICE, choices=ASSOCIATION_KINDS),
        Field("functioning", "Действует в отчётном году", FieldType.BOOLEAN, "да / нет"),
        Field(
            "source_indicator",
            "Показатель муниципального профиля",
            FieldType.STRING,
            "Из какого показателя муниципального профиля взяты сведения (например, k16, m01)",
            required=False,
        ),
    ),
)

SOURCES = (MUNICIPAL_ASSOCIATIONS,)
