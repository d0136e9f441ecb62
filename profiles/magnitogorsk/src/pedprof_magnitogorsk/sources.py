"""The tables Magnitogorsk's methodical centre keeps.

Derived from the collection methods of Раздел II («Изучение данных приказов управления
образования (Контент-анализ документов)») and the monitoring activities: the orders of УО list
the city professional associations (ГПО, including ШМП and ПТГ) and the city resource centres
(РЦ) for each school year; the sites of the organisations that host them are checked for the
ГПО plan-reports and for the РЦ programme and innovation plan.

Each association and resource centre is recorded under the organisation that hosts it
(«организации, на базе которых созданы ГПО»), so that the site checks and the targeted
recommendations can name the host organisation. Changes (a ГМО becoming a ГПО, a merger, a
closure) are recorded on the association's row with their reason: the dynamics of Раздел IV
are explained by data, not by prose in code.
"""

from __future__ import annotations

from pedprof import Field, FieldType, Source, SubmittedBy

YES_NO = "да / нет"
ORDERS = "Изучение данных приказов управления образования (Контент-анализ документов)"

_PERIOD = Field(
    "period",
    "Учебный год",
    FieldType.PERIOD,
    "Учебный год, на который приказом УО утверждён перечень, например 2021-2022",
)
_HOST = Field(
    "org_id",
    "Код организации, на базе которой создано объединение",
    FieldType.IDENTIFIER,
    "Код организации по реестру",
)

ASSOCIATION_KINDS = {
    "gmo": "городское методическое объединение (ГМО)",
    "gpo": "городское профессиональное объединение (ГПО)",
    "shmp": "школа молодых педагогов (ШМП)",
    "ptg": "проблемно-творческая группа (ПТГ)",
}
PRINCIPLES = {
    "subject": "по предметному принципу",
    "direction": "по направлению деятельности ОО",
}
ASSOCIATION_STATUSES = {
    "functioning": "действует",
    "opened": "открыто в отчётном учебном году",
    "transformed": "преобразовано из ГМО в ГПО",
    "merged": "объединено с другим объединением (в отчётном году не действует)",
    "closed": "закрыто (в отчётном году не действует)",
}
#: Statuses of an association that functions (and is counted) in the period.
FUNCTIONING = ("functioning", "opened", "transformed")

RC_STATUSES = {
    "functioning": "действует",
    "opened": "открыт в отчётном учебном году",
    "closed": "закрыт (в отчётном году не действует)",
}
RC_FUNCTIONING = ("functioning", "opened")

ASSOCIATIONS = Source(
    name="associations",
    title="Городские профессиональные объединения (ГПО, в т.ч. ШМП и ПТГ)",
    submitted_by=SubmittedBy.MUNICIPALITY,
    key=("period", "association_id"),
    origin=ORDERS,
    description=(
        "Одна строка — одно объединение из перечня, утверждённого приказом УО на учебный год "
        "(до 2019-2020 учебного года — городские методические объединения). Заполняет МУ ДПО "
        "«ЦПКИМР». Объединение, которое в отчётном году прекратило работу (объединено с другим "
        "или закрыто), указывается со статусом «объединено» или «закрыто» и причиной; такие "
        "строки не входят в количество. Результаты изучения сайтов организаций (представлены ли "
        "план и отчёт ГПО) вносятся в те же строки."
    ),
    fields=(
        _PERIOD,
        _HOST,
        Field(
            "association_id",
            "Код объединения",
            FieldType.IDENTIFIER,
            "Постоянный код объединения; при преобразовании ГМО в ГПО код сохраняется",
            normalize=True,
        ),
        Field("name", "Наименование объединения", FieldType.STRING),
        Field("kind", "Вид объединения", FieldType.CHOICE, choices=ASSOCIATION_KINDS),
        Field(
            "principle",
            "Принцип создания",
            FieldType.CHOICE,
            "По предметному принципу или по направлению деятельности ОО",
            required=False,
            choices=PRINCIPLES,
        ),
        Field(
            "status",
            "Статус в отчётном учебном году",
            FieldType.CHOICE,
            "Действует, открыто, преобразовано из ГМО, объединено или закрыто",
            choices=ASSOCIATION_STATUSES,
        ),
        Field(
            "successor_id",
            "Код объединения-правопреемника",
            FieldType.IDENTIFIER,
            "Для объединённых: код объединения, в состав которого вошло данное",
            required=False,
        ),
        Field(
            "reason",
            "Причина изменения",
            FieldType.STRING,
            "Для открытых, преобразованных, объединённых и закрытых: причина, как она "
            "сформулирована в анализе (ИАС)",
            required=False,
        ),
        Field(
            "plan_posted",
            "План ГПО представлен на сайте организации",
            FieldType.BOOLEAN,
            "План (в составе плана-отчета ГПО) на отчётный учебный год представлен на сайте "
            "организации, на базе которой создано ГПО: " + YES_NO + "; пусто, если сайт не "
            "изучался",
            required=False,
        ),
        Field(
            "report_posted",
            "Отчёт ГПО представлен на сайте организации",
            FieldType.BOOLEAN,
            "Отчёт (в составе плана-отчета ГПО) за отчётный учебный год представлен на сайте "
            "организации: " + YES_NO + "; пусто, если сайт не изучался",
            required=False,
        ),
    ),
)

RESOURCE_CENTRES = Source(
    name="resource_centres",
    title="Городские ресурсные центры (РЦ)",
    submitted_by=SubmittedBy.MUNICIPALITY,
    key=("period", "rc_id"),
    origin=ORDERS + "; мониторинг страниц сайтов РЦ",
    description=(
        "Одна строка — один ресурсный центр из перечня, утверждённого приказом УО на учебный "
        "год, с результатом ежегодной (сентябрьской) проверки страницы РЦ на сайте организации. "
        "Заполняет МУ ДПО «ЦПКИМР»."
    ),
    fields=(
        _PERIOD,
        Field(
            "org_id",
            "Код организации, на базе которой создан РЦ",
            FieldType.IDENTIFIER,
            "Код организации по реестру",
        ),
        Field("rc_id", "Код ресурсного центра", FieldType.IDENTIFIER, normalize=True),
        Field("name", "Наименование ресурсного центра", FieldType.STRING),
        Field("direction", "Направление деятельности", FieldType.STRING, required=False),
        Field(
            "status",
            "Статус в отчётном учебном году",
            FieldType.CHOICE,
            choices=RC_STATUSES,
        ),
        Field(
            "check_date",
            "Дата проверки страницы сайта",
            FieldType.DATE,
            "Дата мониторинга страницы РЦ на сайте (сентябрь); пусто, если не проверялась",
            required=False,
        ),
        Field(
            "programme_posted",
            "Размещена программа деятельности РЦ на 2020-2023 годы",
            FieldType.BOOLEAN,
            YES_NO + "; пусто, если страница не проверялась",
            required=False,
        ),
        Field(
            "plan_posted",
            "Размещён план работы по организации инновационной деятельности на учебный год",
            FieldType.BOOLEAN,
            YES_NO + "; пусто, если страница не проверялась",
            required=False,
        ),
    ),
)

SOURCES = (ASSOCIATIONS, RESOURCE_CENTRES)
