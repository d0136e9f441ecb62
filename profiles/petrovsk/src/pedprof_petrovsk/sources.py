"""The tables of the Petrovsk monitoring.

The concept names the methods of collecting information («данные мониторинга; данные
официальной статистики; данные федеральных цифровых информационных систем (в том числе
цифровой экосистемы ДПО); …») but no forms. Two tables cover the six indicators: one row per
worker (indicators 1, 2, 3, 6 are shares of persons) and one row per organisation (indicators
4 and 5 are shares of organisations). «На различных уровнях» is asked level by level: a yes/no
column per level, so that one form row per person (or organisation) is enough and the share
at each level keeps the whole staff (or every organisation) in its denominator.
"""

from __future__ import annotations

from pedprof import Field, FieldType, Source, SubmittedBy

YES_NO = "да / нет"

#: The levels of «на различных уровнях»: code → Russian label.
LEVELS = {
    "municipal": "муниципальный",
    "regional": "региональный",
    "federal": "всероссийский (федеральный) и международный",
}
CATEGORIES = {
    "teacher": "педагогический работник",
    "manager": "управленческие кадры (руководитель, заместитель руководителя)",
}

_PERIOD = Field(
    "period",
    "Учебный год",
    FieldType.PERIOD,
    "Отчётный учебный год, например 2023-2024 (мониторинг проводится не реже одного раза в год)",
)
_ORG = Field("org_id", "Код организации", FieldType.IDENTIFIER, "Код ОО по реестру")


def _levels(prefix: str, label: str, description: str) -> tuple[Field, ...]:
    return tuple(
        Field(
            f"{prefix}_{code}",
            f"{label}: {level} уровень",
            FieldType.BOOLEAN,
            f"{description} {level} уровня в отчётном учебном году: {YES_NO}",
        )
        for code, level in LEVELS.items()
    )


STAFF = Source(
    name="staff",
    title="Сведения о педагогических работниках и управленческих кадрах",
    submitted_by=SubmittedBy.ORGANIZATION,
    key=("period", "org_id", "person_id"),
    origin=(
        "данные мониторинга; данные официальной статистики; данные федеральных цифровых "
        "информационных систем (в том числе цифровой экосистемы ДПО)"
    ),
    description=(
        "Одна строка — один педагогический работник или руководящий работник организации "
        "(руководитель, заместитель руководителя), работавший в отчётном учебном году. Фамилии "
        "не указываются: работник обозначается обезличенным кодом, постоянным из года в год."
    ),
    fields=(
        _PERIOD,
        _ORG,
        Field(
            "person_id",
            "Код работника (обезличенный)",
            FieldType.IDENTIFIER,
            "Обезличенный код работника, постоянный из года в год (не СНИЛС и не ФИО)",
            personal=True,
        ),
        Field("category", "Категория", FieldType.CHOICE, choices=CATEGORIES),
        Field("position", "Должность", FieldType.STRING, required=False),
        Field(
            "age",
            "Возраст, полных лет",
            FieldType.INTEGER,
            "Полных лет на 1 сентября отчётного учебного года",
            minimum=16,
            maximum=90,
        ),
        Field(
            "experience_years",
            "Педагогический стаж, полных лет",
            FieldType.INTEGER,
            "Полных лет педагогического стажа на 1 сентября отчётного учебного года",
            minimum=0,
            maximum=75,
        ),
        Field(
            "pk_date",
            "Дата окончания курсов повышения квалификации",
            FieldType.DATE,
            "Дата окончания последних курсов повышения квалификации; пусто, если не проходил",
            required=False,
        ),
        Field(
            "retraining_date",
            "Дата окончания профессиональной переподготовки",
            FieldType.DATE,
            "Дата окончания последней программы профессиональной переподготовки; пусто, если "
            "не проходил",
            required=False,
        ),
        Field(
            "support_forms",
            "Участвует в формах поддержки и сопровождения",
            FieldType.BOOLEAN,
            "Для педагогов до 35 лет в первые 3 года работы: участвует в различных формах "
            "поддержки и сопровождения (наставничество, ШМП, методическое сопровождение и др.): "
            + YES_NO,
        ),
        *_levels(
            "contest",
            "Участие в конкурсах профессионального мастерства",
            "Принял участие в конкурсе профессионального мастерства",
        ),
        *_levels(
            "role",
            "Тьютор, эксперт или член жюри",
            "Выступал тьютором, экспертом или членом жюри на мероприятии (конкурсе)",
        ),
    ),
)

ORG_ACTIVITY = Source(
    name="org_activity",
    title="Сведения об участии образовательной организации в конкурсах и представлении опыта",
    submitted_by=SubmittedBy.ORGANIZATION,
    key=("period", "org_id"),
    origin=(
        "данные мониторинга; данные официального сайта министерства образования Саратовской "
        "области, ГАУ ДПО «СОИРО», ГАУ СО «РЦОКО», образовательных организаций (по согласованию)"
    ),
    description=(
        "Одна строка — одна образовательная организация за отчётный учебный год: участвовала ли "
        "организация (как организация или командой) в профессиональных конкурсах и представляла "
        "ли актуальный опыт деятельности — на каждом уровне отдельно."
    ),
    fields=(
        _PERIOD,
        _ORG,
        *_levels(
            "contest",
            "Участие организации в профессиональных конкурсах",
            "Организация приняла участие в профессиональном конкурсе",
        ),
        *_levels(
            "experience",
            "Представление актуального опыта деятельности",
            "Организация представила актуальный опыт деятельности на мероприятии",
        ),
    ),
)

SOURCES = (STAFF, ORG_ACTIVITY)
